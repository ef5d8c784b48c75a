"""Coordinate reference systems for the modules that take files from GIS programs (the
geovisor's layers, the works loaded from GeoJSON): which system the coordinates are in (the
official's choice first, then what the file says), and their conversion to WGS 84
longitude/latitude, the only system the platform stores.

Ecuadorian files usually come in UTM zone 17 South, on WGS 84 (EPSG:32717) or SIRGAS
(EPSG:31977, 31992); any system pyproj knows by EPSG code, URN or WKT is accepted. Transformers
are built with ``always_xy`` so that x is always the easting or the longitude, whatever axis
order the system's definition declares (EPSG:4326 itself declares latitude first)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from django.utils.translation import gettext as _
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError, ProjError

WGS84 = CRS.from_epsg(4326)
GEOMETRY_TYPES = {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"}


class UnknownCRS(ValueError):
    """A coordinate system that cannot be used; the message says why in the reader's language."""


def parse_crs(text: str) -> CRS:
    """A system as files and officials write it: "32717", "EPSG:32717", an OGC URN or WKT."""
    text = str(text or "").strip()
    if text.isdigit():
        text = f"EPSG:{text}"
    try:
        return CRS.from_user_input(text)
    except (CRSError, TypeError, ValueError) as exc:
        raise UnknownCRS(
            _("“%(crs)s” is not a coordinate reference system this platform knows.") % {"crs": text[:80]}
        ) from exc


def declared_crs(text: str) -> CRS | None:
    """The system an official names in an upload form; None when the field is empty."""
    return parse_crs(text) if str(text or "").strip() else None


def geojson_crs(document) -> CRS | None:
    """The 2008 GeoJSON ``crs`` member that QGIS and GDAL still write ({"type": "name",
    "properties": {"name": "urn:ogc:def:crs:EPSG::32717"}}); None when the file has none, which
    RFC 7946 says means WGS 84."""
    named = document.get("crs") if isinstance(document, dict) else None
    if not isinstance(named, dict):
        return None
    name = (named.get("properties") or {}).get("name") if isinstance(named.get("properties"), dict) else None
    if not isinstance(name, str) or not name.strip():
        return None
    return parse_crs(name)


def crs_label(crs: CRS) -> str:
    code = crs.to_epsg(min_confidence=70)
    if code:
        return f"EPSG:{code}"
    authority = crs.to_authority(min_confidence=70)
    return ":".join(authority) if authority else (crs.name or _("custom"))[:40]


def is_wgs84(crs: CRS) -> bool:
    return crs.equals(WGS84, ignore_axis_order=True)


def transformer_to_wgs84(crs: CRS) -> Transformer | None:
    """None when the coordinates are already WGS 84 longitude/latitude."""
    if crs.is_geographic is False and crs.is_projected is False:
        raise UnknownCRS(_("The file's coordinate system is not a map projection or latitude/longitude."))
    if is_wgs84(crs):
        return None
    try:
        return Transformer.from_crs(crs, WGS84, always_xy=True)
    except (CRSError, ProjError) as exc:
        raise UnknownCRS(
            _("Coordinates in %(crs)s cannot be converted to WGS 84 (%(reason)s).")
            % {"crs": crs_label(crs), "reason": str(exc)[:120]}
        ) from exc


def array_projector(transformer: Transformer) -> Callable[[np.ndarray], np.ndarray]:
    """For ``shapely.transform``: an (n, 2) array of x/y to an (n, 2) array of lon/lat."""

    def project(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return project


def collect_positions(geometry: dict, found: list) -> None:
    """Append every position (the [x, y, …] lists themselves) of a GeoJSON geometry to
    ``found``, so that they can all be converted in one call and written back in place.
    ValueError when the nesting or a position is not what the geometry type requires."""
    kind = geometry.get("type")
    if kind == "GeometryCollection":
        for item in geometry.get("geometries") or []:
            if isinstance(item, dict):
                collect_positions(item, found)
        return
    if kind not in GEOMETRY_TYPES:
        return
    depth = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3}[kind]

    def walk(value, level):
        if not isinstance(value, list):
            raise ValueError("not a list")
        if level == 0:
            if len(value) < 2 or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value[:2]):
                raise ValueError("not a position")
            found.append(value)
            return
        for item in value:
            walk(item, level - 1)

    walk(geometry.get("coordinates"), depth)


def reproject_geojson(geometry: dict, transformer: Transformer | None, *, precision: int | None = None) -> dict:
    """A copy of a GeoJSON geometry with its coordinates in WGS 84 longitude/latitude, rounded
    to ``precision`` decimals (7 is about a centimetre); any third value (elevation) is kept.
    ValueError when its coordinates cannot be read or converted. Without a transformer the
    geometry comes back as it was."""
    if transformer is None or not isinstance(geometry, dict):
        return geometry
    copy = _deep_copy(geometry)
    found: list[list] = []
    collect_positions(copy, found)
    if not found:
        return copy
    xs = np.array([float(p[0]) for p in found])
    ys = np.array([float(p[1]) for p in found])
    lons, lats = transformer.transform(xs, ys)
    if not (np.all(np.isfinite(lons)) and np.all(np.isfinite(lats))):
        raise ValueError("coordinates outside the system's area")
    for position, lon, lat in zip(found, lons, lats, strict=True):
        lon, lat = float(lon), float(lat)
        position[0], position[1] = (lon, lat) if precision is None else (round(lon, precision), round(lat, precision))
    return copy


def _deep_copy(value):
    if isinstance(value, dict):
        return {key: _deep_copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_deep_copy(item) for item in value]
    return value
