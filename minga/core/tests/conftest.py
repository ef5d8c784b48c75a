"""Fixtures of the rate-limit tests: each cache backend the platform runs with, and slow cache
reads that make a read-then-write race happen every time."""

import time
import uuid

import pytest
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache
from django.test import override_settings

REDIS_URL = "redis://127.0.0.1:6379/5"


def _redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:  # noqa: BLE001
        return False


@pytest.fixture
def slow_cache_reads(monkeypatch):
    """Every cache read takes a little while: a read-then-write limit lets all threads read
    the same count before any writes it back."""
    for backend in (LocMemCache, FileBasedCache):
        original = backend.get

        def slow(self, *args, _original=original, **kwargs):
            time.sleep(0.02)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(backend, "get", slow)


@pytest.fixture(params=["locmem", "file", "redis"])
def cache_backend(request, tmp_path):
    if request.param == "locmem":
        config = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"rl-{uuid.uuid4()}"}
    elif request.param == "file":
        config = {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path)}
    else:
        if not _redis_available():
            pytest.skip(f"no Redis at {REDIS_URL}")
        config = {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    with override_settings(CACHES={"default": config}):
        yield request.param
