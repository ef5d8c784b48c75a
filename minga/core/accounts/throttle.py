"""Sign-in throttling and the limits on account e-mails, counted with the atomic counters of
`core.ratelimit` (so parallel attempts cannot all pass one check before any is counted).

Sign-in attempts (a password, or a two-factor code) are limited per pair of account (the
address typed, whether or not an account has it) and client IP, not per account alone: a
stranger who types wrong passwords for an official's address locks only their own address
out, and the official still signs in from anywhere else.

- Each attempt takes a number from the pair's counter before the password is checked. The
  first LOGIN_FAILURES_PER_ACCOUNT numbers may try; a success starts the count again.
- After those, the pair is locked for LOGIN_FAILURE_WINDOW_SECONDS, and each further wrong
  attempt doubles the lock (up to LOGIN_LOCK_MAX_SECONDS). When a lock ends exactly one
  attempt may try: the one holding the next number.
- Every client IP also has LOGIN_FAILURES_PER_IP failed attempts per window over all
  accounts (a success gives its count back).
- When a pair gets locked, the owner of the account (if there is one) is sent a link that
  unlocks their account from every address (`unlock_account`); at most one such e-mail per
  LOGIN_UNLOCK_MAIL_INTERVAL.

The answers never depend on whether the account exists. The client IP is REMOTE_ADDR: a
deployment behind a reverse proxy must have the proxy set it (for example gunicorn's
--forwarded-allow-ips with the proxy's address)."""

from __future__ import annotations

import hashlib
import math
import secrets
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache

from .. import ratelimit

KEY_PREFIX = "minga:login:v2"
MAIL_PREFIX = "minga:account-mail:v1"
ACCOUNT_MAIL_SPACING_SECONDS = 60


def _digest(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _generation(account: str) -> str:
    """Changed by unlock_account(): the pair counters of the account live under it, so a new
    generation starts every pair of the account afresh."""
    return cache.get(f"{KEY_PREFIX}:generation:{account}") or "0"


def _pair_keys(email: str, ip: str) -> tuple[str, str]:
    account = _digest(email)
    base = f"{KEY_PREFIX}:pair:{account}:{_generation(account)}:{ip}"
    return f"{base}:count", f"{base}:lock"


def _lock_seconds(number: int) -> int:
    """How long the pair stays locked after its `number`-th attempt failed."""
    doublings = min(number - settings.LOGIN_FAILURES_PER_ACCOUNT, 32)
    return min(settings.LOGIN_FAILURE_WINDOW_SECONDS * 2**doublings, settings.LOGIN_LOCK_MAX_SECONDS)


def _memory_seconds() -> int:
    """How long a pair's count is kept (a lock ends well before)."""
    return settings.LOGIN_LOCK_MAX_SECONDS * 2


@dataclass
class Attempt:
    """One sign-in attempt, counted before the password or code is checked. Tell it how the
    check went with succeeded() or failed()."""

    allowed: bool
    retry_after: int = 0
    number: int = 0
    count_key: str = ""
    lock_key: str = ""
    ip_decision: ratelimit.Decision | None = field(default=None, repr=False)

    @property
    def wait_minutes(self) -> int:
        return max(1, math.ceil(self.retry_after / 60))

    def succeeded(self) -> None:
        cache.delete(self.lock_key)
        ratelimit.counters().delete(self.count_key)
        if self.ip_decision is not None:
            ratelimit.give_back(self.ip_decision)

    def failed(self, *, now: float | None = None) -> bool:
        """Record the failure; True when it locked the pair (the moment to tell the owner)."""
        if self.number < settings.LOGIN_FAILURES_PER_ACCOUNT:
            return False
        now = time.time() if now is None else now
        # The next attempt allowed is the one holding the next number, once the lock ends.
        cache.set(self.lock_key, (now + _lock_seconds(self.number), self.number + 1), timeout=_memory_seconds())
        return True


def begin(*, email: str, ip: str, now: float | None = None) -> Attempt:
    now = time.time() if now is None else now
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    ip_decision = ratelimit.hit(f"login-ip:{ip}", limit=settings.LOGIN_FAILURES_PER_IP, window=window, now=now)
    if not ip_decision.allowed:
        return Attempt(allowed=False, retry_after=ip_decision.retry_after)
    count_key, lock_key = _pair_keys(email, ip)
    store = ratelimit.counters()
    number = store.incr(count_key, ttl=_memory_seconds())
    attempt = Attempt(True, 0, number, count_key, lock_key, ip_decision)
    if number <= settings.LOGIN_FAILURES_PER_ACCOUNT:
        return attempt
    lock = cache.get(lock_key)
    if lock is not None and lock[1] == number and lock[0] <= now:
        return attempt
    # Refused without checking the password: neither count keeps this attempt.
    store.decr(count_key)
    ratelimit.give_back(ip_decision)
    retry_after = lock[0] - now if lock is not None and lock[0] > now else window
    return Attempt(allowed=False, retry_after=max(1, math.ceil(retry_after)))


def unlock_account(*, email: str) -> None:
    """Start every (account, IP) pair of the account afresh (the owner's unlock link)."""
    cache.set(f"{KEY_PREFIX}:generation:{_digest(email)}", secrets.token_hex(8), timeout=_memory_seconds())


def unlock_mail_due(*, user_pk: int) -> bool:
    """True at most once per LOGIN_UNLOCK_MAIL_INTERVAL per account."""
    return cache.add(f"{KEY_PREFIX}:unlock-mail:{user_pk}", 1, timeout=settings.LOGIN_UNLOCK_MAIL_INTERVAL)


# Account e-mails -----------------------------------------------------------------------------


def mail_allowed(*, kind: str, email: str, ip: str) -> bool:
    """Whether an account e-mail of `kind` ("password-reset", "verification", "signup") may be
    sent to `email` at the request of `ip`: one a minute and ACCOUNT_MAILS_PER_ADDRESS per address and kind,
    and ACCOUNT_MAILS_PER_IP per client IP over all addresses, per ACCOUNT_MAIL_WINDOW. The
    caller answers the same way either way, so the limits reveal nothing about accounts."""
    window = settings.ACCOUNT_MAIL_WINDOW
    digest = _digest(email)
    address = ratelimit.hit(f"{MAIL_PREFIX}:{kind}:{digest}", limit=settings.ACCOUNT_MAILS_PER_ADDRESS, window=window)
    if not address.allowed:
        return False
    client = ratelimit.hit(f"{MAIL_PREFIX}:ip:{ip}", limit=settings.ACCOUNT_MAILS_PER_IP, window=window)
    # And at most one a minute per address and kind (add() is atomic: one of parallel requests).
    if client.allowed and cache.add(f"{MAIL_PREFIX}:spacing:{kind}:{digest}", 1, timeout=ACCOUNT_MAIL_SPACING_SECONDS):
        return True
    ratelimit.give_back(address)
    ratelimit.give_back(client)
    return False
