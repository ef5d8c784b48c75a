"""Reads of the daily use counters: totals per month, per record, per kind."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Sum
from django.db.models.functions import TruncMonth

from .models import UsageCount


def _rows(government, module: str, kinds=None, since: dt.date | None = None, until: dt.date | None = None):
    rows = UsageCount.objects.for_government(government).filter(module=module)
    if kinds is not None:
        rows = rows.filter(kind__in=list(kinds))
    if since is not None:
        rows = rows.filter(day__gte=since)
    if until is not None:
        rows = rows.filter(day__lte=until)
    return rows


def monthly_totals(government, module: str, *, kinds=None, since=None, until=None) -> dict[dt.date, int]:
    """Uses per month (keyed by the month's first day) of a module's records."""
    rows = (
        _rows(government, module, kinds, since, until)
        .annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(total=Sum("count"))
        .order_by("month")
    )
    return {_as_date(row["month"]): row["total"] or 0 for row in rows}


def monthly_by_kind(government, module: str, *, kinds=None, since=None, until=None) -> dict[dt.date, dict[str, int]]:
    """Uses per month and kind: {month: {kind: uses}}."""
    rows = (
        _rows(government, module, kinds, since, until)
        .annotate(month=TruncMonth("day"))
        .values("month", "kind")
        .annotate(total=Sum("count"))
        .order_by("month", "kind")
    )
    found: dict[dt.date, dict[str, int]] = defaultdict(dict)
    for row in rows:
        found[_as_date(row["month"])][row["kind"]] = row["total"] or 0
    return dict(found)


def totals_by_object(government, module: str, kind: str, *, since=None, until=None) -> dict[int, int]:
    """Uses per record of one kind: {object id: uses}."""
    rows = _rows(government, module, [kind], since, until).values("object_id").annotate(total=Sum("count")).order_by()
    return {row["object_id"]: row["total"] or 0 for row in rows}


def total(government, module: str, *, kinds=None, since=None, until=None) -> int:
    return _rows(government, module, kinds, since, until).aggregate(total=Sum("count"))["total"] or 0


def first_day(government, module: str) -> dt.date | None:
    return _rows(government, module).order_by("day").values_list("day", flat=True).first()


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value
