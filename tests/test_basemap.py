"""The base map under every interactive map: the PMTiles setting and its check, the file served
with HTTP range requests, the fallback GeoJSON (Natural Earth outline, GeoNames places, the
government's published boundaries; a canton borrows its province's) and the attributes a map
island reads."""

from __future__ import annotations

import json

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from minga.core.tenancy.scoping import government_scope
from minga.core.testing import GovernmentFactory, gov_url
from minga.core.testing_basemap import tiny_pmtiles
from minga.core.ui import basemap, maps, media
from minga.geo.tests.conftest import feature_collection, make_layer, square

pytestmark = pytest.mark.django_db


def _ids(found):
    return [message.id for message in found]


def test_check_accepts_nothing_a_site_path_or_https(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "basemap").mkdir()
    (tmp_path / "basemap" / "ecuador.pmtiles").write_bytes(tiny_pmtiles())
    assert basemap.configuration_problems("") == []
    assert basemap.configuration_problems("/media/basemap/ecuador.pmtiles") == []
    assert basemap.configuration_problems("https://tiles.example.ec/ecuador.pmtiles") == []
    assert basemap.configuration_problems("/static/basemap/ecuador.pmtiles") == []


def test_check_refuses_other_schemes_and_warns_of_a_missing_file(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assert _ids(basemap.configuration_problems("http://tiles.example.ec/ecuador.pmtiles")) == ["minga.E140"]
    assert _ids(basemap.configuration_problems("//tiles.example.ec/ecuador.pmtiles")) == ["minga.E140"]
    assert _ids(basemap.configuration_problems("/media/basemap/ecuador.pmtiles")) == ["minga.W142"]
    assert "minga.W141" in _ids(basemap.configuration_problems("https://tiles.example.ec/ecuador.mbtiles"))


def test_the_check_is_registered(settings):
    from django.core import checks

    settings.BASEMAP_PMTILES_URL = "ftp://tiles.example.ec/x.pmtiles"
    assert "minga.E140" in _ids(checks.run_checks())


def test_the_base_map_file_answers_range_requests(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = tiny_pmtiles()
    (tmp_path / "basemap").mkdir()
    (tmp_path / "basemap" / "ecuador.pmtiles").write_bytes(data)
    factory = RequestFactory()
    part = media.serve_media(factory.get("/", HTTP_RANGE="bytes=0-126"), "basemap/ecuador.pmtiles")
    assert part.status_code == 206
    assert part.content == data[:127] and part.content.startswith(b"PMTiles\x03")
    assert part["Content-Range"] == f"bytes 0-126/{len(data)}"
    assert part["Accept-Ranges"] == "bytes"
    tail = media.serve_media(factory.get("/", HTTP_RANGE="bytes=-10"), "basemap/ecuador.pmtiles")
    assert tail.status_code == 206 and tail.content == data[-10:]
    open_ended = media.serve_media(factory.get("/", HTTP_RANGE="bytes=100-"), "basemap/ecuador.pmtiles")
    assert open_ended.content == data[100:]
    whole = media.serve_media(factory.get("/"), "basemap/ecuador.pmtiles")
    assert whole.status_code == 200 and b"".join(whole.streaming_content) == data
    whole.close()
    beyond = media.serve_media(factory.get("/", HTTP_RANGE=f"bytes={len(data) + 5}-"), "basemap/ecuador.pmtiles")
    assert beyond.status_code == 416


def test_only_pmtiles_files_are_served_from_the_base_map_folder(settings, tmp_path, client):
    from django.http import Http404

    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "basemap").mkdir()
    (tmp_path / "basemap" / "notes.txt").write_text("x")
    with pytest.raises(Http404):
        media.serve_media(RequestFactory().get("/"), "basemap/notes.txt")
    with pytest.raises(Http404):
        media.serve_media(RequestFactory().get("/"), "basemap/missing.pmtiles")


def test_fallback_has_ecuador_places_and_published_boundaries(client, government):
    data = feature_collection(
        square(-80.5, -1.1, nombre="Parroquia Norte", dpa_parroquia="130150"),
        square(-80.4, -1.1, nombre="Parroquia Sur", dpa_parroquia="130151"),
    )
    make_layer(government, title="Parroquias", data=data)
    make_layer(government, title="Centros de salud")  # points: not a boundary
    response = client.get(gov_url(government, "core:basemap"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    body = json.loads(response.content)
    kinds = {}
    for feature in body["features"]:
        kinds.setdefault(feature["properties"]["kind"], []).append(feature)
    if basemap.NATURAL_EARTH.exists():
        countries = {f["properties"]["name"]: f for f in kinds["country"]}
        assert set(countries) == {"Ecuador", "Colombia", "Perú"}
        assert countries["Ecuador"]["properties"]["home"] is True
        assert countries["Ecuador"]["geometry"]["type"] == "MultiPolygon"  # the mainland and the Galápagos
    names = {f["properties"]["name"] for f in kinds["place"]}
    assert {"Quito", "Guayaquil", "Portoviejo", "Manta"} <= names
    assert {f["properties"]["name"] for f in kinds["boundary"]} == {"Parroquia Norte", "Parroquia Sur"}
    assert len(response.content) < 150_000


def test_a_canton_borrows_its_provinces_boundaries(client, government):
    canton = GovernmentFactory(
        name="GAD Municipal de Portoviejo",
        short_name="Portoviejo",
        slug="portoviejo",
        level="canton",
        dpa_code="1301",
        parent=government,
    )
    data = feature_collection(square(-80.5, -1.1, nombre="Parroquia Norte", dpa_parroquia="130150"))
    make_layer(government, title="Parroquias", data=data)
    with government_scope(canton):
        response = client.get(gov_url(canton, "core:basemap"))
    boundaries = [f for f in json.loads(response.content)["features"] if f["properties"]["kind"] == "boundary"]
    assert [f["properties"]["name"] for f in boundaries] == ["Parroquia Norte"]


def test_map_island_attributes_follow_the_setting(settings, government):
    request = RequestFactory().get("/")
    request.government = government
    request.LANGUAGE_CODE = "es"
    template = Template("{% load minga %}<div {% basemap_attributes %}></div>")
    settings.BASEMAP_PMTILES_URL = ""
    html = template.render(Context({"request": request}))
    assert 'data-basemap-geojson="' in html and "data-basemap-pmtiles" not in html
    settings.BASEMAP_PMTILES_URL = "/media/basemap/ecuador.pmtiles"
    html = template.render(Context({"request": request}))
    assert 'data-basemap-pmtiles="/media/basemap/ecuador.pmtiles"' in html
    assert "protomaps-leaflet.js" in html and "pmtiles.js" in html
    assert "OpenStreetMap" in html
    assert 'data-basemap-geojson="' in html  # drawn if the file fails


def test_works_map_and_geovisor_carry_the_base_map(client, government):
    make_layer(government)
    page = client.get(gov_url(government, "geo:map")).content.decode()
    assert "data-basemap-geojson" in page and "core/js/basemap" in page


def test_a_map_drawn_on_the_server_sits_on_land_inside_the_published_boundaries(government):
    """The backdrop under a server-drawn map (a table's points, the works' planning map): the
    land with the sea around it, and the boundaries the government publishes, in the
    drawing's own coordinates."""
    data = feature_collection(square(-80.5, -1.1, nombre="Parroquia Norte", dpa_parroquia="130150"))
    make_layer(government, title="Parroquias", data=data)
    wells = [
        maps.Feature(name=f"Pozo {n}", kind="point", parts=[[xy]])
        for n, xy in enumerate(((-80.6, -1.0), (-80.3, -1.2)))
    ]
    drawing = maps.draw(wells)
    found = basemap.backdrop(government, drawing)
    assert len(found["boundaries"]) == 1 and found["boundaries"][0].startswith("M")
    if basemap.NATURAL_EARTH.exists():
        assert found["land"]  # Manabí's coast is in the box
    svg = basemap.backdrop_svg(government, drawing)
    assert svg.startswith('<g class="svg-backdrop" aria-hidden="true">') and svg.endswith("</g>")
    assert "Portoviejo" in svg  # the largest town in the box is named
    assert basemap.backdrop_svg(None, {"bounds": None}) == ""
