"""Writes on API tokens: issue, revoke and note their use. Issuing and revoking are audited;
the audit entry names the token by its public prefix, never its secret."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..audit import services as audit
from .models import ApiToken
from .selectors import hash_secret

# Last-use times are written at most this often per token, so that a busy client does not
# turn every read into a write.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    key: str  # "<prefix>.<secret>": shown to its owner once, never stored


def _new_prefix() -> str:
    while True:
        prefix = secrets.token_hex(5)
        if not ApiToken.objects.filter(prefix=prefix).exists():
            return prefix


@transaction.atomic
def token_create(
    *,
    actor,
    government,
    name: str,
    second_factor: bool = False,
    expires_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> IssuedToken:
    """Issue a token for `actor` in `government`. The returned key is the only copy of the
    secret. `second_factor`: whether the actor passed two-factor authentication in the session
    that issues it; a token issued without it never works for someone with a write role (a
    viewer's token must not gain write rights when the person is later made an editor)."""
    now = now or timezone.now()
    if expires_at is not None and expires_at <= now:
        raise ValidationError({"expires_at": _("The expiry must be in the future.")})
    prefix, secret = _new_prefix(), secrets.token_urlsafe(32)
    token = ApiToken(
        government=government,
        user=actor,
        name=name.strip(),
        prefix=prefix,
        secret_hash=hash_secret(secret),
        expires_at=expires_at,
        second_factor=second_factor,
    )
    token.full_clean()
    token.save()
    audit.record(
        actor=actor,
        government=government,
        action="core.apitoken.created",
        obj=token,
        changes={
            "name": [None, token.name],
            "prefix": [None, prefix],
            "expires_at": [None, expires_at],
            "second_factor": [None, second_factor],
        },
        now=now,
    )
    return IssuedToken(token=token, key=f"{prefix}.{secret}")


@transaction.atomic
def token_revoke(*, actor, token: ApiToken, now: dt.datetime | None = None) -> ApiToken:
    """Revoke a token (idempotent: revoking a revoked token changes nothing)."""
    now = now or timezone.now()
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at = now
    token.save(update_fields=["revoked_at"])
    audit.record(
        actor=actor,
        government=token.government,
        action="core.apitoken.revoked",
        obj=token,
        changes={"revoked_at": [None, now]},
        now=now,
    )
    return token


def token_mark_used(*, token: ApiToken, now: dt.datetime) -> None:
    """Remember when a token was last used, at most once per LAST_USED_RESOLUTION. Not
    audited: it is bookkeeping, not an official action."""
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
