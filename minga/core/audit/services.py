"""The one way to record an official action. Callers pass what changed; this service chains
the entry to the previous one of the same chain inside the caller's transaction, so the
entry exists exactly when the change does. Hashes are HMAC-SHA256 under the audit key
(`keys.py`); `checkpoint_create` signs the set of chain heads."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from ..ui.page_cache import content_changed
from .keys import AuditKey, signing_key
from .models import AuditChain, AuditCheckpoint, AuditEntry

PLATFORM_CHAIN = "platform"


def chain_key_for(government) -> str:
    return f"government:{government.pk}" if government is not None else PLATFORM_CHAIN


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def _entry_payload(entry: AuditEntry) -> dict[str, Any]:
    return {
        "chain": entry.chain_key,
        "sequence": entry.sequence,
        "government": entry.government_id,
        "actor": entry.actor_id,
        "actor_label": entry.actor_label,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "changes": entry.changes,
        "created_at": entry.created_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "previous": entry.previous_hash,
    }


def canonical(payload: Any) -> bytes:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def legacy_digest(entry: AuditEntry) -> str:
    """Plain SHA-256 over the entry, as entries were hashed before the log was keyed."""
    return hashlib.sha256(canonical(_entry_payload(entry))).hexdigest()


def entry_digest(entry: AuditEntry, key: AuditKey) -> str:
    """HMAC-SHA256 under `key` over every stored field of the entry, the previous hash and the
    key id."""
    return key.sign(canonical({**_entry_payload(entry), "key": key.key_id}))


def diff_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [before, after]} for the fields whose value changed."""
    changed = {}
    for name in sorted(set(before) | set(after)):
        old, new = _jsonable(before.get(name)), _jsonable(after.get(name))
        if old != new:
            changed[name] = [old, new]
    return changed


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    names = fields or [f.attname for f in instance._meta.concrete_fields]
    return {name: _jsonable(getattr(instance, name)) for name in names}


def record(
    *,
    actor,
    government,
    action: str,
    obj: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> AuditEntry:
    if action.count(".") < 2:
        raise ValueError("audit action codes are namespaced: module.object.verb")
    key = chain_key_for(government)
    audit_key = signing_key()
    with transaction.atomic():
        AuditChain.objects.get_or_create(key=key)
        head = AuditChain.objects.select_for_update().get(key=key)
        entry = AuditEntry(
            chain_key=key,
            sequence=head.last_sequence + 1,
            government=government,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            actor_label=(getattr(actor, "email", "") or "system")[:254],
            action=action,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
            object_repr=str(obj)[:250] if obj is not None else "",
            changes=_jsonable(changes or {}),
            created_at=now or timezone.now(),
            previous_hash=head.last_hash,
            key_id=audit_key.key_id,
        )
        entry.entry_hash = entry_digest(entry, audit_key)
        entry.save(force_insert=True)
        head.last_sequence = entry.sequence
        head.last_hash = entry.entry_hash
        head.save(update_fields=["last_sequence", "last_hash"])
        # Every official change passes here, so this is where cached public pages of the
        # government are invalidated (citizens' writes call content_changed themselves).
        content_changed(government, reason=action)
    return entry


def open_chain(*, government) -> AuditChain:
    """Create the (empty) chain of a new government, so that from then on a missing chain is
    noticed by verification even before its first entry."""
    chain, _ = AuditChain.objects.get_or_create(key=chain_key_for(government))
    return chain


def checkpoint_payload(checkpoint: AuditCheckpoint) -> bytes:
    return canonical(
        {
            "sequence": checkpoint.sequence,
            "created_at": checkpoint.created_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
            "heads": checkpoint.heads,
            "key": checkpoint.key_id,
        }
    )


@transaction.atomic
def checkpoint_create(*, now: dt.datetime | None = None) -> AuditCheckpoint:
    """Sign the current set of chains and their heads. Callers verify the chains first
    (`verification.checkpoint_if_intact`): signing a tampered log would vouch for it."""
    audit_key = signing_key()
    # Lock every head so the set is one moment of the log; concurrent writers wait.
    chains = list(AuditChain.objects.select_for_update().order_by("key"))
    last = AuditCheckpoint.objects.select_for_update().order_by("-sequence").first()
    checkpoint = AuditCheckpoint(
        sequence=(last.sequence if last else 0) + 1,
        created_at=now or timezone.now(),
        heads=[[chain.key, chain.last_sequence, chain.last_hash] for chain in chains],
        key_id=audit_key.key_id,
    )
    checkpoint.signature = audit_key.sign(checkpoint_payload(checkpoint))
    checkpoint.save(force_insert=True)
    return checkpoint
