"""What this module lends to the chain budget line → contract → work: the processes behind an
OCID ("procurement.process"), and the processes that say they spend a budget line (backlinks
for "budget.line", from planning.budget)."""

from __future__ import annotations

from django.db.models import F, Q

from minga.core.registry import LinkedRecord
from minga.core.tenancy.paths import government_path

from . import selectors

KIND = "procurement.process"


def _linked(process) -> LinkedRecord:
    return LinkedRecord(
        kind=KIND,
        key=process.ocid,
        title=process.title or process.ocid,
        url=government_path("procurement:process_detail", ocid=process.ocid),
        module="procurement",
        facts={
            "status": process.get_stage_display(),
            "procedure": process.procedure.name if process.procedure_id else process.method_details,
            "amount": process.amount,
            "suppliers": [name for name in process.supplier_names.split("; ") if name],
            "buyer": process.buyer.name if process.buyer_id else "",
            "flags": process.flag_count,
        },
    )


def resolve_processes(government, keys: list[str]) -> dict[str, LinkedRecord]:
    found = selectors.processes(government).filter(ocid__in=keys).select_related("procedure", "buyer")
    return {process.ocid: _linked(process) for process in found}


def processes_for_budget_line(government, key: str) -> list[LinkedRecord]:
    return [_linked(process) for process in selectors.backlink_processes(government, key).order_by("-date")[:200]]


def search_processes(government, text: str, limit: int) -> list[LinkedRecord]:
    """Processes whose title, OCID or procedure contains the text, largest award first."""
    found = selectors.processes(government).select_related("procedure", "buyer")
    if text:
        found = found.filter(Q(title__icontains=text) | Q(ocid__icontains=text) | Q(procedure__name__icontains=text))
    found = found.order_by(F("award_amount").desc(nulls_last=True), "ocid")[:limit]
    return [_linked(process) for process in found]
