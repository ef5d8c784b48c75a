"""The land of the demonstration governments: Manabí, its 22 cantons and the parishes of
Portoviejo and Manta, as polygons every module's demo draws inside, so no demonstration work,
road or point lies in the sea or in the wrong canton.

No package ships Ecuador's official boundaries under a licence that allows redistribution
(core/ui/basemap.py), so these are made here and are approximate on purpose: a hand-drawn
outline of the province cut by Natural Earth's coastline (the base map's), divided among the
cantons around a point near the middle of each one (a Voronoi diagram), and each canton among
its parishes the same way. Names and DPA codes are the real ones; the lines are not, and every
layer drawn from them says so.

Everything here is deterministic and computed once per process."""

from __future__ import annotations

import functools
import math
import random

import shapely
import shapely.geometry

from minga.core.ui import basemap

PROVINCE_CODE = "13"
PROVINCE_NAME = "Manabí"
# A rough outline of Manabí (lon, lat): the inland borders with Esmeraldas, Santo Domingo,
# Los Ríos, Guayas and Santa Elena, closed well out at sea so the real coastline cuts it.
PROVINCE_OUTLINE = (
    (-80.20, 0.45),
    (-79.98, 0.42),
    (-79.80, 0.30),
    (-79.60, 0.10),
    (-79.40, -0.05),
    (-79.25, -0.25),
    (-79.33, -0.45),
    (-79.55, -0.58),
    (-79.55, -0.80),
    (-79.65, -1.00),
    (-79.75, -1.15),
    (-79.90, -1.30),
    (-80.05, -1.45),
    (-80.15, -1.62),
    (-80.35, -1.78),
    (-80.60, -1.75),
    (-80.80, -1.68),
    (-81.00, -1.68),
    (-81.05, -1.00),
    (-80.75, -0.80),
    (-80.60, -0.55),
    (-80.45, -0.20),
    (-80.25, 0.15),
    (-80.20, 0.45),
)
# (DPA code, name, seat (lon, lat), points the canton grows from (lon, lat)). The seats are
# the towns' places; the Voronoi diagram gives each canton the land nearer to one of its own
# points than to another canton's (two where one alone would give a town to its neighbour).
CANTONS = (
    ("1301", "Portoviejo", (-80.4515, -1.0576), ((-80.42, -1.06), (-80.26, -1.10))),
    ("1302", "Bolívar", (-80.1639, -0.8458), ((-80.10, -0.88),)),
    ("1303", "Chone", (-80.0925, -0.6985), ((-80.00, -0.65),)),
    ("1304", "El Carmen", (-79.4622, -0.2753), ((-79.48, -0.25),)),
    ("1305", "Flavio Alfaro", (-79.9047, -0.4050), ((-79.78, -0.38),)),
    ("1306", "Jipijapa", (-80.5791, -1.3484), ((-80.62, -1.40),)),
    ("1307", "Junín", (-80.2058, -0.9278), ((-80.20, -0.96),)),
    ("1308", "Manta", (-80.7314, -0.9494), ((-80.78, -1.00),)),
    ("1309", "Montecristi", (-80.6589, -1.0458), ((-80.64, -1.10),)),
    ("1310", "Paján", (-80.4285, -1.5527), ((-80.38, -1.60),)),
    ("1311", "Pichincha", (-79.8300, -1.0420), ((-79.85, -1.06),)),
    ("1312", "Rocafuerte", (-80.4502, -0.9245), ((-80.44, -0.90),)),
    ("1313", "Santa Ana", (-80.3706, -1.2078), ((-80.28, -1.19),)),
    ("1314", "Sucre", (-80.4244, -0.6003), ((-80.39, -0.70), (-80.43, -0.625))),
    ("1315", "Tosagua", (-80.2346, -0.7859), ((-80.24, -0.79),)),
    ("1316", "24 de Mayo", (-80.4178, -1.2799), ((-80.43, -1.36),)),
    ("1317", "Pedernales", (-80.0522, 0.0717), ((-79.93, 0.12),)),
    ("1318", "Olmedo", (-80.2108, -1.3953), ((-80.17, -1.43),)),
    ("1319", "Puerto López", (-80.8093, -1.5587), ((-80.74, -1.56),)),
    ("1320", "Jama", (-80.2636, -0.2017), ((-80.15, -0.20),)),
    ("1321", "Jaramijó", (-80.6370, -0.9470), ((-80.60, -0.965),)),
    ("1322", "San Vicente", (-80.4070, -0.5900), ((-80.33, -0.45), (-80.395, -0.565))),
)
# The province's planning zones, by canton.
CANTON_ZONES = {
    "Zona norte": ("1304", "1305", "1317", "1320", "1322"),
    "Cuenca del río Chone": ("1302", "1303", "1307", "1314", "1315"),
    "Cuenca del río Portoviejo": ("1301", "1311", "1312", "1313"),
    "Corredor costero": ("1308", "1309", "1319", "1321"),
    "Zona sur": ("1306", "1310", "1316", "1318"),
}
# Inhabitants of each canton, rounded: demonstration figures of the right size for each
# canton (the demo's choropleths), not census data.
CANTON_POPULATION = {
    "1301": 322_000,
    "1302": 44_000,
    "1303": 127_000,
    "1304": 106_000,
    "1305": 24_000,
    "1306": 74_000,
    "1307": 19_000,
    "1308": 271_000,
    "1309": 89_000,
    "1310": 38_000,
    "1311": 30_000,
    "1312": 36_000,
    "1313": 47_000,
    "1314": 58_000,
    "1315": 40_000,
    "1316": 28_000,
    "1317": 62_000,
    "1318": 10_000,
    "1319": 23_000,
    "1320": 25_000,
    "1321": 28_000,
    "1322": 23_000,
}
# The parishes of the two demonstration cantons: (DPA code, name, urban, (lon, lat) near its
# middle). Urban parishes share the city; rural ones spread over the rest of the canton.
PARISHES = {
    "1301": (
        ("130101", "Andrés de Vera", True, (-80.437, -1.070)),
        ("130102", "Francisco Pacheco", True, (-80.455, -1.052)),
        ("130103", "12 de Marzo", True, (-80.466, -1.041)),
        ("130104", "Picoazá", True, (-80.495, -1.030)),
        ("130105", "Portoviejo", True, (-80.451, -1.060)),
        ("130106", "San Pablo", True, (-80.470, -1.075)),
        ("130107", "Simón Bolívar", True, (-80.440, -1.045)),
        ("130108", "Colón", True, (-80.414, -1.110)),
        ("130151", "Abdón Calderón", False, (-80.330, -1.030)),
        ("130152", "Alhajuela", False, (-80.280, -1.060)),
        ("130155", "Riochico", False, (-80.400, -0.990)),
        ("130156", "San Plácido", False, (-80.200, -1.100)),
        ("130157", "Chirijos", False, (-80.330, -1.120)),
    ),
    "1308": (
        ("130801", "Los Esteros", True, (-80.712, -0.950)),
        ("130802", "Manta", True, (-80.727, -0.956)),
        ("130803", "San Mateo", True, (-80.800, -0.965)),
        ("130804", "Tarqui", True, (-80.720, -0.962)),
        ("130805", "Eloy Alfaro", True, (-80.742, -0.960)),
        ("130851", "San Lorenzo", False, (-80.880, -1.040)),
        ("130852", "Santa Marianita", False, (-80.820, -1.010)),
    ),
}
# How far inside its area a demonstration point keeps from the edge (degrees, about 500 m).
EDGE_MARGIN = 0.005


def _largest(shape) -> shapely.Polygon:
    if shape.geom_type == "MultiPolygon":
        return max(shape.geoms, key=lambda part: part.area)
    return shape


@functools.lru_cache(maxsize=1)
def province_area() -> shapely.Polygon:
    """The outline cut by Ecuador's coast as Natural Earth draws it; the bare outline when the
    Natural Earth file was not fetched (`minga fetch_assets`)."""
    outline = shapely.Polygon(PROVINCE_OUTLINE)
    land = [shapely.geometry.shape(f["geometry"]) for f in basemap.countries() if f["properties"].get("home")]
    if not land:
        return outline
    cut = _largest(shapely.make_valid(outline.intersection(land[0])))
    return cut if cut.geom_type == "Polygon" and cut.area > outline.area * 0.5 else outline


def _cells(within: shapely.Polygon, seeds: list[tuple[float, float]]) -> list[shapely.Polygon]:
    """The Voronoi cell of each seed (in the seeds' order), cut by ``within``."""
    cells = shapely.voronoi_polygons(shapely.MultiPoint(seeds), extend_to=within.envelope.buffer(1), ordered=True).geoms
    return [_largest(shapely.set_precision(cell.intersection(within), 0.00001)) for cell in cells]


@functools.lru_cache(maxsize=1)
def canton_areas() -> dict[str, shapely.Polygon]:
    """Every canton of Manabí, by DPA code."""
    owners = [code for code, _name, _seat, points in CANTONS for _point in points]
    cells = _cells(province_area(), [point for _code, _name, _seat, points in CANTONS for point in points])
    found: dict[str, list[shapely.Polygon]] = {}
    for code, cell in zip(owners, cells, strict=True):
        found.setdefault(code, []).append(cell)
    return {code: _largest(shapely.union_all(parts)) for code, parts in found.items()}


@functools.lru_cache(maxsize=4)
def parish_areas(canton_code: str) -> dict[str, tuple[str, bool, shapely.Polygon]]:
    """The parishes of a demonstration canton, by DPA code: (name, urban, area). Empty for a
    canton without a parish list."""
    canton = canton_areas().get(canton_code)
    parishes = PARISHES.get(canton_code, ())
    if canton is None or not parishes:
        return {}
    cells = _cells(canton, [place for _code, _name, _urban, place in parishes])
    return {
        code: (name, urban, cell)
        for (code, name, urban, _place), cell in zip(parishes, cells, strict=True)
        if not cell.is_empty
    }


def canton_name(code: str) -> str:
    return next((name for dpa, name, _seat, _points in CANTONS if dpa == code), "")


def canton_zone(code: str) -> str:
    return next((zone for zone, codes in CANTON_ZONES.items() if code in codes), "")


def area(code: str) -> shapely.Polygon | None:
    """The province, a canton or a parish of the demonstration, by DPA code."""
    code = str(code or "")
    if code == PROVINCE_CODE:
        return province_area()
    if len(code) == 4:
        return canton_areas().get(code)
    if len(code) == 6:
        found = parish_areas(code[:4]).get(code)
        return found[2] if found else None
    return None


# -- Drawing inside an area ---------------------------------------------------------------


def _inner(polygon: shapely.Polygon, margin: float) -> shapely.Polygon:
    """The polygon shrunk by the margin, or by less where the margin would leave nothing."""
    for shrink in (margin, margin / 2, margin / 4, 0.0):
        inner = _largest(polygon.buffer(-shrink)) if shrink else polygon
        if not inner.is_empty and inner.area > 0:
            return inner
    return polygon


def point_inside(rng: random.Random, polygon: shapely.Polygon, *, margin: float = EDGE_MARGIN) -> shapely.Point:
    """A point inside the polygon, away from its edge: a random draw in the bounding box,
    kept when it falls inside (the representative point after many misses)."""
    inner = _inner(polygon, margin)
    west, south, east, north = inner.bounds
    for _attempt in range(200):
        point = shapely.Point(rng.uniform(west, east), rng.uniform(south, north))
        if inner.contains(point):
            return point
    return inner.representative_point()


def line_inside(
    rng: random.Random, polygon: shapely.Polygon, *, length: float, margin: float = EDGE_MARGIN
) -> shapely.LineString:
    """A wandering line of about ``length`` degrees inside the polygon (a road, a canal). Its
    steps turn a little each time; one that would leave the polygon is cut at the last vertex
    inside, and a line shorter than two vertices is drawn again."""
    inner = _inner(polygon, margin)
    for _attempt in range(50):
        start = point_inside(rng, inner, margin=0)
        heading = rng.uniform(0, math.tau)
        steps = rng.randint(4, 8)
        points = [(start.x, start.y)]
        for _step in range(steps):
            heading += rng.uniform(-0.5, 0.5)
            x, y = points[-1]
            step = length / steps
            following = (x + step * math.cos(heading), y + step * math.sin(heading))
            if not inner.contains(shapely.LineString([points[-1], following])):
                break
            points.append(following)
        if len(points) >= 3 or (len(points) == 2 and _attempt > 10):
            return shapely.LineString(points)
    start = inner.representative_point()
    return shapely.LineString([(start.x, start.y), (start.x + 0.0005, start.y)])


def patch_inside(
    rng: random.Random, polygon: shapely.Polygon, *, radius: float, margin: float = EDGE_MARGIN
) -> shapely.Polygon:
    """A small irregular heptagon (a park, a reforested slope) inside the polygon."""
    inner = _inner(polygon, margin)
    for _attempt in range(50):
        centre = point_inside(rng, inner, margin=0)
        ring = [
            (
                centre.x + math.cos(a) * radius * rng.uniform(0.8, 1.2),
                centre.y + math.sin(a) * radius * rng.uniform(0.8, 1.2),
            )
            for a in (i * math.tau / 7 for i in range(7))
        ]
        patch = shapely.Polygon(ring)
        if patch.is_valid and inner.contains(patch):
            return patch
        radius *= 0.8
    centre = inner.representative_point()
    return centre.buffer(min(radius, 0.001), quad_segs=2)


def rounded(geometry, digits: int = 6) -> dict:
    """GeoJSON of a shapely geometry with coordinates rounded (rounding can only move a vertex
    by half a micro-degree, well inside the margin kept from every edge)."""
    return shapely.geometry.mapping(shapely.set_precision(geometry, 10**-digits))
