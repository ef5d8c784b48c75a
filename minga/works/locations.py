"""A project's location as officials type it (GeoJSON, or "latitude, longitude" for a point),
checked with shapely: one point, line or area in WGS 84, not empty, valid (no self-crossing
rings), with its bounding box. Every refusal says what is wrong in the reader's language."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass

import shapely
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from shapely.geometry import mapping, shape
from shapely.validation import explain_validity

KINDS = {
    "Point": "point",
    "MultiPoint": "point",
    "LineString": "line",
    "MultiLineString": "line",
    "Polygon": "area",
    "MultiPolygon": "area",
}
LAT_LON = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?)\s*[,;\s]\s*(-?\d+(?:[.,]\d+)?)\s*$")
MAX_CHARS = 500_000
MAX_VERTICES = 20_000


@dataclass(frozen=True)
class Location:
    geometry: dict
    kind: str
    bbox: tuple[float, float, float, float]  # west, south, east, north


def _from_text(text: str) -> dict:
    match = LAT_LON.match(text)
    if match:
        lat, lon = (float(value.replace(",", ".")) for value in match.groups())
        return {"type": "Point", "coordinates": [lon, lat]}
    try:
        data = json.loads(text)
    except ValueError as error:
        raise ValidationError(
            _("Write the location as GeoJSON, or as “latitude, longitude” for a point (e.g. -1.054, -80.454).")
        ) from error
    if not isinstance(data, dict):
        raise ValidationError(_("The location is JSON but not a GeoJSON object."))
    if data.get("type") == "FeatureCollection":
        features = data.get("features") if isinstance(data.get("features"), list) else []
        if len(features) != 1:
            raise ValidationError(
                _("Give exactly one geometry (the collection has %(count)d).") % {"count": len(features)}
            )
        data = features[0]
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = data.get("geometry")
    if not isinstance(data, dict):
        raise ValidationError(_("The feature has no geometry."))
    return data


def parse_location(value) -> Location | None:
    """None for an empty location; a Location; or ValidationError explaining the problem."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        if len(value) > MAX_CHARS:
            raise ValidationError(_("The location is too detailed (more than 500,000 characters)."))
        data = _from_text(value.strip())
    else:
        data = value
    kind = KINDS.get(data.get("type"))
    if kind is None:
        raise ValidationError(
            _("“%(type)s” is not a point, line or area geometry.") % {"type": str(data.get("type"))[:40]}
        )
    try:
        geometry = shape(data)
    except (ValueError, TypeError, AttributeError, IndexError, KeyError, shapely.errors.ShapelyError) as error:
        raise ValidationError(_("The coordinates of the %(type)s cannot be read.") % {"type": data["type"]}) from error
    if geometry.is_empty:
        raise ValidationError(_("The geometry is empty: it has no coordinates."))
    if shapely.get_num_coordinates(geometry) > MAX_VERTICES:
        raise ValidationError(_("The geometry has more than 20,000 vertices; simplify it first."))
    west, south, east, north = geometry.bounds
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise ValidationError(_("The coordinates of the %(type)s cannot be read.") % {"type": data["type"]})
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise ValidationError(
            _(
                "The coordinates are outside longitude −180…180 / latitude −90…90: the location must be in "
                "WGS 84 (degrees), longitude first."
            )
        )
    if not geometry.is_valid:
        raise ValidationError(
            _("The geometry is not valid (%(reason)s). Correct it in your GIS program and paste it again.")
            % {"reason": explain_validity(geometry)}
        )
    cleaned = json.loads(json.dumps(mapping(geometry)))  # tuples to lists, as stored JSON reads back
    return Location(geometry=cleaned, kind=kind, bbox=(west, south, east, north))


def location_text(geometry: dict | None) -> str:
    """What the edit form shows: "lat, lon" for a single point, GeoJSON otherwise."""
    if not geometry:
        return ""
    if geometry.get("type") == "Point":
        lon, lat = geometry["coordinates"][:2]
        return f"{lat:.6f}, {lon:.6f}"
    return json.dumps(geometry, separators=(",", ":"))
