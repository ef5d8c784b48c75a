"""One pass of a load split over two cores: a producer makes the batches, this process uses them.

Each pass of a load is a producer and a consumer: reading and cleaning the file feeds type
inference; typing the cleaned cells feeds the insert. Both halves are Python work of about the
same size, so for a large file the producer runs in a forked child process and hands each
batch over a pipe as bytes (``BatchSpool.pack``, ``marshal``), while this process consumes the
one before. Small files, and machines with one core, run the same producer in this process:
the code path, the bytes and the results are identical either way.

The child only computes: it never touches a database connection, a file of the parent's other
than the ones it reads, or the network, and it leaves with ``os._exit`` (``multiprocessing``'s
fork start), so no inherited connection is closed under the parent. Its end state (reader
problems, type errors, value counts) and any exception come back pickled over the same pipe;
the pipe is private to the two processes.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import traceback
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings

_BATCH, _END, _FAILED = b"B", b"E", b"X"


def worth_a_child(size: int) -> bool:
    """Whether a file of ``size`` bytes is read and typed by a second process."""
    threshold = settings.DATASTORE_PARALLEL_MIN_BYTES
    return threshold >= 0 and size >= threshold and (os.cpu_count() or 1) > 1 and hasattr(os, "fork")


class Producer:
    """Iterate to get ``produce()``'s batches; then ``result`` holds ``finish()``'s value.

    ``in_child`` runs both in a forked process. Leaving the ``with`` block stops a child that
    is still working (the consumer failed), so no process outlives the load."""

    def __init__(self, produce: Callable[[], Iterator[bytes]], finish: Callable[[], Any], *, in_child: bool) -> None:
        self.produce, self.finish, self.in_child = produce, finish, in_child
        self.result: Any = None
        self._process = self._receiver = None
        self._finished = False

    def __enter__(self) -> Producer:
        if self.in_child:
            context = multiprocessing.get_context("fork")
            self._receiver, sender = context.Pipe(duplex=False)
            self._process = context.Process(target=_child, args=(sender, self.produce, self.finish), daemon=False)
            self._process.start()
            sender.close()
        return self

    def __iter__(self) -> Iterator[bytes]:
        if not self.in_child:
            yield from self.produce()
            self.result = self.finish()
            return
        while True:
            try:
                message = self._receiver.recv_bytes()
            except EOFError:
                self._process.join()
                raise RuntimeError(f"The loading process stopped (exit code {self._process.exitcode}).") from None
            tag, data = message[:1], memoryview(message)[1:]
            if tag == _BATCH:
                yield data
            elif tag == _END:
                self.result = pickle.loads(data)  # noqa: S301 — from our own forked child
                self._finished = True
                return
            else:
                raise pickle.loads(data)  # noqa: S301 — from our own forked child

    def __exit__(self, *exc_info) -> None:
        if self._process is None:
            return
        self._receiver.close()
        if not self._finished and self._process.is_alive():
            self._process.terminate()
        self._process.join()


def _child(sender, produce: Callable[[], Iterator[bytes]], finish: Callable[[], Any]) -> None:
    try:
        for data in produce():
            sender.send_bytes(_BATCH + data)
        sender.send_bytes(_END + pickle.dumps(finish()))
    except BaseException as exc:  # handed to the parent, which raises it
        try:
            payload = pickle.dumps(exc)
            pickle.loads(payload)  # noqa: S301 — checks it can be raised on the other side
        except Exception:
            payload = pickle.dumps(RuntimeError(traceback.format_exc()))
        sender.send_bytes(_FAILED + payload)
    finally:
        sender.close()
