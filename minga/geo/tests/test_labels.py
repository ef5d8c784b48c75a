"""Pop-ups, legends and tables of the geovisor name each attribute by its label in the layer's
data dictionary (or a readable form of its name), never by the raw field name, and a lent
layer shows the properties its module labelled, with values in the page's language."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from django.apps import apps

from minga.core.registry import MapLayer
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import gov_url

from .. import services
from ..forms import LayerForm
from .conftest import feature_collection, make_layer, square

pytestmark = pytest.mark.django_db


@pytest.fixture
def parishes(government):
    data = feature_collection(
        square(-80.5, -1.1, nombre="Parroquia Norte", dpa_parroquia="130150", hogares=120),
        square(-80.4, -1.1, nombre="Parroquia Sur", dpa_parroquia="130151", hogares=80),
    )
    return make_layer(government, title="Parroquias", data=data)


def test_popups_and_tables_use_the_data_dictionary(client, government, parishes, english):
    with government_scope(government):
        services.layer_update(
            actor=None, government=government, layer=parishes, labels={"hogares": "Households with water"}
        )
    data = json.loads(client.get(gov_url(government, "geo:map_data")).content)
    properties = data["layers"][0]["features"][0]["properties"]
    assert properties["Parish code (DPA)"] == "130150"
    assert properties["Households with water"] == "120"
    assert "dpa_parroquia" not in properties and "hogares" not in properties
    page = client.get(gov_url(government, "geo:map")).content.decode()
    assert '<th scope="col">Parish code (DPA)</th>' in page and '<th scope="col">dpa_parroquia</th>' not in page
    detail = client.get(gov_url(government, "geo:layer_detail", slug=parishes.slug)).content.decode()
    assert "Households with water" in detail and ">hogares<" not in detail


def test_legend_names_the_attribute_the_colours_stand_for(client, government, english):
    data = feature_collection(
        square(-80.5, -1.1, nombre="A", tipo_suelo="urbano"), square(-80.4, -1.1, nombre="B", tipo_suelo="rural")
    )
    layer = make_layer(government, title="Suelo", data=data)
    with government_scope(government):
        services.layer_update(
            actor=None,
            government=government,
            layer=layer,
            style_kind="categories",
            style_property="tipo_suelo",
            labels={"tipo_suelo": "Kind of land"},
        )
    page = client.get(gov_url(government, "geo:map")).content.decode()
    assert "(by Kind of land)" in page


def test_a_lent_layer_shows_its_labelled_properties_and_links_under_the_government(
    client, government, monkeypatch, english
):
    config = apps.get_app_config("works")
    feature = {
        "type": "Feature",
        "id": "puente",
        "geometry": {"type": "Point", "coordinates": [-80.40, -1.02]},
        "properties": {"titulo": "Puente", "estado": "implementation", "estado_nombre": "In progress"},
    }
    layer = MapLayer(
        key="works.projects",
        module="works",
        title="Public works",
        description="",
        features=lambda: [feature],
        url="/obras/",
        labels={"estado_nombre": "Status"},
    )
    monkeypatch.setattr(config, "manifest", replace(config.manifest, map_layers=lambda government: [layer]))
    data = json.loads(client.get(gov_url(government, "geo:map_data")).content)
    assert data["layers"][0]["features"][0]["properties"] == {"Status": "In progress"}
    page = client.get(gov_url(government, "geo:map")).content.decode()
    assert f'href="/g/{government.slug}/obras/"' in page
    assert 'href="/obras/"' not in page
    assert "implementation" not in page


def test_layer_form_reads_the_labels_one_a_line(government, parishes):
    form = LayerForm(instance=parishes, government=government)
    assert form.initial["labels"].splitlines() == ["nombre:", "dpa_parroquia:", "hogares:"]
    data = {
        "title": parishes.title,
        "slug": parishes.slug,
        "licence": "CC-BY-4.0",
        "style_kind": "single",
        "colour": "#0072b2",
        "is_public": "on",
        "labels": "dpa_parroquia: Código de parroquia\nhogares:\n\n",
    }
    form = LayerForm(data, instance=parishes, government=government)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["labels"] == {"dpa_parroquia": "Código de parroquia"}
    bad = LayerForm({**data, "labels": "sin dos puntos"}, instance=parishes, government=government)
    assert not bad.is_valid() and "labels" in bad.errors
