"""Reading a datastore query from URL parameters: ``col__op=value`` filters, ``_sort``,
``_columns``, ``_limit``, ``_cursor``, ``_group_by`` and ``_agg``. Every name is checked by the
engine against the table's own columns and a fixed set of operators; nothing here builds SQL."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from minga import datastore

CONTROL = ("_sort", "_columns", "_limit", "_cursor", "_group_by", "_agg", "_total")
IGNORED = ("format",)  # DRF's format override


def _names(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


def parse_query(params, *, default_limit: int = 100) -> datastore.QuerySpec:
    filters = []
    for key in params:
        if key in CONTROL or key in IGNORED:
            continue
        if key.startswith("_"):
            raise datastore.QueryError(
                _("Unknown parameter “%(name)s”."), code="unknown_parameter", params={"name": key[:60]}
            )
        column, _sep, op = key.partition("__")
        for value in params.getlist(key):
            filters.append(datastore.Filter(column, op or "eq", value))
    sort = tuple(
        datastore.Sort(name.lstrip("-"), descending=name.startswith("-")) for name in _names(params.get("_sort", ""))
    )
    aggregates = []
    for item in _names(params.get("_agg", "")):
        func, _sep, column = item.partition(":")
        aggregates.append(datastore.Aggregate(func.strip(), column.strip() or None))
    raw_limit = params.get("_limit", "")
    try:
        limit = int(raw_limit) if raw_limit else default_limit
    except ValueError as exc:
        raise datastore.QueryError(_("The limit must be a whole number."), code="invalid_limit") from exc
    return datastore.QuerySpec(
        columns=_names(params.get("_columns", "")),
        filters=tuple(filters),
        sort=sort,
        limit=limit,
        cursor=params.get("_cursor") or None,
        group_by=_names(params.get("_group_by", "")),
        aggregates=tuple(aggregates),
        include_total=params.get("_total", "true").lower() not in ("0", "false", "no"),
    )
