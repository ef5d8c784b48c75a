"""What a map shows, built once for both renderings: the server-side SVG (core/ui/maps.py
geometry) with its tables, and the JSON the Leaflet island draws. Each drawn feature has a DOM
id ("<layer index>-<feature index>") shared by the SVG shape, its table row and the Leaflet
feature, so the "Show on the map" buttons work in both."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from minga.core.ui import maps

from . import selectors, styling
from .selectors import Collection

TABLE_COLUMNS = 4
TABLE_ROWS = 500
LINE_KINDS = {"LineString": "line", "MultiLineString": "line"}
AREA_KINDS = {"Polygon": "area", "MultiPolygon": "area"}


# Attributes that name a feature: the tables show them once, as the row's name.
NAME_COLUMNS = ("nombre", "name", "title", "titulo")


def without_name_columns(columns) -> list[str]:
    return [c for c in columns if str(c).lower() not in NAME_COLUMNS]


@dataclass
class MapItem:
    index: int
    key: str
    title: str
    url: str
    legend: list[styling.LegendEntry]
    features: list[dict]
    colours: list[str]
    labels: list[str]
    columns: list[str] = field(default_factory=list)
    # property -> label from the layer's data dictionary, in the order pop-ups show them; a
    # lent layer with labels shows only those
    labels_of: dict[str, str] = field(default_factory=dict)
    only_labelled: bool = False
    legend_label: str = ""  # the attribute the colours stand for
    value_label: str = ""
    values: list[str] = field(default_factory=list)  # choropleth figures, formatted
    total: int = 0

    @property
    def column_labels(self) -> list[str]:
        return [self.labels_of.get(c) or c for c in self.columns]

    def popup_properties(self, properties: dict) -> dict:
        """Label -> value in the page's language, as pop-ups show them."""
        names = [name for name in self.labels_of if name in properties] if self.only_labelled else list(properties)
        shown = {}
        for name in names[:12]:
            shown[str(self.labels_of.get(name) or name)[:80]] = _display(properties.get(name))
        return shown

    def rows(self) -> list[dict]:
        rows = []
        for number, (feature, label, colour) in enumerate(zip(self.features, self.labels, self.colours, strict=True)):
            if number >= TABLE_ROWS:
                break
            properties = feature.get("properties") or {}
            rows.append(
                {
                    "dom_id": f"{self.index}-{number}",
                    "label": label,
                    "colour": colour,
                    "cells": [_display(properties.get(c)) for c in self.columns],
                    "value": self.values[number] if self.values else "",
                }
            )
        return rows

    @property
    def fill_opacity(self) -> float:
        # A choropleth's classes must read at full strength; other areas stay light so the
        # lines and points drawn over them remain visible.
        return 0.85 if self.values else 0.45

    @property
    def truncated(self) -> bool:
        return len(self.features) > TABLE_ROWS

    def as_json(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "legend": [{"colour": e.colour, "label": e.label} for e in self.legend],
            "features": [
                {
                    "type": "Feature",
                    "id": feature.get("id"),
                    "geometry": feature["geometry"],
                    "properties": self.popup_properties(feature.get("properties") or {}),
                    "dom": f"{self.index}-{number}",
                    "colour": colour,
                    "opacity": self.fill_opacity,
                    "label": label,
                    **({"value": self.values[number]} if self.values else {}),
                }
                for number, (feature, colour, label) in enumerate(
                    zip(self.features, self.colours, self.labels, strict=True)
                )
            ],
        }


def _display(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, float):
        return styling.format_number(value)
    return str(value)[:200]


def collection_item(index: int, collection: Collection, *, limit: int = selectors.MAP_FEATURE_LIMIT) -> MapItem:
    features = collection.all_features(limit=limit)
    properties = [f.get("properties") or {} for f in features]
    if collection.layer is not None:
        style = styling.layer_style(collection.layer, properties)
        url = ""
    else:
        style = styling.single(len(features), "#cc4c02", collection.title)
        url = collection.url
    labels = [selectors.feature_label(p, f.get("id")) for p, f in zip(properties, features, strict=True)]
    labels_of = collection.labels
    shown = list(labels_of) if collection.only_labelled else collection.queryables
    columns = without_name_columns(shown)
    legend_label = ""
    if collection.layer is not None and collection.layer.style_kind != "single" and collection.layer.style_property:
        legend_label = labels_of.get(collection.layer.style_property, "")
    return MapItem(
        index=index,
        key=collection.id,
        title=collection.title,
        url=url,
        legend=style.legend,
        features=features,
        colours=style.colours,
        labels=labels,
        columns=columns[:TABLE_COLUMNS],
        labels_of=labels_of,
        only_labelled=collection.only_labelled,
        legend_label=legend_label,
        total=len(features),
    )


def choropleth_item(index: int, choropleth) -> MapItem:
    layer = choropleth.layer
    features = [selectors.as_feature(row) for row in selectors.layer_features(layer)[: selectors.MAP_FEATURE_LIMIT]]
    codes = [str((f["properties"] or {}).get(choropleth.join_property)) for f in features]
    figures = [choropleth.values.get(code) for code in codes]
    style = styling.classes(figures)
    labels = [selectors.feature_label(f["properties"] or {}, f["id"]) for f in features]
    return MapItem(
        index=index,
        key=f"coropleta:{choropleth.slug}",
        title=choropleth.title,
        url="",
        legend=style.legend,
        features=features,
        colours=style.colours,
        labels=labels,
        columns=[choropleth.join_property],
        labels_of={name: layer.label_of(name) for name in layer.properties or []},
        value_label=choropleth.value_label,
        values=["—" if v is None else styling.format_number(v) for v in figures],
        total=len(features),
    )


def _pieces(geometry: dict) -> list[tuple[str, list[list[tuple[float, float]]]]]:
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if kind == "GeometryCollection":
        return [piece for part in geometry.get("geometries") or [] for piece in _pieces(part)]
    if kind == "Point":
        return [("point", [[(coords[0], coords[1])]])]
    if kind == "MultiPoint":
        return [("point", [[(p[0], p[1])] for p in coords])]
    if kind == "LineString":
        return [("line", [[(p[0], p[1]) for p in coords]])]
    if kind == "MultiLineString":
        return [("line", [[(p[0], p[1]) for p in line] for line in coords])]
    if kind == "Polygon":
        return [("area", [[(p[0], p[1]) for p in ring] for ring in coords])]
    if kind == "MultiPolygon":
        return [("area", [[(p[0], p[1]) for p in ring] for polygon in coords for ring in polygon])]
    return []


def drawing(items: list[MapItem]) -> dict | None:
    """SVG geometry of every item, with each shape's colour and DOM id."""
    features, meta = [], []
    for item in items:
        for number, (feature, colour, label) in enumerate(zip(item.features, item.colours, item.labels, strict=True)):
            for kind, parts in _pieces(feature.get("geometry") or {}):
                if parts and all(parts):
                    features.append(maps.Feature(name=label, kind=kind, parts=parts))
                    meta.append(
                        {
                            "dom_id": f"{item.index}-{number}",
                            "colour": colour,
                            "opacity": item.fill_opacity,
                            "layer": item.title,
                        }
                    )
    if not features:
        return None
    drawn = maps.draw(features)
    for shape in drawn["shapes"]:
        shape.update(meta[shape["index"]])
    return drawn
