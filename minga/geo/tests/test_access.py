"""Tenancy and permissions: government B answers 404 for every page, download, API endpoint and
OGC address of government A's layers; the back office by role."""

from __future__ import annotations

import pytest
from django.utils import timezone

from minga.core.tenancy.scoping import government_scope
from minga.core.testing import (
    assert_foreign_government_404,
    assert_role_matrix,
    gov_url,
    login_verified,
    make_official,
)

from .. import services, urls
from ..api import urls as api_urls
from ..models import Choropleth, Layer, LayerImport
from ..ogc import urls as ogc_urls
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


def an_import(government, layer) -> LayerImport:
    with government_scope(government):
        return LayerImport.objects.create(
            government=government,
            layer=layer,
            file_name="capa.geojson",
            status=LayerImport.Status.SUCCEEDED,
            created_at=timezone.now(),
            version=1,
            report={"file_name": "capa.geojson", "feature_count": 3},
        )


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
        gov_url(government, "geo:office_layer_import", pk=an_import(government, layer).pk),
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


def matrix_addresses(government, layer, choropleth) -> dict[str, list[str]]:
    """Every page, download, API and OGC address of the module, by who may open it."""
    paths = addresses_of(government, layer, choropleth)
    public = [
        gov_url(government, name)
        for name in (
            "geo:map",
            "geo:layers",
            "geo:map_data",
            "geo-ogc:landing",
            "geo-ogc:openapi",
            "geo-ogc:conformance",
            "geo-ogc:collections",
            "geo-api:layers",
        )
    ] + paths["public"]
    return {
        "public": public,
        "viewer": [
            gov_url(government, "geo:office_layers"),
            gov_url(government, "geo:office_layer_import", pk=an_import(government, layer).pk),
        ],
        "editor": [
            gov_url(government, "geo:office_layer_create"),
            gov_url(government, "geo:office_choropleth_create"),
            gov_url(government, "geo:office_layer_edit", pk=layer.pk),
            gov_url(government, "geo:office_layer_upload", pk=layer.pk),
        ],
        # Pages whose POST deletes: refused roles' POSTs must change nothing.
        "editor_posts": [
            gov_url(government, "geo:office_layer_delete", pk=layer.pk),
            gov_url(government, "geo:office_choropleth_delete", pk=choropleth.pk),
        ],
    }


def test_every_geo_url_is_in_the_matrix(government, layer, choropleth):
    """The lists above name every route of the module, so a new URL must join the matrix."""
    covered = {url for urls_of_role in matrix_addresses(government, layer, choropleth).values() for url in urls_of_role}
    assert len(covered) == len(urls.urlpatterns) + len(api_urls.urlpatterns) + len(ogc_urls.urlpatterns)


def test_role_matrix(client, government, other_government, layer, choropleth):
    addresses = matrix_addresses(government, layer, choropleth)
    assert_role_matrix(client, government, other_government, "geo", other_module="catalog", **addresses)
    # The refused POSTs deleted nothing.
    with government_scope(government):
        assert Choropleth.objects.filter(pk=choropleth.pk).exists()
        assert Layer.objects.filter(pk=layer.pk).exists()


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
