"""Previews of a resource for people: a chart builder over the loaded table (with a permalink,
an embeddable variant, the SVG and the chart's data as CSV), a map (GeoJSON files, tables with
latitude/longitude, figures per province from DPA codes) and image/PDF previews.

Everything is rendered on the server from GET forms and allowlists (the datastore engine
checks every column and aggregate again), so pages work without JavaScript, are cacheable and
carry no inline script or style. Only the embeddable chart may be framed by other sites."""

from __future__ import annotations

from urllib.parse import urlencode

from csp.decorators import csp_replace
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt, xframe_options_sameorigin

from minga import datastore
from minga.core import registry
from minga.core.access import public
from minga.core.exports import csv_response
from minga.core.ui import charts, maps
from minga.core.ui.page_cache import public_page

from ...datasets import selectors
from ...datasets.models import Resource, ResourceFormat
from ...usage import services as usage
from .. import selectors as table_selectors
from ..charts import (
    CHART_FIELDS,
    DEFAULT_GROUPS,
    chart_params,
    default_figure,
    default_group,
    measure_title,
    plain_number,
    run_chart,
)
from ..forms import ChartForm, DpaForm
from ..selectors import file_kind, preview_links, sniff_inline_type

# -- charts ---------------------------------------------------------------------------------


def _table_or_404(request, pk):
    resource = get_object_or_404(table_selectors.public_table_resources(request.government).select_related("dataset"), pk=pk)
    table = table_selectors.resource_table(resource)
    if table is None:
        raise Http404
    return resource, table, table_selectors.columns_for(table, table_selectors.column_dictionary(resource))


def _chart(request, pk):
    """(resource, table, columns, form, chart result or None, error, params)."""
    resource, table, columns = _table_or_404(request, pk)
    group = default_group(columns)
    defaults = {"tipo": "bar", "grupo": group, "orden": "-valor"}
    if not any(name in request.GET for name in ("agregado", "medida")):
        defaults.update(default_figure(columns, group))
    else:
        defaults["agregado"] = "count"
    chosen = {name: request.GET.get(name, "")[:200] for name in CHART_FIELDS if name in request.GET}
    if chosen.get("tipo") == "line" and "orden" not in chosen:
        chosen["orden"] = "etiqueta"
    defaults["limite"] = str(DEFAULT_GROUPS.get(chosen.get("tipo", "bar"), DEFAULT_GROUPS["bar"]))
    form = ChartForm({**defaults, **chosen}, columns=columns)
    result = None
    if form.is_valid():
        params = chart_params(form.cleaned_data)
        try:
            result = run_chart(table, columns, form.cleaned_data)
        except datastore.QueryError as exc:
            form.add_error(None, exc.user_message)
        except datastore.TableNotFound as exc:
            raise Http404 from exc
    else:
        params = chart_params({**defaults, **chosen})
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


@public
def resource_chart_csv(request, pk):
    resource, _table, _columns, form, result, params = _chart(request, pk)
    if not result:
        return HttpResponse(_("This chart cannot be drawn with these options."), status=400, content_type="text/plain")
    rows = [(point.label, plain_number(point.value)) for point in result.data]
    response = csv_response(f"{resource.dataset.slug}-{resource.pk}-grafico.csv", [result.group, result.measure], rows)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# -- maps ---------------------------------------------------------------------------------


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
        defaults.update(default_figure(columns, chosen.get("dpa") or dpa_names[0]))
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
        table = table_selectors.resource_table(resource)
        if table is None:
            raise Http404
        columns = table_selectors.columns_for(table, table_selectors.column_dictionary(resource))
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
