"""Public pages of the geovisor: the map (server-drawn SVG plus tables; Leaflet on top when
JavaScript runs), the layer catalogue, each layer's page and its downloads. Only public layers
of the request's government reach these views."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import urlencode, urlsplit

import shapely
import shapely.geometry
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from minga.core.exports import safe_cell
from minga.core.registry import module_settings
from minga.core.ui.page_cache import public_page

from .. import mapdata, selectors

PAGE_SIZE = 50


def _tiles(government) -> dict:
    values = module_settings(government, "geo")
    url = str(values.get("tile_url") or "").strip()
    if url and not url.startswith("https://") and not url.startswith("http://"):
        url = ""
    return {"url": url, "attribution": str(values.get("tile_attribution") or "")}


def _allow_tiles(response, tiles: dict):
    """The strict CSP only allows images from this site; a configured tile server is added for
    the map pages alone."""
    if tiles["url"]:
        # "{s}" is Leaflet's subdomain placeholder (a., b., c.): CSP's host wildcard covers it.
        parts = urlsplit(tiles["url"].replace("{s}", "subdomain"))
        host = parts.netloc.replace("subdomain", "*")
        response._csp_update = {"img-src": [f"{parts.scheme}://{host}"]}
    return response


def _selection(request, collections, choropleths):
    """Which collections and which choropleth the visitor chose (all layers by default)."""
    keys = [c.id for c in collections]
    chosen = [key for key in request.GET.getlist("capa") if key in keys] if request.GET.get("elegir") else keys
    slugs = {c.slug: c for c in choropleths}
    choropleth = slugs.get(request.GET.get("coropleta", ""))
    return chosen, choropleth


def _items(request):
    government = request.government
    collections = selectors.public_collections(government)
    choropleths = list(selectors.public_choropleths(government))
    chosen, choropleth = _selection(request, collections, choropleths)
    items = []
    for collection in collections:
        if collection.id not in chosen:
            continue
        if choropleth is not None and collection.layer is not None and collection.layer.pk == choropleth.layer_id:
            continue  # drawn once, in the choropleth's colours
        items.append(mapdata.collection_item(len(items), collection))
    if choropleth is not None:
        items.insert(0, mapdata.choropleth_item(len(items), choropleth))
        for index, item in enumerate(items):  # keep DOM ids in step with positions
            item.index = index
    return collections, choropleths, chosen, choropleth, items


@public_page
def map_page(request):
    collections, choropleths, chosen, choropleth, items = _items(request)
    tiles = _tiles(request.government)
    query = request.GET.urlencode()
    context = {
        "collections": collections,
        "choropleths": choropleths,
        "chosen": chosen,
        "choropleth": choropleth,
        "items": items,
        "drawing": mapdata.drawing(items),
        "feature_total": sum(item.total for item in items),
        "data_url": reverse("geo:map_data") + (f"?{query}" if query else ""),
        "tiles": tiles,
        "table_rows": mapdata.TABLE_ROWS,
    }
    return _allow_tiles(render(request, "geo/map.html", context), tiles)


@public_page
def map_data(request):
    """The same layers as the map page, for the Leaflet island."""
    _collections, _choropleths, _chosen, _choropleth, items = _items(request)
    tiles = _tiles(request.government)
    data = {"tiles": tiles, "layers": [item.as_json() for item in items]}
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "separators": (",", ":")})


@public_page
def layer_list(request):
    government = request.government
    context = {
        "layers": selectors.public_layers(government),
        "lent": selectors.lent_layers(government),
        "choropleths": selectors.public_choropleths(government),
    }
    return render(request, "geo/layer_list.html", context)


def _public_layer(request, slug):
    return get_object_or_404(selectors.public_layers(request.government), slug=slug)


@public_page
def layer_detail(request, slug):
    layer = _public_layer(request, slug)
    collection = selectors.public_collection(request.government, layer.slug)
    item = mapdata.collection_item(0, collection)
    rows = selectors.layer_features(layer)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("pagina"))
    columns = mapdata.without_name_columns(layer.properties or [])[:10]
    table = [
        {
            "number": row.number,
            "label": selectors.feature_label(row.properties, row.number),
            "cells": [mapdata._display(row.properties.get(c)) for c in columns],
        }
        for row in page
    ]
    tiles = _tiles(request.government)
    context = {
        "layer": layer,
        "item": item,
        "items": [item],
        "drawing": mapdata.drawing([item]),
        "feature_total": item.total,
        "page": page,
        "columns": columns,
        "column_labels": [layer.label_of(c) for c in columns],
        "table": table,
        "choropleths": [c for c in selectors.public_choropleths(request.government) if c.layer_id == layer.pk],
        "ogc_url": request.build_absolute_uri(reverse("geo-ogc:collection", kwargs={"collection_id": layer.slug})),
        "ogc_landing": request.build_absolute_uri(reverse("geo-ogc:landing")),
        "data_url": reverse("geo:map_data") + "?" + urlencode({"elegir": 1, "capa": layer.slug}),
        "tiles": tiles,
    }
    return _allow_tiles(render(request, "geo/layer_detail.html", context), tiles)


def _feature_collection(layer) -> dict:
    return {
        "type": "FeatureCollection",
        "name": layer.slug,
        "features": [selectors.as_feature(row) for row in selectors.layer_features(layer)],
    }


@public_page
def layer_geojson(request, slug):
    layer = _public_layer(request, slug)
    body = json.dumps(_feature_collection(layer), ensure_ascii=False, separators=(",", ":"))
    response = HttpResponse(body.encode("utf-8"), content_type="application/geo+json")
    response["Content-Disposition"] = f'attachment; filename="{layer.slug}.geojson"'
    return response


def _csv_cell(value) -> str:
    """Numbers stay numbers (a negative longitude is not a formula); text is neutralised."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return safe_cell(value)


@public_page
def layer_csv(request, slug):
    layer = _public_layer(request, slug)
    mode = request.GET.get("geometria", "wkt")
    if mode not in ("wkt", "lonlat"):
        raise Http404(_("Unknown geometry column format."))
    columns = list(layer.properties or [])
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    geometry_header = ["wkt"] if mode == "wkt" else ["longitud", "latitud"]
    writer.writerow([safe_cell(c) for c in ["id", *columns, *geometry_header]])
    for row in selectors.layer_features(layer):
        shape = shapely.geometry.shape(row.geometry)
        if mode == "wkt":
            geometry_cells = [shapely.to_wkt(shape, rounding_precision=7, trim=True)]
        else:
            point = shape if shape.geom_type == "Point" else shape.representative_point()
            geometry_cells = [round(point.x, 7), round(point.y, 7)]
        writer.writerow([row.number, *[_csv_cell(row.properties.get(c)) for c in columns], *geometry_cells])
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    suffix = "" if mode == "wkt" else "-lonlat"
    response["Content-Disposition"] = f'attachment; filename="{layer.slug}{suffix}.csv"'
    return response
