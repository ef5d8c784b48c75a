"""Each public layer as an open-data table for the catalog: one row per feature with its
attributes, a point inside it (longitude/latitude) and its geometry as WKT, plus the GeoJSON
as a companion file; and each public choropleth as a table of its figures by DPA code, one row
per area it colours. The services call `tables_changed` when a layer's or a choropleth's
public data changes."""

from __future__ import annotations

import json

import shapely
import shapely.geometry
from django.utils.translation import gettext as _

from minga.core.opendata import OpenDataColumn, OpenDataFile, OpenDataTable
from minga.core.tenancy.scoping import government_scope
from minga.core.ui import maps

from . import selectors


def _column_type(values: list) -> str:
    present = [v for v in values if v is not None and v != ""]
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "integer"
    if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return "number"
    if present and all(isinstance(v, bool) for v in present):
        return "boolean"
    return "text"


def _point(geometry: dict) -> tuple[float, float, str]:
    shape = shapely.geometry.shape(geometry)
    point = shape if shape.geom_type == "Point" else shape.representative_point()
    return round(point.x, 7), round(point.y, 7), shapely.to_wkt(shape, rounding_precision=7, trim=True)


def layer_table(layer) -> OpenDataTable:
    names = list(layer.properties or [])
    features = list(selectors.layer_features(layer).values_list("number", "properties", "geometry"))
    columns = (
        OpenDataColumn("id", _("Feature number"), _("Position of the feature in the layer."), "integer"),
        *[
            OpenDataColumn(
                name,
                layer.label_of(name),
                _("Attribute of the layer."),
                _column_type([f[1].get(name) for f in features]),
            )
            for name in names
        ],
        OpenDataColumn("longitud", _("Longitude"), _("WGS 84; a point inside lines and areas."), "number"),
        OpenDataColumn("latitud", _("Latitude"), _("WGS 84; a point inside lines and areas."), "number"),
        OpenDataColumn("wkt", _("Geometry (WKT)"), _("The whole geometry in WGS 84 longitude/latitude."), "text"),
    )

    def rows():
        for number, properties, geometry in features:
            yield (number, *[properties.get(name) for name in names], *_point(geometry))

    def geojson() -> bytes:
        collection = {
            "type": "FeatureCollection",
            "features": [{"type": "Feature", "id": n, "geometry": g, "properties": p} for n, p, g in features],
        }
        return json.dumps(collection, ensure_ascii=False).encode("utf-8")

    return OpenDataTable(
        key=f"geo.layer.{layer.slug}",
        module="geo",
        title=layer.title,
        summary=layer.description.split(".")[0][:200] if layer.description else layer.title,
        description=layer.description,
        columns=columns,
        rows=rows,
        theme="REGI",
        keywords=("geovisor", "mapa"),
        frequency="IRREG",
        files=(OpenDataFile(f"{layer.slug}.geojson", _("Features as GeoJSON"), geojson, "GeoJSON"),),
    )


def choropleth_table(choropleth) -> OpenDataTable:
    layer = choropleth.layer
    code_name = choropleth.join_property
    areas = []
    for number, properties, _geometry in selectors.layer_features(layer).values_list(
        "number", "properties", "geometry"
    ):
        code = str(properties.get(code_name))
        if code in choropleth.values:
            areas.append((code, maps.feature_name(properties, number), choropleth.values[code]))
    areas.sort()
    columns = (
        OpenDataColumn(
            code_name, _("DPA code"), _("Code of the area in the DPA (political-administrative division)."), "text"
        ),
        OpenDataColumn(
            "nombre", _("Area"), _("Name of the area in the layer %(layer)s.") % {"layer": layer.title}, "text"
        ),
        OpenDataColumn(
            "valor", choropleth.value_label or _("Figure"), _("The figure the map colours the area by."), "number"
        ),
    )
    return OpenDataTable(
        key=f"geo.choropleth.{choropleth.slug}",
        module="geo",
        title=choropleth.title,
        summary=_("%(title)s by area of %(layer)s, as the geovisor maps it.")
        % {"title": choropleth.title, "layer": layer.title},
        description=_("Figures of the geovisor's choropleth “%(title)s”, one row per area of the layer %(layer)s.")
        % {"title": choropleth.title, "layer": layer.title},
        columns=columns,
        rows=lambda: iter(areas),
        theme="REGI",
        keywords=("geovisor", "mapa", "dpa"),
        frequency="IRREG",
    )


def tables(government) -> list[OpenDataTable]:
    """Called through core by the catalog's jobs: it enters the government's scope itself, and
    every table reads its rows here, inside it."""
    with government_scope(government):
        return [layer_table(layer) for layer in selectors.public_layers(government)] + [
            choropleth_table(choropleth) for choropleth in selectors.public_choropleths(government)
        ]
