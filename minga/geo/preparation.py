"""From features as read to features ready to store: the coordinate system settled (the file's,
or the one the official names), reprojected to WGS 84 lon/lat with pyproj (always_xy),
validated and repaired with shapely's make_valid. Every feature that cannot be used is named in
the report with the reason; the caller refuses the whole file if there is any."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

import numpy as np
import shapely
import shapely.geometry
from django.utils.translation import gettext as _
from pyproj import CRS

from minga.core import spatial

from .readers import RawLayer

WGS84 = spatial.WGS84
# Decimal places kept in stored coordinates: 1e-7 degrees is about a centimetre.
PRECISION = 7
DIMENSION_KIND = {0: "point", 1: "line", 2: "area"}


@dataclass
class Problem:
    number: int | None  # the feature's position in the file; None for the whole file
    message: str


@dataclass
class ReadyFeature:
    number: int
    properties: dict
    geometry: dict  # GeoJSON in WGS 84
    bounds: tuple[float, float, float, float]


@dataclass
class Prepared:
    features: list[ReadyFeature] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # each one refuses the file
    repaired: list[Problem] = field(default_factory=list)  # fixed, told to the official
    crs_label: str = ""
    crs_source: str = ""
    notes: list[str] = field(default_factory=list)
    geometry_kind: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.features)


def _same_dimension_parts(geometry: shapely.Geometry, dimension: int) -> shapely.Geometry:
    """make_valid can return a collection mixing the repaired area with stray lines or points;
    keep only the parts of the original dimension."""
    parts = [part for part in shapely.get_parts(geometry) if shapely.get_dimensions(part) == dimension]
    parts = [part for part in parts if not part.is_empty]
    if not parts:
        return shapely.GeometryCollection()
    if len(parts) == 1:
        return parts[0]
    if dimension == 2:
        return shapely.union_all(parts)
    if dimension == 1:
        return shapely.MultiLineString(parts)
    return shapely.MultiPoint(parts)


def repair(geometry: shapely.Geometry) -> tuple[shapely.Geometry | None, str]:
    """(usable geometry or None, what was wrong)."""
    reason = shapely.is_valid_reason(geometry)
    dimension = shapely.get_dimensions(geometry)
    fixed = _same_dimension_parts(shapely.make_valid(geometry), dimension)
    if fixed.is_empty or not fixed.is_valid:
        return None, reason
    return fixed, reason


def prepare(raw: RawLayer, *, declared_crs: CRS | None = None) -> Prepared:
    result = Prepared(notes=list(raw.notes))
    source = declared_crs or raw.crs
    if declared_crs is not None:
        result.crs_source = _("chosen in the upload form")
    elif raw.crs is not None:
        result.crs_source = raw.crs_source
    elif raw.assumes_wgs84:
        source = WGS84
        result.crs_source = _("not stated in the file: WGS 84 longitude/latitude assumed")
    else:
        result.problems.append(
            Problem(
                None,
                _(
                    "The file does not say in which coordinate reference system its coordinates are "
                    "(no .prj file, no defined system, or x/y columns). Choose it in the form, "
                    "e.g. EPSG:32717 (WGS 84 / UTM 17S) or EPSG:31977 (SIRGAS 2000 / UTM 17S)."
                ),
            )
        )
        return result
    try:
        transformer = spatial.transformer_to_wgs84(source)
    except spatial.UnknownCRS as exc:
        result.problems.append(Problem(None, str(exc)))
        return result
    result.crs_label = spatial.crs_label(source)

    usable = []
    for item in raw.features:
        if item.error:
            result.problems.append(Problem(item.number, item.error))
        elif item.geometry is None:
            result.problems.append(Problem(item.number, _("it has no geometry")))
        elif item.geometry.is_empty:
            result.problems.append(Problem(item.number, _("its geometry is empty")))
        else:
            usable.append(item)
    if not usable:
        return result
    # Whole-array operations: one reprojection call and one validity pass for the file.
    geometries = shapely.force_2d(np.array([item.geometry for item in usable], dtype=object))
    if transformer is not None:
        geometries = shapely.transform(geometries, spatial.array_projector(transformer))
    bounds = shapely.bounds(geometries)
    valid = shapely.is_valid(geometries)
    kept_items, kept = [], []
    for item, geometry, (west, south, east, north), is_valid in zip(usable, geometries, bounds, valid, strict=True):
        if not all(math.isfinite(v) for v in (west, south, east, north)):
            result.problems.append(
                Problem(item.number, _("its coordinates cannot be converted from %(crs)s") % {"crs": result.crs_label})
            )
            continue
        if west < -180 or east > 180 or south < -90 or north > 90:
            result.problems.append(
                Problem(
                    item.number,
                    _(
                        "its coordinates (%(x)s, %(y)s) are not longitude/latitude: the file is probably in a "
                        "projected system; choose its EPSG code in the form"
                    )
                    % {"x": f"{west:.2f}", "y": f"{south:.2f}"},
                )
            )
            continue
        if not is_valid:
            fixed, reason = repair(geometry)
            if fixed is None:
                result.problems.append(
                    Problem(
                        item.number,
                        _("its geometry is invalid and could not be repaired (%(reason)s)") % {"reason": reason},
                    )
                )
                continue
            result.repaired.append(Problem(item.number, _("repaired: %(reason)s") % {"reason": reason}))
            geometry = fixed
        kept_items.append(item)
        kept.append(geometry)
    if result.problems or not kept:
        return result
    final = np.array(kept, dtype=object)
    rounded = shapely.transform(final, lambda coords: np.round(coords, PRECISION))
    kinds = set(DIMENSION_KIND.get(int(d), "mixed") for d in shapely.get_dimensions(final))
    for item, text, box in zip(kept_items, shapely.to_geojson(rounded), shapely.bounds(final), strict=True):
        result.features.append(
            ReadyFeature(item.number, item.properties, json.loads(text), tuple(float(v) for v in box))
        )
    result.geometry_kind = kinds.pop() if len(kinds) == 1 else "mixed"
    return result
