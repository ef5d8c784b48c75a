"""Public layers as open-data tables for the catalog, and the change notices the services send
after their transaction commits."""

from __future__ import annotations

import json

import pytest

from minga.core import opendata
from minga.core.tenancy.scoping import government_scope

from .. import services
from .conftest import feature_collection, make_layer, point, square

pytestmark = pytest.mark.django_db


def test_each_public_layer_is_a_table_with_its_dictionary(government):
    make_layer(
        government, title="Puntos", slug="puntos", data=feature_collection(point(-80.45, -1.05, nombre="A", camas=4))
    )
    make_layer(
        government, title="Áreas", slug="areas", data=feature_collection(square(-80.5, -1.1, nombre="B", tasa=1.5))
    )
    make_layer(government, title="Interna", slug="interna", is_public=False)
    with government_scope(government):
        tables = {table.key: table for table in opendata.tables_for(government, "geo")}
        points_rows = list(tables["geo.layer.puntos"].rows())
        areas_rows = list(tables["geo.layer.areas"].rows())
    assert set(tables) == {"geo.layer.puntos", "geo.layer.areas"}
    points = tables["geo.layer.puntos"]
    assert [(c.name, c.type) for c in points.columns] == [
        ("id", "integer"),
        ("nombre", "text"),
        ("camas", "integer"),
        ("longitud", "number"),
        ("latitud", "number"),
        ("wkt", "text"),
    ]
    assert points_rows == [(1, "A", 4, -80.45, -1.05, "POINT (-80.45 -1.05)")]
    areas = tables["geo.layer.areas"]
    assert [c.type for c in areas.columns][2] == "number"
    [row] = areas_rows
    assert -80.5 < row[3] < -80.4 and row[5].startswith("POLYGON")
    [geojson] = areas.files
    assert json.loads(geojson.content())["features"][0]["properties"] == {"nombre": "B", "tasa": 1.5}


def test_each_public_choropleth_is_a_table_of_its_figures_by_area(
    government, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(opendata, "_publishers", [])
    seen = []
    opendata.register_publisher(lambda government_id, module: seen.append((government_id, module)))
    with django_capture_on_commit_callbacks(execute=True):
        areas = make_layer(
            government,
            title="Parroquias",
            slug="parroquias",
            data=feature_collection(
                square(-80.5, -1.1, nombre="Norte", dpa="130150"), square(-80.3, -1.1, nombre="Sur", dpa="130151")
            ),
        )
    with django_capture_on_commit_callbacks(execute=True), government_scope(government):
        choropleth, _report = services.choropleth_create(
            actor=None,
            government=government,
            layer=areas,
            title="Hogares",
            join_property="dpa",
            value_label="Hogares",
            value_column="hogares",
            file_name="hogares.csv",
            data=b"dpa,hogares\n130151,40\n130150,12.5\n139999,3\n",
            is_public=True,
        )
    with government_scope(government):
        table = {t.key: t for t in opendata.tables_for(government, "geo")}["geo.choropleth.hogares"]
        rows = list(table.rows())
    assert [c.name for c in table.columns] == ["dpa", "nombre", "valor"]
    assert rows == [("130150", "Norte", 12.5), ("130151", "Sur", 40.0)]  # 139999 has no area
    with django_capture_on_commit_callbacks(execute=True), government_scope(government):
        services.choropleth_delete(actor=None, government=government, choropleth=choropleth)
    with government_scope(government):
        assert "geo.choropleth.hogares" not in {t.key for t in opendata.tables_for(government, "geo")}
    assert seen == [(government.pk, "geo")] * 3


def test_services_announce_changes_after_commit(government, django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr(opendata, "_publishers", [])
    seen = []
    opendata.register_publisher(lambda government_id, module: seen.append((government_id, module)))
    with django_capture_on_commit_callbacks(execute=True):
        layer = make_layer(government)
    with django_capture_on_commit_callbacks(execute=True), government_scope(government):
        services.layer_update(actor=None, government=government, layer=layer, is_public=False)
    with django_capture_on_commit_callbacks(execute=True):
        make_layer(government, title="Interna", is_public=False)
    assert seen == [(government.pk, "geo"), (government.pk, "geo")]


def test_public_layers_are_found_by_the_site_search(client, government):
    from minga.core.testing import gov_url

    make_layer(government, title="Centros de salud rurales", slug="salud")
    layer = make_layer(government, title="Catastro de predios", slug="catastro", is_public=False)
    html = client.get(gov_url(government, "core:search"), {"q": "salud"}).content.decode()
    assert "Centros de salud rurales" in html
    assert "Catastro" not in client.get(gov_url(government, "core:search"), {"q": "catastro"}).content.decode()
    with government_scope(government):
        services.layer_update(actor=None, government=government, layer=layer, is_public=True)
    assert "Catastro de predios" in client.get(gov_url(government, "core:search"), {"q": "predios"}).content.decode()
