"""What the audit log records of a write: the row's values before and after, and the fields
whose value changed."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from django.db import models

from ..audit import services as audit

# Set on every save: recording them would make every write look like a change.
TIMESTAMPS = ("created_at", "updated_at")


def snapshot(
    instance: models.Model, *, leave_out: Collection[str] = TIMESTAMPS, extra: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The audited values of a row: its concrete fields as the audit log stores them, without
    those in ``leave_out`` (the timestamps by default), plus ``extra`` (values the row does
    not hold itself, such as its links)."""
    values = {name: value for name, value in audit.snapshot(instance).items() if name not in leave_out}
    values.update(extra or {})
    return values


def changed_fields(
    instance: models.Model | None,
    before: Mapping[str, Any],
    *,
    leave_out: Collection[str] = TIMESTAMPS,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, list[Any]]:
    """``{field: [before, after]}`` for what a write changed: ``before`` is the row's
    `snapshot` taken before the write, ``instance`` the row after it (None once deleted, when
    every field goes to None). Empty when nothing changed."""
    after = {} if instance is None else snapshot(instance, leave_out=leave_out, extra=extra)
    return audit.diff_fields(before, after)
