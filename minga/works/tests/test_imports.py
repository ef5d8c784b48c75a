"""Loading works from GeoJSON: all or nothing with a report naming each problem, the
previous data stays live, and loading the same file twice changes nothing."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from pyproj import Transformer

from minga.core.audit.models import AuditEntry
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import gov_url, login_verified

from ..imports import ImportRefused, projects_import
from ..models import Project
from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def feature(ident, title, geometry=None, **properties):
    return {
        "type": "Feature",
        "id": ident,
        "geometry": geometry or {"type": "Point", "coordinates": [-80.45, -1.05]},
        "properties": {"titulo": title, **properties},
    }


def collection(*features, **extra):
    return json.dumps({"type": "FeatureCollection", "features": list(features), **extra}).encode()


GOOD = collection(
    feature(
        "puente-a",
        "Puente A",
        sector="roads",
        estado="En construcción",
        monto_planificado="150000.50",
        partidas="2026:3.01.750104",
    ),
    feature(
        "via-b",
        "Vía B",
        {"type": "LineString", "coordinates": [[-80.5, -1.1], [-80.4, -1.0]]},
        sector="Vialidad y puentes",
        ocids="ocds-5wno2w-B-1",
        objetivos_pdot="OE1; OE2",
        publicado="sí",
    ),
)


def _load(government, raw):
    with government_scope(government):
        return projects_import(actor=None, government=government, raw=raw)


def test_a_good_file_loads_and_loading_it_again_changes_nothing(government):
    result = _load(government, GOOD)
    assert sorted(result.created) == ["puente-a", "via-b"]
    with government_scope(government):
        via = Project.objects.get(slug="via-b")
        assert via.geometry_type == "line" and via.pdot_objectives == ["OE1", "OE2"] and via.is_published
        assert [link.key for link in via.links.all()] == ["ocds-5wno2w-B-1"]
        assert Project.objects.get(slug="puente-a").status == "implementation"
        entries = AuditEntry.objects.count()
    again = _load(government, GOOD)
    assert again.created == [] and again.updated == [] and sorted(again.unchanged) == ["puente-a", "via-b"]
    with government_scope(government):
        assert AuditEntry.objects.count() == entries


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b'{"type": "Feature"}', "not a GeoJSON FeatureCollection"),
        (collection(), "no features"),
        (
            collection(feature("x", "X"), crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::999999"}}),
            "EPSG::999999",
        ),
    ],
)
def test_files_refused_as_a_whole(government, raw, message):
    with pytest.raises(ImportRefused) as refused:
        _load(government, raw)
    assert message in " ".join(refused.value.problems)


def test_one_bad_feature_refuses_the_file_and_the_previous_data_stays(government):
    kept = factories.project(government, title="Obra existente", slug="puente-a")
    bad = collection(
        feature("puente-a", "Puente A cambiado"),
        feature("nueva", "Nueva", {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}),
        feature("vacia", "Vacía", {"type": "LineString", "coordinates": []}),
        feature("utm", "En UTM", {"type": "Point", "coordinates": [560000, 9880000]}),
        feature("sin-titulo", ""),
        feature("otra", "Otra", sector="puentes", monto_planificado="mucho", inicio_planificado="ayer"),
        feature("otra", "Duplicada"),
    )
    with pytest.raises(ImportRefused) as refused:
        _load(government, bad)
    problems = refused.value.problems
    assert len(problems) == 6
    assert problems[0].startswith("Feature 2 (“Nueva”)") and "not valid" in problems[0]
    assert "empty" in problems[1] and "WGS 84" in problems[2] and "choose its EPSG code" in problems[2]
    assert "no “titulo”" in problems[3]
    assert "unknown sector" in problems[4] and "not a number" in problems[4] and "not a date" in problems[4]
    assert "appears twice" in problems[5]
    with government_scope(government):
        assert list(Project.objects.values_list("slug", "title")) == [(kept.slug, "Obra existente")]


UTM_POINT = (560123.4, 9883210.9)  # metres east/north in UTM zone 17S, near Portoviejo
UTM_LINE = [[559000.0, 9882000.0], [561500.0, 9884250.5]]
UTM_CRS = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32717"}}


def _expected(x, y, code=32717):
    lon, lat = Transformer.from_crs(f"EPSG:{code}", "EPSG:4326", always_xy=True).transform(x, y)
    return pytest.approx(lon, abs=1e-7), pytest.approx(lat, abs=1e-7)


def _utm_file(**extra):
    return collection(
        feature("punto-utm", "Punto UTM", {"type": "Point", "coordinates": list(UTM_POINT)}),
        feature("via-utm", "Vía UTM", {"type": "LineString", "coordinates": UTM_LINE}),
        **extra,
    )


def test_a_utm_file_is_reprojected_to_wgs84_longitude_latitude(government):
    result = _load(government, _utm_file(crs=UTM_CRS))
    assert sorted(result.created) == ["punto-utm", "via-utm"]
    with government_scope(government):
        point = Project.objects.get(slug="punto-utm")
        line = Project.objects.get(slug="via-utm")
    lon, lat = point.geometry["coordinates"]
    assert (lon, lat) == _expected(*UTM_POINT)
    assert -81 < lon < -80 and -1.1 < lat < -1.0  # Portoviejo, not the other side of the world
    assert (point.min_lon, point.min_lat) == _expected(*UTM_POINT)
    assert [tuple(xy) for xy in line.geometry["coordinates"]] == [_expected(*xy) for xy in UTM_LINE]
    again = _load(government, _utm_file(crs=UTM_CRS))
    assert sorted(again.unchanged) == ["punto-utm", "via-utm"]


def test_the_system_chosen_in_the_form_overrides_the_file(government):
    with government_scope(government):
        projects_import(actor=None, government=government, raw=_utm_file(), declared_crs="31977")
        point = Project.objects.get(slug="punto-utm")
    assert tuple(point.geometry["coordinates"]) == _expected(*UTM_POINT, code=31977)


@pytest.mark.parametrize("declared", ["999999", "EPSG:999999", "UTM 17"])
def test_an_unknown_system_is_refused_and_nothing_is_loaded(government, declared):
    with government_scope(government), pytest.raises(ImportRefused) as refused:
        projects_import(actor=None, government=government, raw=_utm_file(), declared_crs=declared)
    assert "is not a coordinate reference system this platform knows" in refused.value.problems[0]
    with government_scope(government):
        assert not Project.objects.exists()


def test_coordinates_a_system_cannot_convert_are_named(government):
    raw = collection(feature("lejos", "Lejos", {"type": "Point", "coordinates": ["este", "norte"]}), crs=UTM_CRS)
    with pytest.raises(ImportRefused) as refused:
        _load(government, raw)
    assert refused.value.problems[0].startswith("Feature 1 (“Lejos”)")
    assert "cannot be converted from EPSG:32717" in refused.value.problems[0]


def test_a_database_check_failing_late_rolls_everything_back(government):
    late = collection(feature("primera", "Primera"), feature("terminada", "Terminada", estado="completed"))
    with pytest.raises(ImportRefused) as refused:
        _load(government, late)
    assert "Feature 2" in refused.value.problems[0] and "received" in refused.value.problems[0]
    with government_scope(government):
        assert not Project.objects.exists()


def test_import_page(english, government, editor):
    login_verified(english, editor)
    url = gov_url(government, "works:office_project_import")
    assert english.get(url).status_code == 200
    response = english.post(url, {"file": SimpleUploadedFile("obras.geojson", GOOD)})
    assert response.status_code == 200 and "2 new, 0 updated, 0 unchanged" in response.content.decode()
    response = english.post(url, {"file": SimpleUploadedFile("obras.geojson", b"[]")})
    assert response.status_code == 400 and "not a GeoJSON FeatureCollection" in response.content.decode()


def test_import_page_reprojects_with_the_chosen_system_and_refuses_an_unknown_one(english, government, editor):
    login_verified(english, editor)
    url = gov_url(government, "works:office_project_import")
    response = english.post(url, {"file": SimpleUploadedFile("utm.geojson", _utm_file()), "crs": "EPSG:999999"})
    page = response.content.decode()
    assert response.status_code == 400 and "is not a coordinate reference system this platform knows" in page
    assert 'value="EPSG:999999"' in page  # what the official typed stays in the form
    with government_scope(government):
        assert not Project.objects.exists()
    response = english.post(url, {"file": SimpleUploadedFile("utm.geojson", _utm_file()), "crs": "32717"})
    assert response.status_code == 200 and "2 new, 0 updated, 0 unchanged" in response.content.decode()
    with government_scope(government):
        assert tuple(Project.objects.get(slug="punto-utm").geometry["coordinates"]) == _expected(*UTM_POINT)
