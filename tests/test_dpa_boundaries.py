"""Figures by DPA code on the boundaries a government publishes: a catalog table with parish
codes is drawn on the areas of the geovisor's public layer that carries those codes (through
core.registry.dpa_areas; the modules do not import each other)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from minga.catalog.tables import services as table_services
from minga.catalog.tests import factories
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import gov_url
from minga.geo.tests.conftest import feature_collection, make_layer, square

pytestmark = pytest.mark.django_db

PARISHES = b"""parroquia,dpa_parroquia,hogares_con_agua
Norte,130150,250
Centro,130151,480
Sur,130152,60
Sin borde,130199,10
"""


@pytest.fixture(autouse=True)
def _datastore_in_tmp(settings, tmp_path):
    settings.DATASTORE_SQLITE_PATH = tmp_path / "datastore.sqlite3"


def _parish_layer(government, *, is_public=True, title="Parroquias"):
    data = feature_collection(
        square(-80.5, -1.0, nombre="Parroquia Norte", dpa_parroquia="130150"),
        square(-80.4, -1.0, nombre="Parroquia Centro", dpa_parroquia="130151"),
        square(-80.3, -1.0, nombre="Parroquia Sur", dpa_parroquia="130152"),
    )
    with government_scope(government):
        return make_layer(government, title=title, data=data, is_public=is_public)


def _table(government):
    dataset = factories.dataset(government, is_published=True)
    resource = factories.resource(government, dataset, file=SimpleUploadedFile("agua.csv", PARISHES))
    with government_scope(government):
        assert table_services.resource_load_run(government=government, resource=resource).status == "succeeded"
    return resource


def _map(client, government, resource):
    return client.get(
        gov_url(government, "catalog:resource_map", pk=resource.pk),
        {"dpa": "dpa_parroquia", "agregado": "sum", "medida": "hogares_con_agua"},
    )


def test_parish_figures_are_drawn_on_the_published_parishes(english, government):
    _parish_layer(government)
    resource = _table(government)
    response = _map(english, government, resource)
    page = response.content.decode()
    areas = page.split('id="dpa-areas"')[1].split("</svg>")[0]
    assert areas.count("<path") == 3
    assert "Parroquia Centro (130151): 480" in areas and "Parroquia Sur (130152): 60" in areas
    fills = {re.search(r'fill="(#[0-9a-f]{6})"', path).group(1) for path in areas.split("<path")[1:]}
    assert len(fills) == 3  # 60, 250 and 480 fall in different classes
    assert "Boundaries published by this government (Parroquias)" in page
    assert "1 code has no published boundary" in page
    rows = {row["code"]: (row["name"], row["value"]) for row in response.context["dpa_rows"]}
    assert rows["130199"] == ("130199", "10") and rows["130151"] == ("Parroquia Centro", "480")
    assert 'id="province-grid"' not in page


def test_a_private_layer_or_another_governments_layer_draws_nothing(english, government, other_government):
    _parish_layer(government, is_public=False)
    _parish_layer(other_government, title="Parroquias de otro gobierno")
    resource = _table(government)
    page = _map(english, government, resource).content.decode()
    assert 'id="dpa-areas"' not in page and 'id="province-grid"' in page
    assert "Parroquias" not in page.split('id="dpa-form"')[1]
