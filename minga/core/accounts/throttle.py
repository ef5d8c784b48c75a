"""Sign-in throttling with Django's cache: failures are counted per account (the address typed,
whether or not an account has it) and per client IP over LOGIN_FAILURE_WINDOW_SECONDS. Once
either count reaches its limit (LOGIN_FAILURES_PER_ACCOUNT, LOGIN_FAILURES_PER_IP), sign-in
is refused until the window ends. The answer never depends on whether the account exists.

The client IP is REMOTE_ADDR: a deployment behind a reverse proxy must have the proxy set it
(for example gunicorn's --forwarded-allow-ips with the proxy's address)."""

from __future__ import annotations

import hashlib
import math

from django.conf import settings
from django.core.cache import cache

KEY_PREFIX = "minga:login-failures:v1"


def _account_key(email: str) -> str:
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    return f"{KEY_PREFIX}:account:{digest}"


def _ip_key(ip: str) -> str:
    return f"{KEY_PREFIX}:ip:{ip or 'unknown'}"


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or ""


def _count(key: str) -> int:
    return int(cache.get(key, 0) or 0)


def _increment(key: str) -> None:
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    # The window starts with the first failure; add() does nothing when the key exists.
    cache.add(key, 0, timeout=window)
    try:
        cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=window)


def is_throttled(*, email: str, ip: str) -> bool:
    return (
        _count(_account_key(email)) >= settings.LOGIN_FAILURES_PER_ACCOUNT
        or _count(_ip_key(ip)) >= settings.LOGIN_FAILURES_PER_IP
    )


def record_failure(*, email: str, ip: str) -> None:
    _increment(_account_key(email))
    _increment(_ip_key(ip))


def clear_account(*, email: str) -> None:
    """After a successful sign-in the account count starts again (the IP count does not)."""
    cache.delete(_account_key(email))


def wait_minutes() -> int:
    return max(1, math.ceil(settings.LOGIN_FAILURE_WINDOW_SECONDS / 60))
