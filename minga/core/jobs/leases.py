"""Leases with a heartbeat: how a job says "I am still working on this".

A process takes the lease of what it runs (``acquire``, inside the transaction that marks the
job as running, so both commit together or neither does) and gives it back when the job ends
(``release``, inside the transaction that records the outcome). While it holds any lease, a
thread of the process renews them every ``settings.JOB_HEARTBEAT_SECONDS``: one UPDATE for all
of them. A process killed with SIGKILL, or a machine that lost power, stops renewing; after
``settings.JOB_LEASE_SECONDS`` its leases have expired and ``recovery`` repairs the jobs behind
them. Every lease is held by one process (``holder()``: host, process id and a random token,
new after a fork), so a second worker never mistakes another's lease for its own.

Leases use the wall clock (``timezone.now()``) whatever time a job's domain code is given."""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connections, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string

from .models import JobLease

logger = logging.getLogger("minga.jobs")


class LeaseHeld(Exception):
    """Another process holds a live lease of this name."""


def lease_length() -> dt.timedelta:
    return dt.timedelta(seconds=settings.JOB_LEASE_SECONDS)


class _ProcessState:
    """What this process holds. Threads do not survive a fork, so a forked child starts afresh."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.holder = f"{socket.gethostname()[:80]}:{self.pid}:{get_random_string(12)}"
        self.held: set[str] = set()
        self.lock = threading.Lock()
        self.wake = threading.Event()
        self.thread: threading.Thread | None = None


_state: _ProcessState | None = None


def _process() -> _ProcessState:
    global _state
    if _state is None or _state.pid != os.getpid():
        _state = _ProcessState()
    return _state


def holder() -> str:
    """This process's name on the leases it holds."""
    return _process().holder


def acquire(*, name: str) -> JobLease:
    """Take the lease ``name`` for this process and start the heartbeat. Call it inside the
    transaction that marks the job as running. An expired lease of the same name is taken over
    (its holder is gone); a live one raises ``LeaseHeld``."""
    state = _process()
    now = timezone.now()
    try:
        with transaction.atomic():
            JobLease.objects.filter(name=name, expires_at__lte=now).delete()
            lease = JobLease.objects.create(
                name=name, holder=state.holder, acquired_at=now, heartbeat_at=now, expires_at=now + lease_length()
            )
    except IntegrityError:
        raise LeaseHeld(name) from None
    with state.lock:
        state.held.add(name)
    _start_heartbeat(state)
    return lease


def release(*, name: str) -> None:
    """Give the lease back (inside the transaction that records the job's outcome)."""
    state = _process()
    JobLease.objects.filter(name=name, holder=state.holder).delete()
    with state.lock:
        state.held.discard(name)


def forget(*, name: str) -> None:
    """Stop renewing a lease without touching the database: it expires by itself."""
    state = _process()
    with state.lock:
        state.held.discard(name)


@contextmanager
def hold(name: str) -> Iterator[None]:
    """Hold the lease for the duration of a block (its own transactions)."""
    acquire(name=name)
    try:
        yield
    finally:
        try:
            release(name=name)
        except DatabaseError:  # it expires by itself; recovery sees the job already ended
            logger.exception("lease %s could not be released", name)


def expiries(names: Iterable[str]) -> dict[str, dt.datetime]:
    """When each of the leases among ``names`` that still exist expires (expired ones too)."""
    names = list(names)
    if not names:
        return {}
    return dict(JobLease.objects.filter(name__in=names).values_list("name", "expires_at"))


def is_abandoned(
    name: str, *, leases: dict[str, dt.datetime], started_at: dt.datetime | None, now: dt.datetime
) -> bool:
    """Whether the job behind ``name`` has no one working on it: its lease expired, or it has
    none and started more than a lease ago (a job marked running by a process that died before
    taking its lease, or by a version of the code without leases)."""
    expires = leases.get(name)
    if expires is not None:
        return expires <= now
    return started_at is None or started_at <= now - lease_length()


def renew(*, now: dt.datetime | None = None) -> int:
    """One heartbeat: push back the expiry of every lease this process holds."""
    state = _process()
    with state.lock:
        held = sorted(state.held)
    if not held:
        return 0
    now = now or timezone.now()
    return JobLease.objects.filter(holder=state.holder, name__in=held).update(
        heartbeat_at=now, expires_at=now + lease_length()
    )


def sweep(*, now: dt.datetime) -> int:
    """Delete expired leases (after recovery has looked at them)."""
    count, _ = JobLease.objects.filter(expires_at__lte=now).delete()
    return count


def _start_heartbeat(state: _ProcessState) -> None:
    with state.lock:
        if state.thread is not None and state.thread.is_alive():
            return
        state.thread = threading.Thread(target=_beat, args=(state,), daemon=True, name="minga-heartbeat")
        state.thread.start()


def _beat(state: _ProcessState) -> None:
    while state.pid == os.getpid():
        state.wake.wait(settings.JOB_HEARTBEAT_SECONDS)
        state.wake.clear()
        try:
            renew()
        except DatabaseError as error:  # a locked or lost database: the next beat tries again
            logger.warning("job lease heartbeat failed: %s", error)
        except Exception:
            logger.exception("job lease heartbeat failed")
        finally:
            connections.close_all()  # this thread's connections only
