"""CKAN's ``datastore_search`` over the datastore: filters, q, sort, fields, distinct, paging
with limit and offset (``limit=0``: the fields and the total only), and records as objects,
lists or CSV/TSV text without a header (CKAN's ``records_format``)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from urllib.parse import urlencode

from minga.datastore import MAX_LIMIT, DatastoreError, Filter, QuerySpec, Sort, TableNotFound, run_query

from ..models import Resource, UsageDaily
from ..usage.services import count_use, countable
from .ckan_actions import action, action_url, bool_param, int_param, json_param, required
from .ckan_errors import Invalid, NotFound
from .common import CKAN_TYPES, datastore_table

DATASTORE_LIMIT_DEFAULT = 100
DATASTORE_OFFSET_MAX = 100_000
RECORDS_FORMATS = ("objects", "lists", "csv", "tsv")


def find_resource(request, key: str) -> Resource:
    resources = request.ckan_site.resources()
    resource = resources.filter(pk=int(key)).first() if key.isdigit() else None
    if resource is None:
        raise NotFound(f'Not found: Resource "{key}" was not found.')
    return resource


def _value(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and abs(value) < 2**53 else float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _text(value) -> str:
    """A value as CKAN writes it in CSV records: empty for null, lower-case booleans."""
    value = _value(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _datastore_filters(params: dict) -> list[Filter]:
    filters = json_param(params, "filters", {})
    if not isinstance(filters, dict):
        raise Invalid("filters: Use a JSON object {column: value}", filters=["Use a JSON object"])
    found = []
    for column, value in filters.items():
        if isinstance(value, list):
            found.append(Filter(column, "in", [str(item) for item in value]))
        elif value is None:
            found.append(Filter(column, "isnull", True))
        else:
            found.append(Filter(column, "eq", str(value).lower() if isinstance(value, bool) else str(value)))
    q = json_param(params, "q", "") if str(params.get("q") or "").startswith("{") else params.get("q")
    if isinstance(q, dict):
        found += [Filter(column, "contains", str(text)) for column, text in q.items()]
    return found


def _datastore_text(params: dict) -> str:
    """A plain ``q``: rows where any text column contains it (an object ``q`` is per column)."""
    q = params.get("q")
    if q in (None, "") or str(q).startswith("{"):
        return ""
    return str(q)[:200]


def _datastore_sort(params: dict) -> list[Sort]:
    raw = params.get("sort")
    if raw in (None, ""):
        return []
    parts = raw if isinstance(raw, list) else str(raw).split(",")
    found = []
    for part in parts:
        words = str(part).split()
        if not words:
            continue
        if len(words) > 2 or (len(words) == 2 and words[1].lower() not in ("asc", "desc")):
            raise Invalid(f"sort: Cannot parse {str(part)[:60]}", sort=['Use "column asc, other desc"'])
        found.append(Sort(words[0].strip('"'), descending=len(words) == 2 and words[1].lower() == "desc"))
    return found


def _datastore_fields(params: dict) -> tuple[str, ...]:
    """The asked fields in order (a list, a JSON list or comma-separated text); ``_id`` only
    when asked for, as CKAN does."""
    raw = params.get("fields")
    if raw in (None, ""):
        return ()
    if isinstance(raw, str) and raw.lstrip().startswith("["):
        raw = json_param(params, "fields", [])
    parts = raw if isinstance(raw, list) else str(raw).split(",")
    return tuple(dict.fromkeys(name for name in (str(part).strip() for part in parts) if name))


def _link(request, params: dict, **changes) -> str:
    values = {
        key: value if isinstance(value, str) else json.dumps(value)
        for key, value in {**params, **changes}.items()
        if value not in (None, "")
    }
    return action_url(request, "datastore_search") + "?" + urlencode(values)


def _records(records_format: str, names: list[str], rows: list) -> list | str:
    if records_format == "lists":
        return [[_value(value) for value in row] for row in rows]
    if records_format in ("csv", "tsv"):
        out = io.StringIO()
        writer = csv.writer(out, delimiter="," if records_format == "csv" else "\t", lineterminator="\n")
        writer.writerows([_text(value) for value in row] for row in rows)
        return out.getvalue()
    return [{name: _value(value) for name, value in zip(names, row, strict=True)} for row in rows]


def _distinct_page(table_id: str, columns, filters, text, sort, *, limit: int, offset: int, include_total: bool):
    """Distinct rows of the asked columns (all but ``_id`` when none are asked), as the
    datastore's group-by reads them; their number is the total when it fits in one grouped
    read, else the number of matching rows, marked as an estimate."""
    if offset + limit > MAX_LIMIT:
        raise Invalid(
            f"offset: With distinct, offset + limit must be at most {MAX_LIMIT}",
            offset=[f"With distinct, offset + limit must be at most {MAX_LIMIT}"],
        )
    groups = tuple(name for name in columns if name != "_id")
    spec = QuerySpec(group_by=groups, filters=filters, sort=sort, limit=MAX_LIMIT, include_total=False, text=text)
    result = run_query(table_id=table_id, spec=spec)
    width = len(groups)
    rows = [row[:width] for row in result.rows]
    total, estimated = len(rows), False
    if include_total and result.truncated:
        counted = run_query(table_id=table_id, spec=QuerySpec(filters=filters, text=text, limit=1))
        total, estimated = counted.total, True
    return list(groups), rows[offset : offset + limit], total, estimated


@action
def datastore_search(request, params):
    """Rows of a resource's datastore table: filters, q, limit (0: fields and total only), offset, sort,
    fields, distinct, include_total, records_format (objects, lists, csv, tsv)."""
    key = required(params, "resource_id")
    resource = find_resource(request, key)
    info = datastore_table(resource)
    if info is None:
        raise NotFound(f'Not found: Resource "{key}" was not found.')
    if countable(request):
        count_use(resource.government_id, UsageDaily.Kind.API, resource.dataset_id, resource.pk)
    limit = int_param(params, "limit", DATASTORE_LIMIT_DEFAULT, maximum=MAX_LIMIT)
    offset = int_param(params, "offset", 0)
    if offset > DATASTORE_OFFSET_MAX:
        raise Invalid(
            f"offset: Must be at most {DATASTORE_OFFSET_MAX}; narrow the query with filters",
            offset=[f"Must be at most {DATASTORE_OFFSET_MAX}"],
        )
    include_total = bool_param(params, "include_total", True)
    distinct = bool_param(params, "distinct", False)
    records_format = str(params.get("records_format") or "objects")
    if records_format not in RECORDS_FORMATS:
        raise Invalid(
            "records_format: Use objects, lists, csv or tsv", records_format=["Use objects, lists, csv or tsv"]
        )
    filters = _datastore_filters(params)
    text = _datastore_text(params)
    sort = _datastore_sort(params)
    asked = _datastore_fields(params)
    table_id = resource.datastore_table_id
    estimated = False
    try:
        if distinct:
            columns = asked or tuple(column.name for column in info.columns)
            names, rows, total, estimated = _distinct_page(
                table_id, columns, filters, text, sort, limit=limit, offset=offset, include_total=include_total
            )
        else:
            names, rows, total = _page(table_id, info, asked, filters, text, sort, limit, offset, include_total)
    except TableNotFound:
        raise NotFound(f'Not found: Resource "{key}" was not found.') from None
    except DatastoreError as error:
        code = getattr(error, "code", "invalid_query")
        raise Invalid(f"{code}: {error.user_message}", **{code: [error.user_message]}) from None
    types = {column.name: column for column in info.columns}
    fields = [
        {"id": "_id", "type": "int"}
        if name == "_id"
        else {
            "id": name,
            "type": CKAN_TYPES.get(str(types[name].type), "text"),
            "info": {"label": types[name].label, "notes": ""},
        }
        for name in names
    ]
    data = {
        "resource_id": key,
        "fields": fields,
        "records": _records(records_format, names, rows),
        "records_format": records_format,
        "limit": limit,
        "offset": offset,
        "include_total": include_total,
        "_links": {
            "start": _link(request, params, offset=""),
            "next": _link(request, params, offset=str(offset + limit)),
        },
    }
    for name in ("filters", "q", "sort", "distinct"):
        if params.get(name) not in (None, ""):
            data[name] = json_param(params, name, None) if name == "filters" else params.get(name)
    if include_total:
        data["total"] = total
        data["total_was_estimated"] = estimated
    return data


def _page(table_id, info, asked, filters, text, sort, limit, offset, include_total):
    """Rows from ``offset`` (keyset pages up to it, reading one column), their names without
    ``_id`` unless asked for, and the total."""
    cursor = None
    skipped = 0
    while skipped < offset:
        step = min(MAX_LIMIT, offset - skipped)
        spec = QuerySpec(
            columns=(info.columns[0].name,), filters=filters, sort=sort, limit=step, cursor=cursor,
            include_total=False, text=text,
        )  # fmt: skip
        skipping = run_query(table_id=table_id, spec=spec)
        skipped += len(skipping.rows)
        cursor = skipping.next_cursor
        if cursor is None:
            break
    exhausted = skipped < offset or (offset and cursor is None)
    columns = tuple(name for name in asked if name != "_id")
    spec = QuerySpec(
        columns=columns, filters=filters, sort=sort, limit=max(limit, 1), cursor=cursor,
        include_total=include_total, text=text,
    )  # fmt: skip
    result = run_query(table_id=table_id, spec=spec)
    rows = [] if exhausted or limit == 0 else result.rows
    if asked:  # in the asked order; the engine reads _id first, CKAN leaves it out unless asked
        order = [result.columns.index(name) for name in asked]
        return list(asked), [tuple(row[i] for i in order) for row in rows], result.total
    return result.columns, rows, result.total
