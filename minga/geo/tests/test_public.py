"""Public pages through HTTP: the map (SVG + tables, with the works lent by another module and a
choropleth), the layer catalogue, a layer's page and its downloads, the map data for Leaflet,
and the tile server setting."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.cache import cache

from minga.core.tenancy.scoping import government_scope
from minga.core.testing import gov_url

from .. import services
from .conftest import feature_collection, make_layer, square

pytestmark = pytest.mark.django_db


@pytest.fixture
def parishes(government):
    data = feature_collection(
        square(-80.5, -1.1, nombre="Parroquia A", dpa="130150"),
        square(-80.4, -1.1, nombre="Parroquia B", dpa="130151"),
    )
    layer = make_layer(government, title="Parroquias", data=data)
    with government_scope(government):
        services.choropleth_create(
            actor=None,
            government=government,
            layer=layer,
            title="Población",
            slug="poblacion",
            join_property="dpa",
            value_label="habitantes",
            value_column="poblacion",
            file_name="p.csv",
            data=b"dpa,poblacion\n130150,1000\n130151,9000\n",
        )
    return layer


def test_map_page_draws_every_public_layer_and_the_lent_works(client, government, layer, lent_works, english):
    make_layer(government, title="Capa interna", is_public=False)
    response = client.get(gov_url(government, "geo:map"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert 'id="geo-svg"' in html and 'role="img"' in html
    # Tables of what is on the map: our layer and the works of the other module.
    assert "Centro Portoviejo" in html and "Puente sobre el río Chico" in html
    assert "Capa interna" not in html
    assert html.count('class="geo-shape"') == 5  # 3 points + 1 point + 1 line
    assert "OGC API – Features" in html
    # Without JavaScript the drawn map has the fallback base map under it (land and sea).
    svg = html[html.index('id="geo-svg"') : html.index("</svg>", html.index('id="geo-svg"'))]
    assert '<g class="svg-backdrop" aria-hidden="true">' in svg
    assert svg.index("svg-backdrop") < svg.index('class="geo-shape"')


def test_map_page_with_a_chosen_layer_and_a_choropleth(client, government, layer, parishes, lent_works, english):
    response = client.get(gov_url(government, "geo:map"), {"elegir": "1", "capa": layer.slug, "coropleta": "poblacion"})
    html = response.content.decode()
    assert "Población" in html and "habitantes" in html
    assert "Puente sobre el río Chico" not in html  # works not chosen
    assert "9.000" in html  # the figure, in the table
    # Classes from light to dark: the larger population is the darker colour.
    assert "#e8f1f3" in html and "#0b5563" in html


def test_map_data_for_leaflet(client, government, layer, lent_works):
    response = client.get(gov_url(government, "geo:map_data"))
    data = json.loads(response.content)
    assert [item["key"] for item in data["layers"]] == [layer.slug, "works.projects"]
    first = data["layers"][0]["features"][0]
    assert first["dom"] == "0-0" and first["label"] == "Centro Portoviejo" and first["colour"] == "#0072b2"
    assert data["tiles"] == {"url": "", "attribution": ""}


def test_tile_server_setting_reaches_the_map_and_its_csp(client, government, layer, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    government.modules = {
        "geo": {"settings": {"tile_url": "https://tiles.example.ec/{z}/{x}/{y}.png", "tile_attribution": "© Teselas"}}
    }
    government.save()
    response = client.get(gov_url(government, "geo:map"))
    assert 'data-tiles="https://tiles.example.ec/{z}/{x}/{y}.png"' in response.content.decode()
    assert "https://tiles.example.ec" in response["Content-Security-Policy"]
    # The cached copy served to the next visitor keeps the extended policy.
    again = client.get(gov_url(government, "geo:map"))
    assert "https://tiles.example.ec" in again["Content-Security-Policy"]
    data = client.get(gov_url(government, "geo:map_data")).json()
    assert data["tiles"]["attribution"] == "© Teselas"
    government.modules = {"geo": {"settings": {"tile_url": "https://{s}.tile.example.ec/{z}/{x}/{y}.png"}}}
    government.save()
    cache.clear()  # the government of a request is cached; its own services drop it, save() does not
    response = client.get(gov_url(government, "geo:layer_detail", slug=layer.slug))
    assert "https://*.tile.example.ec" in response["Content-Security-Policy"]


def test_map_without_layers(client, government, english):
    response = client.get(gov_url(government, "geo:map"))
    assert response.status_code == 200
    assert "No layers have been published yet." in response.content.decode()


def test_layer_page_shows_metadata_map_and_downloads(client, government, english):
    layer = make_layer(
        government, source="Dirección de Salud", licence="CC-BY-4.0", style_kind="categories", style_property="tipo"
    )
    response = client.get(gov_url(government, "geo:layer_detail", slug=layer.slug))
    html = response.content.decode()
    assert response.status_code == 200 and html.count("<h1") == 1
    assert "Dirección de Salud" in html and "EPSG:4326" in html
    assert layer.slug + ".geojson" in html and "geometria=lonlat" in html
    # Legend of the categories, in accessible colours.
    assert "agua" in html and "salud" in html and "#0072b2" in html and "#e69f00" in html


def test_layer_licence_is_named_and_linked_not_a_bare_code(client, government):
    known = make_layer(government, title="Vías", licence="CC-BY-4.0")
    html = client.get(gov_url(government, "geo:layer_detail", slug=known.slug)).content.decode()
    assert "Creative Commons Atribución 4.0 Internacional" in html
    assert 'href="https://creativecommons.org/licenses/by/4.0/" rel="license"' in html
    assert "<dd>CC-BY-4.0</dd>" not in html
    # An unknown licence is shown as typed (escaped), never dropped.
    own = make_layer(government, title="Ríos", licence="<b>Licencia provincial 2</b>")
    html = client.get(gov_url(government, "geo:layer_detail", slug=own.slug)).content.decode()
    assert "&lt;b&gt;Licencia provincial 2&lt;/b&gt;" in html
    listing = client.get(gov_url(government, "geo:layers")).content.decode()
    assert "Creative Commons Atribución 4.0 Internacional" in listing


def test_private_layer_pages_are_404(client, government):
    layer = make_layer(government, is_public=False)
    for name in ("geo:layer_detail", "geo:layer_geojson", "geo:layer_csv"):
        assert client.get(gov_url(government, name, slug=layer.slug)).status_code == 404


def test_geojson_download(client, government, layer):
    response = client.get(gov_url(government, "geo:layer_geojson", slug=layer.slug))
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 3
    assert data["features"][0] == {
        "type": "Feature",
        "id": 1,
        "geometry": {"type": "Point", "coordinates": [-80.45, -1.05]},
        "properties": {"nombre": "Centro Portoviejo", "tipo": "salud"},
    }


def test_csv_downloads_with_wkt_and_lon_lat(client, government):
    data = feature_collection(square(-80.5, -1.1, nombre="=HYPERLINK()", dpa="130150"))
    layer = make_layer(government, title="Áreas", data=data)
    text = client.get(gov_url(government, "geo:layer_csv", slug=layer.slug)).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["id", "nombre", "dpa", "wkt"]
    assert rows[1][1] == "'=HYPERLINK()"  # a formula is neutralised
    assert rows[1][3].startswith("POLYGON ((-80.5 -1.1")
    text = client.get(gov_url(government, "geo:layer_csv", slug=layer.slug), {"geometria": "lonlat"}).content.decode(
        "utf-8-sig"
    )
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][-2:] == ["longitud", "latitud"]
    lon, lat = float(rows[1][-2]), float(rows[1][-1])  # negative numbers stay numbers
    assert -80.5 < lon < -80.4 and -1.1 < lat < -1.0
    assert client.get(gov_url(government, "geo:layer_csv", slug=layer.slug), {"geometria": "x"}).status_code == 404


def test_layer_catalogue(client, government, layer, parishes, lent_works, english):
    html = client.get(gov_url(government, "geo:layers")).content.decode()
    assert "Centros de salud" in html and "Parroquias" in html and "Obras públicas" in html and "Población" in html
