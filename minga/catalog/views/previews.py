"""Previews of a resource for people: a chart builder over the loaded table (with a permalink,
an embeddable variant, the SVG and the chart's data as CSV), a map (GeoJSON files, tables with
latitude/longitude, figures per province from DPA codes) and image/PDF previews.

Everything is rendered on the server from GET forms and allowlists (the datastore engine
checks every column and aggregate again), so pages work without JavaScript, are cacheable and
carry no inline script or style. Only the embeddable chart may be framed by other sites."""

from __future__ import annotations

import os
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from csp.decorators import csp_replace
from django import forms
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import formats
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_exempt, xframe_options_sameorigin

from minga import datastore
from minga.core import registry
from minga.core.access import public
from minga.core.exports import csv_response
from minga.core.forms import Form
from minga.core.ui import charts, maps
from minga.core.ui.page_cache import public_page

from .. import loading, selectors, usage
from ..models import Resource, ResourceFormat
from .table import filter_operators

MAX_GROUPS = 100
MAX_SLICES = 12
DEFAULT_GROUPS = {"bar": 20, "line": 60, "pie": 6}
NUMERIC = ("integer", "decimal")
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif", ".webp")


# -- what can be previewed ------------------------------------------------------------------


def sniff_inline_type(head: bytes) -> str | None:
    """The content type of a file safe to show inline: PDF or a raster image, by magic bytes only.
    SVG and HTML never qualify (they could run script in the portal's origin)."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def file_kind(resource: Resource) -> str | None:
    """ "pdf" or "image" for uploads that the preview page can show (by declared format/name)."""
    if resource.kind != Resource.Kind.UPLOAD or not resource.file:
        return None
    if resource.format == ResourceFormat.PDF:
        return "pdf"
    extension = os.path.splitext(resource.original_name or resource.file.name)[1].lower()
    if resource.format == ResourceFormat.OTHER and extension in IMAGE_EXTENSIONS:
        return "image"
    return None


@dataclass
class PreviewLink:
    name: str
    url: str
    label: str


def preview_links(resource: Resource, *, exclude: str = "") -> list[PreviewLink]:
    """The previews a resource offers, for the dataset page and the table page."""
    links = []
    table = loading.resource_table(resource) if resource.is_tabular else None
    pk = {"pk": resource.pk}
    if table is not None:
        links.append(PreviewLink("table", reverse("catalog:resource_table", kwargs=pk), _("Table")))
        links.append(PreviewLink("chart", reverse("catalog:resource_chart", kwargs=pk), _("Chart")))
        if maps.coordinate_columns(table.columns) or maps.dpa_columns(table.columns):
            links.append(PreviewLink("map", reverse("catalog:resource_map", kwargs=pk), _("Map")))
    elif resource.kind == Resource.Kind.UPLOAD and resource.format == ResourceFormat.GEOJSON:
        links.append(PreviewLink("map", reverse("catalog:resource_map", kwargs=pk), _("Map")))
    if file_kind(resource):
        links.append(PreviewLink("preview", reverse("catalog:resource_preview", kwargs=pk), _("Preview")))
    return [link for link in links if link.name != exclude]


# -- the chart form ----------------------------------------------------------------------------


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


class ChartForm(Form):
    tipo = forms.ChoiceField(label=gettext_lazy("Chart"))
    grupo = forms.ChoiceField(label=gettext_lazy("Group by"))
    agregado = forms.ChoiceField(label=gettext_lazy("Figure"))
    medida = forms.ChoiceField(
        label=gettext_lazy("Of the column"),
        required=False,
        help_text=gettext_lazy("Needed for sum, average, minimum and maximum."),
    )
    orden = forms.ChoiceField(label=gettext_lazy("Order"))
    limite = forms.IntegerField(
        label=gettext_lazy("How many groups"),
        required=False,
        min_value=1,
        max_value=MAX_GROUPS,
        help_text=gettext_lazy("The largest groups; a pie shows at most 12 and adds up the rest as “Others”."),
    )
    columna = forms.ChoiceField(label=gettext_lazy("Only rows where the column"), required=False)
    operador = forms.ChoiceField(label=gettext_lazy("Condition"), required=False)
    valor = forms.CharField(label=gettext_lazy("Value"), required=False, max_length=200)

    def __init__(self, *args, columns, **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = {column.name: column for column in columns}
        names = [(column.name, column.label) for column in columns]
        unknown = {"invalid_choice": _("“%(value)s” is not a column of this table.")}
        self.fields["tipo"].choices = chart_types()
        self.fields["grupo"].choices = names
        self.fields["agregado"].choices = aggregates()
        self.fields["medida"].choices = [("", "—"), *names]
        self.fields["orden"].choices = sorts()
        self.fields["columna"].choices = [("", "—"), *names]
        self.fields["operador"].choices = filter_operators()
        for name in ("grupo", "medida", "columna"):
            self.fields[name].error_messages.update(unknown)

    def groups(self):
        return [
            (_("What to draw"), [self[name] for name in ("tipo", "grupo", "agregado", "medida", "orden", "limite")]),
            (_("Filter the rows (optional)"), [self[name] for name in ("columna", "operador", "valor")]),
        ]

    def clean(self):
        data = super().clean()
        func, measure, kind = data.get("agregado"), data.get("medida"), data.get("tipo")
        if func and func != "count":
            column = self.columns.get(measure or "")
            if column is None:
                if "medida" not in self.errors:
                    self.add_error("medida", _("Choose the column to add up, average or compare."))
            elif func in ("sum", "avg") and column.type not in NUMERIC:
                self.add_error(
                    "medida",
                    _(
                        "“%(column)s” is not a number column, so it cannot be added up or averaged. Count the rows or choose a number column."
                    )
                    % {"column": column.label},
                )
            elif column.type == "boolean":
                self.add_error(
                    "medida", _("“%(column)s” holds yes/no values: count the rows instead.") % {"column": column.label}
                )
        if kind == "pie" and func in ("avg", "min", "max"):
            self.add_error("agregado", _("A pie shows the parts of a whole: use the number of rows or a sum."))
        if kind == "pie" and (data.get("limite") or 0) > MAX_SLICES:
            data["limite"] = MAX_SLICES  # more slices could not be told apart; the rest go to "Others"
        if not data.get("limite") and kind in DEFAULT_GROUPS:
            data["limite"] = DEFAULT_GROUPS[kind]
        return data


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
        words = column.name.lower().replace("-", "_").split("_")
        return column.name != exclude and not any(word in _NOT_A_MEASURE for word in words)

    for wanted in ("decimal", "integer"):
        for column in columns:
            if column.type == wanted and looks_like_a_measure(column) and column.stats.distinct > 1:
                return column.name
    return ""


def _default_figure(columns, group: str) -> dict[str, str]:
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


# -- building a chart -------------------------------------------------------------------------


def _table_or_404(request, pk):
    resource = get_object_or_404(loading.public_table_resources(request.government).select_related("dataset"), pk=pk)
    table = loading.resource_table(resource)
    if table is None:
        raise Http404
    return resource, table, loading.columns_for(table, loading.column_dictionary(resource))


def _filters(data) -> tuple:
    column, op, value = data.get("columna"), data.get("operador") or "eq", data.get("valor", "")
    if column and (value or op == "isnull"):
        return (datastore.Filter(column, op, value),)
    return ()


def _params(data) -> dict[str, str]:
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


def _run_chart(table, columns, data) -> ChartResult:
    by_name = {column.name: column for column in columns}
    kind, func, group = data["tipo"], data["agregado"], data["grupo"]
    measure = data.get("medida") if func != "count" else None
    aggregate = datastore.Aggregate(func, measure or None)
    filters = _filters(data)
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
    places = charts.decimals_for(point.value for point in points)
    table_rows = [
        {
            "label": point.label,
            "value": charts.format_number(point.value, decimals=places),
            "share": charts.format_percent(point.number / total) if kind == "pie" and total else "",
            "others": point.others,
        }
        for point in points
    ]
    description = describe(kind, points, group_text, filters, by_name, len(rows), result.truncated)
    return ChartResult(points, title, description, measure_text, group_text, len(rows), result.truncated, table_rows)


def describe(kind, points, group_text, filters, by_name, groups_total, truncated) -> str:
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
                "high_value": charts.format_number(high.value),
                "low": low.label,
                "low_value": charts.format_number(low.value),
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


def _chart(request, pk):
    """(resource, table, columns, form, chart result or None, error, params)."""
    resource, table, columns = _table_or_404(request, pk)
    group = default_group(columns)
    defaults = {"tipo": "bar", "grupo": group, "orden": "-valor"}
    if not any(name in request.GET for name in ("agregado", "medida")):
        defaults.update(_default_figure(columns, group))
    else:
        defaults["agregado"] = "count"
    chosen = {name: request.GET.get(name, "")[:200] for name in CHART_FIELDS if name in request.GET}
    if chosen.get("tipo") == "line" and "orden" not in chosen:
        chosen["orden"] = "etiqueta"
    defaults["limite"] = str(DEFAULT_GROUPS.get(chosen.get("tipo", "bar"), DEFAULT_GROUPS["bar"]))
    form = ChartForm({**defaults, **chosen}, columns=columns)
    result = None
    if form.is_valid():
        params = _params(form.cleaned_data)
        try:
            result = _run_chart(table, columns, form.cleaned_data)
        except datastore.QueryError as exc:
            form.add_error(None, exc.user_message)
        except datastore.TableNotFound as exc:
            raise Http404 from exc
    else:
        params = _params({**defaults, **chosen})
    return resource, table, columns, form, result, params


def _chart_context(request, resource, form, result, params) -> dict:
    query = "?" + urlencode(params)
    pk = {"pk": resource.pk}
    chart_url = reverse("catalog:resource_chart", kwargs=pk) + query
    embed_url = reverse("catalog:resource_chart_embed", kwargs=pk) + query
    context = {
        "resource": resource,
        "dataset": resource.dataset,
        "form": form,
        "result": result,
        "chart": charts.build(params["tipo"], result.data) if result and result.data else None,
        "params": params,
        "permalink": request.build_absolute_uri(chart_url),
        "chart_url": chart_url,
        "embed_url": request.build_absolute_uri(embed_url),
        "svg_url": reverse("catalog:resource_chart_svg", kwargs=pk) + query,
        "csv_url": reverse("catalog:resource_chart_csv", kwargs=pk) + query,
        "previews": preview_links(resource, exclude="chart"),
    }
    if result:
        api = {"_group_by": params["grupo"], "_limit": datastore.MAX_LIMIT}
        api["_agg"] = (
            params["agregado"] if params["agregado"] == "count" else f"{params['agregado']}:{params['medida']}"
        )
        if params.get("columna"):
            op = params.get("operador", "eq")
            api[params["columna"] if op == "eq" else f"{params['columna']}__{op}"] = params.get("valor", "")
        context["api_url"] = reverse("catalog-api:resource_data", kwargs=pk) + "?" + urlencode(api)
        height = (context["chart"]["height"] if context["chart"] else 200) + 170
        # Built escaped here, then shown escaped again as text: what people copy is valid HTML.
        context["embed_code"] = str(
            format_html(
                '<iframe src="{}" title="{}" width="100%" height="{}" loading="lazy"></iframe>',
                context["embed_url"],
                result.title,
                height,
            )
        )
    return context


@usage.counted
@public_page
def resource_chart(request, pk):
    resource, _table, _columns, form, result, params = _chart(request, pk)
    context = _chart_context(request, resource, form, result, params)
    response = render(request, "catalog/previews/chart.html", context, status=200 if result else 400)
    return usage.note(response, usage.Kind.PREVIEW, resource.dataset_id, resource.pk)


@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
@usage.counted
@public_page
def resource_chart_embed(request, pk):
    """The chart alone, for other sites' pages: the only view that any site may frame."""
    resource, _table, _columns, form, result, params = _chart(request, pk)
    context = _chart_context(request, resource, form, result, params)
    response = render(request, "catalog/previews/chart_embed.html", context, status=200 if result else 400)
    return usage.note(response, usage.Kind.PREVIEW, resource.dataset_id, resource.pk)


@public_page
def resource_chart_svg(request, pk):
    resource, _table, _columns, form, result, params = _chart(request, pk)
    if not result or not result.data:
        return HttpResponse(_("This chart cannot be drawn with these options."), status=400, content_type="text/plain")
    context = _chart_context(request, resource, form, result, params)
    response = render(request, "catalog/previews/chart_file.svg", context, content_type="image/svg+xml")
    response["Content-Disposition"] = f'attachment; filename="{resource.dataset.slug}-{resource.pk}-grafico.svg"'
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _plain(value) -> str:
    """A number as software reads it: point decimals, no grouping, no trailing zeros."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


@public
def resource_chart_csv(request, pk):
    resource, _table, _columns, form, result, params = _chart(request, pk)
    if not result:
        return HttpResponse(_("This chart cannot be drawn with these options."), status=400, content_type="text/plain")
    rows = [(point.label, _plain(point.value)) for point in result.data]
    response = csv_response(f"{resource.dataset.slug}-{resource.pk}-grafico.csv", [result.group, result.measure], rows)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# -- maps ---------------------------------------------------------------------------------


class DpaForm(Form):
    dpa = forms.ChoiceField(label=gettext_lazy("Column with the DPA code"))
    agregado = forms.ChoiceField(label=gettext_lazy("Figure"))
    medida = forms.ChoiceField(label=gettext_lazy("Of the column"), required=False)

    def __init__(self, *args, columns, dpa_columns, **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = {column.name: column for column in columns}
        self.fields["dpa"].choices = [(name, self.columns[name].label) for name in dpa_columns]
        self.fields["agregado"].choices = aggregates()
        self.fields["medida"].choices = [("", "—")] + [(c.name, c.label) for c in columns if c.type in NUMERIC]
        self.fields["medida"].error_messages["invalid_choice"] = _("“%(value)s” is not a number column of this table.")

    def groups(self):
        return [(_("What to show"), list(self))]

    def clean(self):
        data = super().clean()
        if data.get("agregado") not in (None, "count") and not data.get("medida") and "medida" not in self.errors:
            self.add_error("medida", _("Choose the number column to add up, average or compare."))
        return data


def _geojson_map(resource) -> tuple[dict | None, list, str]:
    if resource.size and resource.size > maps.GEOJSON_MAX_BYTES:
        return None, [], _("The file is too large to draw here; download it to open it in a GIS program.")
    try:
        with resource.file.open("rb") as handle:
            raw = handle.read(maps.GEOJSON_MAX_BYTES + 1)
        features = maps.parse_geojson(raw)
    except FileNotFoundError as exc:
        raise Http404 from exc
    except maps.MapError as exc:
        return None, [], str(exc)
    return maps.draw(features), features, ""


def _points_map(table, columns, coords) -> tuple[dict | None, list, int]:
    lat, lon = coords
    label = maps.name_column(columns, exclude=coords)
    wanted = (lat, lon) + ((label,) if label else ())
    spec = datastore.QuerySpec(
        columns=wanted,
        filters=(datastore.Filter(lat, "isnull", False), datastore.Filter(lon, "isnull", False)),
        limit=maps.POINT_ROWS,
    )
    result = datastore.run_query(table_id=table.table_id, spec=spec)
    features = []
    for row in result.rows:
        y, x = float(row[1]), float(row[2])
        if not (-90 <= y <= 90 and -180 <= x <= 180):
            continue
        name = str(row[3]) if label and row[3] not in (None, "") else _("Row %(number)s") % {"number": row[0]}
        features.append(maps.Feature(name=name, kind="point", parts=[[(x, y)]]))
    return (maps.draw(features) if features else None), features, result.total or 0


def _dpa_map(request, table, columns, dpa_names):
    defaults = {"dpa": dpa_names[0], "agregado": "count"}
    chosen = {name: request.GET.get(name, "")[:100] for name in ("dpa", "agregado", "medida") if name in request.GET}
    if not any(name in chosen for name in ("agregado", "medida")):
        defaults.update(_default_figure(columns, chosen.get("dpa") or dpa_names[0]))
    form = DpaForm({**defaults, **chosen}, columns=columns, dpa_columns=dpa_names)
    context = {"dpa_form": form}
    if not form.is_valid():
        return context
    data = form.cleaned_data
    func, measure = data["agregado"], data.get("medida") or None
    if func == "count":
        measure = None
    aggregates_ = [datastore.Aggregate(func, measure)]
    if func == "avg":
        aggregates_.append(datastore.Aggregate("count", measure))
    spec = datastore.QuerySpec(group_by=(data["dpa"],), aggregates=tuple(aggregates_), limit=datastore.MAX_LIMIT)
    try:
        result = datastore.run_query(table_id=table.table_id, spec=spec)
    except datastore.QueryError as exc:
        form.add_error(None, exc.user_message)
        return context
    groups = [(row[0], row[1], row[2] if func == "avg" else 1) for row in result.rows]
    by_name = {column.name: column for column in columns}
    title = measure_title(func, by_name[measure].label if measure else "")
    # Codes of one level are kept as they are when the government publishes their boundaries,
    # or when they are the cantons or parishes of one province (a grid of the territories);
    # otherwise they are counted in their provinces.
    codes = {code for code in map(maps.dpa_code, (g[0] for g in groups)) if code}
    levels = {len(code) for code in codes}
    one_level = len(levels) == 1
    areas = registry.dpa_areas(request.government, codes) if one_level else {}
    drawn_on_areas = bool(areas) and 2 * len(areas) >= len(codes)
    finer_than_provinces = one_level and levels != {2}
    in_one_province = finer_than_provinces and len({code[:2] for code in codes}) == 1
    provinces = not (finer_than_provinces and (drawn_on_areas or in_one_province))
    values = maps.combine(groups, func, provinces=provinces)
    drawn = []
    for code, area in areas.items() if drawn_on_areas else ():
        feature = maps.area_feature(area.name, area.geometry)
        if code in values and feature is not None:
            values[code].name = area.name
            drawn.append((feature, code, values[code].value))
    if drawn:
        context.update(
            dpa_drawing=maps.area_choropleth(drawn, charts.format_number),
            dpa_sources=sorted({area.source for area in areas.values() if area.source}),
            dpa_not_drawn=len(values) - len(drawn),
        )
    elif not provinces:
        _name_territories(table, columns, data["dpa"], values)
        items = [maps.TerritoryValue(v.code, v.name, v.value) for v in values.values()]
        context["grid"] = maps.territory_grid(items, charts.format_number)
    else:
        context["grid"] = maps.province_grid(values, charts.format_number)
    context.update(
        dpa_title=(_("%(measure)s by province") if provinces else _("%(measure)s by territory")) % {"measure": title},
        dpa_measure=title,
        dpa_provinces=provinces,
        dpa_rows=[
            {"code": v.code, "name": v.name, "value": charts.format_number(v.value)}
            for v in sorted(values.values(), key=lambda v: v.code)
        ],
        dpa_truncated=result.truncated,
    )
    return context


def _name_territories(table, columns, dpa_column: str, values: dict) -> None:
    """Cantons and parishes without a published boundary take their name from the table's name
    column (the most frequent spelling per code); the code stays when there is none."""
    label = maps.name_column(columns, exclude=(dpa_column,))
    if not label or not values:
        return
    spec = datastore.QuerySpec(
        group_by=(dpa_column, label), aggregates=(datastore.Aggregate("count", None),), limit=datastore.MAX_LIMIT
    )
    try:
        rows = datastore.run_query(table_id=table.table_id, spec=spec).rows
    except datastore.QueryError:
        return
    best: dict[str, tuple[int, str]] = {}
    for raw, name, count in rows:
        code = maps.dpa_code(raw)
        if code in values and name not in (None, "") and count > best.get(code, (0, ""))[0]:
            best[code] = (count, str(name)[:120])
    for code, (_count, name) in best.items():
        values[code].name = name


@usage.counted
@public_page
def resource_map(request, pk):
    resource = get_object_or_404(selectors.public_resources(request.government).select_related("dataset"), pk=pk)
    context = {"resource": resource, "dataset": resource.dataset, "list_limit": maps.LIST_LIMIT}
    if resource.kind == Resource.Kind.UPLOAD and resource.format == ResourceFormat.GEOJSON and resource.file:
        drawing, features, error = _geojson_map(resource)
        context.update(drawing=drawing, features=features[: maps.LIST_LIMIT], feature_total=len(features), error=error)
    elif resource.is_tabular:
        table = loading.resource_table(resource)
        if table is None:
            raise Http404
        columns = loading.columns_for(table, loading.column_dictionary(resource))
        coords = maps.coordinate_columns(table.columns)
        dpa_names = maps.dpa_columns(table.columns)
        if not coords and not dpa_names:
            raise Http404
        if coords:
            drawing, features, total = _points_map(table, columns, coords)
            context.update(
                drawing=drawing,
                features=features[: maps.LIST_LIMIT],
                feature_total=len(features),
                point_rows=total,
                coordinate_labels=[c.label for c in columns if c.name in coords],
            )
        if dpa_names:
            context.update(_dpa_map(request, table, columns, dpa_names))
    else:
        raise Http404
    context["previews"] = preview_links(resource, exclude="map")
    response = render(request, "catalog/previews/map.html", context)
    return usage.note(response, usage.Kind.PREVIEW, resource.dataset_id, resource.pk)


# -- image and PDF previews ------------------------------------------------------------------


def _inline_type(resource) -> str | None:
    try:
        with resource.file.open("rb") as handle:
            head = handle.read(16)
    except FileNotFoundError:
        return None
    return sniff_inline_type(head)


@usage.counted
@public_page
def resource_preview(request, pk):
    resource = get_object_or_404(selectors.public_resources(request.government).select_related("dataset"), pk=pk)
    kind = file_kind(resource)
    if kind is None:
        raise Http404
    content_type = _inline_type(resource)
    matches = content_type is not None and (content_type == "application/pdf") == (kind == "pdf")
    context = {
        "resource": resource,
        "dataset": resource.dataset,
        "kind": kind if matches else None,
        "inline_url": reverse("catalog:resource_inline", kwargs={"pk": resource.pk}),
        "alt": resource.description or resource.title,
        "previews": preview_links(resource, exclude="preview"),
    }
    response = render(request, "catalog/previews/preview.html", context)
    return usage.note(response, usage.Kind.PREVIEW, resource.dataset_id, resource.pk)


@public
@xframe_options_sameorigin
def resource_inline(request, pk):
    """PDFs and raster images for the preview page, inline and framable by this site only.
    Anything else — SVG and HTML included — is only ever downloaded as an attachment."""
    resource = get_object_or_404(selectors.public_resources(request.government), pk=pk)
    if file_kind(resource) is None:
        raise Http404
    content_type = _inline_type(resource)
    if content_type is None:
        raise Http404
    response = FileResponse(resource.file.open("rb"), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(False, resource.original_name or str(resource.pk))
    response["X-Content-Type-Options"] = "nosniff"
    if content_type == "application/pdf":
        response["Content-Security-Policy"] = "default-src 'none'; object-src 'self'; frame-ancestors 'self'"
    else:
        response["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'self'; sandbox"
    return response
