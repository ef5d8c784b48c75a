"""Reading the files officials upload into features in the file's own coordinate system:
GeoJSON, a zipped shapefile (pyshp, the CRS from its .prj), a GeoPackage (SQLite: its
gpkg_contents, gpkg_geometry_columns and gpkg_spatial_ref_sys tables, GeoPackage binary
geometries decoded to WKB) or a CSV with coordinate columns or a WKT column.

Readers never touch the database; a file that cannot be read raises ReadError with a message
for the official. Reprojection and geometry checks happen afterwards (preparation.py)."""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import json
import os
import re
import sqlite3
import struct
import tempfile
import zipfile
from dataclasses import dataclass, field

import shapefile
import shapely
from django.utils.translation import gettext as _
from pyproj import CRS
from shapely.errors import GEOSException

from minga.core import spatial

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_FEATURES = 50_000

LON_NAMES = {"lon", "lng", "long", "longitud", "longitude", "x_lon"}
LAT_NAMES = {"lat", "latitud", "latitude", "y_lat"}
X_NAMES = {"x", "este", "easting", "coord_x", "coordx", "utm_x", "utm_este"}
Y_NAMES = {"y", "norte", "northing", "coord_y", "coordy", "utm_y", "utm_norte"}
WKT_NAMES = {"wkt", "geometria", "geometría", "geometry", "geom", "the_geom"}


class ReadError(ValueError):
    """The file as a whole cannot be read; the message says why."""


@dataclass
class RawFeature:
    number: int  # position in the file, from 1: what the report names
    properties: dict
    geometry: shapely.Geometry | None
    error: str = ""  # why the geometry could not be read at all


@dataclass
class RawLayer:
    features: list[RawFeature]
    crs: CRS | None  # None: the file does not say
    crs_source: str = ""  # where the CRS came from, for the report
    notes: list[str] = field(default_factory=list)
    # Coordinates named longitude/latitude (or plain GeoJSON) are WGS 84 unless the file says
    # otherwise; x/y columns, shapefiles without .prj and undefined GeoPackage systems are not.
    assumes_wgs84: bool = False


def detect_format(name: str, head: bytes) -> str:
    extension = os.path.splitext(name or "")[1].lower()
    if head.startswith(b"SQLite format 3\x00"):
        return "gpkg"
    if head.startswith(b"PK\x03\x04"):
        return "shapefile"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{"):
        return "geojson"
    if extension in (".csv", ".txt", ".tsv") and b"\x00" not in head:
        return "csv"
    if extension in (".geojson", ".json"):
        return "geojson"
    if b"\x00" not in head[:4096]:
        return "csv"
    raise ReadError(_("The file is neither GeoJSON, a zipped shapefile, a GeoPackage nor a CSV with coordinates."))


def read_layer(name: str, data: bytes) -> RawLayer:
    if not data:
        raise ReadError(_("The file is empty."))
    if len(data) > MAX_FILE_BYTES:
        raise ReadError(_("The file is larger than %(max)s MB.") % {"max": MAX_FILE_BYTES // (1024 * 1024)})
    kind = detect_format(name, data[:8192])
    reader = {"geojson": read_geojson, "shapefile": read_shapefile, "gpkg": read_geopackage, "csv": read_csv}[kind]
    layer = reader(data)
    if not layer.features:
        raise ReadError(_("The file has no features."))
    if len(layer.features) > MAX_FEATURES:
        raise ReadError(_("The file has more than %(max)s features.") % {"max": f"{MAX_FEATURES:,}".replace(",", ".")})
    return layer


def crs_from_text(text: str) -> CRS:
    try:
        return spatial.parse_crs(text)
    except spatial.UnknownCRS as exc:
        raise ReadError(str(exc)) from exc


def _cell(value):
    """Attribute values as JSON-friendly scalars."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else None
    if isinstance(value, bytes):
        return None
    return str(value)


def _geometry_from_geojson(value) -> tuple[shapely.Geometry | None, str]:
    if value is None:
        return None, ""
    try:
        return shapely.from_geojson(json.dumps(value)), ""
    except (GEOSException, ValueError, TypeError) as exc:
        return None, _("the geometry cannot be read (%(reason)s)") % {"reason": str(exc)[:120]}


# GeoJSON ---------------------------------------------------------------------------------


def read_geojson(data: bytes) -> RawLayer:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ReadError(_("The file is not valid JSON, so it cannot be read as GeoJSON.")) from exc
    if not isinstance(document, dict):
        raise ReadError(_("The file is JSON but not GeoJSON: it has no “type”."))
    kind = document.get("type")
    if kind == "FeatureCollection":
        items = document.get("features")
        if not isinstance(items, list):
            raise ReadError(_("The FeatureCollection has no list of features."))
    elif kind == "Feature":
        items = [document]
    elif kind in (
        "Point",
        "MultiPoint",
        "LineString",
        "MultiLineString",
        "Polygon",
        "MultiPolygon",
        "GeometryCollection",
    ):
        items = [{"type": "Feature", "geometry": document, "properties": {}}]
    else:
        raise ReadError(_("The file is JSON but not GeoJSON: unknown type “%(type)s”.") % {"type": str(kind)[:40]})
    try:
        crs = spatial.geojson_crs(document)
    except spatial.UnknownCRS as exc:
        raise ReadError(str(exc)) from exc
    source = _("the file's “crs” member") if crs is not None else ""
    features = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict) or item.get("type") != "Feature":
            features.append(RawFeature(number, {}, None, _("it is not a GeoJSON Feature")))
            continue
        properties = item.get("properties") if isinstance(item.get("properties"), dict) else {}
        geometry, error = _geometry_from_geojson(item.get("geometry"))
        clean = {str(key)[:80]: _cell(value) for key, value in properties.items()}
        features.append(RawFeature(number, clean, geometry, error))
    return RawLayer(features, crs, source, assumes_wgs84=crs is None)


# Shapefile (zipped) ----------------------------------------------------------------------


def _zip_members(data: bytes) -> dict[str, bytes]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ReadError(_("The file is not a valid ZIP archive.")) from exc
    with archive:
        infos = [info for info in archive.infolist() if not info.is_dir() and "__MACOSX" not in info.filename]
        if sum(info.file_size for info in infos) > MAX_UNZIPPED_BYTES:
            raise ReadError(_("The ZIP archive is too large once unpacked."))
        return {info.filename: archive.read(info) for info in infos}


def read_shapefile(data: bytes) -> RawLayer:
    members = _zip_members(data)
    shps = sorted(name for name in members if name.lower().endswith(".shp"))
    if not shps:
        raise ReadError(_("The ZIP archive holds no shapefile (.shp)."))
    if len(shps) > 1:
        raise ReadError(
            _("The ZIP archive holds several shapefiles (%(names)s): upload one layer at a time.")
            % {"names": ", ".join(os.path.basename(name) for name in shps[:5])}
        )
    stem = shps[0][:-4]

    def sibling(extension: str) -> bytes | None:
        for name, content in members.items():
            if name[:-4] == stem and name.lower().endswith(extension):
                return content
        return None

    dbf, shx, prj, cpg = sibling(".dbf"), sibling(".shx"), sibling(".prj"), sibling(".cpg")
    if dbf is None:
        raise ReadError(_("The shapefile has no .dbf file with its attributes."))
    encoding = "utf-8"
    if cpg:
        candidate = cpg.decode("ascii", "ignore").strip()
        with contextlib.suppress(LookupError):
            encoding = codecs.lookup(candidate).name if candidate else encoding
    try:
        reader = shapefile.Reader(
            shp=io.BytesIO(members[shps[0]]),
            dbf=io.BytesIO(dbf),
            shx=io.BytesIO(shx) if shx else None,
            encoding=encoding,
            encodingErrors="replace",
        )
    except (shapefile.ShapefileException, struct.error, ValueError, LookupError) as exc:
        raise ReadError(_("The shapefile cannot be read (%(reason)s).") % {"reason": str(exc)[:120]}) from exc
    crs, source = None, ""
    if prj and prj.strip():
        crs = crs_from_text(prj.decode("utf-8", "replace"))
        source = _("the shapefile's .prj file")
    features = []
    with reader:
        names = [f[0] for f in reader.fields[1:]]
        try:
            for number, record in enumerate(reader.iterShapeRecords(), start=1):
                properties = {name[:80]: _cell(value) for name, value in zip(names, record.record, strict=False)}
                shape = record.shape
                if shape.shapeType == shapefile.NULL:
                    features.append(RawFeature(number, properties, None))
                    continue
                geometry, error = _geometry_from_geojson(shape.__geo_interface__)
                features.append(RawFeature(number, properties, geometry, error))
        except (shapefile.ShapefileException, struct.error, ValueError, IndexError) as exc:
            raise ReadError(_("The shapefile cannot be read (%(reason)s).") % {"reason": str(exc)[:120]}) from exc
    return RawLayer(features, crs, source)


# GeoPackage ------------------------------------------------------------------------------

ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


def decode_gpkg_geometry(blob: bytes) -> shapely.Geometry | None:
    """GeoPackage binary (header "GP", version, flags, srs_id, optional envelope) to shapely."""
    if blob is None:
        return None
    blob = bytes(blob)
    if len(blob) < 8 or blob[:2] != b"GP":
        raise ValueError(_("not a GeoPackage geometry"))
    flags = blob[3]
    envelope = ENVELOPE_BYTES.get((flags >> 1) & 0b111)
    if envelope is None:
        raise ValueError(_("unknown envelope in a GeoPackage geometry"))
    if flags & 0b10000:  # the empty-geometry flag
        return shapely.from_wkb(blob[8 + envelope :]) if len(blob) > 8 + envelope else shapely.Point()
    return shapely.from_wkb(blob[8 + envelope :])


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def read_geopackage(data: bytes) -> RawLayer:
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "layer.gpkg")
        with open(path, "wb") as handle:
            handle.write(data)
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return _read_geopackage(connection)
        except sqlite3.DatabaseError as exc:
            raise ReadError(_("The GeoPackage cannot be read (%(reason)s).") % {"reason": str(exc)[:120]}) from exc
        finally:
            connection.close()


def _read_geopackage(connection: sqlite3.Connection) -> RawLayer:
    try:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT table_name FROM gpkg_contents WHERE data_type = 'features' ORDER BY table_name"
            )
        ]
    except sqlite3.OperationalError as exc:
        raise ReadError(
            _("The file is an SQLite database but not a GeoPackage (it has no gpkg_contents table).")
        ) from exc
    if not tables:
        raise ReadError(_("The GeoPackage has no feature table."))
    table = tables[0]
    notes = []
    if len(tables) > 1:
        notes.append(
            _("The GeoPackage has %(count)s feature tables; the first, “%(table)s”, was read.")
            % {"count": len(tables), "table": table}
        )
    found = connection.execute(
        "SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?", (table,)
    ).fetchone()
    if found is None:
        raise ReadError(
            _("The GeoPackage does not say which column of “%(table)s” holds the geometry.") % {"table": table}
        )
    geometry_column, srs_id = found
    crs, source = _gpkg_crs(connection, srs_id)
    columns = [row[1] for row in connection.execute(f"PRAGMA table_info({_quoted(table)})")]  # noqa: S608
    keys = {row[1] for row in connection.execute(f"PRAGMA table_info({_quoted(table)})") if row[5]}  # noqa: S608
    attributes = [c for c in columns if c != geometry_column and c not in keys]
    selected = ", ".join(_quoted(c) for c in [geometry_column, *attributes])
    features = []
    rows = connection.execute(f"SELECT {selected} FROM {_quoted(table)}")  # noqa: S608 - names from the file's schema, quoted
    for number, row in enumerate(rows, start=1):
        if number > MAX_FEATURES:
            raise ReadError(
                _("The file has more than %(max)s features.") % {"max": f"{MAX_FEATURES:,}".replace(",", ".")}
            )
        properties = {name[:80]: _cell(value) for name, value in zip(attributes, row[1:], strict=True)}
        try:
            geometry, error = decode_gpkg_geometry(row[0]), ""
        except (GEOSException, ValueError, TypeError) as exc:
            geometry, error = None, _("the geometry cannot be read (%(reason)s)") % {"reason": str(exc)[:120]}
        features.append(RawFeature(number, properties, geometry, error))
    return RawLayer(features, crs, source, notes=notes)


def _gpkg_crs(connection, srs_id) -> tuple[CRS | None, str]:
    if srs_id in (None, 0, -1):  # the GeoPackage's "undefined" systems
        return None, ""
    row = connection.execute(
        "SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?",
        (srs_id,),
    ).fetchone()
    source = _("the GeoPackage's gpkg_spatial_ref_sys table")
    if row is None:
        raise ReadError(_("The GeoPackage refers to coordinate system %(id)s but does not define it.") % {"id": srs_id})
    organization, code, definition = row
    if organization and str(organization).upper() == "EPSG" and code:
        return crs_from_text(f"EPSG:{int(code)}"), source
    if definition and definition.strip().lower() != "undefined":
        return crs_from_text(definition), source
    return None, ""


# CSV -------------------------------------------------------------------------------------


def _decode_text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        with contextlib.suppress(UnicodeDecodeError):
            return data.decode(encoding)
    return data.decode("latin-1")


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9_áéíóú]", "", name.strip().lower())


def parse_number(text: str) -> float | None:
    text = (text or "").strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    if "," in text and "." in text:  # 1.234,56 or 1,234.56: the last separator is the decimal one
        text = text.replace(".", "").replace(",", ".") if text.rfind(",") > text.rfind(".") else text.replace(",", "")
    elif "," in text:
        text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


def read_table(data: bytes) -> tuple[list[str], list[dict[str, str]]]:
    text = _decode_text(data)
    sample = text[:20000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(text), dialect))
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise ReadError(_("The file is empty."))
    header = [cell.strip() for cell in rows[0]]
    if len(set(header)) != len(header) or not all(header):
        raise ReadError(_("Every column of the first row needs a name, and names cannot repeat."))
    records = [dict(zip(header, [cell.strip() for cell in row], strict=False)) for row in rows[1:]]
    return header, records


def read_csv(data: bytes) -> RawLayer:
    header, records = read_table(data)
    by_norm = {_norm(name): name for name in header}

    def pick(names):
        return next((by_norm[n] for n in by_norm if n in names), None)

    lon, lat = pick(LON_NAMES), pick(LAT_NAMES)
    x, y = pick(X_NAMES), pick(Y_NAMES)
    wkt = pick(WKT_NAMES)
    if lon and lat:
        columns, assumes_wgs84 = (lon, lat), True
    elif x and y:
        columns, assumes_wgs84 = (x, y), False
    elif wkt:
        # WKT says nothing of its system; longitude/latitude is the common case, and projected
        # coordinates are caught by the range check with a message asking for the EPSG code.
        columns, assumes_wgs84 = None, True
    else:
        raise ReadError(
            _(
                "The CSV has no coordinate columns: name them longitud and latitud (or lon and lat), x and y "
                "(or este and norte) for projected coordinates, or give a column wkt with the geometry."
            )
        )
    features = []
    for number, record in enumerate(records, start=1):
        geometry, error = None, ""
        if columns:
            first, second = (parse_number(record.get(name, "")) for name in columns)
            properties = {k[:80]: v for k, v in record.items() if k not in columns}
            if first is None and second is None and not any(record.get(c, "").strip() for c in columns):
                geometry = None
            elif first is None or second is None:
                error = _("its coordinates are not numbers (%(x)s, %(y)s)") % {
                    "x": record.get(columns[0], "")[:30],
                    "y": record.get(columns[1], "")[:30],
                }
            else:
                geometry = shapely.Point(first, second)
        else:
            properties = {k[:80]: v for k, v in record.items() if k != wkt}
            text = record.get(wkt, "").strip()
            if text:
                try:
                    geometry = shapely.from_wkt(text)
                except (GEOSException, ValueError) as exc:
                    error = _("its WKT cannot be read (%(reason)s)") % {"reason": str(exc)[:120]}
        features.append(RawFeature(number, properties, geometry, error))
    return RawLayer(features, None, "", assumes_wgs84=assumes_wgs84)
