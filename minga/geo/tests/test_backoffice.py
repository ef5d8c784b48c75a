"""The back office through HTTP: creating a layer with its file, the report of a refused upload
(the form keeps what was typed; the previous version stays live), editing metadata and style,
choropleths, deletion; the public API of layers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pyproj import Transformer

from minga.core.audit.models import AuditEntry
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import gov_url, login_verified

from ..models import Choropleth, Feature, Layer
from .conftest import feature_collection, make_layer, point, square

pytestmark = pytest.mark.django_db

METADATA = {
    "title": "Centros de salud",
    "slug": "",
    "description": "Centros de salud del MSP",
    "source": "Dirección de Salud",
    "source_date": "2026-01-15",
    "licence": "CC-BY-4.0",
    "attribution": "GAD",
    "is_public": "on",
    "style_kind": "single",
    "style_property": "",
    "colour": "#0072b2",
}


def upload(name: str, data: bytes):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.fixture
def signed_in_editor(client, editor, django_capture_on_commit_callbacks):
    login_verified(client, editor)
    client.run_jobs = django_capture_on_commit_callbacks  # the test queue runs the import at the commit
    return client


def post_and_import(client, url, form):
    """Post a form with a file and let the import job run; the page the post led to."""
    with client.run_jobs(execute=True):
        response = client.post(url, form)
    if response.status_code != 302:
        return response
    return client.get(response["Location"])


def test_editor_creates_a_layer_from_a_file(signed_in_editor, government, editor, english):
    data = feature_collection(point(-80.45, -1.05, nombre="Centro"), point(-80.7, -0.95, nombre="Otro"))
    response = post_and_import(
        signed_in_editor,
        gov_url(government, "geo:office_layer_create"),
        {**METADATA, "crs": "", "file": upload("centros.geojson", data)},
    )
    assert response.status_code == 200
    assert "Version 1 with 2 features." in response.content.decode()
    with government_scope(government):
        layer = Layer.objects.get(government=government)
    assert layer.slug == "centros-de-salud" and layer.source_date == dt.date(2026, 1, 15) and layer.is_public
    assert layer.feature_count == 2 and layer.version == 1
    assert AuditEntry.objects.get(action="geo.layer.created").actor == editor
    assert AuditEntry.objects.get(action="geo.layer.imported").actor == editor


def test_a_refused_first_file_shows_the_report_and_the_layer_stays_private(signed_in_editor, government, english):
    x, y = Transformer.from_crs(4326, 32717, always_xy=True).transform(-80.45, -1.05)
    data = feature_collection(point(x, y, nombre="Centro"), {"type": "Feature", "properties": {}, "geometry": None})
    response = post_and_import(
        signed_in_editor,
        gov_url(government, "geo:office_layer_create"),
        {**METADATA, "crs": "", "file": upload("centros.geojson", data)},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 problems prevent the import" in html
    assert (
        "Feature 1" in html
        and "not longitude/latitude" in html
        and "Feature 2" in html
        and "it has no geometry" in html
    )
    assert "The layer has no features yet, so nothing of it is public." in html
    with government_scope(government):
        layer = Layer.objects.get(government=government)  # what was typed is kept, on the layer
        assert layer.description == "Centros de salud del MSP" and layer.feature_count == 0
        assert not Layer.objects.for_government(government).public().exists()
    assert signed_in_editor.get(gov_url(government, "geo:layer_detail", slug=layer.slug)).status_code == 404
    # The same file with its CRS named is accepted as the layer's first version.
    data = feature_collection(point(x, y, nombre="Centro"))
    response = post_and_import(
        signed_in_editor,
        gov_url(government, "geo:office_layer_upload", pk=layer.pk),
        {"crs": "32717", "file": upload("centros.geojson", data)},
    )
    assert "Version 1 with 1 features." in response.content.decode()
    layer.refresh_from_db()
    assert layer.original_crs == "EPSG:32717" and layer.version == 1


def test_the_form_refuses_what_is_not_a_layer_file_and_keeps_the_input(signed_in_editor, government, english):
    url = gov_url(government, "geo:office_layer_create")
    response = signed_in_editor.post(url, {**METADATA, "crs": "", "file": upload("mapa.pdf", b"%PDF-1.4\x00\x01")})
    html = response.content.decode()
    assert response.status_code == 200 and "neither GeoJSON, a zipped shapefile" in html
    assert 'value="Centros de salud"' in html and "Centros de salud del MSP" in html  # what was typed stays
    data = feature_collection(point(-80.45, -1.05))
    response = signed_in_editor.post(url, {**METADATA, "crs": "99999999", "file": upload("c.geojson", data)})
    assert response.status_code == 200 and 'value="99999999"' in response.content.decode()
    with government_scope(government):
        assert not Layer.objects.filter(government=government).exists()


def test_new_version_upload_refused_then_accepted(signed_in_editor, government, english):
    layer = make_layer(government)
    url = gov_url(government, "geo:office_layer_upload", pk=layer.pk)
    empty = feature_collection({"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": []}})
    response = post_and_import(signed_in_editor, url, {"crs": "", "file": upload("v2.geojson", empty)})
    assert response.status_code == 200
    assert (
        "its geometry is empty" in response.content.decode()
        and "The previous version stays live" in response.content.decode()
    )
    with government_scope(government):
        assert Feature.objects.filter(layer=layer).count() == 3
    response = post_and_import(
        signed_in_editor, url, {"crs": "", "file": upload("v2.geojson", feature_collection(point(-80.3, -0.9)))}
    )
    assert response.status_code == 200 and "Version 2 with 1 features." in response.content.decode()
    with government_scope(government):
        assert Feature.objects.filter(layer=layer).count() == 1


def test_repaired_geometries_are_listed_after_the_upload(signed_in_editor, government, english):
    layer = make_layer(government, title="Áreas", data=feature_collection(square(-80.5, -1.1)))
    bowtie = {
        "type": "Feature",
        "properties": {},
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[-80.5, -1.1], [-80.4, -1.0], [-80.4, -1.1], [-80.5, -1.0], [-80.5, -1.1]]],
        },
    }
    response = post_and_import(
        signed_in_editor,
        gov_url(government, "geo:office_layer_upload", pk=layer.pk),
        {"crs": "", "file": upload("a.geojson", feature_collection(bowtie))},
    )
    html = response.content.decode()
    assert "1 invalid geometry was repaired" in html and "Self-intersection" in html


def test_editing_style_offers_the_layer_attributes(signed_in_editor, government, english):
    layer = make_layer(government)
    url = gov_url(government, "geo:office_layer_edit", pk=layer.pk)
    html = signed_in_editor.get(url).content.decode()
    assert '<option value="tipo">tipo</option>' in html
    response = signed_in_editor.post(
        url, {**METADATA, "title": "Salud y agua", "style_kind": "categories", "style_property": "tipo"}
    )
    assert response.status_code == 302
    layer.refresh_from_db()
    assert layer.title == "Salud y agua" and layer.style_property == "tipo"
    response = signed_in_editor.post(url, {**METADATA, "style_kind": "classes", "style_property": ""})
    assert response.status_code == 200 and "Choose the attribute" in response.content.decode()
    response = signed_in_editor.post(url, {**METADATA, "colour": "azul"})
    assert "six hexadecimal digits" in response.content.decode()


def test_choropleth_by_http_and_its_report(signed_in_editor, government, english):
    areas = make_layer(government, title="Parroquias", data=feature_collection(square(-80.5, -1.1, dpa="130150")))
    form = {
        "layer": areas.pk,
        "title": "Población",
        "join_property": "dpa",
        "code_column": "",
        "value_column": "poblacion",
        "value_label": "habitantes",
        "is_public": "on",
    }
    url = gov_url(government, "geo:office_choropleth_create")
    response = signed_in_editor.post(url, {**form, "file": upload("p.csv", b"dpa,poblacion\n130150,mil\n")})
    assert (
        response.status_code == 200
        and "Row 2" in response.content.decode()
        and "is not a number" in response.content.decode()
    )
    assert 'value="Población"' in response.content.decode()
    response = signed_in_editor.post(url, {**form, "file": upload("p.csv", b"dpa,poblacion\n130150,1000\n")})
    assert response.status_code == 302
    with government_scope(government):
        assert Choropleth.objects.get(government=government).values == {"130150": 1000.0}


def test_delete_layer_needs_confirmation(signed_in_editor, government):
    layer = make_layer(government)
    url = gov_url(government, "geo:office_layer_delete", pk=layer.pk)
    assert signed_in_editor.post(url, {}).status_code == 200
    with government_scope(government):
        assert Layer.objects.filter(pk=layer.pk).exists()
    assert signed_in_editor.post(url, {"confirm": "on"}).status_code == 302
    with government_scope(government):
        assert not Layer.objects.filter(pk=layer.pk).exists()


def test_office_list_shows_private_layers(signed_in_editor, government):
    make_layer(government, title="Catastro interno", is_public=False)
    assert "Catastro interno" in signed_in_editor.get(gov_url(government, "geo:office_layers")).content.decode()


# API -------------------------------------------------------------------------------------


def test_api_lists_public_layers_with_links(client, government, layer):
    make_layer(government, title="Interna", is_public=False)
    data = client.get(gov_url(government, "geo-api:layers")).json()
    assert [item["slug"] for item in data["results"]] == [layer.slug]
    item = client.get(gov_url(government, "geo-api:layer", slug=layer.slug)).json()
    assert (
        item["feature_count"] == 3 and item["attributes"] == ["nombre", "tipo"] and item["original_crs"] == "EPSG:4326"
    )
    assert item["bbox"] == [-80.72, -1.05, -80.1, -0.3]
    assert item["ogc_items_url"].endswith(f"/geovisor/ogc/collections/{layer.slug}/items")


def test_new_layer_styled_by_an_attribute_the_file_lacks(signed_in_editor, government, english):
    data = feature_collection(point(-80.45, -1.05, nombre="Centro", tipo="salud"))
    form = {**METADATA, "style_kind": "categories", "style_property": "camas", "crs": ""}
    response = post_and_import(
        signed_in_editor, gov_url(government, "geo:office_layer_create"), {**form, "file": upload("c.geojson", data)}
    )
    assert "The new file has no attribute “camas”; the layer is now drawn in one colour." in response.content.decode()
    with government_scope(government):
        layer = Layer.objects.get(government=government)
        assert layer.style_kind == "single" and layer.style_property == "" and Feature.objects.count() == 1
    form = {**form, "title": "Otra capa", "style_property": "tipo"}
    post_and_import(
        signed_in_editor, gov_url(government, "geo:office_layer_create"), {**form, "file": upload("c.geojson", data)}
    )
    with government_scope(government):
        assert Layer.objects.get(government=government, title="Otra capa").style_property == "tipo"
