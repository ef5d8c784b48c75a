"""Red flags that compare a government's processes with each other (a supplier's share of a
buyer's awards, splitting under a threshold, registrations shortly before an award): recomputed
over all of a government's processes after imports, and by an official's "recompute"."""

from __future__ import annotations

import json
from collections import defaultdict

from django.db import connection

from . import flags as indicators
from .models import BudgetYear, ProcedureType, Process, ProcessItem, ProcessSupplier, Supplier


def _group_rows(government) -> list[indicators.Row]:
    suppliers: dict[int, list[int]] = defaultdict(list)
    for process_id, supplier_id in (
        ProcessSupplier.objects.for_government(government).order_by("pk").values_list("process_id", "supplier_id")
    ):
        suppliers[process_id].append(supplier_id)
    families: dict[int, str] = {}
    for process_id, family in (
        ProcessItem.objects.for_government(government).order_by("pk").values_list("process_id", "family")
    ):
        families.setdefault(process_id, family)
    rows = []
    for (
        pk,
        buyer_id,
        year,
        date,
        amount,
        award_amount,
        infima,
        emergency,
        award_date,
        tender_amount,
        category,
        procedure_code,
        coefficient,
    ) in Process.objects.filter(government=government).values_list(
        "pk",
        "buyer_id",
        "year",
        "date",
        "amount",
        "award_amount",
        "procedure__is_infima",
        "procedure__is_emergency",
        "award_date",
        "tender_amount",
        "main_category",
        "procedure__code",
        "procedure__threshold_coefficient",
    ):
        rows.append(
            indicators.Row(
                pk=pk,
                buyer_id=buyer_id,
                year=year,
                date=date,
                amount=amount,
                is_infima=bool(infima),
                is_emergency=bool(emergency),
                supplier_ids=tuple(suppliers.get(pk, ())),
                family=families.get(pk, ""),
                award_amount=award_amount,
                award_date=award_date,
                tender_amount=tender_amount,
                category=category or "",
                procedure_code=procedure_code or "",
                coefficient=coefficient,
            )
        )
    return rows


def refresh_group_flags(*, government) -> int:
    """Recompute the indicators that compare processes with each other; returns how many
    processes changed."""
    limits = indicators.thresholds(government)
    rows = _group_rows(government)
    pie = dict(BudgetYear.objects.filter(government=government).values_list("year", "pie_amount"))
    infima = ProcedureType.objects.filter(government=government, is_infima=True).order_by("order").first()
    coefficient = infima.threshold_coefficient if infima else None
    results = {
        "FRAC": indicators.splitting(rows, limits, pie, coefficient),
        "EMER": indicators.emergency_share(rows, limits),
        "CONC": indicators.concentration(rows, limits),
        "NEWSUP": indicators.new_supplier(
            rows, dict(Supplier.objects.filter(government=government).values_list("pk", "registered_on")), limits
        ),
        "THRESH": indicators.above_threshold(rows, limits, pie),
    }
    changed = []
    for pk, old_group, flag_count in Process.objects.filter(government=government).values_list(
        "pk", "group_flags", "flag_count"
    ):
        new_group = {code: results[code][pk] for code in indicators.GROUP_CODES if pk in results[code]}
        if new_group != (old_group or {}):
            count = flag_count - indicators.count_fired(old_group or {}) + indicators.count_fired(new_group)
            changed.append((json.dumps(new_group), max(0, count), pk))
    # UPDATE … FROM (VALUES …), 500 rows a statement (SQLite 3.33+ and PostgreSQL): bulk_update's
    # CASE expressions, or one statement per row, cost more than the rows themselves.
    json_type = "jsonb" if connection.vendor == "postgresql" else "text"
    one = f"(CAST(%s AS {json_type}), CAST(%s AS integer), CAST(%s AS bigint))"
    with connection.cursor() as cursor:
        for start in range(0, len(changed), 500):
            batch = changed[start : start + 500]
            cursor.execute(
                # Both engines name the columns of a VALUES list column1, column2, …
                "UPDATE procurement_process SET group_flags = v.column1, flag_count = v.column2 "  # noqa: S608
                f"FROM (VALUES {', '.join([one] * len(batch))}) AS v "
                "WHERE procurement_process.id = v.column3",
                [value for row in batch for value in row],
            )
    return len(changed)
