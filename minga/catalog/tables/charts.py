"""The chart arithmetic and prose of a table's previews: the choices offered (chart types,
figures, orders, filter operators), the first chart worth drawing, the query behind a chart,
its groups (a pie's "Others"), its title, the table of its values and the sentence that
describes it to people who cannot see it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from minga import datastore
from minga.core.ui import charts

MAX_GROUPS = 100
MAX_SLICES = 12
DEFAULT_GROUPS = {"bar": 20, "line": 60, "pie": 6}
NUMERIC = ("integer", "decimal")


def filter_operators() -> list[tuple[str, str]]:
    return [
        ("eq", _("is")),
        ("ne", _("is not")),
        ("contains", _("contains")),
        ("gt", _("greater than")),
        ("gte", _("greater than or equal to")),
        ("lt", _("less than")),
        ("lte", _("less than or equal to")),
        ("isnull", _("is empty (yes/no)")),
    ]


def chart_types():
    return [("bar", _("Bars")), ("line", _("Line")), ("pie", _("Pie"))]


def aggregates():
    return [
        ("count", _("Number of rows")),
        ("sum", _("Sum")),
        ("avg", _("Average")),
        ("min", _("Minimum")),
        ("max", _("Maximum")),
    ]


def sorts():
    return [
        ("-valor", _("Largest value first")),
        ("valor", _("Smallest value first")),
        ("etiqueta", _("By group, A to Z")),
        ("-etiqueta", _("By group, Z to A")),
    ]


def measure_title(func: str, column_label: str) -> str:
    return {
        "count": _("Number of rows"),
        "sum": _("Sum of %(column)s"),
        "avg": _("Average of %(column)s"),
        "min": _("Minimum of %(column)s"),
        "max": _("Maximum of %(column)s"),
    }[func] % {"column": column_label}


CHART_FIELDS = ("tipo", "grupo", "agregado", "medida", "orden", "limite", "columna", "operador", "valor")


def default_group(columns) -> str:
    """A column worth grouping by for the first chart: values that repeat (not an identifier),
    few of them, text first."""
    for wanted in (("text",), ("integer", "date", "boolean")):
        candidates = [
            column
            for column in columns
            if column.type in wanted and 2 <= column.stats.distinct <= 40 and column.stats.distinct < column.stats.count
        ]
        if candidates:
            return min(candidates, key=lambda column: column.stats.distinct).name
    return columns[0].name if columns else ""


_NOT_A_MEASURE = ("cod", "dpa", "id", "anio", "ano", "year", "mes", "month", "lat", "lon", "lng", "numero")


def default_measure(columns, *, exclude: str = "") -> str:
    """A number column worth adding up for the first chart or map (amounts rather than codes,
    years or coordinates); empty when there is none, and the rows are counted instead."""

    def looks_like_a_measure(column) -> bool:
        if column.name == exclude:
            return False
        additive = getattr(column, "additive", None)  # the column's role, when it has one
        if additive is not None:
            return additive
        words = column.name.lower().replace("-", "_").split("_")
        return not any(word in _NOT_A_MEASURE for word in words)

    for wanted in ("decimal", "integer"):
        for column in columns:
            if column.type == wanted and looks_like_a_measure(column) and column.stats.distinct > 1:
                return column.name
    return ""


def default_figure(columns, group: str) -> dict[str, str]:
    measure = default_measure(columns, exclude=group)
    return {"agregado": "sum", "medida": measure} if measure else {"agregado": "count"}


def group_label(value, column_type: str) -> str:
    if value is None or value == "":
        return _("(empty)")
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if column_type == "date":
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if column_type == "datetime":
        return formats.date_format(value, "SHORT_DATETIME_FORMAT")
    if column_type == "decimal":
        return str(value).replace(".", formats.get_format("DECIMAL_SEPARATOR"))
    return str(value)  # whole numbers as written: years and codes must not get thousands separators


def chart_filters(data) -> tuple:
    column, op, value = data.get("columna"), data.get("operador") or "eq", data.get("valor", "")
    if column and (value or op == "isnull"):
        return (datastore.Filter(column, op, value),)
    return ()


def chart_params(data) -> dict[str, str]:
    """The chosen options as query parameters, in a stable order (permalinks, embed, downloads)."""
    params = {name: "" if data.get(name) is None else str(data.get(name)) for name in CHART_FIELDS}
    if not params["columna"]:
        params["operador"] = params["valor"] = ""
    if params["agregado"] == "count":
        params["medida"] = ""
    return {name: value for name, value in params.items() if value}


@dataclass
class ChartResult:
    data: list[charts.Datum]
    title: str
    description: str
    measure: str
    group: str
    groups_total: int
    truncated: bool
    rows: list[dict]
    places: int = 0  # the decimals every figure shows, in the chart and in its table


def run_chart(table, columns, data) -> ChartResult:
    by_name = {column.name: column for column in columns}
    kind, func, group = data["tipo"], data["agregado"], data["grupo"]
    measure = data.get("medida") if func != "count" else None
    aggregate = datastore.Aggregate(func, measure or None)
    filters = chart_filters(data)
    by_value = data["orden"].endswith("valor")
    descending = data["orden"].startswith("-")
    if kind == "pie":
        sort = (datastore.Sort(aggregate.alias, descending=True),)
    else:
        sort = (datastore.Sort(aggregate.alias if by_value else group, descending=descending),)
    spec = datastore.QuerySpec(
        filters=filters, group_by=(group,), aggregates=(aggregate,), sort=sort, limit=datastore.MAX_LIMIT
    )
    result = datastore.run_query(table_id=table.table_id, spec=spec)
    group_type = by_name[group].type
    rows = [(group_label(row[0], group_type), row[1]) for row in result.rows]
    limit = data["limite"]
    shown = rows[:limit]
    if kind == "pie":
        if any(value is not None and value < 0 for _label, value in rows):
            raise datastore.QueryError(_("A pie cannot show negative values: choose bars instead."), code="negative")
        rest = rows[limit:]
        others = sum(value or 0 for _label, value in rest)
        if result.truncated:
            whole = datastore.run_query(
                table_id=table.table_id, spec=datastore.QuerySpec(filters=filters, aggregates=(aggregate,), limit=1)
            )
            others = (whole.rows[0][0] or 0) - sum(value or 0 for _label, value in shown)
        if by_value:
            shown.sort(key=lambda item: item[1] or 0, reverse=descending)
        else:
            shown.sort(key=lambda item: item[0].casefold(), reverse=descending)
        points = [charts.Datum(label, value) for label, value in shown]
        if rest:
            points.append(charts.Datum(_("Others (%(count)s groups)") % {"count": len(rest)}, others, others=True))
    else:
        points = [charts.Datum(label, value) for label, value in shown]
    measure_text = measure_title(func, by_name[measure].label if measure else "")
    group_text = by_name[group].label
    title = _("%(measure)s by %(group)s") % {"measure": measure_text, "group": group_text}
    total = sum(point.number for point in points)
    money = bool(measure) and func != "count" and getattr(by_name[measure], "money", False)
    places = 2 if money else charts.decimals_for(point.value for point in points)
    table_rows = [
        {
            "label": point.label,
            "value": charts.format_number(point.value, decimals=places),
            "share": charts.format_percent(point.number / total) if kind == "pie" and total else "",
            "others": point.others,
        }
        for point in points
    ]
    description = describe(kind, points, group_text, filters, by_name, len(rows), result.truncated, places)
    return ChartResult(
        points, title, description, measure_text, group_text, len(rows), result.truncated, table_rows, places
    )


def describe(kind, points, group_text, filters, by_name, groups_total, truncated, places=None) -> str:
    names = {"bar": _("Bar chart"), "line": _("Line chart"), "pie": _("Pie chart")}
    parts = [
        _("%(chart)s of %(count)s groups by %(group)s.")
        % {"chart": names[kind], "count": len(points), "group": group_text}
    ]
    valued = [p for p in points if p.value is not None and not p.others]
    if valued:
        high = max(valued, key=lambda p: p.number)
        low = min(valued, key=lambda p: p.number)
        parts.append(
            _("Highest: %(high)s (%(high_value)s); lowest: %(low)s (%(low_value)s).")
            % {
                "high": high.label,
                "high_value": charts.format_number(high.value, decimals=places),
                "low": low.label,
                "low_value": charts.format_number(low.value, decimals=places),
            }
        )
    if filters:
        item = filters[0]
        operator = dict(filter_operators()).get(item.op, item.op)
        parts.append(
            _("Only rows where %(column)s %(condition)s “%(value)s”.")
            % {"column": by_name[item.column].label, "condition": operator, "value": item.value}
        )
    if truncated:
        parts.append(
            _("The table has more than %(max)s groups; only the first were read.") % {"max": datastore.MAX_LIMIT}
        )
    elif groups_total > len(points) and kind != "pie":
        parts.append(_("Showing %(shown)s of %(total)s groups.") % {"shown": len(points), "total": groups_total})
    return " ".join(parts)


def plain_number(value) -> str:
    """A number as software reads it: point decimals, no grouping, no trailing zeros."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)
