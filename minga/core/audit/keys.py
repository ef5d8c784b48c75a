"""The audit log's keys. Entries and checkpoints are signed with HMAC-SHA256 under a key that
lives only in the environment, so someone who can write the database but does not hold the key
cannot recompute the chain after editing it.

`MINGA_AUDIT_KEY="<key id>:<secret>"` signs; `MINGA_AUDIT_KEY_FALLBACKS="<id>:<secret> …"`
are older keys that still verify what they signed (rotation). Each entry and checkpoint
records the id of the key it was signed with."""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,16}$")
MIN_SECRET_LENGTH = 32
# The id of the key that development and test settings derive from SECRET_KEY.
DEVELOPMENT_KEY_ID = "dev"


@dataclass(frozen=True)
class AuditKey:
    key_id: str
    secret: bytes

    def sign(self, message: bytes) -> str:
        return hmac.new(self.secret, message, hashlib.sha256).hexdigest()


def development_key(secret_key: str) -> str:
    """The `dev` key of demo and development settings, derived from SECRET_KEY."""
    return f"{DEVELOPMENT_KEY_ID}:" + hashlib.sha256(b"minga-audit-key:" + secret_key.encode()).hexdigest()


def parse_key(value: str) -> AuditKey:
    key_id, sep, secret = value.strip().partition(":")
    if not sep or not KEY_ID.match(key_id) or not secret:
        raise ImproperlyConfigured(
            "An audit key is written '<key id>:<secret>' (id: 1-16 letters, digits, '-' or '_')."
        )
    return AuditKey(key_id=key_id, secret=secret.encode())


def signing_key() -> AuditKey:
    """The key new entries and checkpoints are signed with."""
    if not settings.AUDIT_KEY:
        raise ImproperlyConfigured("MINGA_AUDIT_KEY is not set: the audit log cannot be written.")
    return parse_key(settings.AUDIT_KEY)


def verifying_keys() -> dict[str, AuditKey]:
    """Every configured key by id: the signing key and the fallbacks."""
    keys: dict[str, AuditKey] = {}
    for value in [*settings.AUDIT_KEY_FALLBACKS, settings.AUDIT_KEY]:
        if value:
            key = parse_key(value)
            keys[key.key_id] = key
    return keys


def configuration_problems() -> list[str]:
    """What is wrong with the configured keys for a production deployment (the deploy check)."""
    values = [settings.AUDIT_KEY, *settings.AUDIT_KEY_FALLBACKS]
    if not settings.AUDIT_KEY:
        return ["MINGA_AUDIT_KEY is not set."]
    problems, ids = [], []
    for value in values:
        try:
            key = parse_key(value)
        except ImproperlyConfigured as error:
            problems.append(str(error))
            continue
        ids.append(key.key_id)
        if len(key.secret) < MIN_SECRET_LENGTH:
            problems.append(f"The secret of audit key '{key.key_id}' is shorter than {MIN_SECRET_LENGTH} characters.")
    if development_key(settings.SECRET_KEY) == settings.AUDIT_KEY:
        problems.append("MINGA_AUDIT_KEY is the development key derived from SECRET_KEY; set a key of its own.")
    if len(ids) != len(set(ids)):
        problems.append("Two audit keys share one key id.")
    return problems
