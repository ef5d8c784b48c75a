"""Running part of a test in a forked child process that reaches the same database, so a test
can kill a real process (SIGKILL) in the middle of a job and look at what it left.

    with committed_database(tmp_path):          # in a transactional test
        child = run_in_child(work, argument)     # forked: settings, files in memory, patches
        child.join()

PostgreSQL test databases are real databases already. SQLite's test database lives in the
memory of the test process, which a child cannot reach: ``committed_database`` copies it to a
file and points the connection there for the block (the in-memory one is kept open, untouched,
and comes back afterwards). The child drops the connections it inherited without closing them
(closing would end the parent's connection to the server) and opens its own."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connections


@contextmanager
def committed_database(directory: Path) -> Iterator[None]:
    connection = connections["default"]
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    connection.ensure_connection()
    path = Path(directory) / "committed.sqlite3"
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.close()
    memory, name = connection.connection, connection.settings_dict["NAME"]
    connection.connection = None  # closing it would drop the in-memory database
    connection.settings_dict["NAME"] = str(path)
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = name
        connection.connection = memory


_inherited: list = []  # the parent's connections, kept referenced (never closed) in the child


def _child(target: Callable, args: tuple, kwargs: dict) -> None:
    for connection in connections.all(initialized_only=True):
        _inherited.append(connection.connection)
        connection.connection = None
    target(*args, **kwargs)


def run_in_child(target: Callable, *args, **kwargs) -> multiprocessing.Process:
    """Start ``target(*args, **kwargs)`` in a forked process with connections of its own."""
    process = multiprocessing.get_context("fork").Process(target=_child, args=(target, args, kwargs), daemon=False)
    process.start()
    return process


def kill_this_process() -> None:
    """What a power cut or ``kill -9`` does: no cleanup, no finally blocks, no atexit."""
    os.kill(os.getpid(), signal.SIGKILL)
