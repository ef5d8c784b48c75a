"""The identity key and the keyed hashes made with it. A cédula is stored only as
HMAC-SHA256 under MINGA_IDENTITY_KEY: the same number always gives the same hash (so one
cédula is one account, and a census roll can be matched), and without the key nobody can
test guesses against the hashes. There are only a few hundred million valid cédulas, so a
plain hash would be reversed in minutes; the key must therefore live only in the
environment, apart from the database and its back-ups.

The key cannot be rotated the way the audit key is: the clear numbers are never kept, so
nothing could be hashed again under a new key. Changing it makes every stored hash
unmatchable (people register their cédula again, officials upload the roll again)."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MIN_SECRET_LENGTH = 32
_CEDULA_CONTEXT = b"minga:cedula:v1:"
_CODE_CONTEXT = b"minga:census-code:v1:"


def development_key(secret_key: str) -> str:
    """The key of demo, development and test settings, derived from SECRET_KEY."""
    return hashlib.sha256(b"minga-identity-key:" + secret_key.encode()).hexdigest()


def _secret() -> bytes:
    if not settings.IDENTITY_KEY:
        raise ImproperlyConfigured("MINGA_IDENTITY_KEY is not set: cédulas cannot be hashed.")
    return settings.IDENTITY_KEY.encode()


def hasher():
    """An HMAC object under the identity key, to ``copy()`` for many numbers (a census roll)."""
    return hmac.new(_secret(), _CEDULA_CONTEXT, hashlib.sha256)


def cedula_hash(number: str, *, base=None) -> str:
    """The keyed hash (64 hex characters) of a normalised, valid cédula number."""
    digest = (base or hasher()).copy()
    digest.update(number.encode("ascii"))
    return digest.hexdigest()


def code_hash(code: str, nonce: str) -> str:
    """The keyed hash of a one-time code; ``nonce`` is random per code, so equal codes differ."""
    return hmac.new(_secret(), _CODE_CONTEXT + nonce.encode() + b":" + code.encode(), hashlib.sha256).hexdigest()


def configuration_problems() -> list[str]:
    """What is wrong with the identity key for a production deployment (the deploy check)."""
    key = settings.IDENTITY_KEY
    if not key:
        return ["MINGA_IDENTITY_KEY is not set."]
    problems = []
    if len(key) < MIN_SECRET_LENGTH:
        problems.append(f"MINGA_IDENTITY_KEY is shorter than {MIN_SECRET_LENGTH} characters.")
    if key == development_key(settings.SECRET_KEY):
        problems.append("MINGA_IDENTITY_KEY is the development key derived from SECRET_KEY; set a key of its own.")
    if key in (settings.SECRET_KEY, settings.AUDIT_KEY) or key == settings.AUDIT_KEY.partition(":")[2]:
        problems.append("MINGA_IDENTITY_KEY must not be the secret key or the audit key.")
    return problems
