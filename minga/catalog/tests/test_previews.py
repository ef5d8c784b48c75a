"""Previews of a resource: the chart builder (bars, line, pie with "Others", errors kept in the
form, permalink, embeddable variant that other sites may frame, SVG and CSV), maps (GeoJSON
files, rows with latitude/longitude, figures per province from DPA codes), image and PDF
previews with a same-origin inline view, links from the dataset and table pages, 404 for
unpublished and foreign resources, and no inline script or style anywhere."""

import csv
import io
import json
import math
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from minga import datastore
from minga.core.tenancy.models import contrast_with_white
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import assert_foreign_government_404, gov_url
from minga.core.ui import charts, maps

from ..datasets import services
from ..tables import services as table_services
from ..tables.selectors import sniff_inline_type
from . import factories
from .conftest_datastore import datastore_env  # noqa: F401

pytestmark = pytest.mark.django_db

OBRAS = b"""canton,monto,anio,latitud,longitud,cod_canton,nota
Manta,100.5,2023,-0.95,-80.73,1308,muelle
Portoviejo,200,2023,-1.05,-80.45,1301,parque
Manta,50,2024,-0.95,-80.73,1308,vereda
Chone,10,2024,-0.69,-80.09,1303,puente
Cuenca,300,2024,-2.90,-79.00,0101,mercado
"""
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
GEOJSON = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"nombre": "Parque Central"},
            "geometry": {"type": "Point", "coordinates": [-80.45, -1.05]},
        },
        {
            "type": "Feature",
            "properties": {"name": "Vía a Manta"},
            "geometry": {"type": "LineString", "coordinates": [[-80.45, -1.05], [-80.6, -1.0], [-80.73, -0.95]]},
        },
        {
            "type": "Feature",
            "properties": {"codigo": 7, "barrio": "Las Vegas"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[-80.5, -1.1], [-80.4, -1.1], [-80.4, -1.0], [-80.5, -1.0], [-80.5, -1.1]]],
            },
        },
    ],
}
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)


def upload(government, name: str, content: bytes, *, published=True, dataset=None, **fields):
    dataset = dataset or factories.dataset(government, is_published=published)
    resource = factories.resource(government, dataset, file=SimpleUploadedFile(name, content), **fields)
    if resource.is_tabular:
        with government_scope(government):
            load = table_services.resource_load_run(government=government, resource=resource)
        assert load.status == "succeeded", load.report
    return resource


@pytest.fixture
def obras(government):
    return upload(government, "obras.csv", OBRAS, title="Obras por cantón")


def chart_url(government, resource, name="resource_chart"):
    return gov_url(government, f"catalog:{name}", pk=resource.pk)


def assert_no_inline_code(page: str):
    assert not INLINE_SCRIPT.search(page), "inline script"
    assert "style=" not in page and "<style" not in page, "inline style"


# -- charts ---------------------------------------------------------------------------------


def test_first_visit_draws_a_default_bar_chart(english, government, obras):
    response = english.get(chart_url(government, obras))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'role="img"' in page and 'aria-labelledby="chart-title chart-desc"' in page
    # The first chart adds up the amounts (not the year, the coordinates or the DPA code).
    assert response.context["form"]["medida"].value() == "monto"
    labels = [datum.label for datum in response.context["result"].data]
    assert labels == ["Cuenca", "Portoviejo", "Manta", "Chone"]
    assert_no_inline_code(page)
    counted = english.get(chart_url(government, obras), {"agregado": "count"})
    assert '<title id="chart-title">Number of rows by canton</title>' in counted.content.decode()
    assert counted.context["result"].data[0].label == "Manta"


def test_bar_chart_sums_with_values_in_spanish_and_english(english, government, obras):
    params = {"tipo": "bar", "grupo": "canton", "agregado": "sum", "medida": "monto", "orden": "-valor"}
    response = english.get(chart_url(government, obras), params)
    assert response.status_code == 200
    data = response.context["result"].data
    assert [(d.label, d.number) for d in data] == [
        ("Cuenca", 300.0),
        ("Portoviejo", 200.0),
        ("Manta", 150.5),
        ("Chone", 10.0),
    ]
    chart = response.context["chart"]
    widths = [bar["width"] for bar in chart["bars"]]
    assert widths == sorted(widths, reverse=True) and widths[0] > 0
    assert widths[1] / widths[0] == pytest.approx(200 / 300, rel=0.02)
    page = response.content.decode()
    assert "Sum of monto by canton" in page and ">150.50<" in page
    # The data table beside the chart has every group and its value.
    table = page.split('id="chart-data"')[1]
    assert all(name in table for name in ("Cuenca", "Portoviejo", "Manta", "Chone"))
    spanish = Client().get(chart_url(government, obras), params).content.decode()
    assert ">150,50<" in spanish  # decimal comma, as read in Ecuador


def test_sort_limit_and_filter(english, government, obras):
    response = english.get(
        chart_url(government, obras),
        {"grupo": "canton", "agregado": "sum", "medida": "monto", "orden": "etiqueta", "limite": "3"},
    )
    assert [d.label for d in response.context["result"].data] == ["Chone", "Cuenca", "Manta"]
    assert "Showing 3 of 4 groups." in response.content.decode()
    response = english.get(
        chart_url(government, obras),
        {"grupo": "canton", "agregado": "count", "columna": "anio", "operador": "eq", "valor": "2024"},
    )
    assert {d.label: d.number for d in response.context["result"].data} == {"Manta": 1, "Chone": 1, "Cuenca": 1}
    assert "Only rows where anio is “2024”." in response.content.decode()


def test_line_chart_follows_the_labels(english, government, obras):
    response = english.get(chart_url(government, obras), {"tipo": "line", "grupo": "anio"})
    assert response.status_code == 200
    chart = response.context["chart"]
    assert [p["full_label"] for p in chart["points"]] == ["2023", "2024"]  # years without thousands separators
    assert chart["path"].startswith("M") and " L" in chart["path"]
    html = response.content.decode()
    # Drawn twice: the wide layout and the phone one (CSS shows one), each with its own ids.
    assert html.count("<circle") == 4
    assert html.count('id="chart-title"') == 1 and html.count('id="chart-title-narrow"') == 1
    assert 'class="chart-scroll chart-narrow"' in html and chart["narrow"]["width"] < chart["width"]


def test_pie_groups_the_rest_as_others(english, government, obras):
    response = english.get(
        chart_url(government, obras),
        {"tipo": "pie", "grupo": "canton", "agregado": "sum", "medida": "monto", "limite": "2"},
    )
    assert response.status_code == 200
    data = response.context["result"].data
    assert [(d.label, d.number, d.others) for d in data] == [
        ("Cuenca", 300.0, False),
        ("Portoviejo", 200.0, False),
        ("Others (2 groups)", pytest.approx(160.5), True),
    ]
    page = response.content.decode()
    assert page.count('stroke="#ffffff" stroke-width="2"/>') == 6  # three slices, in the wide and the phone layout
    shares = [row["share"] for row in response.context["result"].rows]
    assert shares == ["45.4 %", "30.3 %", "24.3 %"]
    # A pie never gets more slices than can be told apart.
    response = english.get(chart_url(government, obras), {"tipo": "pie", "grupo": "nota", "limite": "40"})
    assert response.status_code == 200 and response.context["form"].cleaned_data["limite"] == 12


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"grupo": "nope", "tipo": "pie"}, "grupo", "“nope” is not a column of this table."),
        ({"grupo": "anio", "agregado": "sum", "medida": "canton"}, "medida", "is not a number column"),
        ({"grupo": "anio", "agregado": "avg"}, "medida", "Choose the column"),
        ({"grupo": "canton", "tipo": "pie", "agregado": "avg", "medida": "monto"}, "agregado", "A pie shows the parts"),
        ({"grupo": "canton", "tipo": "chart;drop"}, "tipo", "Select a valid choice"),
    ],
)
def test_invalid_choices_are_explained_and_kept(english, government, obras, params, field, message):
    response = english.get(chart_url(government, obras), params)
    assert response.status_code == 400
    form = response.context["form"]
    assert any(message in error for error in form.errors[field])
    page = response.content.decode()
    assert message.replace("“", "&ldquo;") in page or message in page
    assert f'id="id_{field}_error"' in page and 'aria-invalid="true"' in page
    # What the person chose stays selected.
    if params.get("tipo") == "pie":
        assert '<option value="pie" selected>' in page
    assert response.context["result"] is None


def test_values_the_engine_refuses_are_form_errors(english, government, obras):
    response = english.get(
        chart_url(government, obras), {"grupo": "canton", "columna": "monto", "operador": "gt", "valor": "mucho"}
    )
    assert response.status_code == 400 and 'id="form-errors"' in response.content.decode()


def test_permalink_embed_snippet_and_downloads(english, government, obras):
    params = {"tipo": "bar", "grupo": "canton", "agregado": "sum", "medida": "monto"}
    response = english.get(chart_url(government, obras), params)
    page = response.content.decode()
    permalink = response.context["permalink"]
    assert permalink.startswith("http") and "grupo=canton" in permalink and "medida=monto" in permalink
    assert f'value="{permalink.replace("&", "&amp;")}"' in page
    assert "&lt;iframe src=&quot;http" in page and "/grafico/insertar/?tipo=bar&amp;amp;grupo=canton" in page
    svg = english.get(chart_url(government, obras, "resource_chart_svg"), params)
    assert svg["Content-Type"] == "image/svg+xml" and svg["Content-Disposition"].startswith("attachment")
    body = svg.content.decode()
    assert body.startswith("<?xml") and 'xmlns="http://www.w3.org/2000/svg"' in body and ">300<" in body
    data = english.get(chart_url(government, obras, "resource_chart_csv"), params)
    rows = list(csv.reader(io.StringIO(b"".join(data.streaming_content).decode().lstrip("\ufeff"))))
    assert rows[0] == ["canton", "Sum of monto"] and rows[1] == ["Cuenca", "300"] and len(rows) == 5
    api = response.context["api_url"]
    assert "_group_by=canton" in api and "_agg=sum%3Amonto" in api
    grouped = english.get(
        gov_url(government, "catalog-api:resource_data", pk=obras.pk).split("?")[0] + api[api.index("?") :]
    )
    assert grouped.status_code == 200 and len(grouped.json()["rows"]) == 4


def test_only_the_embed_view_may_be_framed(client, government, obras):
    page = client.get(chart_url(government, obras))
    assert page["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in page["Content-Security-Policy"]
    embed = client.get(chart_url(government, obras, "resource_chart_embed"), {"grupo": "canton"})
    assert embed.status_code == 200
    assert "X-Frame-Options" not in embed
    policy = embed["Content-Security-Policy"]
    assert "frame-ancestors *" in policy and "script-src 'self'" in policy and "unsafe-inline" not in policy
    body = embed.content.decode()
    assert 'class="site-header"' not in body and 'role="img"' in body and "<details>" in body
    assert_no_inline_code(body)
    bad = client.get(chart_url(government, obras, "resource_chart_embed"), {"grupo": "nope"})
    assert bad.status_code == 400 and 'role="alert"' in bad.content.decode()


def test_chart_geometry_and_palette():
    assert charts.nice_ticks(0, 87) == [0, 25, 50, 75, 100]
    assert charts.nice_ticks(-15, 40)[0] <= -15 and 0 in charts.nice_ticks(-15, 40)
    bars = charts.bar_chart([charts.Datum("a", -5), charts.Datum("b", 10)])["bars"]
    assert bars[0]["x"] < bars[1]["x"]  # the negative bar starts left of zero
    pie = charts.pie_chart([charts.Datum("solo", 3)])
    assert pie["slices"][0]["circle"]
    for colour in (*charts.PALETTE, charts.OTHERS, charts.BAR):
        assert contrast_with_white(colour) >= 4.5, colour


# -- maps -----------------------------------------------------------------------------------


def _feature_paths(drawing: str) -> int:
    """Paths of the file's features (the backdrop's land and boundaries are paths too)."""
    return len(re.findall(r'<path [^>]*class="map-shape"', drawing))


def test_geojson_map_draws_and_lists_features(english, government):
    resource = upload(government, "obras.geojson", json.dumps(GEOJSON).encode())
    assert resource.format == "GeoJSON"
    response = english.get(gov_url(government, "catalog:resource_map", pk=resource.pk))
    assert response.status_code == 200
    page = response.content.decode()
    drawing = page.split('id="map-drawing"')[1].split("</svg>")[0]
    assert drawing.count("<circle") == 1 and _feature_paths(drawing) == 2
    listing = page.split('id="map-features"')[1]
    for name in ("Parque Central", "Vía a Manta", "Las Vegas"):
        assert name in listing
    assert "-1.05000" in listing and "-80.45000" in listing
    assert_no_inline_code(page)


def test_invalid_geojson_gets_a_clear_message(english, government):
    bad = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [200, 5]}}],
    }
    resource = upload(government, "malo.geojson", json.dumps(bad).encode())
    response = english.get(gov_url(government, "catalog:resource_map", pk=resource.pk))
    page = response.content.decode()
    assert response.status_code == 200 and 'id="map-error"' in page and "outside longitude" in page
    assert 'id="map-drawing"' not in page
    with pytest.raises(maps.MapError, match="not valid JSON"):
        maps.parse_geojson(b"{nope")
    with pytest.raises(maps.MapError, match="Unknown geometry"):
        maps.parse_geojson(b'{"type": "Feature", "geometry": {"type": "Circle", "coordinates": [1, 2]}}')
    with pytest.raises(maps.MapError, match="not GeoJSON"):
        maps.parse_geojson(b'{"type": "Topology"}')
    with pytest.raises(maps.MapError, match="too large"):
        maps.parse_geojson(b" " * (maps.GEOJSON_MAX_BYTES + 1))


def test_rows_with_latitude_and_longitude_are_points(english, government, obras):
    table = datastore.get_table(table_id=obras.datastore_table_id)
    assert maps.coordinate_columns(table.columns) == ("latitud", "longitud")
    response = english.get(gov_url(government, "catalog:resource_map", pk=obras.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.split('id="map-drawing"')[1].count("<circle") == 5
    assert "Rows placed by latitud and longitud" in page and "Manta" in page.split('id="map-features"')[1]


def test_coordinate_detection_needs_names_and_valid_ranges(government):
    resource = upload(government, "puntos.csv", b"lat,lng,y\n95.5,-80.1,1\n-1.2,-80.2,2\n")
    table = datastore.get_table(table_id=resource.datastore_table_id)
    assert maps.coordinate_columns(table.columns) is None  # 95.5 is no latitude
    resource = upload(government, "puntos2.csv", b"Latitude,LONG,y\n-0.2,-78.5,1\n-1.2,-80.2,2\n")
    table = datastore.get_table(table_id=resource.datastore_table_id)
    assert maps.coordinate_columns(table.columns) == ("latitude", "long")
    plain = upload(government, "sin.csv", b"a,b\n1,2\n")
    assert maps.coordinate_columns(datastore.get_table(table_id=plain.datastore_table_id).columns) is None


def test_dpa_codes_are_counted_by_province(english, government, obras):
    first = english.get(gov_url(government, "catalog:resource_map", pk=obras.pk))
    assert {row["code"]: row["value"] for row in first.context["dpa_rows"]} == {"01": "300", "13": "360.50"}
    response = english.get(gov_url(government, "catalog:resource_map", pk=obras.pk), {"agregado": "count"})
    rows = {row["code"]: row for row in response.context["dpa_rows"]}
    assert rows["13"]["name"] == "Manabí" and rows["13"]["value"] == "4"
    assert rows["01"]["name"] == "Azuay" and rows["01"]["value"] == "1"
    page = response.content.decode()
    grid = page.split('id="province-grid"')[1].split("</svg>")[0]
    assert grid.count("<rect") == 24 and "Manabí (13): 4" in grid
    assert 'class="legend"' in page and 'id="dpa-data"' in page
    response = english.get(
        gov_url(government, "catalog:resource_map", pk=obras.pk), {"agregado": "sum", "medida": "monto"}
    )
    rows = {row["code"]: row["value"] for row in response.context["dpa_rows"]}
    assert rows == {"01": "300", "13": "360.50"}
    response = english.get(gov_url(government, "catalog:resource_map", pk=obras.pk), {"agregado": "sum"})
    assert "Choose the number column" in response.content.decode()


CANTONES = b"""cod_canton,canton,accidentes
1301,Portoviejo,10
1308,Manta,25
1303,Chone,5
1308,Manta,3
"""


def test_canton_codes_of_one_province_are_drawn_as_its_cantons(english, government):
    # No boundaries published: the cantons keep their own squares (Manabí's layout), named by
    # the table, instead of being counted in one province.
    resource = upload(government, "accidentes.csv", CANTONES)
    response = english.get(
        gov_url(government, "catalog:resource_map", pk=resource.pk), {"agregado": "sum", "medida": "accidentes"}
    )
    rows = {row["code"]: (row["name"], row["value"]) for row in response.context["dpa_rows"]}
    assert rows == {"1301": ("Portoviejo", "10"), "1303": ("Chone", "5"), "1308": ("Manta", "28")}
    assert response.context["grid"]["geographic"] and not response.context["dpa_provinces"]
    page = response.content.decode()
    grid = page.split('id="province-grid"')[1].split("</svg>")[0]
    assert grid.count("<rect") == 3 and "Manta (1308): 28" in grid
    assert "by territory" in page and "placed roughly where it lies" in page and "Territory" in page
    assert 'id="dpa-areas"' not in page


def test_dpa_helpers():
    assert [maps.province_code(v) for v in (101, "0101", 1308, "13", 90150, "170150", None, "x1")] == [
        "01",
        "01",
        "13",
        "13",
        "09",
        "17",
        None,
        None,
    ]
    averaged = maps.combine([(1301, 10.0, 1), (1308, 40.0, 3), ("17", 5.0, 2)], "avg")
    assert averaged["13"].value == pytest.approx(32.5) and averaged["17"].value == 5.0
    assert maps.combine([(1301, 10.0, 1), (1308, 40.0, 3)], "max")["13"].value == 40.0
    grid = maps.province_grid(maps.combine([("13", 5, 1), ("01", 1, 1)], "sum"), str)
    tiles = {tile["code"]: tile for tile in grid["tiles"]}
    assert tiles["13"]["fill"] == maps.SCALE[-1] and tiles["01"]["fill"] == maps.SCALE[0] and tiles["17"]["empty"]
    assert len({(t["x"], t["y"]) for t in grid["tiles"]}) == 24  # no two provinces on one square
    for tile in grid["tiles"]:
        if tile["ink"] == "#ffffff":
            assert contrast_with_white(tile["fill"]) >= 4.5


def test_no_map_for_tables_without_places(client, government):
    plain = upload(government, "sin.csv", b"a,b\n1,2\n")
    assert client.get(gov_url(government, "catalog:resource_map", pk=plain.pk)).status_code == 404


# -- images and PDFs ------------------------------------------------------------------------


def test_image_preview_and_inline_file(english, government):
    image = upload(government, "plano.png", PNG, title="Plano del parque", description="Plano con las áreas verdes")
    assert image.format == "OTHER"
    response = english.get(gov_url(government, "catalog:resource_preview", pk=image.pk))
    page = response.content.decode()
    inline = gov_url(government, "catalog:resource_inline", pk=image.pk)
    assert response.status_code == 200 and 'alt="Plano con las áreas verdes"' in page
    assert inline.split(f"/g/{government.slug}")[1] in page
    assert_no_inline_code(page)
    file = english.get(inline)
    assert file["Content-Type"] == "image/png" and file["Content-Disposition"].startswith("inline")
    assert file["X-Frame-Options"] == "SAMEORIGIN" and file["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in file["Content-Security-Policy"]
    assert b"".join(file.streaming_content) == PNG


def test_pdf_preview_embeds_the_same_origin_file(english, government):
    pdf = upload(government, "informe.pdf", PDF, title="Informe")
    assert pdf.format == "PDF"
    page = english.get(gov_url(government, "catalog:resource_preview", pk=pdf.pk)).content.decode()
    assert "<iframe" in page and 'id="preview-pdf"' in page and "download the PDF" in page
    file = english.get(gov_url(government, "catalog:resource_inline", pk=pdf.pk))
    assert file["Content-Type"] == "application/pdf" and file["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in file["Content-Security-Policy"]


def test_only_real_pdfs_and_images_are_served_inline(english, government):
    fake = upload(government, "foto.png", b"\x00\x01\x02 not an image at all")
    page = english.get(gov_url(government, "catalog:resource_preview", pk=fake.pk)).content.decode()
    assert 'id="preview-error"' in page
    assert english.get(gov_url(government, "catalog:resource_inline", pk=fake.pk)).status_code == 404
    svg = upload(government, "logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    assert english.get(gov_url(government, "catalog:resource_inline", pk=svg.pk)).status_code == 404
    assert english.get(gov_url(government, "catalog:resource_preview", pk=svg.pk)).status_code == 404
    download = english.get(gov_url(government, "catalog:resource_download", pk=svg.pk))
    assert download["Content-Disposition"].startswith("attachment")
    assert (
        sniff_inline_type(b"<html><body>") is None
        and sniff_inline_type(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "image/webp"
    )


# -- links and access -------------------------------------------------------------------------


def test_dataset_and_table_pages_link_the_previews(english, government, obras):
    image = upload(government, "plano.png", PNG, dataset=obras.dataset)
    page = english.get(gov_url(government, "catalog:dataset_detail", slug=obras.dataset.slug)).content.decode()
    for name, pk in (
        ("resource_table", obras.pk),
        ("resource_chart", obras.pk),
        ("resource_map", obras.pk),
        ("resource_preview", image.pk),
    ):
        assert gov_url(government, f"catalog:{name}", pk=pk).split(f"/g/{government.slug}")[1] in page, name
    assert gov_url(government, "catalog:resource_map", pk=image.pk).split(f"/g/{government.slug}")[1] not in page
    table = english.get(gov_url(government, "catalog:resource_table", pk=obras.pk)).content.decode()
    assert chart_url(government, obras).split(f"/g/{government.slug}")[1] in table


def preview_urls(government, resource, image, geojson):
    return [
        chart_url(government, resource),
        chart_url(government, resource, "resource_chart_embed"),
        chart_url(government, resource, "resource_chart_svg"),
        chart_url(government, resource, "resource_chart_csv"),
        gov_url(government, "catalog:resource_map", pk=resource.pk),
        gov_url(government, "catalog:resource_map", pk=geojson.pk),
        gov_url(government, "catalog:resource_preview", pk=image.pk),
        gov_url(government, "catalog:resource_inline", pk=image.pk),
    ]


def preview_access_urls(government, o):
    """For the module's access matrix: previews of its loaded table, an image and a GeoJSON file."""
    if "preview_image" not in o:
        o["preview_image"] = upload(government, "plano.png", PNG, dataset=o["dataset"])
        o["preview_geojson"] = upload(government, "obras.geojson", json.dumps(GEOJSON).encode(), dataset=o["dataset"])
    urls = preview_urls(government, o["resource"], o["preview_image"], o["preview_geojson"])
    return [url for url in urls if url != gov_url(government, "catalog:resource_map", pk=o["resource"].pk)]


def test_unpublished_and_foreign_resources_are_404(client, government, other_government, obras):
    image = upload(government, "plano.png", PNG, dataset=obras.dataset)
    geojson = upload(government, "obras.geojson", json.dumps(GEOJSON).encode(), dataset=obras.dataset)
    urls = preview_urls(government, obras, image, geojson)
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert_foreign_government_404(client, other_government, urls, government)
    with government_scope(government):
        services.dataset_set_published(actor=None, government=government, dataset=obras.dataset, is_published=False)
    for url in urls:
        assert client.get(url).status_code == 404, url


def test_detailed_shapes_are_simplified_for_the_page():
    straight = [(float(i), 0.001 * (i % 2)) for i in range(500)]
    assert maps._simplify(straight, maps.SIMPLIFY_PX) == [(0.0, 0.0), (499.0, 0.001)]
    ring = [[-80 + 0.1 * math.cos(a / 50 * math.pi), -1 + 0.1 * math.sin(a / 50 * math.pi)] for a in range(100)]
    ring.append(ring[0])
    many = {"type": "Polygon", "coordinates": [[[x + 1e-7 * i, y] for i, (x, y) in enumerate(ring)]]}
    drawing = maps.draw(maps.parse_geojson(json.dumps(many).encode()))
    path = drawing["shapes"][0]["d"]
    assert path.startswith("M") and path.endswith("Z") and path.count(" ") < 2 * 100


def test_demo_files_show_every_preview(client, government):
    from django.utils import timezone

    from .. import demo
    from ..datasets.models import Resource

    with government_scope(government):
        demo.seed(government, now=timezone.now(), stdout=io.StringIO())
        roads = Resource.objects.get(original_name="red-vial-rural.geojson")
        origins = Resource.objects.get(original_name="turistas-por-provincia-de-origen.csv")
        report = Resource.objects.get(original_name="informe-ejecucion-presupuestaria.pdf")
    page = client.get(gov_url(government, "catalog:resource_map", pk=roads.pk)).content.decode()
    drawing = page.split('id="map-drawing"')[1].split("</svg>")[0]
    assert _feature_paths(drawing) == 8 and drawing.count("<circle") == 8 and 'id="map-error"' not in page
    response = client.get(gov_url(government, "catalog:resource_map", pk=origins.pk))
    assert len(response.context["dpa_rows"]) == 24
    file = client.get(gov_url(government, "catalog:resource_inline", pk=report.pk))
    assert file["Content-Type"] == "application/pdf" and b"".join(file.streaming_content).endswith(b"%%EOF\n")


def test_previews_count_as_previews(client, government, obras):
    from django.core.cache import cache

    from minga.core.usage import services as counts

    from ..usage.models import UsageDaily

    cache.clear()
    client.defaults["HTTP_USER_AGENT"] = "Mozilla/5.0 (X11; Linux x86_64) Chrome/124.0 Safari/537.36"
    client.get(chart_url(government, obras))
    client.get(chart_url(government, obras, "resource_chart_embed"))
    client.get(gov_url(government, "catalog:resource_map", pk=obras.pk))
    client.get(chart_url(government, obras), {"grupo": "nope"})  # an error page is no use
    counts.flush()
    with government_scope(government):
        rows = {(row.kind, row.resource_id): row.count for row in UsageDaily.objects.all()}
    assert rows == {("preview", obras.pk): 3}
