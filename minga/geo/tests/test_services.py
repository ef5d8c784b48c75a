"""Uploads through the services: every format, the reprojections, and each bad-input branch
(invalid, empty or missing geometries, unknown or missing CRS), which refuses the whole file
and leaves the previous version of the layer live."""

from __future__ import annotations

import io
import json
import sqlite3
import struct
import zipfile

import pytest
import shapefile
import shapely
from pyproj import CRS, Transformer

from minga.core.audit.models import AuditEntry
from minga.core.tenancy.scoping import government_scope

from .. import services
from ..models import Choropleth, Feature, Layer
from .conftest import NOW, feature_collection, make_layer, point, square

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _inside_the_government(government):
    """The services run inside their government's scope, as a request or a job runs them: a
    query that reaches for another government's rows raises ScopeError here."""
    with government_scope(government):
        yield


PORTOVIEJO = (-80.4544, -1.0546)


def projected(epsg: int, lon: float, lat: float) -> tuple[float, float]:
    return Transformer.from_crs(4326, epsg, always_xy=True).transform(lon, lat)


def refused(government, data: bytes, file_name="capa.geojson", declared_crs="") -> services.ImportReport:
    with pytest.raises(services.ImportRefused) as caught:
        services.layer_create(
            actor=None, government=government, title="Capa", file_name=file_name, data=data, declared_crs=declared_crs
        )
    return caught.value.report


def messages(report) -> list[tuple[int | None, str]]:
    return [(problem.number, problem.message) for problem in report.problems]


def shapefile_zip(points_utm, *, prj: str | None, kind=shapefile.POINT) -> bytes:
    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    writer = shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=kind)
    writer.field("nombre", "C", size=40)
    writer.field("camas", "N", size=6)
    for number, (x, y) in enumerate(points_utm, start=1):
        writer.point(x, y)
        writer.record(f"Centro {number}", number * 10)
    writer.close()
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("centros/centros.shp", shp.getvalue())
        bundle.writestr("centros/centros.shx", shx.getvalue())
        bundle.writestr("centros/centros.dbf", dbf.getvalue())
        if prj is not None:
            bundle.writestr("centros/centros.prj", prj)
    return archive.getvalue()


def geopackage(tmp_path, geometries, *, srs_id=32717, organization="EPSG", with_envelope=True) -> bytes:
    path = tmp_path / "capa.gpkg"
    db = sqlite3.connect(path)
    db.executescript(
        """
        CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT, srs_id INTEGER PRIMARY KEY, organization TEXT,
            organization_coordsys_id INTEGER, definition TEXT, description TEXT);
        CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT, identifier TEXT, srs_id INTEGER);
        CREATE TABLE gpkg_geometry_columns (table_name TEXT, column_name TEXT, geometry_type_name TEXT,
            srs_id INTEGER, z INTEGER, m INTEGER);
        CREATE TABLE predios (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom BLOB, clave TEXT, area REAL);
        """
    )
    db.execute(
        "INSERT INTO gpkg_spatial_ref_sys VALUES ('UTM 17S', ?, ?, ?, ?, '')",
        (srs_id, organization, srs_id, CRS.from_epsg(32717).to_wkt() if organization != "EPSG" else "undefined"),
    )
    db.execute("INSERT INTO gpkg_contents VALUES ('predios', 'features', 'predios', ?)", (srs_id,))
    db.execute("INSERT INTO gpkg_geometry_columns VALUES ('predios', 'geom', 'POLYGON', ?, 0, 0)", (srs_id,))
    for number, geometry in enumerate(geometries, start=1):
        wkb = shapely.to_wkb(geometry)
        if with_envelope:
            west, south, east, north = geometry.bounds
            header = (
                b"GP\x00"
                + bytes([0b00000011])
                + struct.pack("<i", srs_id)
                + struct.pack("<4d", west, east, south, north)
            )
        else:
            header = b"GP\x00" + bytes([0b00000001]) + struct.pack("<i", srs_id)
        db.execute("INSERT INTO predios (geom, clave, area) VALUES (?, ?, ?)", (header + wkb, f"P-{number}", 12.5))
    db.commit()
    db.close()
    return path.read_bytes()


# Formats and reprojection ---------------------------------------------------------------


def test_geojson_in_wgs84_is_stored_with_bbox_columns(government):
    layer = make_layer(government)
    assert layer.feature_count == 3 and layer.geometry_kind == "point" and layer.original_crs == "EPSG:4326"
    assert layer.properties == ["nombre", "tipo"]
    assert layer.bbox == pytest.approx((-80.72, -1.05, -80.10, -0.30))
    first = Feature.objects.get(layer=layer, number=1)
    assert first.geometry == {"type": "Point", "coordinates": [-80.45, -1.05]}
    assert (first.min_x, first.max_y) == (-80.45, -1.05)
    entry = AuditEntry.objects.get(action="geo.layer.created")
    assert entry.object_id == str(layer.pk)


@pytest.mark.parametrize("epsg", [32717, 31977, 31992])
def test_geojson_with_a_crs_member_is_reprojected(government, epsg):
    x, y = projected(epsg, *PORTOVIEJO)
    data = feature_collection(point(x, y, nombre="Portoviejo"), crs=f"urn:ogc:def:crs:EPSG::{epsg}")
    layer, report = services.layer_create(
        actor=None, government=government, title="Capa", file_name="c.geojson", data=data
    )
    assert layer.original_crs == f"EPSG:{epsg}"
    lon, lat = Feature.objects.get(layer=layer).geometry["coordinates"]
    assert (lon, lat) == pytest.approx(PORTOVIEJO, abs=1e-6)


def test_zipped_shapefile_reads_its_prj(government):
    points = [projected(32717, -80.45, -1.05), projected(32717, -80.70, -0.95)]
    prj = CRS.from_epsg(32717).to_wkt("WKT1_ESRI")
    layer, report = services.layer_create(
        actor=None, government=government, title="Centros", file_name="centros.zip", data=shapefile_zip(points, prj=prj)
    )
    assert layer.original_crs == "EPSG:32717" and "prj" in report.crs_source
    assert layer.properties == ["nombre", "camas"]
    feature = Feature.objects.get(layer=layer, number=2)
    assert feature.properties == {"nombre": "Centro 2", "camas": 20}
    assert feature.geometry["coordinates"] == pytest.approx([-80.70, -0.95], abs=1e-6)


@pytest.mark.parametrize("with_envelope", [True, False])
def test_geopackage_binary_geometries_are_decoded(government, tmp_path, with_envelope):
    west, south = projected(32717, -80.46, -1.06)
    parcels = [
        shapely.box(west, south, west + 500, south + 400),
        shapely.box(west + 600, south, west + 900, south + 300),
    ]
    data = geopackage(tmp_path, parcels, with_envelope=with_envelope)
    layer, report = services.layer_create(
        actor=None, government=government, title="Predios", file_name="p.gpkg", data=data
    )
    assert layer.feature_count == 2 and layer.geometry_kind == "area" and layer.original_crs == "EPSG:32717"
    assert layer.properties == ["clave", "area"]
    feature = Feature.objects.get(layer=layer, number=1)
    assert feature.properties == {"clave": "P-1", "area": 12.5}
    assert feature.min_x == pytest.approx(-80.46, abs=1e-4)


def test_geopackage_crs_from_its_definition_when_not_epsg(government, tmp_path):
    west, south = projected(32717, -80.46, -1.06)
    data = geopackage(tmp_path, [shapely.box(west, south, west + 100, south + 100)], srs_id=100001, organization="NONE")
    layer, _ = services.layer_create(actor=None, government=government, title="Predios", file_name="p.gpkg", data=data)
    assert layer.original_crs == "EPSG:32717"


def test_csv_with_lon_lat_and_csv_with_projected_x_y(government):
    lonlat = "nombre;longitud;latitud\nPozo 1;-80,45;-1,05\nPozo 2;-80,40;-1,00\n".encode("cp1252")
    layer, _ = services.layer_create(actor=None, government=government, title="Pozos", file_name="p.csv", data=lonlat)
    assert layer.feature_count == 2 and layer.original_crs == "EPSG:4326"
    x, y = projected(31977, *PORTOVIEJO)
    utm = f"nombre,este,norte\nCentro,{x:.2f},{y:.2f}\n".encode()
    layer, report = services.layer_create(
        actor=None, government=government, title="Centros", file_name="c.csv", data=utm, declared_crs="31977"
    )
    assert layer.original_crs == "EPSG:31977" and report.crs_source == "chosen in the upload form"
    assert Feature.objects.get(layer=layer).geometry["coordinates"] == pytest.approx(list(PORTOVIEJO), abs=1e-6)


def test_csv_with_a_wkt_column(government):
    data = b'nombre,wkt\nTramo,"LINESTRING (-80.5 -1.1, -80.4 -1.0)"\n'
    layer, _ = services.layer_create(actor=None, government=government, title="Tramos", file_name="t.csv", data=data)
    assert layer.geometry_kind == "line"


# Bad input ------------------------------------------------------------------------------


def test_invalid_geometries_are_repaired_and_reported(government):
    bowtie = {
        "type": "Feature",
        "properties": {"nombre": "Lazo"},
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[-80.5, -1.1], [-80.4, -1.0], [-80.4, -1.1], [-80.5, -1.0], [-80.5, -1.1]]],
        },
    }
    data = feature_collection(square(-80.6, -1.2, nombre="Sano"), bowtie)
    layer, report = services.layer_create(
        actor=None, government=government, title="Áreas", file_name="a.geojson", data=data
    )
    assert report.ok and layer.feature_count == 2
    assert [(p.number, p.message) for p in report.repaired] == [(2, "repaired: Self-intersection[-80.45 -1.05]")]
    stored = shapely.geometry.shape(Feature.objects.get(layer=layer, number=2).geometry)
    assert stored.is_valid and stored.geom_type == "MultiPolygon"


def test_a_geometry_that_cannot_be_repaired_refuses_the_file(government):
    collapsed = {
        "type": "Feature",
        "properties": {},
        "geometry": {"type": "Polygon", "coordinates": [[[-80.5, -1.0], [-80.4, -1.0], [-80.3, -1.0], [-80.5, -1.0]]]},
    }
    report = refused(government, feature_collection(square(-80.6, -1.2), collapsed))
    [(number, message)] = messages(report)
    assert number == 2 and message.startswith("its geometry is invalid and could not be repaired")
    assert not Layer.objects.filter(government=government).exists()


def test_empty_and_missing_geometries_are_named(government):
    empty = {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": []}}
    missing = {"type": "Feature", "properties": {}, "geometry": None}
    report = refused(government, feature_collection(point(-80.4, -1.0), empty, missing))
    assert messages(report) == [(2, "its geometry is empty"), (3, "it has no geometry")]


def test_unreadable_geometry_and_non_features(government):
    broken = {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": "no"}}
    data = json.dumps({"type": "FeatureCollection", "features": [broken, {"type": "Point"}]}).encode()
    report = refused(government, data)
    assert [n for n, _ in messages(report)] == [1, 2]
    assert messages(report)[1][1] == "it is not a GeoJSON Feature"


def test_projected_coordinates_without_a_crs_are_refused(government):
    x, y = projected(32717, *PORTOVIEJO)
    report = refused(government, feature_collection(point(x, y)))
    [(number, message)] = messages(report)
    assert number == 1 and "not longitude/latitude" in message and "EPSG" in message


def test_shapefile_without_prj_asks_for_the_crs(government):
    points = [projected(32717, -80.45, -1.05)]
    report = refused(government, shapefile_zip(points, prj=None), file_name="c.zip")
    [(number, message)] = messages(report)
    assert number is None and "does not say in which coordinate reference system" in message
    layer, _ = services.layer_create(
        actor=None,
        government=government,
        title="C",
        file_name="c.zip",
        data=shapefile_zip(points, prj=None),
        declared_crs="EPSG:32717",
    )
    assert layer.original_crs == "EPSG:32717"


def test_csv_with_x_y_and_no_crs_is_refused(government):
    report = refused(government, b"nombre,x,y\nA,561000,9883000\n", file_name="c.csv")
    assert "does not say in which coordinate reference system" in messages(report)[0][1]


@pytest.mark.parametrize(
    "data,file_name,declared,expected",
    [
        (feature_collection(point(-80.4, -1.0)), "c.geojson", "99999", "is not a coordinate reference system"),
        (
            feature_collection(point(-80.4, -1.0), crs="urn:ogc:def:crs:EPSG::99999"),
            "c.geojson",
            "",
            "is not a coordinate reference system",
        ),
        (b"{not json", "c.geojson", "", "not valid JSON"),
        (b'{"type": "Topology"}', "c.geojson", "", "unknown type"),
        (b"", "c.geojson", "", "The file is empty."),
        (b"PK\x03\x04broken", "c.zip", "", "not a valid ZIP"),
        (b"nombre,valor\nA,1\n", "c.csv", "", "no coordinate columns"),
        (b"SQLite format 3\x00" + b"\x00" * 200, "c.gpkg", "", "GeoPackage"),
        (feature_collection(), "c.geojson", "", "The file has no features."),
    ],
)
def test_files_that_cannot_be_read(government, data, file_name, declared, expected):
    report = refused(government, data, file_name=file_name, declared_crs=declared)
    assert expected in messages(report)[0][1]


def test_zip_with_two_shapefiles_is_refused(government):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("a.shp", b"")
        bundle.writestr("b.shp", b"")
    report = refused(government, archive.getvalue(), file_name="c.zip")
    assert "several shapefiles" in messages(report)[0][1]


def test_a_refused_new_version_leaves_the_previous_one_live(government):
    layer = make_layer(government)
    before = list(Feature.objects.filter(layer=layer).values_list("number", "geometry"))
    with pytest.raises(services.ImportRefused):
        services.layer_import(
            actor=None,
            government=government,
            layer=layer,
            file_name="v2.geojson",
            data=feature_collection(point(-80.4, -1.0), {"type": "Feature", "properties": {}, "geometry": None}),
        )
    layer.refresh_from_db()
    assert layer.version == 1 and layer.feature_count == 3
    assert list(Feature.objects.filter(layer=layer).values_list("number", "geometry")) == before
    assert not AuditEntry.objects.filter(action="geo.layer.imported").exists()


def test_a_new_version_replaces_the_features(government):
    layer = make_layer(government, style_kind="categories", style_property="tipo")
    report = services.layer_import(
        actor=None,
        government=government,
        layer=layer,
        file_name="v2.geojson",
        data=feature_collection(point(-80.3, -0.9, nombre="Nuevo")),
    )
    layer.refresh_from_db()
    assert layer.version == 2 and layer.feature_count == 1 and layer.imported_file == "v2.geojson"
    # The new file has no "tipo": the layer falls back to one colour and says so.
    assert layer.style_kind == "single" and "one colour" in report.notes[0]
    assert AuditEntry.objects.filter(action="geo.layer.imported", object_id=str(layer.pk)).exists()


def test_style_attribute_must_exist(government):
    from django.core.exceptions import ValidationError

    layer = make_layer(government)
    with pytest.raises(ValidationError) as caught:
        services.layer_update(
            actor=None, government=government, layer=layer, style_kind="categories", style_property="camas"
        )
    assert "style_property" in caught.value.message_dict


# Choropleths ----------------------------------------------------------------------------


@pytest.fixture
def parishes(government):
    data = feature_collection(
        square(-80.5, -1.1, nombre="Parroquia A", dpa="130150"),
        square(-80.4, -1.1, nombre="Parroquia B", dpa="130151"),
    )
    return make_layer(government, title="Parroquias", data=data)


def test_choropleth_joins_figures_on_the_dpa_code(government, parishes):
    table = b"codigo_dpa;poblacion\n130150;1.234,5\n130151;5678\n139999;10\n"
    choropleth, report = services.choropleth_create(
        actor=None,
        government=government,
        layer=parishes,
        title="Población",
        join_property="dpa",
        value_label="habitantes",
        value_column="poblacion",
        file_name="p.csv",
        data=table,
    )
    assert choropleth.values == {"130150": 1234.5, "130151": 5678.0, "139999": 10.0}
    assert report.unmatched_codes == ["139999"] and report.feature_count == 2
    assert AuditEntry.objects.filter(action="geo.choropleth.created").exists()


@pytest.mark.parametrize(
    "table,expected",
    [
        (b"dpa,poblacion\n13015,10\n", (2, "is not a DPA code")),
        (b"dpa,poblacion\n130150,muchos\n", (2, "is not a number")),
        (b"dpa,poblacion\n130150,1\n130150,2\n", (3, "more than once")),
        (b"canton,poblacion\n130150,1\n", (None, "No column of the table is named as a DPA code")),
        (b"dpa,habitantes\n130150,1\n", (None, "no column")),
        (b"dpa,poblacion\n139998,1\n", (None, "No code of the table matches")),
    ],
)
def test_choropleth_tables_that_are_refused(government, parishes, table, expected):
    with pytest.raises(services.ImportRefused) as caught:
        services.choropleth_create(
            actor=None,
            government=government,
            layer=parishes,
            title="Población",
            join_property="dpa",
            value_label="habitantes",
            value_column="poblacion",
            file_name="p.csv",
            data=table,
        )
    [problem] = caught.value.report.problems
    assert problem.number == expected[0] and expected[1] in problem.message
    assert not Choropleth.objects.exists()


def test_choropleths_need_areas(government):
    points = make_layer(government)
    with pytest.raises(services.ImportRefused) as caught:
        services.choropleth_create(
            actor=None,
            government=government,
            layer=points,
            title="X",
            join_property="tipo",
            value_label="x",
            value_column="v",
            file_name="p.csv",
            data=b"dpa,v\n13,1\n",
        )
    assert "areas" in caught.value.report.problems[0].message


def test_deleting_a_layer_is_audited(government):
    layer = make_layer(government)
    pk = layer.pk
    services.layer_delete(actor=None, government=government, layer=layer, now=NOW)
    assert not Feature.objects.exists()
    assert AuditEntry.objects.filter(action="geo.layer.deleted", object_id=str(pk)).exists()
