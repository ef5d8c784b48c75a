"""Tenancy and permissions: government B answers 404 for every page, download, API endpoint and
OGC address of government A's layers; the back office by role."""

from __future__ import annotations

import pytest

from minga.core.tenancy.scoping import government_scope
from minga.core.testing import assert_foreign_government_404, gov_url, login_verified, make_official

from .. import services
from ..models import Choropleth
from .conftest import feature_collection, make_layer, square

pytestmark = pytest.mark.django_db


@pytest.fixture
def choropleth(government):
    areas = make_layer(government, title="Parroquias", data=feature_collection(square(-80.5, -1.1, dpa="130150")))
    with government_scope(government):
        found, _ = services.choropleth_create(
            actor=None,
            government=government,
            layer=areas,
            title="Población",
            slug="poblacion",
            join_property="dpa",
            value_label="habitantes",
            value_column="v",
            file_name="p.csv",
            data=b"dpa,v\n130150,5\n",
        )
    return found


def addresses_of(government, layer, choropleth) -> dict[str, list[str]]:
    public = [
        gov_url(government, "geo:layer_detail", slug=layer.slug),
        gov_url(government, "geo:layer_geojson", slug=layer.slug),
        gov_url(government, "geo:layer_csv", slug=layer.slug),
        gov_url(government, "geo-api:layer", slug=layer.slug),
        gov_url(government, "geo-ogc:collection", collection_id=layer.slug),
        gov_url(government, "geo-ogc:items", collection_id=layer.slug),
        gov_url(government, "geo-ogc:item", collection_id=layer.slug, feature_id="1"),
    ]
    office = [
        gov_url(government, "geo:office_layer_edit", pk=layer.pk),
        gov_url(government, "geo:office_layer_upload", pk=layer.pk),
        gov_url(government, "geo:office_layer_delete", pk=layer.pk),
        gov_url(government, "geo:office_choropleth_delete", pk=choropleth.pk),
    ]
    return {"public": public, "office": office}


def test_foreign_government_gets_404_for_every_address(client, government, other_government, layer, choropleth):
    paths = addresses_of(government, layer, choropleth)
    assert_foreign_government_404(client, other_government, paths["public"], government)
    # An official of B, with every role in B, still gets 404 for A's layers.
    login_verified(client, make_official(other_government, "admin"))
    assert_foreign_government_404(client, other_government, paths["public"] + paths["office"], government)


def test_foreign_layers_are_not_listed(client, government, other_government, layer, choropleth):
    for name in ("geo:map", "geo:layers", "geo:map_data", "geo-ogc:collections", "geo-api:layers", "geo-ogc:openapi"):
        response = client.get(gov_url(other_government, name))
        assert response.status_code == 200, name
        assert layer.slug not in response.content.decode() and "Población" not in response.content.decode(), name


def test_private_layers_are_not_listed_anywhere(client, government):
    hidden = make_layer(government, title="Catastro interno", slug="catastro", is_public=False)
    for name in ("geo:map", "geo:layers", "geo:map_data", "geo-ogc:collections", "geo-api:layers"):
        assert "catastro" not in client.get(gov_url(government, name)).content.decode(), name
    assert client.get(gov_url(government, "geo-api:layer", slug=hidden.slug)).status_code == 404


def test_private_choropleth_layer_hides_its_choropleth(client, government, choropleth):
    with government_scope(government):
        services.layer_update(actor=None, government=government, layer=choropleth.layer, is_public=False)
    assert "Población" not in client.get(gov_url(government, "geo:map")).content.decode()
    assert client.get(gov_url(government, "geo:map"), {"coropleta": "poblacion"}).status_code == 200


OFFICE_GET = ("geo:office_layers", "geo:office_layer_create", "geo:office_choropleth_create")


@pytest.mark.parametrize(
    "role,module,expected",
    [
        (None, "", {"geo:office_layers": 302, "geo:office_layer_create": 302, "geo:office_choropleth_create": 302}),
        (
            "citizen",
            "",
            {"geo:office_layers": 403, "geo:office_layer_create": 403, "geo:office_choropleth_create": 403},
        ),
        (
            "viewer",
            "geo",
            {"geo:office_layers": 200, "geo:office_layer_create": 403, "geo:office_choropleth_create": 403},
        ),
        (
            "editor",
            "catalog",
            {"geo:office_layers": 403, "geo:office_layer_create": 403, "geo:office_choropleth_create": 403},
        ),
        (
            "editor",
            "geo",
            {"geo:office_layers": 200, "geo:office_layer_create": 200, "geo:office_choropleth_create": 200},
        ),
        ("admin", "", {"geo:office_layers": 200, "geo:office_layer_create": 200, "geo:office_choropleth_create": 200}),
    ],
)
def test_role_by_url(client, government, layer, choropleth, role, module, expected):
    from minga.core.testing import UserFactory

    if role == "citizen":
        client.force_login(UserFactory())
    elif role is not None:
        login_verified(client, make_official(government, role, module))
    for name in OFFICE_GET:
        assert client.get(gov_url(government, name)).status_code == expected[name], (role, name)
    object_pages = addresses_of(government, layer, choropleth)["office"]
    editing = expected["geo:office_layer_create"]
    for path in object_pages:
        assert client.get(path).status_code == editing, (role, path)
    # Writes by POST are refused the same way, and nothing changes.
    response = client.post(gov_url(government, "geo:office_choropleth_delete", pk=choropleth.pk), {"confirm": "on"})
    assert response.status_code == (302 if editing == 200 else editing)
    with government_scope(government):
        assert Choropleth.objects.filter(pk=choropleth.pk).exists() == (editing != 200)


def test_public_pages_are_open_to_everyone(client, government, layer):
    for name in ("geo:map", "geo:layers", "geo:map_data", "geo-ogc:landing", "geo-ogc:conformance", "geo-api:layers"):
        assert client.get(gov_url(government, name)).status_code == 200, name


def test_switched_off_module_answers_404(client, government, layer):
    government.modules = {"geo": {"enabled": False}}
    government.save()
    for path in (
        gov_url(government, "geo:map"),
        gov_url(government, "geo:layer_detail", slug=layer.slug),
        gov_url(government, "geo-ogc:landing"),
        gov_url(government, "geo-ogc:items", collection_id=layer.slug),
        gov_url(government, "geo-api:layers"),
    ):
        assert client.get(path).status_code == 404, path
