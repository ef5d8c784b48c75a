"""Server-rendered maps of a resource: GeoJSON features, table rows with latitude/longitude, and
figures per province from DPA codes.

No tiles and no third-party requests: coordinates are projected (equirectangular, scaled by the
cosine of the middle latitude, which keeps shapes right at Ecuador's latitudes) into an SVG
fitted to the data. Projected vertices are rounded to a tenth of a pixel and near-duplicates
dropped, so a detailed boundary file still gives a small page.

No package reachable here ships Ecuador's province or canton boundaries under a licence that
allows redistribution, so figures by DPA code are drawn on the boundaries a government
publishes itself (an area layer of the geovisor with a DPA code attribute, through
core.registry.dpa_areas) with `area_choropleth`, and otherwise on a tile-grid cartogram: each
of the 24 provinces is a labelled square placed roughly where it lies, canton and parish codes
counted in their province (the first two digits). Inside one government, `territory_grid`
draws its cantons or parishes the same way: placed like the map where a layout is known,
otherwise in code order."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

WIDTH = 640
MAX_HEIGHT = 640
MIN_HEIGHT = 160
SIMPLIFY_PX = 0.7
PAD = 16
GEOJSON_MAX_BYTES = 5 * 1024 * 1024
MAX_FEATURES = 5000
MAX_VERTICES = 250_000
LIST_LIMIT = 500
POINT_ROWS = 1000

LAT_NAMES = {"lat", "latitud", "latitude", "y_lat"}
LON_NAMES = {"lon", "lng", "long", "longitud", "longitude", "x_lon"}
NAME_KEYS = ("nombre", "name", "title", "titulo", "título", "label", "etiqueta", "descripcion", "description")
DPA_NAME = re.compile(
    r"^(dpa|cod(igo)?_?dpa|dpa_?cod(igo)?|cod(igo)?_?(prov|provincia|canton|cant|parroquia|parr)|dpa_\w+)$"
)
GEOMETRY_TYPES = {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"}


class MapError(ValueError):
    """A file that cannot be drawn; the message says why in the reader's language."""


# -- GeoJSON -----------------------------------------------------------------------------


@dataclass
class Feature:
    name: str
    kind: str  # point, line, area
    parts: list[list[tuple[float, float]]]  # lon/lat rings, lines or single points
    properties: dict = field(default_factory=dict)

    def bounds(self) -> tuple[float, float, float, float]:
        xs = [x for part in self.parts for x, _y in part]
        ys = [y for part in self.parts for _x, y in part]
        return min(xs), min(ys), max(xs), max(ys)

    def centre(self) -> tuple[float, float]:
        west, south, east, north = self.bounds()
        return (west + east) / 2, (south + north) / 2


def _position(value, counter: list[int]) -> tuple[float, float]:
    if not isinstance(value, list | tuple) or len(value) < 2:
        raise MapError(_("A coordinate is not a pair of numbers."))
    lon, lat = value[0], value[1]
    if not all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in (lon, lat)):
        raise MapError(_("A coordinate is not a pair of numbers."))
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise MapError(
            _("The coordinate %(lon)s, %(lat)s is outside longitude −180…180 / latitude −90…90 (WGS84).")
            % {"lon": lon, "lat": lat}
        )
    counter[0] += 1
    if counter[0] > MAX_VERTICES:
        raise MapError(_("The file has more than %(max)s points: too detailed to draw here.") % {"max": MAX_VERTICES})
    return float(lon), float(lat)


def _line(value, counter) -> list[tuple[float, float]]:
    if not isinstance(value, list) or not value:
        raise MapError(_("A line or polygon has no coordinates."))
    return [_position(p, counter) for p in value]


def _geometry(geometry, counter) -> list[tuple[str, list[list[tuple[float, float]]]]]:
    """(kind, parts) pieces of one geometry."""
    if geometry is None:
        return []
    if not isinstance(geometry, dict):
        raise MapError(_("A geometry is not a JSON object."))
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if kind == "GeometryCollection":
        pieces = []
        for item in geometry.get("geometries") or []:
            pieces += _geometry(item, counter)
        return pieces
    if kind not in GEOMETRY_TYPES:
        raise MapError(_("Unknown geometry type “%(type)s”.") % {"type": str(kind)[:40]})
    if not isinstance(coords, list):
        raise MapError(_("A %(type)s has no coordinates.") % {"type": kind})
    if kind == "Point":
        return [("point", [[_position(coords, counter)]])]
    if kind == "MultiPoint":
        return [("point", [[_position(p, counter)] for p in coords])]
    if kind == "LineString":
        return [("line", [_line(coords, counter)])]
    if kind == "MultiLineString":
        return [("line", [_line(line, counter) for line in coords])]
    if kind == "Polygon":
        return [("area", [_line(ring, counter) for ring in coords])]
    return [("area", [_line(ring, counter) for polygon in coords for ring in polygon])]


def feature_name(properties: dict, number: int) -> str:
    lowered = {str(k).lower(): v for k, v in properties.items()}
    for key in NAME_KEYS:
        if isinstance(lowered.get(key), str | int) and str(lowered[key]).strip():
            return str(lowered[key]).strip()[:120]
    for key, value in lowered.items():
        if ("nombre" in key or "name" in key) and isinstance(value, str) and value.strip():
            return value.strip()[:120]
    for value in properties.values():
        if isinstance(value, str) and value.strip():
            return value.strip()[:120]
    return _("Feature %(number)s") % {"number": number}


def parse_geojson(raw: bytes) -> list[Feature]:
    """Features of a GeoJSON document (FeatureCollection, Feature or bare geometry); MapError otherwise."""
    if len(raw) > GEOJSON_MAX_BYTES:
        raise MapError(_("The file is too large to draw here; download it to open it in a GIS program."))
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise MapError(_("The file is not valid JSON, so it cannot be read as GeoJSON.")) from exc
    if not isinstance(data, dict):
        raise MapError(_("The file is JSON but not GeoJSON: it has no “type”."))
    kind = data.get("type")
    if kind == "FeatureCollection":
        items = data.get("features")
        if not isinstance(items, list):
            raise MapError(_("The FeatureCollection has no list of features."))
    elif kind == "Feature":
        items = [data]
    elif kind in GEOMETRY_TYPES or kind == "GeometryCollection":
        items = [{"type": "Feature", "geometry": data, "properties": {}}]
    else:
        raise MapError(_("The file is JSON but not GeoJSON: unknown type “%(type)s”.") % {"type": str(kind)[:40]})
    if len(items) > MAX_FEATURES:
        raise MapError(_("The file has more than %(max)s features: too many to draw here.") % {"max": MAX_FEATURES})
    features, counter = [], [0]
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict) or item.get("type") != "Feature":
            raise MapError(_("Item %(number)s of the collection is not a Feature.") % {"number": number})
        properties = item.get("properties") if isinstance(item.get("properties"), dict) else {}
        name = feature_name(properties, number)
        for piece_kind, parts in _geometry(item.get("geometry"), counter):
            features.append(Feature(name=name, kind=piece_kind, parts=parts, properties=properties))
    if not features:
        raise MapError(_("The file has no geometries to draw."))
    return features


# -- projection and drawing ---------------------------------------------------------------


class Projection:
    """Equirectangular with x scaled by cos(middle latitude), fitted into WIDTH and centred."""

    def __init__(self, bounds: tuple[float, float, float, float]) -> None:
        west, south, east, north = bounds
        if east - west < 1e-9 and north - south < 1e-9:  # one point: show a little around it
            west, east, south, north = west - 0.005, east + 0.005, south - 0.005, north + 0.005
        self.k = math.cos(math.radians((south + north) / 2))
        span_x = max((east - west) * self.k, 1e-9)
        span_y = max(north - south, 1e-9)
        self.scale = min((WIDTH - 2 * PAD) / span_x, (MAX_HEIGHT - 2 * PAD) / span_y)
        self.height = max(MIN_HEIGHT, round(span_y * self.scale + 2 * PAD))
        self.west, self.north = west, north
        self.offset_x = PAD + ((WIDTH - 2 * PAD) - span_x * self.scale) / 2
        self.offset_y = PAD + ((self.height - 2 * PAD) - span_y * self.scale) / 2

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        x = self.offset_x + (lon - self.west) * self.k * self.scale
        y = self.offset_y + (self.north - lat) * self.scale
        return round(x, 1), round(y, 1)


def _simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Ramer–Douglas–Peucker on projected points: drops vertices closer than ``tolerance``
    pixels to the line between their neighbours, which the eye cannot tell apart anyway."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        farthest, index = 0.0, 0
        for i in range(first + 1, last):
            x0, y0 = points[i]
            distance = abs(dy * x0 - dx * y0 + x2 * y1 - y2 * x1) / length if length else math.hypot(x0 - x1, y0 - y1)
            if distance > farthest:
                farthest, index = distance, i
        if farthest > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def svg_path(points: list[tuple[float, float]], close: bool) -> str:
    """SVG path data of projected points: repeated and invisible vertices dropped."""
    kept: list[tuple[float, float]] = []
    for point in points:
        if kept and abs(point[0] - kept[-1][0]) < 0.6 and abs(point[1] - kept[-1][1]) < 0.6:
            continue
        kept.append(point)
    kept = _simplify(kept, SIMPLIFY_PX)
    if len(kept) < 2 or (close and len(kept) < 3):
        return ""
    text = "M" + " ".join(f"{x:g} {y:g}" for x, y in kept)
    return text + ("Z" if close else "")


def draw(features: list[Feature]) -> dict:
    """SVG geometry for the template: areas first, then lines, then points on top."""
    west = min(f.bounds()[0] for f in features)
    south = min(f.bounds()[1] for f in features)
    east = max(f.bounds()[2] for f in features)
    north = max(f.bounds()[3] for f in features)
    project = Projection((west, south, east, north))
    shapes = []
    for index, feature in enumerate(features):
        shape = {"index": index, "name": feature.name, "kind": feature.kind}
        if feature.kind == "point":
            shape["points"] = [project(*part[0]) for part in feature.parts]
        else:
            d = " ".join(
                p
                for p in (svg_path([project(*xy) for xy in part], feature.kind == "area") for part in feature.parts)
                if p
            )
            if not d:  # smaller than a pixel: draw it as a point
                shape["kind"] = "point"
                shape["points"] = [project(*feature.centre())]
            shape["d"] = d
        shapes.append(shape)
    order = {"area": 0, "line": 1, "point": 2}
    shapes.sort(key=lambda s: order[s["kind"]])
    return {"width": WIDTH, "height": project.height, "shapes": shapes, "bounds": (west, south, east, north)}


# -- tables with coordinates --------------------------------------------------------------


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9_]", "", name.lower())


def coordinate_columns(columns) -> tuple[str, str] | None:
    """(latitude, longitude) column names when the names say so and the stored ranges are valid WGS84."""
    numeric = [c for c in columns if str(c.type) in ("integer", "decimal")]

    def pick(names, limit):
        for column in numeric:
            if _norm(column.name) in names or _norm(str(getattr(column, "label", "") or "")) in names:
                low, high = column.stats.min, column.stats.max
                if low is not None and high is not None and -limit <= float(low) and float(high) <= limit:
                    return column.name
        return None

    lat, lon = pick(LAT_NAMES, 90), pick(LON_NAMES, 180)
    return (lat, lon) if lat and lon else None


def name_column(columns, exclude=()) -> str | None:
    texts = [c for c in columns if str(c.type) == "text" and c.name not in exclude]
    for column in texts:
        if any(key in _norm(column.name) for key in ("nombre", "name", "titulo", "descripcion")):
            return column.name
    return texts[0].name if texts else None


# -- DPA codes and the province grid -------------------------------------------------------

# (code, name, column, row): a tile-grid of mainland Ecuador, Galápagos off the coast.
PROVINCES = (
    ("08", "Esmeraldas", 3, 0),
    ("04", "Carchi", 4, 0),
    ("21", "Sucumbíos", 5, 0),
    ("23", "Santo Domingo de los Tsáchilas", 3, 1),
    ("10", "Imbabura", 4, 1),
    ("15", "Napo", 5, 1),
    ("22", "Orellana", 6, 1),
    ("20", "Galápagos", 0, 2),
    ("13", "Manabí", 2, 2),
    ("12", "Los Ríos", 3, 2),
    ("17", "Pichincha", 4, 2),
    ("24", "Santa Elena", 1, 3),
    ("09", "Guayas", 2, 3),
    ("02", "Bolívar", 3, 3),
    ("05", "Cotopaxi", 4, 3),
    ("18", "Tungurahua", 5, 3),
    ("16", "Pastaza", 6, 3),
    ("03", "Cañar", 3, 4),
    ("06", "Chimborazo", 4, 4),
    ("14", "Morona Santiago", 5, 4),
    ("07", "El Oro", 2, 5),
    ("01", "Azuay", 3, 5),
    ("11", "Loja", 3, 6),
    ("19", "Zamora Chinchipe", 4, 6),
)
PROVINCE_NAMES = {code: name for code, name, _c, _r in PROVINCES}
SHORT_NAMES = {"23": "Sto. Domingo", "14": "Morona S.", "19": "Zamora Ch."}
# Light to dark, each step distinguishable; the text colour switches to white from the fourth.
SCALE = ("#e8f1f3", "#b9d6dc", "#7fb3bf", "#3d8597", "#0b5563")


def is_dpa_name(name: str) -> bool:
    """Whether a column or attribute name says it holds DPA codes (dpa, cod_canton, dpa_parroquia…)."""
    return bool(DPA_NAME.match(_norm(str(name))))


def dpa_columns(columns) -> list[str]:
    """Columns whose name says DPA code and whose values look like 2-, 4- or 6-digit codes."""
    found = []
    for column in columns:
        if not is_dpa_name(column.name):
            continue
        low, high = column.stats.min, column.stats.max
        if (
            str(column.type) == "integer"
            and low is not None
            and int(low) >= 1
            and int(high) <= 999999
            or str(column.type) == "text"
            and low is not None
            and re.fullmatch(r"\d{2}(\d{2}){0,2}", str(low).strip())
        ):
            found.append(column.name)
    return found


def dpa_code(value) -> str | None:
    """A province, canton or parish code as 2, 4 or 6 digits (integers lose their leading zero)."""
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip()
    if isinstance(value, int | float):
        text = str(int(value))
    if not text.isdigit() or len(text) > 6:
        return None
    if len(text) % 2:
        text = "0" + text
    return text


def province_code(value) -> str | None:
    """The two-digit province of a province, canton or parish code."""
    code = dpa_code(value)
    return code[:2] if code else None


@dataclass
class ProvinceValue:
    code: str
    name: str
    value: float | None = None
    count: int = 0  # rows behind the value, for averages


def combine(
    groups: list[tuple[object, float | None, int]], func: str, *, provinces: bool = True
) -> dict[str, ProvinceValue]:
    """Fold (code, value, rows) groups of any DPA level into provinces with the same aggregate;
    with provinces=False, codes written differently (1301 and "1301") are folded into one."""
    result: dict[str, ProvinceValue] = {}
    for raw, value, rows in groups:
        code = province_code(raw) if provinces else dpa_code(raw)
        if code is None or value is None:
            continue
        name = PROVINCE_NAMES.get(code, _("Unassigned areas")) if provinces else code
        item = result.setdefault(code, ProvinceValue(code, name))
        value = float(value)
        if item.value is None:
            item.value = value * rows if func == "avg" else value
        elif func in ("count", "sum"):
            item.value += value
        elif func == "avg":
            item.value += value * rows
        elif func == "min":
            item.value = min(item.value, value)
        elif func == "max":
            item.value = max(item.value, value)
        item.count += rows
    if func == "avg":
        for item in result.values():
            item.value = item.value / item.count if item.count else None
    return result


def _tile(code, name, short, value, step, fmt, column: int, row: int, tile: int, gap: int, pad: int) -> dict:
    """One square of a tile-grid map, as both grid templates draw it."""
    x, y = pad + column * (tile + gap), pad + row * (tile + gap)
    return {
        "code": code,
        "name": name,
        "short": short,
        "x": x,
        "y": y,
        "size": tile,
        "text_x": x + tile / 2,
        "name_y": y + 30,
        "value_y": y + 54,
        "value": fmt(value) if value is not None else "—",
        "fill": SCALE[step] if step is not None else "#ffffff",
        "ink": "#ffffff" if step is not None and step >= 3 else "#1d2327",
        "empty": value is None,
    }


def _classes(present: list[float], fmt):
    """(step of a value, legend): equal steps between the smallest and largest value."""
    low, high = (min(present), max(present)) if present else (0.0, 0.0)
    steps = len(SCALE)

    def step_of(value):
        if value is None:
            return None
        if high == low:
            return steps - 1
        return min(steps - 1, int((value - low) / (high - low) * steps))

    legend = []
    if present and high == low:  # one value everywhere: one class, not five identical ranges
        legend.append({"fill": SCALE[-1], "text": fmt(high)})
    # Whole numbers (counts, people) get whole-number classes: a value falls in step i when
    # start <= value < end (the last step holds the largest), so the step's first and last
    # whole numbers are said, and a step no whole number can fall in is left out.
    whole = all(float(value).is_integer() for value in present)
    for i, colour in enumerate(SCALE if present and high != low else ()):
        start = low + (high - low) * i / steps
        end = low + (high - low) * (i + 1) / steps
        if not whole:
            legend.append({"fill": colour, "text": f"{fmt(start)} – {fmt(end)}"})
            continue
        first = math.ceil(start)
        last = int(high) if i == steps - 1 else math.ceil(end) - 1
        if first > last:
            continue
        text = fmt(first) if first == last else f"{fmt(first)} – {fmt(last)}"
        legend.append({"fill": colour, "text": text})
    return step_of, legend


def province_grid(values: dict[str, ProvinceValue], fmt) -> dict:
    """Tiles with fill by quantile-free equal steps between the smallest and largest value."""
    tile, gap, pad = 84, 4, 8
    present = [v.value for v in values.values() if v.value is not None and v.code in PROVINCE_NAMES]
    step_of, legend = _classes(present, fmt)

    tiles = []
    for code, name, column, row in PROVINCES:
        item = values.get(code)
        value = item.value if item else None
        tiles.append(
            _tile(code, name, SHORT_NAMES.get(code, name), value, step_of(value), fmt, column, row, tile, gap, pad)
        )
    return {
        "width": pad * 2 + 7 * (tile + gap),
        "height": pad * 2 + 7 * (tile + gap),
        "tiles": tiles,
        "legend": legend,
    }


# -- figures on published boundaries ----------------------------------------------------------


def area_choropleth(items: list[tuple[Feature, str, float | None]], fmt) -> dict:
    """An SVG choropleth of (area, DPA code, value): the areas drawn as `draw` draws them, each
    filled in the province grid's light-to-dark steps, with the legend."""
    drawing = draw([feature for feature, _code, _value in items])
    step_of, legend = _classes([value for _f, _c, value in items if value is not None], fmt)
    for shape in drawing["shapes"]:
        _feature, code, value = items[shape["index"]]
        step = step_of(value)
        shape.update(
            code=code,
            value=fmt(value) if value is not None else "—",
            fill=SCALE[step] if step is not None else "#ffffff",
        )
    drawing["legend"] = legend
    return drawing


def area_feature(name: str, geometry: dict) -> Feature | None:
    """A published boundary as a drawable area; None when it has no polygon."""
    try:
        parts = [part for kind, pieces in _geometry(geometry, [0]) if kind == "area" for part in pieces]
    except MapError:
        return None
    return Feature(name=name, kind="area", parts=parts) if parts else None


# -- territories inside a province: cantons, parishes -----------------------------------------

# (column, row) of the cantons of Manabí (13), north at the top and the coast on the left, placed
# roughly where each lies like the province grid above. Provinces without a layout here get
# their cantons, and every government its parishes, in DPA code order.
CANTON_LAYOUTS = {
    "13": {
        "1317": (2, 0),  # Pedernales
        "1320": (1, 1),  # Jama
        "1304": (3, 1),  # El Carmen
        "1322": (1, 2),  # San Vicente
        "1303": (2, 2),  # Chone
        "1305": (3, 2),  # Flavio Alfaro
        "1314": (0, 3),  # Sucre
        "1315": (1, 3),  # Tosagua
        "1302": (2, 3),  # Bolívar
        "1311": (3, 3),  # Pichincha
        "1321": (0, 4),  # Jaramijó
        "1312": (1, 4),  # Rocafuerte
        "1307": (2, 4),  # Junín
        "1308": (0, 5),  # Manta
        "1301": (1, 5),  # Portoviejo
        "1313": (2, 5),  # Santa Ana
        "1309": (0, 6),  # Montecristi
        "1306": (1, 6),  # Jipijapa
        "1316": (2, 6),  # 24 de Mayo
        "1318": (3, 6),  # Olmedo
        "1319": (0, 7),  # Puerto López
        "1310": (2, 7),  # Paján
    }
}
GRID_COLUMNS = 6
SHORT_NAME_CHARS = 12


@dataclass
class TerritoryValue:
    code: str  # DPA code: 2, 4 or 6 digits
    name: str
    value: float | None


def territory_layout(codes: list[str]) -> tuple[dict[str, tuple[int, int]], bool]:
    """({code: (column, row)}, whether the positions follow the geography). Provinces use the
    province grid and the cantons of a province with a layout use theirs; anything else is
    laid out in code order, a few to a row."""
    codes = sorted(set(codes))
    if codes and all(len(code) == 2 for code in codes) and set(codes) <= set(PROVINCE_NAMES):
        return {code: (column, row) for code, _name, column, row in PROVINCES if code in codes}, True
    if codes and all(len(code) == 4 for code in codes):
        layout = CANTON_LAYOUTS.get(codes[0][:2], {})
        if set(codes) <= set(layout):
            return {code: layout[code] for code in codes}, True
    return {code: (i % GRID_COLUMNS, i // GRID_COLUMNS) for i, code in enumerate(codes)}, False


def _short(name: str) -> str:
    return name if len(name) <= SHORT_NAME_CHARS else name[: SHORT_NAME_CHARS - 1].rstrip() + "…"


def _short_names(items) -> dict[str, str]:
    """{code: the name a tile shows}: cut to fit, and never cut into ambiguity: two
    territories whose cut names would read alike show their DPA codes after the cut."""
    shorts = {item.code: _short(item.name or item.code) for item in items}
    seen: dict[str, set[str]] = {}
    for item in items:
        seen.setdefault(shorts[item.code], set()).add(item.name or item.code)
    for item in items:
        if len(seen[shorts[item.code]]) > 1:
            shorts[item.code] = f"{(item.name or '')[: SHORT_NAME_CHARS - 6].rstrip()}… {item.code}"
    return shorts


def territory_grid(items: list[TerritoryValue], fmt) -> dict:
    """A tile-grid cartogram of territories (provinces, cantons or parishes by DPA code), each
    filled by its value in the province grid's light-to-dark steps. Territories without a code
    are left out: the caller's table shows them."""
    tile, gap, pad = 84, 4, 8
    items = [item for item in items if item.code and item.code.isdigit()]
    positions, geographic = territory_layout([item.code for item in items])
    step_of, legend = _classes([item.value for item in items if item.value is not None], fmt)
    columns = max((column for column, _row in positions.values()), default=-1) + 1
    rows = max((row for _column, row in positions.values()), default=-1) + 1
    tiles = []
    shorts = _short_names(items)
    for item in sorted(items, key=lambda item: (positions[item.code][1], positions[item.code][0])):
        column, row = positions[item.code]
        short = shorts[item.code]
        tiles.append(
            _tile(item.code, item.name, short, item.value, step_of(item.value), fmt, column, row, tile, gap, pad)
        )
    return {
        "width": pad * 2 + columns * (tile + gap),
        "height": pad * 2 + rows * (tile + gap),
        "tiles": tiles,
        "legend": legend,
        "geographic": geographic,
    }
