"""The one way the council module writes to the audit log: namespaced codes
(``council.<object>.<verb>``) for the government's chain.

Every audited write of the council (an act, a step, a member, a session, a vote…) may change
its open-data tables, so the same call tells the catalog to refresh them after the commit
(core.opendata.tables_changed: one notice per transaction). Refusals change no data."""

from __future__ import annotations

from minga.core.audit import services as audit
from minga.core.opendata import tables_changed


def record(*, actor, government, action: str, obj, changes: dict) -> None:
    audit.record(actor=actor, government=government, action=f"council.{action}", obj=obj, changes=changes)
    if not action.endswith("_refused"):
        tables_changed(government=government, module="council")
