"""Atomic counters in the cache, and the sliding-window rate limit built on them. Every limit
of the platform counts here: the API's anonymous and per-person rates (`core.api.throttling`),
sign-in attempts and account e-mails (`core.accounts.throttle`).

A limit that reads a count and writes it back lets parallel requests all read the same count
and all pass; here the count is taken by one atomic increment first, and the caller decides on
the number it got. Each cache backend has its own atomic increment:

- Redis (django-redis, or Django's own Redis backend): one Lua script (INCR, and EXPIRE on the
  first hit), atomic across every app server.
- Local memory and memcached: `add()` then `incr()`, which these backends do atomically.
- Files on disk (the single-machine default) and anything else: a read and a write under an
  exclusive file lock (`fcntl.flock`), so the gunicorn workers of the machine take turns.
"""

from __future__ import annotations

import contextlib
import math
import threading
import time
import weakref
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import caches

PREFIX = "minga:rl:v1"

_INCR_SCRIPT = """
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n
"""
# A count that expired meanwhile stays gone (a plain DECR would make it -1, without expiry).
_DECR_SCRIPT = """
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('DECR', KEYS[1]) end
return 0
"""


class _RedisCounters:
    def __init__(self, backend, client_for):
        self.backend = backend
        self.client_for = client_for  # key -> redis client

    def incr(self, key: str, ttl: int) -> int:
        raw = self.backend.make_key(key)
        return int(self.client_for(raw).eval(_INCR_SCRIPT, 1, raw, int(ttl)))

    def decr(self, key: str) -> None:
        raw = self.backend.make_key(key)
        self.client_for(raw).eval(_DECR_SCRIPT, 1, raw)

    def get(self, key: str) -> int:
        raw = self.backend.make_key(key)
        return int(self.client_for(raw).get(raw) or 0)

    def delete(self, key: str) -> None:
        raw = self.backend.make_key(key)
        self.client_for(raw).delete(raw)


class _AtomicIncrCounters:
    """Backends whose add() and incr() are atomic (local memory, memcached)."""

    def __init__(self, backend):
        self.backend = backend

    def incr(self, key: str, ttl: int) -> int:
        while True:
            if self.backend.add(key, 1, timeout=ttl):
                return 1
            try:
                return self.backend.incr(key)
            except ValueError:  # expired between add() and incr(): start the window again
                continue

    def decr(self, key: str) -> None:
        with contextlib.suppress(ValueError):  # expired meanwhile: nothing to give back
            self.backend.decr(key)

    def get(self, key: str) -> int:
        return int(self.backend.get(key) or 0)

    def delete(self, key: str) -> None:
        self.backend.delete(key)


class _LockedCounters:
    """Backends without an atomic increment (files on disk: FileBasedCache's add() and incr()
    are a read and a write). The count and its end are stored together and changed under an
    exclusive lock on a file, shared by every process of the machine."""

    def __init__(self, backend, lock_path: Path, thread_lock: threading.Lock):
        self.backend = backend
        self.lock_path = lock_path
        self.thread_lock = thread_lock

    def _locked(self):
        return _FileLock(self.lock_path, self.thread_lock)

    def _read(self, key: str, now: float) -> tuple[int, float] | None:
        stored = self.backend.get(key)
        if not isinstance(stored, tuple) or stored[1] <= now:
            return None
        return stored

    def incr(self, key: str, ttl: int) -> int:
        now = time.time()
        with self._locked():
            stored = self._read(key, now)
            count, ends = (stored[0] + 1, stored[1]) if stored else (1, now + ttl)
            self.backend.set(key, (count, ends), timeout=max(1, math.ceil(ends - now)))
        return count

    def decr(self, key: str) -> None:
        now = time.time()
        with self._locked():
            stored = self._read(key, now)
            if stored:
                self.backend.set(key, (max(0, stored[0] - 1), stored[1]), timeout=max(1, math.ceil(stored[1] - now)))

    def get(self, key: str) -> int:
        stored = self._read(key, time.time())
        return stored[0] if stored else 0

    def delete(self, key: str) -> None:
        with self._locked():
            self.backend.delete(key)


class _FileLock:
    def __init__(self, path: Path, thread_lock: threading.Lock):
        self.path = path
        self.thread_lock = thread_lock
        self.handle = None

    def __enter__(self):
        self.thread_lock.acquire()
        try:
            import fcntl  # not on Windows: there the thread lock is all (one process)
        except ImportError:
            return self
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.handle = open(self.path, "a+b")  # noqa: SIM115 (closed in __exit__)
            fcntl.flock(self.handle.fileno(), fcntl.LOCK_EX)
        except BaseException:
            self._release()
            raise
        return self

    def __exit__(self, *exc):
        self._release()

    def _release(self):
        if self.handle is not None:
            self.handle.close()  # closing releases the flock
            self.handle = None
        self.thread_lock.release()


_counters_by_backend: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_counters_guard = threading.Lock()
_path_locks: dict[Path, threading.Lock] = {}


def counters():
    """The atomic counters of the default cache. Django gives each thread its own cache
    object; the counters of each share what must be shared (the stored values, the locks)."""
    backend = caches["default"]
    found = _counters_by_backend.get(backend)
    if found is None:
        with _counters_guard:
            found = _counters_by_backend[backend] = _make_counters(backend)
    return found


def _make_counters(backend):
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    if name.startswith("django_redis."):
        return _RedisCounters(backend, lambda raw: backend.client.get_client(write=True))
    if name == "django.core.cache.backends.redis.RedisCache":
        return _RedisCounters(backend, lambda raw: backend._cache.get_client(raw, write=True))  # noqa: SLF001
    if name in (
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.memcached.PyMemcacheCache",
        "django.core.cache.backends.memcached.PyLibMCCache",
    ):
        return _AtomicIncrCounters(backend)
    directory = getattr(backend, "_dir", None)
    lock_path = Path(directory) / "minga-ratelimit.lock" if directory else Path(settings.VAR_DIR) / "ratelimit.lock"
    return _LockedCounters(backend, lock_path, _path_locks.setdefault(lock_path, threading.Lock()))


# Sliding-window limit --------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: int  # seconds until a request may go ahead; 0 when allowed
    bucket: str = ""  # the counter this request was counted in (to give the count back)


def hit(key: str, *, limit: int, window: int, now: float | None = None) -> Decision:
    """Count one request under `key` and say whether it is within `limit` per `window` seconds.

    Two fixed buckets of `window` seconds make a sliding window: the current bucket's count
    plus the previous bucket's count weighted by how much of it the sliding window still
    covers. The request is counted first (atomically) and then judged on the number it got,
    so parallel requests get different numbers and at most `limit` of them pass; a refused
    request gives its count back, so refusals do not extend the wait."""
    now = time.time() if now is None else now
    store = counters()
    slot = int(now // window)
    elapsed = now - slot * window
    bucket = f"{PREFIX}:{key}:{slot}"
    previous = store.get(f"{PREFIX}:{key}:{slot - 1}")
    carried = previous * (1 - elapsed / window)
    number = store.incr(bucket, ttl=2 * window + 1)
    if carried + number <= limit:
        return Decision(True, 0, bucket)
    store.decr(bucket)
    return Decision(False, _retry_after(limit, window, elapsed, previous, number - 1), bucket)


def give_back(decision: Decision) -> None:
    """Undo the count of an allowed request that should not count after all (a sign-in that
    succeeded, an attempt refused by another limit)."""
    if decision.allowed and decision.bucket:
        counters().decr(decision.bucket)


def _retry_after(limit: int, window: int, elapsed: float, previous: int, current: int) -> int:
    """Seconds until one more request fits, if no other request comes meanwhile."""
    room = limit - 1
    if current <= room:
        if previous <= 0:
            return 1
        at = window * (1 - (room - current) / previous)
        wait = at - elapsed
    else:
        at = window * (1 - room / current) if current else 0
        wait = (window - elapsed) + at
    # The weighted estimate can ask for more than a window; a window always suffices for
    # the oldest counted request to leave it.
    return max(1, min(window, math.ceil(wait)))
