"""Reads about API tokens. A presented key is looked up by its public prefix and its secret
compared in constant time against the stored SHA-256 hash; the secret itself is never kept."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from dataclasses import dataclass

from django.db.models import QuerySet

from .models import ApiToken

KEY_PATTERN = re.compile(r"^(?P<prefix>[0-9a-f]{10})\.(?P<secret>[A-Za-z0-9_-]{20,100})$")


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class KeyCheck:
    """Outcome of checking a presented key: the token when it exists and the secret matches,
    and why it cannot be used (empty when it can)."""

    token: ApiToken | None
    problem: str = ""


def token_for_key(key: str, *, now: dt.datetime) -> KeyCheck:
    """Find the token a presented `<prefix>.<secret>` key stands for and say whether it is
    usable at `now` (not revoked, not expired, its person still active)."""
    match = KEY_PATTERN.match(key or "")
    if match is None:
        return KeyCheck(None, "malformed")
    token = ApiToken.objects.select_related("user", "government").filter(prefix=match["prefix"]).first()
    presented = hash_secret(match["secret"])
    if token is None:
        # Compare anyway so that unknown and wrong keys take the same time.
        hmac.compare_digest(presented, "0" * 64)
        return KeyCheck(None, "unknown")
    if not hmac.compare_digest(presented, token.secret_hash):
        return KeyCheck(None, "unknown")
    if token.revoked_at is not None:
        return KeyCheck(token, "revoked")
    if token.expires_at is not None and token.expires_at <= now:
        return KeyCheck(token, "expired")
    if not token.user.is_active:
        return KeyCheck(token, "inactive")
    return KeyCheck(token)


def token_status(token: ApiToken, *, now: dt.datetime) -> str:
    """ "active", "revoked" or "expired"."""
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at is not None and token.expires_at <= now:
        return "expired"
    return "active"


def tokens_of(*, user, government) -> QuerySet[ApiToken]:
    """The tokens a person holds for one government, newest first."""
    return ApiToken.objects.filter(user=user, government=government).order_by("-created_at", "-pk")


def own_token(*, user, government, token_id: int) -> ApiToken | None:
    return tokens_of(user=user, government=government).filter(pk=token_id).first()
