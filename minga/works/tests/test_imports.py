"""Loading works from GeoJSON: all or nothing with a report naming each problem, the
previous data stays live, and loading the same file twice changes nothing."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

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
            collection(feature("x", "X"), crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32717"}}),
            "EPSG::32717",
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
    assert "empty" in problems[1] and "WGS 84" in problems[2] and "no “titulo”" in problems[3]
    assert "unknown sector" in problems[4] and "not a number" in problems[4] and "not a date" in problems[4]
    assert "appears twice" in problems[5]
    with government_scope(government):
        assert list(Project.objects.values_list("slug", "title")) == [(kept.slug, "Obra existente")]


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
