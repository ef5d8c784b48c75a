"""The one way the council module writes to the audit log: namespaced codes
(``council.<object>.<verb>``) for the government's chain."""

from __future__ import annotations

from minga.core.audit import services as audit


def record(*, actor, government, action: str, obj, changes: dict) -> None:
    audit.record(actor=actor, government=government, action=f"council.{action}", obj=obj, changes=changes)
