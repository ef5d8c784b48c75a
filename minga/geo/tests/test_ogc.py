"""OGC API – Features, Part 1: shapes of the answers, bbox/limit/offset/property filters with
next/prev links, single items, errors, the HTML representation, the OpenAPI description, and
OWSLib reading items with a bbox from a live server."""

from __future__ import annotations

import pytest

from minga.core.testing import gov_url

from .conftest import feature_collection, make_layer, point

pytestmark = pytest.mark.django_db

CONF = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/"


@pytest.fixture
def grid(government):
    """Twelve points in a row from -80.9 to -79.8 longitude, every other one "agua"."""
    features = [
        point(-80.9 + i * 0.1, -1.0, nombre=f"Punto {i + 1}", tipo="agua" if i % 2 else "salud", orden=i + 1)
        for i in range(12)
    ]
    return make_layer(government, title="Puntos", slug="puntos", data=feature_collection(*features))


def items(client, government, collection_id="puntos", **query):
    return client.get(gov_url(government, "geo-ogc:items", collection_id=collection_id), query)


def test_landing_page_links(client, government):
    response = client.get(gov_url(government, "geo-ogc:landing"))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    rels = {link["rel"]: link for link in response.json()["links"]}
    assert {"self", "alternate", "service-desc", "conformance", "data"} <= set(rels)
    assert rels["service-desc"]["type"] == "application/vnd.oai.openapi+json;version=3.0"
    assert rels["data"]["href"].startswith("http://testserver/g/manabi/geovisor/ogc/collections")


def test_conformance(client, government):
    conforms = client.get(gov_url(government, "geo-ogc:conformance")).json()["conformsTo"]
    assert {CONF + c for c in ("core", "geojson", "html", "oas30")} == set(conforms)


def test_collections_list_public_layers_and_lent_works(client, government, grid, lent_works):
    make_layer(government, title="Interna", slug="interna", is_public=False)
    data = client.get(gov_url(government, "geo-ogc:collections")).json()
    found = {c["id"]: c for c in data["collections"]}
    assert set(found) == {"puntos", "works.projects"}
    assert found["puntos"]["extent"]["spatial"]["bbox"] == [[pytest.approx(-80.9), -1.0, pytest.approx(-79.8), -1.0]]
    assert found["works.projects"]["extent"]["spatial"]["bbox"] == [[-80.72, -1.02, -80.40, -0.96]]
    assert any(link["rel"] == "items" and link["type"] == "application/geo+json" for link in found["puntos"]["links"])


def test_items_default_page_and_links(client, government, grid):
    response = items(client, government)
    assert response["Content-Type"] == "application/geo+json"
    data = response.json()
    assert data["type"] == "FeatureCollection"
    assert data["numberMatched"] == 12 and data["numberReturned"] == 10
    assert data["timeStamp"].endswith("Z")
    rels = {link["rel"]: link["href"] for link in data["links"]}
    assert "offset=10" in rels["next"] and "prev" not in rels
    assert data["features"][0]["id"] == 1 and data["features"][0]["properties"]["nombre"] == "Punto 1"


def test_items_limit_offset_and_prev(client, government, grid):
    data = items(client, government, limit=5, offset=5).json()
    assert [f["id"] for f in data["features"]] == [6, 7, 8, 9, 10]
    rels = {link["rel"]: link["href"] for link in data["links"]}
    assert "offset=0" in rels["prev"] and "offset=10" in rels["next"] and "limit=5" in rels["next"]
    last = items(client, government, limit=5, offset=10).json()
    assert last["numberReturned"] == 2 and "next" not in {link["rel"] for link in last["links"]}
    assert items(client, government, limit=5000).json()["numberReturned"] == 12  # clipped to the maximum


def test_items_bbox_and_property_filter(client, government, grid):
    data = items(client, government, bbox="-80.75,-1.1,-80.25,-0.9").json()
    assert [f["properties"]["nombre"] for f in data["features"]] == [
        "Punto 3",
        "Punto 4",
        "Punto 5",
        "Punto 6",
        "Punto 7",
    ]
    data = items(client, government, bbox="-80.75,-1.1,-80.25,-0.9", tipo="agua").json()
    assert data["numberMatched"] == 2 and [f["id"] for f in data["features"]] == [4, 6]
    assert items(client, government, orden="12").json()["numberMatched"] == 1
    assert items(client, government, bbox="-80.75,-1.1,0,-80.25,-0.9,0").json()["numberMatched"] == 5


def test_bbox_uses_the_exact_geometry(client, government):
    line = {
        "type": "Feature",
        "properties": {"nombre": "Diagonal"},
        "geometry": {"type": "LineString", "coordinates": [[-81, -2], [-80, -1]]},
    }
    make_layer(government, title="Diagonal", slug="diagonal", data=feature_collection(line))
    # Inside the line's extent but away from the line itself.
    assert items(client, government, "diagonal", bbox="-80.9,-1.2,-80.8,-1.1").json()["numberMatched"] == 0
    assert items(client, government, "diagonal", bbox="-80.6,-1.6,-80.4,-1.4").json()["numberMatched"] == 1


def test_lent_works_items_and_single_item(client, government, lent_works):
    data = items(client, government, "works.projects", bbox="-80.5,-1.1,-80.3,-0.9").json()
    assert [f["id"] for f in data["features"]] == ["puente-rio-chico"]
    assert items(client, government, "works.projects", estado="terminada").json()["features"][0]["id"] == "via-manta"
    one = client.get(gov_url(government, "geo-ogc:item", collection_id="works.projects", feature_id="via-manta")).json()
    assert one["geometry"]["type"] == "LineString"


def test_single_item(client, government, grid):
    response = client.get(gov_url(government, "geo-ogc:item", collection_id="puntos", feature_id="3"))
    assert response["Content-Type"] == "application/geo+json"
    data = response.json()
    assert data["type"] == "Feature" and data["id"] == 3 and data["properties"]["nombre"] == "Punto 3"
    assert {link["rel"] for link in data["links"]} >= {"self", "collection"}
    for missing in ("99", "abc"):
        assert (
            client.get(gov_url(government, "geo-ogc:item", collection_id="puntos", feature_id=missing)).status_code
            == 404
        )


@pytest.mark.parametrize(
    "query",
    [
        {"bbox": "1,2,3"},
        {"bbox": "a,b,c,d"},
        {"bbox": "-80,-1,-81,0"},
        {"bbox": "nan,0,1,1"},
        {"limit": "0"},
        {"limit": "diez"},
        {"offset": "-1"},
        {"f": "xml"},
        {"camas": "3"},
        {"bbox-crs": "http://www.opengis.net/def/crs/EPSG/0/32717"},
    ],
)
def test_invalid_parameters_answer_400(client, government, grid, query, english):
    response = items(client, government, **query)
    assert response.status_code == 400
    assert response.json()["code"] == "InvalidParameterValue" and response.json()["description"]


def test_private_and_unknown_collections_answer_404(client, government):
    make_layer(government, title="Interna", slug="interna", is_public=False)
    for collection_id in ("interna", "no-existe", "works.projects"):
        for name in ("geo-ogc:collection", "geo-ogc:items"):
            response = client.get(gov_url(government, name, collection_id=collection_id))
            assert response.status_code == 404 and response.json()["code"] == "NotFound"


def test_html_representation(client, government, grid, english):
    for name, kwargs in (
        ("geo-ogc:landing", {}),
        ("geo-ogc:conformance", {}),
        ("geo-ogc:collections", {}),
        ("geo-ogc:collection", {"collection_id": "puntos"}),
        ("geo-ogc:items", {"collection_id": "puntos"}),
        ("geo-ogc:item", {"collection_id": "puntos", "feature_id": "1"}),
        ("geo-ogc:openapi", {}),
    ):
        response = client.get(gov_url(government, name, **kwargs), {"f": "html"})
        assert response.status_code == 200 and response["Content-Type"].startswith("text/html"), name
        assert response.content.decode().count("<h1") == 1
    # A browser's Accept header chooses HTML too.
    page = client.get(
        gov_url(government, "geo-ogc:items", collection_id="puntos"), HTTP_ACCEPT="text/html,application/xhtml+xml"
    )
    assert "Features 1–10 of 12 that match." in page.content.decode()
    missing = client.get(gov_url(government, "geo-ogc:collection", collection_id="nada"), {"f": "html"})
    assert missing.status_code == 404 and "There is no public collection" in missing.content.decode()


def test_openapi_description(client, government, grid):
    response = client.get(gov_url(government, "geo-ogc:openapi"))
    assert response["Content-Type"] == "application/vnd.oai.openapi+json;version=3.0"
    data = response.json()
    assert data["openapi"].startswith("3.0")
    assert "/collections/{collectionId}/items" in data["paths"]
    parameters = data["paths"]["/collections/{collectionId}/items"]["get"]["parameters"]
    assert {p["name"] for p in parameters} >= {"collectionId", "bbox", "limit", "offset"}
    assert parameters[0]["schema"]["enum"] == ["puntos"]


@pytest.mark.django_db(transaction=True)
def test_owslib_reads_items_with_a_bbox_from_a_live_server(live_server, government):
    from owslib.ogcapi.features import Features

    features = [
        point(-80.9 + i * 0.1, -1.0, nombre=f"Punto {i + 1}", tipo="agua" if i % 2 else "salud") for i in range(12)
    ]
    make_layer(government, title="Puntos", slug="puntos", data=feature_collection(*features))
    make_layer(government, title="Interna", slug="interna", is_public=False)
    api = Features(f"{live_server.url}/g/{government.slug}/geovisor/ogc/")
    assert any(link["rel"] == "service-desc" for link in api.links)
    assert CONF + "core" in api.conformance()["conformsTo"]
    assert api.feature_collections() == ["puntos"]
    collection = api.collection("puntos")
    assert collection["title"] == "Puntos"
    found = api.collection_items("puntos", bbox=[-80.75, -1.1, -80.25, -0.9], limit=3)
    assert found["numberMatched"] == 5 and found["numberReturned"] == 3
    assert [f["properties"]["nombre"] for f in found["features"]] == ["Punto 3", "Punto 4", "Punto 5"]
    page_two = api.collection_items("puntos", bbox=[-80.75, -1.1, -80.25, -0.9], limit=3, offset=3)
    assert [f["id"] for f in page_two["features"]] == [6, 7]
    water = api.collection_items("puntos", bbox=[-80.75, -1.1, -80.25, -0.9], tipo="agua")
    assert [f["id"] for f in water["features"]] == [4, 6]
    assert api.collection_item("puntos", "4")["properties"]["tipo"] == "agua"
    spec = api.api()
    assert "/collections/{collectionId}/items" in spec["paths"]
