"""Reads of the geovisor, always scoped to one government. The public side sees only public
layers with features, plus the map layers other modules lend through the registry; the back
office sees every layer of the government.

A `Collection` is what the map and OGC API – Features serve: one of our layers (features in the
database, bbox filtered in SQL, exact geometry tests in shapely) or a module's MapLayer
(features computed by that module, filtered here)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from functools import cached_property

import shapely
import shapely.errors
import shapely.geometry
from django.urls import get_script_prefix
from django.utils.translation import gettext as _

from minga.core import registry
from minga.core.tenancy.scoping import government_scope
from minga.core.ui import maps

from .models import Choropleth, Feature, Layer, attribute_label

MAP_FEATURE_LIMIT = 5000


def public_layers(government):
    return Layer.objects.filter(government=government).public()


def office_layers(government, *, query: str = ""):
    layers = Layer.objects.filter(government=government)
    if query:
        layers = layers.filter(title__icontains=query)
    return layers.order_by("title")


def layer_features(layer: Layer):
    return Feature.objects.filter(government_id=layer.government_id, layer=layer).order_by("number")


def public_choropleths(government):
    return (
        Choropleth.objects.filter(
            government=government, is_public=True, layer__is_public=True, layer__feature_count__gt=0
        )
        .select_related("layer")
        .order_by("title")
    )


def dpa_areas(government, codes: set[str]) -> dict[str, registry.DpaArea]:
    """Boundaries for these DPA codes from the government's public area layers: of every
    attribute that holds DPA codes (one a choropleth joins on, or one named like dpa_parroquia),
    the one that matches the most codes. Called through core by other modules, it enters the
    government's scope itself."""
    with government_scope(government):
        return _dpa_areas(government, codes)


def _dpa_areas(government, codes: set[str]) -> dict[str, registry.DpaArea]:
    layers = list(
        public_layers(government).filter(geometry_kind__in=[Layer.GeometryKind.AREA, Layer.GeometryKind.MIXED])
    )
    joins: dict[int, set[str]] = {}
    for layer_id, name in Choropleth.objects.filter(government=government, layer__in=layers).values_list(
        "layer_id", "join_property"
    ):
        joins.setdefault(layer_id, set()).add(name)
    best: dict[str, registry.DpaArea] = {}
    for layer in layers:
        names = [name for name in layer.properties or [] if name in joins.get(layer.pk, ()) or maps.is_dpa_name(name)]
        if not names:
            continue
        rows = list(layer_features(layer).values_list("number", "properties", "geometry"))
        for name in names:
            found: dict[str, registry.DpaArea] = {}
            for number, properties, geometry in rows:
                code = maps.dpa_code(properties.get(name))
                if code in codes and code not in found and geometry.get("type") in ("Polygon", "MultiPolygon"):
                    found[code] = registry.DpaArea(code, maps.feature_name(properties, number), geometry, layer.title)
            if len(found) > len(best):
                best = found
    return best


BOUNDARY_FEATURE_LIMIT = 2000


def base_boundaries(government) -> list[registry.DpaArea]:
    """The areas of every public boundary layer (an area layer with a DPA code attribute, or
    one a choropleth joins on), for the base map under every map. Called through core, it
    enters the government's scope itself."""
    with government_scope(government):
        layers = list(
            public_layers(government).filter(geometry_kind__in=[Layer.GeometryKind.AREA, Layer.GeometryKind.MIXED])
        )
        joined = set(
            Choropleth.objects.filter(government=government, layer__in=layers).values_list("layer_id", flat=True)
        )
        found: list[registry.DpaArea] = []
        for layer in layers:
            names = [name for name in layer.properties or [] if maps.is_dpa_name(name)]
            if not names and layer.pk not in joined:
                continue
            rows = layer_features(layer).values_list("number", "properties", "geometry")[:BOUNDARY_FEATURE_LIMIT]
            for number, properties, geometry in rows:
                if geometry.get("type") not in ("Polygon", "MultiPolygon"):
                    continue
                code = next((maps.dpa_code(properties.get(name)) for name in names if properties.get(name)), None)
                found.append(registry.DpaArea(code or "", maps.feature_name(properties, number), geometry, layer.title))
        return found


def office_choropleths(government):
    return Choropleth.objects.filter(government=government).select_related("layer").order_by("title")


def _feature_bounds(feature: dict) -> tuple[float, float, float, float] | None:
    try:
        geometry = shapely.geometry.shape(feature["geometry"])
    except (KeyError, TypeError, ValueError, AttributeError, shapely.errors.GEOSException):
        return None
    return None if geometry.is_empty else geometry.bounds


def _matches(properties: dict, filters: dict[str, str]) -> bool:
    return all(str(properties.get(name)) == wanted for name, wanted in filters.items())


def _intersects(feature_geometry: dict, box) -> bool:
    try:
        return shapely.geometry.shape(feature_geometry).intersects(box)
    except (TypeError, ValueError, AttributeError, shapely.errors.GEOSException):
        return False


@dataclass
class Collection:
    id: str
    title: str
    description: str
    layer: Layer | None = None
    map_layer: registry.MapLayer | None = None
    url: str = ""
    _features: list[dict] | None = field(default=None, repr=False)

    @property
    def is_own(self) -> bool:
        return self.layer is not None

    @property
    def licence(self) -> str:
        return self.layer.licence if self.layer else ""

    @property
    def attribution(self) -> str:
        return self.layer.attribution if self.layer else ""

    @property
    def updated_at(self) -> dt.datetime | None:
        if self.layer:
            return self.layer.imported_at
        return getattr(self.map_layer, "updated_at", None)

    def lent_features(self) -> list[dict]:
        if self._features is None:
            found = self.map_layer.features() if self.map_layer else []
            self._features = [f for f in found if isinstance(f, dict) and f.get("geometry")]
        return self._features

    @cached_property
    def bbox(self) -> tuple[float, float, float, float] | None:
        if self.layer:
            return self.layer.bbox
        bounds = [b for b in (_feature_bounds(f) for f in self.lent_features()) if b]
        if not bounds:
            return None
        return (
            min(b[0] for b in bounds),
            min(b[1] for b in bounds),
            max(b[2] for b in bounds),
            max(b[3] for b in bounds),
        )

    @cached_property
    def queryables(self) -> list[str]:
        if self.layer:
            return list(self.layer.properties or [])
        names: dict[str, None] = {}
        for feature in self.lent_features():
            for key, value in (feature.get("properties") or {}).items():
                if isinstance(value, str | int | float | bool) or value is None:
                    names.setdefault(key, None)
        return list(names)

    @cached_property
    def labels(self) -> dict[str, str]:
        """Property -> label: the layer's data dictionary (a readable name where it has none)."""
        if self.layer:
            return {name: self.layer.label_of(name) for name in self.layer.properties or []}
        given = dict(getattr(self.map_layer, "labels", None) or {})
        if given:
            return {name: str(label) for name, label in given.items()}
        return {name: attribute_label(name) for name in self.queryables}

    @property
    def only_labelled(self) -> bool:
        return self.layer is None and bool(getattr(self.map_layer, "labels", None))

    def query(self, *, bbox=None, filters=None, offset: int = 0, limit: int = 10) -> tuple[int, list[dict]]:
        """(numberMatched, the features of the page) as GeoJSON Feature dicts."""
        filters = filters or {}
        box = shapely.box(*bbox) if bbox else None
        if self.layer:
            rows = layer_features(self.layer)
            if bbox:
                rows = rows.in_bbox(*bbox)
            if not filters and box is None:
                return rows.count(), [as_feature(row) for row in rows[offset : offset + limit]]
            return self._stored_matches(rows, bbox, box, filters, offset, limit)
        chosen = [
            f
            for f in self.lent_features()
            if _matches(f.get("properties") or {}, filters) and (box is None or _intersects(f["geometry"], box))
        ]
        return len(chosen), [_lent(f) for f in chosen[offset : offset + limit]]

    def _stored_matches(self, rows, bbox, box, filters, offset: int, limit: int) -> tuple[int, list[dict]]:
        """Matches in feature order. A feature whose extent lies inside the box meets it for
        sure (every point does); only the others are tested on their geometry."""
        fields = ["pk", "min_x", "min_y", "max_x", "max_y"] + (["properties"] if filters else [])
        matched, to_test = [], []
        for values in rows.values_list(*fields):
            if filters and not _matches(values[5], filters):
                continue
            inside = box is None or (
                values[1] >= bbox[0] and values[3] <= bbox[2] and values[2] >= bbox[1] and values[4] <= bbox[3]
            )
            matched.append(values[0])
            if not inside:
                to_test.append(values[0])
        if to_test:
            misses = set()
            for start in range(0, len(to_test), 500):
                chunk = to_test[start : start + 500]
                for pk, geometry in Feature.objects.filter(
                    government_id=self.layer.government_id, pk__in=chunk
                ).values_list("pk", "geometry"):
                    if not _intersects(geometry, box):
                        misses.add(pk)
            matched = [pk for pk in matched if pk not in misses]
        page = matched[offset : offset + limit]
        found = {row.pk: row for row in Feature.objects.filter(government_id=self.layer.government_id, pk__in=page)}
        return len(matched), [as_feature(found[pk]) for pk in page]

    def get(self, feature_id: str) -> dict | None:
        if self.layer:
            if not feature_id.isdigit():
                return None
            row = layer_features(self.layer).filter(number=int(feature_id)).first()
            return as_feature(row) if row else None
        return next((_lent(f) for f in self.lent_features() if str(f.get("id")) == feature_id), None)

    def all_features(self, limit: int = MAP_FEATURE_LIMIT) -> list[dict]:
        return self.query(limit=limit)[1]


def as_feature(row: Feature) -> dict:
    return {"type": "Feature", "id": row.number, "geometry": row.geometry, "properties": row.properties}


def _lent(feature: dict) -> dict:
    return {
        "type": "Feature",
        "id": feature.get("id"),
        "geometry": feature["geometry"],
        "properties": feature.get("properties") or {},
    }


def page_url(relative: str) -> str:
    """A module's government-relative page path (/obras/) under the current prefix
    (/g/manabi/obras/ or /obras/ on the government's own host)."""
    if not relative or not relative.startswith("/"):
        return relative
    return get_script_prefix().rstrip("/") + relative


def lent_layers(government) -> list[registry.MapLayer]:
    return [
        replace(layer, url=page_url(layer.url)) for layer in registry.map_layers(government) if layer.module != "geo"
    ]


def public_collections(government) -> list[Collection]:
    found = [
        Collection(id=layer.slug, title=layer.title, description=layer.description, layer=layer)
        for layer in public_layers(government)
    ]
    for lent in lent_layers(government):
        found.append(
            Collection(
                id=lent.key, title=str(lent.title), description=str(lent.description), map_layer=lent, url=lent.url
            )
        )
    return found


def public_collection(government, collection_id: str) -> Collection | None:
    layer = public_layers(government).filter(slug=collection_id).first() if "." not in collection_id else None
    if layer is not None:
        return Collection(id=layer.slug, title=layer.title, description=layer.description, layer=layer)
    lent = next((m for m in lent_layers(government) if m.key == collection_id), None)
    if lent is None:
        return None
    return Collection(
        id=lent.key, title=str(lent.title), description=str(lent.description), map_layer=lent, url=lent.url
    )


def feature_label(properties: dict, number) -> str:
    lowered = {str(k).lower(): v for k, v in properties.items()}
    for key in ("nombre", "name", "title", "titulo", "título", "label", "etiqueta"):
        value = lowered.get(key)
        if isinstance(value, str | int) and str(value).strip():
            return str(value).strip()[:120]
    for key, value in lowered.items():
        if ("nombre" in key or "name" in key) and isinstance(value, str) and value.strip():
            return value.strip()[:120]
    return _("Feature %(number)s") % {"number": number}
