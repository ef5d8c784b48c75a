"""OGC API – Features, Part 1 (OGC 17-069r4): landing page, conformance, collections, items with
bbox/limit/offset and property filters, single items; GeoJSON, with an HTML representation for
people (``f=html`` or a browser's Accept header) and an OpenAPI 3.0 description.

Collections are the government's public layers and the map layers other modules lend (the
public works). Everything is public data of the request's government; a private layer or
another government's layer answers 404 like one that does not exist."""

from __future__ import annotations

import datetime as dt
import math
from urllib.parse import urlencode

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from minga.core.access import public

from .. import selectors
from ..selectors import Collection

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
]
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
GEOJSON = "application/geo+json"
JSON = "application/json"
HTML = "text/html"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
LIMIT_DEFAULT = 10
LIMIT_MAX = 1000
OFFSET_MAX = 1_000_000
RESERVED = {"f", "limit", "offset", "bbox", "bbox-crs", "datetime"}


class BadRequest(Exception):
    pass


def _render(request, template: str, context: dict, status: int = 200):
    # These pages live under the "geo-ogc" instance of the "geo" app namespace; {% url "geo:…" %}
    # (the site menu among them) must resolve to the geovisor's own instance.
    request.current_app = "geo"
    json_query = urlencode({**request.GET.dict(), "f": "json"})
    context = {"geovisor_url": reverse("geo:map"), "json_url": f"{request.path}?{json_query}", **context}
    collection = context.get("collection")
    if collection is not None and collection.layer is not None:
        context["layer_url"] = reverse("geo:layer_detail", kwargs={"slug": collection.layer.slug})
    return render(request, template, context, status=status)


def _wants_html(request) -> bool:
    chosen = request.GET.get("f", "").lower()
    if chosen in ("json", "geojson"):
        return False
    if chosen == "html":
        return True
    if chosen:
        raise BadRequest(_("The format “%(f)s” is not offered: use f=json or f=html.") % {"f": chosen[:20]})
    accept = request.headers.get("Accept", "")
    html_at, json_at = accept.find(HTML), max(accept.find("json"), accept.find(GEOJSON))
    return html_at >= 0 and (json_at < 0 or html_at < json_at)


def _url(request, name: str, query: dict | None = None, **kwargs) -> str:
    address = request.build_absolute_uri(reverse(f"geo-ogc:{name}", kwargs=kwargs or None))
    return f"{address}?{urlencode(query)}" if query else address


def _self_links(request, name: str, media: str, title: str, **kwargs) -> list[dict]:
    return [
        {"href": _url(request, name, {"f": "json"}, **kwargs), "rel": "self", "type": media, "title": title},
        {"href": _url(request, name, {"f": "html"}, **kwargs), "rel": "alternate", "type": HTML, "title": title},
    ]


def _json(data: dict, media: str = JSON, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = media
    return response


def _error(request, status: int, code: str, message: str):
    if request.GET.get("f") == "html" or (request.GET.get("f") is None and HTML in request.headers.get("Accept", "")):
        return _render(request, "geo/ogc/error.html", {"message": message, "status": status}, status=status)
    return _json({"code": code, "description": message}, status=status)


def ogc_view(view):
    """Errors of the OGC API in its own shape: {"code", "description"} with 400 or 404."""

    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except BadRequest as exc:
            return _error(request, 400, "InvalidParameterValue", str(exc))
        except Http404 as exc:
            return _error(request, 404, "NotFound", str(exc) or _("Not found."))

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return public(wrapped)


def _collection_or_404(request, collection_id: str) -> Collection:
    found = selectors.public_collection(request.government, collection_id)
    if found is None:
        raise Http404(_("There is no public collection “%(id)s”.") % {"id": collection_id[:80]})
    return found


def _collection_json(request, collection: Collection) -> dict:
    data = {
        "id": collection.id,
        "title": collection.title,
        "description": collection.description,
        "itemType": "feature",
        "crs": [CRS84],
        "storageCrs": CRS84,
        "links": [
            *_self_links(request, "collection", JSON, collection.title, collection_id=collection.id),
            {
                "href": _url(request, "items", {"f": "json"}, collection_id=collection.id),
                "rel": "items",
                "type": GEOJSON,
                "title": collection.title,
            },
            {
                "href": _url(request, "items", {"f": "html"}, collection_id=collection.id),
                "rel": "items",
                "type": HTML,
                "title": collection.title,
            },
        ],
    }
    if collection.bbox:
        data["extent"] = {"spatial": {"bbox": [list(collection.bbox)], "crs": CRS84}}
    if collection.licence:
        data["license"] = collection.licence
    if collection.attribution:
        data["attribution"] = collection.attribution
    return data


@ogc_view
def landing(request):
    government = request.government
    title = _("%(government)s · geovisor layers") % {"government": government.name}
    description = _("OGC API – Features of the public map layers and public works of %(government)s.") % {
        "government": government.name
    }
    data = {
        "title": title,
        "description": description,
        "links": [
            *_self_links(request, "landing", JSON, title),
            {
                "href": _url(request, "openapi", {"f": "json"}),
                "rel": "service-desc",
                "type": OPENAPI,
                "title": _("API description (OpenAPI 3.0)"),
            },
            {
                "href": _url(request, "conformance", {"f": "json"}),
                "rel": "conformance",
                "type": JSON,
                "title": _("Conformance classes"),
            },
            {
                "href": _url(request, "collections", {"f": "json"}),
                "rel": "data",
                "type": JSON,
                "title": _("Collections"),
            },
        ],
    }
    if _wants_html(request):
        return _render(request, "geo/ogc/landing.html", {"data": data, "landing_url": _url(request, "landing")})
    return _json(data)


@ogc_view
def conformance(request):
    data = {"conformsTo": CONFORMANCE}
    if _wants_html(request):
        return _render(request, "geo/ogc/conformance.html", {"data": data})
    return _json(data)


@ogc_view
def collections(request):
    found = selectors.public_collections(request.government)
    data = {
        "links": _self_links(request, "collections", JSON, _("Collections")),
        "collections": [_collection_json(request, c) for c in found],
    }
    if _wants_html(request):
        return _render(request, "geo/ogc/collections.html", {"data": data})
    return _json(data)


@ogc_view
def collection(request, collection_id: str):
    found = _collection_or_404(request, collection_id)
    data = _collection_json(request, found)
    if _wants_html(request):
        return _render(request, "geo/ogc/collection.html", {"data": data, "collection": found})
    return _json(data)


def _parse_bbox(text: str) -> tuple[float, float, float, float] | None:
    if not text:
        return None
    parts = text.split(",")
    if len(parts) not in (4, 6):
        raise BadRequest(_("bbox needs four numbers: west,south,east,north (longitude/latitude)."))
    try:
        numbers = [float(p) for p in parts]
    except ValueError as exc:
        raise BadRequest(_("bbox needs four numbers: west,south,east,north (longitude/latitude).")) from exc
    if not all(math.isfinite(n) for n in numbers):
        raise BadRequest(_("bbox needs four numbers: west,south,east,north (longitude/latitude)."))
    west, south, east, north = (numbers[0], numbers[1], numbers[3], numbers[4]) if len(numbers) == 6 else numbers
    if south > north or west > east:
        raise BadRequest(_("In bbox the south must not be above the north, nor the west east of the east."))
    return west, south, east, north


def _integer(request, name: str, default: int, low: int, high: int, *, clip: bool = False) -> int:
    text = request.GET.get(name, "")
    if text == "":
        return default
    try:
        value = int(text)
    except ValueError as exc:
        raise BadRequest(_("%(name)s must be a whole number.") % {"name": name}) from exc
    if value < low or (value > high and not clip):
        raise BadRequest(_("%(name)s must be between %(low)s and %(high)s.") % {"name": name, "low": low, "high": high})
    return min(value, high)


@ogc_view
def items(request, collection_id: str):
    found = _collection_or_404(request, collection_id)
    html = _wants_html(request)
    crs = request.GET.get("bbox-crs", "")
    if crs and crs != CRS84:
        raise BadRequest(_("Only bbox-crs %(crs)s is supported.") % {"crs": CRS84})
    bbox = _parse_bbox(request.GET.get("bbox", ""))
    limit = _integer(request, "limit", LIMIT_DEFAULT, 1, LIMIT_MAX, clip=True)
    offset = _integer(request, "offset", 0, 0, OFFSET_MAX)
    filters = {}
    queryables = set(found.queryables)
    for name, value in request.GET.items():
        if name in RESERVED:
            continue
        if name not in queryables:
            raise BadRequest(
                _("Unknown parameter “%(name)s”: it is not an attribute of this collection.") % {"name": name[:60]}
            )
        filters[name] = value
    matched, features = found.query(bbox=bbox, filters=filters, offset=offset, limit=limit)
    query = {k: v for k, v in request.GET.items() if k not in ("f", "offset")}
    links = [
        {
            "href": _url(request, "items", {**query, "offset": offset, "f": "json"}, collection_id=found.id),
            "rel": "self",
            "type": GEOJSON,
            "title": found.title,
        },
        {
            "href": _url(request, "items", {**query, "offset": offset, "f": "html"}, collection_id=found.id),
            "rel": "alternate",
            "type": HTML,
            "title": found.title,
        },
        {
            "href": _url(request, "collection", {"f": "json"}, collection_id=found.id),
            "rel": "collection",
            "type": JSON,
            "title": found.title,
        },
    ]
    pages = {}
    if offset + limit < matched:
        pages["next"] = {**query, "offset": offset + limit}
    if offset > 0:
        pages["prev"] = {**query, "offset": max(0, offset - limit)}
    for rel, page_query in pages.items():
        links.append(
            {
                "href": _url(request, "items", {**page_query, "f": "json"}, collection_id=found.id),
                "rel": rel,
                "type": GEOJSON,
                "title": found.title,
            }
        )
    data = {
        "type": "FeatureCollection",
        "features": features,
        "numberMatched": matched,
        "numberReturned": len(features),
        "timeStamp": timezone.now().astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "links": links,
    }
    if html:
        context = {
            "data": data,
            "collection": found,
            "columns": found.queryables[:8],
            "rows": [
                {
                    "id": f["id"],
                    "label": selectors.feature_label(f["properties"] or {}, f["id"]),
                    "cells": [(f["properties"] or {}).get(c) for c in found.queryables[:8]],
                }
                for f in features
            ],
            "next_url": _url(request, "items", {**pages["next"], "f": "html"}, collection_id=found.id)
            if "next" in pages
            else "",
            "prev_url": _url(request, "items", {**pages["prev"], "f": "html"}, collection_id=found.id)
            if "prev" in pages
            else "",
            "first": offset + 1 if features else 0,
            "last": offset + len(features),
        }
        return _render(request, "geo/ogc/items.html", context)
    return _json(data, GEOJSON)


@ogc_view
def item(request, collection_id: str, feature_id: str):
    found = _collection_or_404(request, collection_id)
    html = _wants_html(request)
    feature = found.get(feature_id)
    if feature is None:
        raise Http404(_("The collection has no feature “%(id)s”.") % {"id": feature_id[:40]})
    feature = {
        **feature,
        "links": [
            *_self_links(request, "item", GEOJSON, found.title, collection_id=found.id, feature_id=feature_id),
            {
                "href": _url(request, "collection", {"f": "json"}, collection_id=found.id),
                "rel": "collection",
                "type": JSON,
                "title": found.title,
            },
        ],
    }
    if html:
        label = selectors.feature_label(feature["properties"] or {}, feature["id"])
        return _render(request, "geo/ogc/item.html", {"feature": feature, "collection": found, "label": label})
    return _json(feature, GEOJSON)


def _parameter(name: str, description: str, schema: dict, location: str = "query", required: bool = False) -> dict:
    return {
        "name": name,
        "in": location,
        "description": description,
        "required": required,
        "schema": schema,
        "style": "form",
        "explode": False,
    }


@ogc_view
def openapi(request):
    """The service description QGIS and OWSLib read (rel=service-desc)."""
    government = request.government
    ids = [c.id for c in selectors.public_collections(government)]
    base = request.build_absolute_uri(reverse("geo-ogc:landing")).rstrip("/")
    collection_id = _parameter(
        "collectionId", _("Identifier of a collection"), {"type": "string", "enum": ids or [""]}, "path", True
    )
    json_content = {JSON: {"schema": {"type": "object"}}}
    geojson_content = {GEOJSON: {"schema": {"type": "object"}}}
    fmt = _parameter("f", _("Format of the answer"), {"type": "string", "enum": ["json", "html"]})
    data = {
        "openapi": "3.0.3",
        "info": {
            "title": _("%(government)s · geovisor layers") % {"government": government.name},
            "version": "1.0.0",
            "description": _("OGC API – Features, Part 1, of the public map layers and public works."),
        },
        "servers": [{"url": base}],
        "paths": {
            "/": {
                "get": {
                    "summary": _("Landing page"),
                    "operationId": "getLandingPage",
                    "parameters": [fmt],
                    "responses": {"200": {"description": "OK", "content": json_content}},
                }
            },
            "/conformance": {
                "get": {
                    "summary": _("Conformance classes"),
                    "operationId": "getConformanceDeclaration",
                    "parameters": [fmt],
                    "responses": {"200": {"description": "OK", "content": json_content}},
                }
            },
            "/collections": {
                "get": {
                    "summary": _("Collections"),
                    "operationId": "getCollections",
                    "parameters": [fmt],
                    "responses": {"200": {"description": "OK", "content": json_content}},
                }
            },
            "/collections/{collectionId}": {
                "get": {
                    "summary": _("One collection"),
                    "operationId": "describeCollection",
                    "parameters": [collection_id, fmt],
                    "responses": {
                        "200": {"description": "OK", "content": json_content},
                        "404": {"description": _("Not found")},
                    },
                }
            },
            "/collections/{collectionId}/items": {
                "get": {
                    "summary": _("Features of a collection"),
                    "operationId": "getFeatures",
                    "parameters": [
                        collection_id,
                        _parameter(
                            "limit",
                            _("How many features (1–1000, default 10)"),
                            {"type": "integer", "minimum": 1, "maximum": LIMIT_MAX, "default": LIMIT_DEFAULT},
                        ),
                        _parameter(
                            "offset", _("How many features to skip"), {"type": "integer", "minimum": 0, "default": 0}
                        ),
                        _parameter(
                            "bbox",
                            _("west,south,east,north in longitude/latitude (CRS84)"),
                            {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}},
                        ),
                        _parameter(
                            "datetime", _("Accepted and ignored: the layers have no time dimension"), {"type": "string"}
                        ),
                        fmt,
                    ],
                    "responses": {
                        "200": {"description": "OK", "content": geojson_content},
                        "400": {"description": _("Invalid parameter")},
                        "404": {"description": _("Not found")},
                    },
                }
            },
            "/collections/{collectionId}/items/{featureId}": {
                "get": {
                    "summary": _("One feature"),
                    "operationId": "getFeature",
                    "parameters": [
                        collection_id,
                        _parameter("featureId", _("Identifier of the feature"), {"type": "string"}, "path", True),
                        fmt,
                    ],
                    "responses": {
                        "200": {"description": "OK", "content": geojson_content},
                        "404": {"description": _("Not found")},
                    },
                }
            },
        },
    }
    if _wants_html(request):
        return _render(request, "geo/ogc/openapi.html", {"data": data})
    return _json(data, OPENAPI)
