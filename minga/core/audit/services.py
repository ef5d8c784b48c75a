"""The one way to record an official action. Callers pass what changed; this service chains
the entry to the previous one of the same chain inside the caller's transaction, so the
entry exists exactly when the change does."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from ..ui.page_cache import public_content_changed
from .models import AuditChain, AuditEntry

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


def entry_digest(entry: AuditEntry) -> str:
    """SHA-256 over every stored field of the entry plus the previous hash."""
    payload = {
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
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


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
        )
        entry.entry_hash = entry_digest(entry)
        entry.save(force_insert=True)
        head.last_sequence = entry.sequence
        head.last_hash = entry.entry_hash
        head.save(update_fields=["last_sequence", "last_hash"])
        # Every official change passes here, so this is where cached public pages of the
        # government are invalidated.
        transaction.on_commit(lambda: public_content_changed(government))
    return entry


def verify_chains() -> list[str]:
    """Problems found in every chain; an empty list means the log is intact."""
    problems: list[str] = []
    heads = dict(AuditChain.objects.values_list("key", "last_hash"))
    keys = set(heads) | set(AuditEntry.objects.values_list("chain_key", flat=True).distinct())
    for key in sorted(keys):
        previous_hash, expected_sequence = "", 1
        for entry in AuditEntry.objects.filter(chain_key=key).order_by("sequence").iterator():
            label = f"{key}#{entry.sequence} (id {entry.pk})"
            if entry.sequence != expected_sequence:
                problems.append(f"{label}: expected sequence {expected_sequence}; entries are missing")
            if entry.previous_hash != previous_hash:
                problems.append(f"{label}: does not follow the previous entry")
            if entry_digest(entry) != entry.entry_hash:
                problems.append(f"{label}: content does not match its hash (edited)")
            previous_hash, expected_sequence = entry.entry_hash, entry.sequence + 1
        if heads.get(key, previous_hash) != previous_hash:
            problems.append(f"{key}: the last entries were removed")
    return problems
