"""Answering API queries over loaded tables without ever running user-written SQL.

A ``QuerySpec`` names columns, operators and values; identifiers are checked against the table's
own column list, operators against a fixed set, and every value is parsed for the column type
and bound as a parameter. Pages use keyset pagination on the sort columns plus the row id, so page
1,000 costs the same as page 1, and the unfiltered total comes from the stored row count.

Text matching: ``contains`` is case- and accent-insensitive. At load time each text column gets a
shadow column (``_n_<name>``) holding its folded form (lower case, no diacritics) only where that
differs from the value (on SQLite, only for values with non-ASCII letters: its LIKE already
ignores ASCII case); the comparison is ``COALESCE(_n_c, c) LIKE '%folded%'`` on both engines.
``eq``/``ne``/``in`` compare exactly and can use the indexes.

A loaded version never changes (new data is a new version), so the answers that scan a table
(group-by aggregates, the total of a filtered page) are kept in the cache under the version's
identity and the statement: the first request pays for the scan, the next ones do not.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core import signing
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from .backend import Backend, get_backend, quote
from .errors import QueryError, TableNotFound
from .inference import ColumnType
from .names import check_table_id, fold
from .store import SHADOW, fetch_info
from .tables import Column, TableInfo
from .values import bind, parse_flag, parse_value, row_reader

OPERATORS = frozenset({"eq", "ne", "lt", "lte", "gt", "gte", "in", "contains", "isnull"})
AGGREGATES = frozenset({"count", "sum", "avg", "min", "max"})
COMPARISONS = {"eq": "=", "ne": "<>", "lt": "<", "lte": "<=", "gt": ">", "gte": ">="}
NUMERIC = (ColumnType.INTEGER, ColumnType.DECIMAL)
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
MAX_IN_VALUES = 500
CURSOR_SALT = "minga.catalog.datastore.cursor"
RESULT_CACHE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Filter:
    """``column op value``.

    ``value`` is text as typed in a URL or a Python value; for ``in`` a list (or comma-separated
    text), for ``isnull`` a boolean. Comparisons follow SQL: ``ne`` and ``lt``... never match NULLs.
    """

    column: str
    op: str
    value: Any = None


@dataclass(frozen=True)
class Sort:
    column: str
    descending: bool = False


@dataclass(frozen=True)
class Aggregate:
    """``count`` may omit the column (rows); the result column is called ``alias``."""

    func: str
    column: str | None = None

    @property
    def alias(self) -> str:
        return self.func if self.column is None else f"{self.func}_{self.column}"


@dataclass(frozen=True)
class QuerySpec:
    columns: tuple[str, ...] = ()  # empty: all columns
    filters: tuple[Filter, ...] = ()
    sort: tuple[Sort, ...] = ()
    limit: int = DEFAULT_LIMIT
    cursor: str | None = None  # ``next_cursor`` of the previous page
    group_by: tuple[str, ...] = ()
    aggregates: tuple[Aggregate, ...] = ()
    include_total: bool = True
    text: str = ""  # matches rows where any text column contains it (CKAN's plain ``q``)

    def __post_init__(self) -> None:
        for name in ("columns", "filters", "sort", "group_by", "aggregates"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        for item in self.filters:
            if item.op not in OPERATORS:
                raise QueryError(_("Unknown operator “%(op)s”."), code="unknown_operator", params={"op": item.op})
        for aggregate in self.aggregates:
            if aggregate.func not in AGGREGATES:
                raise QueryError(
                    _("Unknown aggregate “%(func)s”."), code="unknown_aggregate", params={"func": aggregate.func}
                )
        if not isinstance(self.limit, int) or not 1 <= self.limit <= MAX_LIMIT:
            raise QueryError(
                _("The limit must be between 1 and %(max)s."), code="invalid_limit", params={"max": MAX_LIMIT}
            )


@dataclass
class QueryResult:
    table_id: str
    version: int
    columns: list[str]  # names of the values in each row ("_id" first unless grouped)
    rows: list[tuple]
    total: int | None = None  # None when skipped (include_total=False) or grouped
    next_cursor: str | None = None
    truncated: bool = False  # grouped results cut at ``limit``
    info: TableInfo | None = field(default=None, repr=False)


# -- SQL building ----------------------------------------------------------------------------


class _Builder:
    def __init__(self, backend: Backend, info: TableInfo) -> None:
        self.backend = backend
        self.info = info
        self.params: list[Any] = []

    def column(self, name: str, *, allow_id: bool = False) -> Column | None:
        if allow_id and name == "_id":
            return None
        column = self.info.column(name) if isinstance(name, str) else None
        if column is None:
            raise QueryError(
                _("Unknown column “%(column)s”."), code="unknown_column", params={"column": str(name)[:60]}
            )
        return column

    def p(self, value: Any) -> str:
        self.params.append(bind(self.backend, value))
        return self.backend.param

    def where(self, filters: tuple[Filter, ...], text: str = "") -> list[str]:
        conditions = [self.condition(item) for item in filters]
        if text.strip():
            conditions.append(self.any_text(text))
        return conditions

    def any_text(self, text: str) -> str:
        columns = [column for column in self.info.columns if column.type == ColumnType.TEXT]
        if not columns:
            return "1 = 0"
        parts = [self.condition(Filter(column.name, "contains", text)) for column in columns]
        return "(" + " OR ".join(parts) + ")"

    def condition(self, item: Filter) -> str:
        column = self.column(item.column)
        q = quote(column.name)
        if item.op == "isnull":
            flag = item.value if isinstance(item.value, bool) else parse_flag(str(item.value))
            if flag is None:
                raise QueryError(_("isnull takes true or false."), code="invalid_value")
            return f"{q} IS NULL" if flag else f"{q} IS NOT NULL"
        if item.op == "contains":
            if column.type != ColumnType.TEXT:
                raise QueryError(
                    _("“contains” only works on text columns."), code="invalid_operator", params={"column": column.name}
                )
            needle = fold(str(item.value or ""))[:200].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            return f"COALESCE({quote(SHADOW + column.name)}, {q}) LIKE {self.p('%' + needle + '%')} ESCAPE '\\'"
        if item.op == "in":
            values = item.value.split(",") if isinstance(item.value, str) else list(item.value or ())
            if not values or len(values) > MAX_IN_VALUES:
                raise QueryError(
                    _("“in” takes between 1 and %(max)s values."), code="invalid_value", params={"max": MAX_IN_VALUES}
                )
            marks = ", ".join(self.p(parse_value(column, value)) for value in values)
            return f"{q} IN ({marks})"
        return f"{q} {COMPARISONS[item.op]} {self.p(parse_value(column, item.value))}"

    def keyset(self, keys: list[tuple[str, bool, Column | None]], last: list[Any]) -> str:
        """Rows strictly after ``last`` in the order of ``keys`` (NULLs sort last in both directions)."""
        nullable = [column is not None and column.stats.nulls > 0 for _name, _desc, column in keys]
        directions = {desc for _name, desc, _column in keys}
        if not any(nullable) and len(directions) == 1:
            names = ", ".join(quote(name) for name, _desc, _column in keys)
            marks = ", ".join(self.p(value) for value in last)
            return f"({names}) {'<' if directions == {True} else '>'} ({marks})"
        disjuncts = []
        for i, (name, desc, _column) in enumerate(keys):
            if last[i] is None:
                continue  # nothing sorts after NULL within the same prefix
            parts = [
                f"{quote(n)} IS NULL" if v is None else f"{quote(n)} = {self.p(v)}"
                for (n, _d, _c), v in zip(keys[:i], last[:i], strict=True)
            ]
            after = f"{quote(name)} {'<' if desc else '>'} {self.p(last[i])}"
            parts.append(f"({after} OR {quote(name)} IS NULL)" if nullable[i] else after)
            disjuncts.append("(" + " AND ".join(parts) + ")")
        return "(" + " OR ".join(disjuncts) + ")" if disjuncts else "1 = 0"


def _sort_keys(builder: _Builder, spec: QuerySpec) -> list[tuple[str, bool, Column | None]]:
    keys = [(item.column, bool(item.descending), builder.column(item.column, allow_id=True)) for item in spec.sort]
    keys = [key for key in keys if key[0] != "_id"] + [("_id", keys[-1][1] if keys else False, None)]
    return keys


def _order_by(keys: list[tuple[str, bool, Column | None]]) -> str:
    return ", ".join(f"{quote(name)} {'DESC' if desc else 'ASC'} NULLS LAST" for name, desc, _c in keys)


def _fingerprint(keys) -> str:
    text = "|".join(f"{name}:{int(desc)}" for name, desc, _c in keys)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _encode_cursor(keys, values: list[Any]) -> str:
    plain = [v.isoformat() if isinstance(v, dt.date) else str(v) if isinstance(v, Decimal) else v for v in values]
    return signing.dumps({"s": _fingerprint(keys), "k": plain}, salt=CURSOR_SALT, compress=True)


def _decode_cursor(token: str, keys) -> list[Any]:
    try:
        data = signing.loads(token, salt=CURSOR_SALT)
    except signing.BadSignature as exc:
        raise QueryError(_("The page cursor is not valid."), code="invalid_cursor") from exc
    if data.get("s") != _fingerprint(keys) or len(data.get("k", ())) != len(keys):
        raise QueryError(_("The page cursor belongs to a different sort order."), code="invalid_cursor")
    values = []
    for (_name, _desc, column), raw in zip(keys, data["k"], strict=True):
        if raw is None or column is None:
            values.append(raw if column is not None else int(raw))
        else:
            values.append(parse_value(column, raw))
    return values


# -- running -------------------------------------------------------------------------------


def _scan(cursor: Any, info: TableInfo, sql: str, params: list[Any], *, one: bool = False) -> Any:
    """Run a statement that reads the whole (filtered) table, or take its stored answer."""
    identity = f"{info.table_id}|{info.version}|{info.loaded_at.isoformat()}|{sql}|{params!r}"
    key = "datastore:scan:" + hashlib.sha256(identity.encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        cursor.execute(sql, params)
        found = (cursor.fetchone(),) if one else cursor.fetchall()
        cache.set(key, found, RESULT_CACHE_SECONDS)
    return found[0] if one else found


def run_query(*, table_id: str | int, spec: QuerySpec, version: int | None = None) -> QueryResult:
    """One page of rows (or of groups) of the live version of ``table_id`` (or a kept ``version``)."""
    table_id = check_table_id(table_id)
    backend = get_backend()
    with backend.read() as cursor:
        info = None if cursor is None else fetch_info(cursor, backend, table_id=table_id, version=version)
        if info is None:
            raise TableNotFound(table_id)
        if spec.group_by or spec.aggregates:
            return _grouped(cursor, backend, info, spec)
        return _page(cursor, backend, info, spec)


def _select_columns(builder: _Builder, spec: QuerySpec) -> list[Column]:
    if not spec.columns:
        return list(builder.info.columns)
    return [builder.column(name) for name in dict.fromkeys(spec.columns)]


def _page(cursor: Any, backend: Backend, info: TableInfo, spec: QuerySpec) -> QueryResult:
    builder = _Builder(backend, info)
    columns = _select_columns(builder, spec)
    keys = _sort_keys(builder, spec)
    conditions = builder.where(spec.filters, spec.text)
    filter_count, filter_params = len(conditions), list(builder.params)
    if spec.cursor:
        conditions.append(builder.keyset(keys, _decode_cursor(spec.cursor, keys)))
    names = ["_id"] + [column.name for column in columns]
    extra = [name for name, _d, _c in keys if name not in names]
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    sql = (
        f"SELECT {', '.join(quote(n) for n in names + extra)} FROM {backend.table(info.sql_name)}{where}"  # noqa: S608
        f" ORDER BY {_order_by(keys)} LIMIT {spec.limit + 1}"
    )
    cursor.execute(sql, builder.params)
    fetched = cursor.fetchall()
    types = [None] + [column.type for column in columns] + [info.column(name).type for name in extra]
    convert = row_reader(backend, types)
    if convert:
        fetched = [convert(row) for row in fetched]
    has_more = len(fetched) > spec.limit
    fetched = fetched[: spec.limit]
    next_cursor = None
    if has_more:
        position = {name: i for i, name in enumerate(names + extra)}
        next_cursor = _encode_cursor(keys, [fetched[-1][position[name]] for name, _d, _c in keys])
    total = None
    if spec.include_total:
        if filter_count:
            where = f" WHERE {' AND '.join(conditions[:filter_count])}"
            count_sql = f"SELECT COUNT(*) FROM {backend.table(info.sql_name)}{where}"  # noqa: S608
            total = _scan(cursor, info, count_sql, filter_params, one=True)[0]
        else:
            total = info.row_count
    rows = [row[: len(names)] for row in fetched] if extra else fetched
    return QueryResult(info.table_id, info.version, names, rows, total, next_cursor, info=info)


def _grouped(cursor: Any, backend: Backend, info: TableInfo, spec: QuerySpec) -> QueryResult:
    builder = _Builder(backend, info)
    groups = [builder.column(name) for name in dict.fromkeys(spec.group_by)]
    select = [quote(column.name) for column in groups]
    names = [column.name for column in groups]
    types: list[ColumnType | None] = [column.type for column in groups]
    for aggregate in spec.aggregates or (Aggregate("count"),):
        if aggregate.column is None:
            if aggregate.func != "count":
                raise QueryError(
                    _("“%(func)s” needs a column."), code="invalid_aggregate", params={"func": aggregate.func}
                )
            select.append("COUNT(*)")
            types.append(None)
        else:
            column = builder.column(aggregate.column)
            numeric_only = aggregate.func in ("sum", "avg")
            if (numeric_only and column.type not in NUMERIC) or (
                aggregate.func in ("min", "max") and column.type == ColumnType.BOOLEAN
            ):
                raise QueryError(
                    _("“%(func)s” does not apply to column “%(column)s”."),
                    code="invalid_aggregate",
                    params={"func": aggregate.func, "column": column.name},
                )
            select.append(f"{aggregate.func.upper()}({quote(column.name)})")
            types.append(column.type if aggregate.func in ("min", "max") else None)
        names.append(aggregate.alias)
    order, used = [], set()
    for item in spec.sort:
        if item.column not in names:
            raise QueryError(
                _("Grouped results can only be sorted by a group column or an aggregate."), code="invalid_sort"
            )
        used.add(names.index(item.column) + 1)
        order.append(f"{names.index(item.column) + 1} {'DESC' if item.descending else 'ASC'} NULLS LAST")
    order += [f"{i} ASC NULLS LAST" for i in range(1, len(groups) + 1) if i not in used]
    conditions = builder.where(spec.filters, spec.text)
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    source = backend.table(info.sql_name)
    group_names = {column.name for column in groups}
    if (
        backend.vendor == "sqlite"
        and groups
        and not conditions
        and any(a.column is not None and a.column not in group_names for a in spec.aggregates)
    ):
        # Over a whole table, SQLite would walk the group column's index and fetch every row
        # from it in index order; one pass over the table and a sort of the groups is several
        # times faster. (Filtered queries keep the planner's choice: the filter's index.)
        source += " NOT INDEXED"
    sql = f"SELECT {', '.join(select)} FROM {source}{where}"  # noqa: S608
    if groups:
        sql += f" GROUP BY {', '.join(quote(column.name) for column in groups)}"
    if order:
        sql += f" ORDER BY {', '.join(order)}"
    rows = list(_scan(cursor, info, sql + f" LIMIT {spec.limit + 1}", list(builder.params)))
    convert = row_reader(backend, types)
    if convert:
        rows = [convert(row) for row in rows]
    return QueryResult(
        info.table_id, info.version, names, rows[: spec.limit], None, None, len(rows) > spec.limit, info=info
    )
