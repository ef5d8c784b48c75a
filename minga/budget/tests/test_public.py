"""The citizen pages, downloads and API through HTTP, and what other modules read of the
budget (links, open-data tables)."""

import csv
import io
import json
from dataclasses import replace
from decimal import Decimal

import pytest
from django.apps import apps
from django.utils import translation
from openpyxl import load_workbook

from minga.core import opendata, registry
from minga.core.registry import LinkedRecord
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import answered_as_documented, gov_url

from .. import links, services
from ..models import CutOff
from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def budget(government):
    factories.published_budget(government, year=2025, months=(3, 12))
    return factories.published_budget(government, year=2026, months=(1, 2, 3))


def test_no_budget_yet(english, government):
    response = english.get(gov_url(government, "budget:overview"))
    assert response.status_code == 200 and b"No budget has been published yet" in response.content


def test_overview_shows_the_stages_explained_and_the_rates(english, government, budget):
    body = english.get(gov_url(government, "budget:overview")).content.decode()
    assert "Budget 2026" in body and "2026-03" in body
    assert "USD 1,900,000" in body  # codificado of the expense lines
    # devengado 1,100,000 / codificado 1,900,000
    assert 'id="expense-rate">57.9 %' in body
    assert "Money tied to a contract or order that has been signed." in body
    assert body.count("<h1") == 1 and "<svg" in body and '<title id="stages-title">' in body
    assert "<script>" not in body


def test_an_older_cutoff_and_year_can_be_chosen(english, government, budget):
    response = english.get(gov_url(government, "budget:year", year=2025) + "?corte=2025-03")
    assert response.status_code == 200 and "2025-03" in response.content.decode()
    assert english.get(gov_url(government, "budget:year", year=2024)).status_code == 404


def test_drill_down_group_subgroup_item_line(english, government, budget):
    url = gov_url(government, "budget:expense", year=2026)
    body = english.get(url).content.decode()
    assert "75 Obras públicas" in body and "grupo=75" in body
    body = english.get(url + "?grupo=75").content.decode()
    assert "subgrupo=7501" in body
    body = english.get(url + "?subgrupo=7501").content.decode()
    assert "item=750105" in body
    body = english.get(url + "?item=750105").content.decode()
    assert "2.01.750105.001" in body and "/partidas/2.01.750105.001/" in body


@pytest.mark.parametrize(
    "by,expected",
    [("programa", "Administración general"), ("unidad", "Dirección Administrativa"), ("territorio", "Chone")],
)
def test_other_dimensions(english, government, budget, by, expected):
    body = english.get(gov_url(government, "budget:expense", year=2026) + f"?por={by}").content.decode()
    assert expected in body


def test_where_the_money_comes_from(english, government, budget):
    body = english.get(gov_url(government, "budget:income", year=2026)).content.decode()
    assert "Where does each dollar come from?" in body and "18 Transferencias" in body


def test_monthly_curve_against_the_linear_plan(english, government, budget):
    body = english.get(gov_url(government, "budget:curve", year=2026)).content.decode()
    assert "2026-01" in body and "2026-03" in body
    assert "25.0 %" in body  # the plan at the end of March
    assert "32.9 %" in body  # 57.9 % executed, 32.9 points ahead of the plan


def test_year_over_year_at_the_same_month(english, government, budget):
    body = english.get(gov_url(government, "budget:compare")).content.decode()
    assert "2026 (March)" in body and "2025 (March)" in body


def test_lines_list_and_filters(english, government, budget):
    url = gov_url(government, "budget:lines", year=2026)
    assert "5 lines" in english.get(url).content.decode()
    assert "1 line" in english.get(url + "?q=remuneraciones").content.decode()
    body = english.get(url + "?lado=income").content.decode()
    assert "2 lines" in body and "110201.01" in body
    assert "1 line" in english.get(url + "?grupo=75").content.decode()


def test_line_page_shows_its_history_and_what_spends_it(english, government, budget, monkeypatch):
    found = []

    def backlinks(gov, key):
        found.append(key)
        return [LinkedRecord("procurement.process", "ocds-5wno2w-1", "Asfaltado de la vía Chone", "/x/", "procurement")]

    config = apps.get_app_config("institution")
    monkeypatch.setattr(config, "manifest", replace(config.manifest, backlinks={"budget.line": backlinks}))
    url = gov_url(government, "budget:line", year=2026, partida="2.01.750105.001")
    body = english.get(url).content.decode()
    assert found == ["2026:2.01.750105.001"]
    assert "Asfaltado de la vía Chone" in body
    assert "January 2026" in body and "February 2026" in body and "Obras públicas" in body
    assert 'id="line-rate">50.0 %' in body
    assert english.get(gov_url(government, "budget:line", year=2026, partida="9.99.999999.001")).status_code == 404


def test_link_resolver_gives_the_latest_figures(government, budget):
    with government_scope(government):
        resolved = registry.resolve_links(government, "budget.line", ["2026:2.01.750105.001", "2026:nope", "x"])
    record = resolved["2026:2.01.750105.001"]
    assert set(resolved) == {"2026:2.01.750105.001"}
    assert record.facts["codificado"] == Decimal("1200000.00") and record.facts["pagado"] == Decimal("500000.00")
    assert record.url.endswith("/presupuesto/2026/partidas/2.01.750105.001/")
    assert record.kind == links.KIND and "Obras de transporte" in record.facts["description"]


def _csv(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_lotaip_dataset_with_its_metadata_and_dictionary(client, government, budget):
    rows = _csv(client.get(gov_url(government, "budget:download_lotaip", year=2026)))
    assert len(rows[0]) == 14 and rows[0][0] == "codigo" and rows[0][-1] == "porcentaje_ejecucion"
    line = next(row for row in rows if row[0] == "2.01.750105.001")
    assert line[1] == "Gastos" and line[5] == "1200000.00" and line[10] == "400000.00" and line[13] == "50.00"
    income = next(row for row in rows if row[0] == "110201.01")
    assert income[1] == "Ingresos" and income[6] == "" and income[12] == "20000.00"
    metadata = _csv(client.get(gov_url(government, "budget:download_metadata", year=2026)))
    assert ["Fecha de corte", "2026-03 (acumulado desde enero)"] in metadata
    dictionary = _csv(client.get(gov_url(government, "budget:download_dictionary", year=2026)))
    assert len(dictionary) == 15 and dictionary[-1][0] == "porcentaje_ejecucion"


def test_exports_neutralise_formulas(client, government, editor):
    rows = [factories.expense_row("730811", '=HYPERLINK("http://x")', "1", "0", "1", "1", "1", "1", "1")]
    factories.publish(government, factories.csv_bytes(factories.EXPENSE_HEADERS, rows), actor=editor)
    rows = _csv(client.get(gov_url(government, "budget:download_csv", year=2026)))
    assert rows[1][1].startswith("'=")
    workbook = load_workbook(io.BytesIO(client.get(gov_url(government, "budget:download_xlsx", year=2026)).content))
    sheet = workbook.worksheets[0]
    assert sheet.cell(2, 2).value.startswith("'=") and sheet.cell(2, 19).value == 1


def test_fiscal_data_package(client, government, budget):
    package = json.loads(client.get(gov_url(government, "budget:download_datapackage", year=2026)).content)
    assert package["fiscalPeriod"] == {"start": "2026-01-01", "end": "2026-12-31"}
    assert package["model"]["measures"]["codificado"]["phase"] == "adjusted"
    assert len(package["resources"][0]["schema"]["fields"]) == 14


def test_xlsx_detail(client, government, budget):
    response = client.get(gov_url(government, "budget:download_xlsx", year=2026) + "?corte=2026-02")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert header[0] == "partida" and header[-1] == "corte"
    assert sheet.cell(2, len(header)).value == "2026-02"


def test_one_open_data_table_per_year(government, budget):
    with government_scope(government):
        tables = opendata.tables_for(government, "budget")
        assert [t.key for t in tables] == ["budget.execution.2026", "budget.execution.2025"]
        table = tables[0]
        assert [c.name for c in table.columns][:3] == ["codigo", "categoria", "descripcion"] and len(
            table.columns
        ) == 14
        assert len(list(table.rows())) == 5
        names = [f.filename for f in table.files]
        assert names == ["lotaip-6-metadatos-2026-03.csv", "lotaip-6-diccionario-2026-03.csv", "datapackage.json"]
        assert all(f.content() for f in table.files)


def test_withdrawn_cutoffs_disappear_from_pages_and_api(client, government, budget, editor):
    with government_scope(government):
        for cutoff in CutOff.objects.filter(budget_year__year=2026):
            services.cutoff_withdraw(actor=editor, government=government, cutoff=cutoff)
    assert client.get(gov_url(government, "budget:year", year=2026)).status_code == 404
    years = client.get(gov_url(government, "budget-api:years")).json()
    assert [y["year"] for y in years] == [2025]


# API ---------------------------------------------------------------------------------------


def test_api_years(client, government, budget):
    years = client.get(gov_url(government, "budget-api:years")).json()
    assert [y["year"] for y in years] == [2026, 2025]
    assert years[0]["cutoffs"] == ["2026-01", "2026-02", "2026-03"]
    assert years[0]["expense"]["codificado"] == "1900000.00" and years[0]["expense"]["execution_rate"] == "57.89"
    assert years[0]["income"]["certificado"] is None


def test_api_lines_with_filters(client, government, budget):
    url = gov_url(government, "budget-api:lines", year=2026)
    data = client.get(url).json()
    assert data["count"] == 5
    line = next(r for r in data["results"] if r["partida"] == "2.01.750105.001")
    assert line["key"] == "2026:2.01.750105.001" and line["stages"]["saldo_por_pagar"] == "100000.00"
    assert line["cutoff"] == "2026-03" and line["url"].endswith("/partidas/2.01.750105.001/")
    assert client.get(url + "?grupo=75").json()["count"] == 1
    assert client.get(url + "?lado=income").json()["count"] == 2
    assert client.get(url + "?dpa=1303&corte=2026-01").json()["results"][0]["cutoff"] == "2026-01"
    assert client.get(gov_url(government, "budget-api:lines", year=2030)).status_code == 404


def test_api_line_with_history(client, government, budget):
    data = client.get(gov_url(government, "budget-api:line", year=2026, partida="2.01.750105.001")).json()
    assert [h["cutoff"] for h in data["history"]] == ["2026-01", "2026-02", "2026-03"]


def test_api_execution_aggregates(client, government, budget):
    url = gov_url(government, "budget-api:execution", year=2026)
    data = client.get(url).json()
    assert data["by"] == "grupo" and data["rows"][0]["code"] == "75" and data["rows"][0]["name"] == "Obras públicas"
    assert data["totals"]["codificado"] == "1900000.00"
    items = client.get(url + "?por=item&padre=7501").json()
    assert [r["code"] for r in items["rows"]] == ["750105"]
    funding = client.get(url + "?por=fuente").json()
    assert funding["rows"][0]["code"] == "001"
    income = client.get(url + "?lado=income").json()
    assert {r["code"] for r in income["rows"]} == {"11", "18"}
    assert client.get(url + "?por=nada").status_code == 400
    assert client.get(url + "?lado=nada").status_code == 400


def test_government_home_shows_the_execution_and_the_latest_cutoffs(english, government, budget):
    body = english.get(gov_url(government, "core:home")).content.decode()
    assert "Budget executed 2026 (to March 2026)" in body and "57.9 %" in body
    feed = english.get(gov_url(government, "core:atom_feed")).content.decode()
    assert "Budget execution to March 2026" in feed and "/presupuesto/2026/?corte=2026-03" in feed


def test_the_portal_search_finds_the_budget_year(english, government, budget, editor):
    body = english.get(gov_url(government, "core:search") + "?q=presupuestos").content.decode()
    assert "Presupuesto 2026" in body and "/presupuesto/2026/" in body
    with government_scope(government):
        for cutoff in CutOff.objects.filter(budget_year__year=2026):
            services.cutoff_withdraw(actor=editor, government=government, cutoff=cutoff)
    body = english.get(gov_url(government, "core:search") + "?q=presupuestos").content.decode()
    assert "Presupuesto 2026" not in body and "Presupuesto 2025" in body


def _territory_budget(government):
    rows = [
        *factories.good_expense_rows(),  # Chone (1303): devengado 600,000 of 1,200,000; lines without a code
        factories.expense_row(
            "2.01.750105.002", "Vías de Manta", "100.000,00", "0,00", "100.000,00", "95.000,00", "95.000,00",
            "90.000,00", "80.000,00", dpa="1308", ubicacion="Manta",
        ),
        factories.expense_row(
            "2.01.750105.003", "Vías urbanas", "300.000,00", "0,00", "300.000,00", "100.000,00", "100.000,00",
            "30.000,00", "10.000,00", dpa="1301", ubicacion="Portoviejo urbano",
        ),
        factories.expense_row(
            "2.01.750105.004", "Vías rurales", "100.000,00", "0,00", "100.000,00", "50.000,00", "50.000,00",
            "10.000,00", "10.000,00", dpa="1301", ubicacion="Portoviejo rural",
        ),
    ]  # fmt: skip
    factories.publish(government, factories.csv_bytes(factories.EXPENSE_HEADERS, rows), year=2026, month=3)


def _tiles(body: str) -> dict[str, str]:
    """DPA code -> the tile's tooltip, from the territory map's SVG."""
    import re

    svg = body.split('id="territory-grid"', 1)[1].split("</svg>", 1)[0]
    return dict(re.findall(r'<g class="tile" data-dpa="(\d+)"><title>([^<]*)</title>', svg))


def test_territory_drill_down_has_a_map_above_its_table(english, government):
    _territory_budget(government)
    url = gov_url(government, "budget:expense", year=2026) + "?por=territorio"
    body = english.get(url).content.decode()
    assert body.index('id="territory-grid"') < body.index('id="explore-table"')
    tiles = _tiles(body)
    # Portoviejo's two places share their code: one territory, 40,000 of 400,000 executed.
    assert tiles == {
        "1301": "Portoviejo urbano / Portoviejo rural (1301): 10.0 %",
        "1303": "Chone (1303): 50.0 %",
        "1308": "Manta (1308): 90.0 %",
    }
    svg = body.split('id="territory-grid"', 1)[1].split("</svg>", 1)[0]
    manta, portoviejo = svg.split('data-dpa="1308"')[1], svg.split('data-dpa="1301"')[1]
    assert 'fill="#0b5563"' in manta.split("</g>")[0] and 'fill="#e8f1f3"' in portoviejo.split("</g>")[0]
    assert (
        "placed roughly where it lies" in body
        and "1 row without a DPA code (the whole territory) is only in the table" in body
    )
    assert '<title id="territory-grid-title">Where does each dollar go? — % executed' in body
    assert "<script" not in body.split('id="territory-map-title"', 1)[1].split("</section>", 1)[0]
    # Devengado instead of the rate; the table, the text alternative, keeps every row.
    body = english.get(url + "&mapa=devengado").content.decode()
    assert _tiles(body)["1303"] == "Chone (1303): USD 600,000.00" and _tiles(body)["1301"].endswith("USD 40,000.00")
    assert '<option value="devengado" selected>' in body
    table = body.split('id="explore-table"', 1)[1]
    assert all(name in table for name in ("Chone", "Manta", "Portoviejo urbano", "Portoviejo rural"))
    assert "Whole territory (no location)" in table


def test_other_groupings_have_no_territory_map(english, government, budget):
    body = english.get(gov_url(government, "budget:expense", year=2026) + "?por=programa").content.decode()
    assert 'id="territory-grid"' not in body


def test_territories_without_a_layout_are_laid_out_in_code_order():
    from minga.core.ui import maps

    positions, geographic = maps.territory_layout(["130152", "130101", "130150"])
    assert not geographic and positions == {"130101": (0, 0), "130150": (1, 0), "130152": (2, 0)}
    positions, geographic = maps.territory_layout(["1308", "1317"])
    assert geographic and positions["1317"] == (2, 0) and positions["1308"] == (0, 5)
    grid = maps.territory_grid([maps.TerritoryValue("0901", "Guayaquil", 5.0)], str)
    assert not grid["geographic"] and grid["legend"] == [{"fill": maps.SCALE[-1], "text": "5.0"}]
    assert grid["tiles"][0]["short"] == "Guayaquil"


def test_territory_map_in_spanish(client, government):
    _territory_budget(government)
    body = client.get(gov_url(government, "budget:expense", year=2026) + "?por=territorio").content.decode()
    assert "Mapa por territorio: % ejecutado (devengado ÷ codificado)" in body and "Chone (1303): 50,0 %" in body


def test_api_years_and_execution_answer_as_the_schema_says(government, budget):
    # The years used to be documented as a page ({count, results}) while the answer is a list,
    # and the shares of the execution rows came out as JSON numbers where the schema (and every
    # other amount and rate) says decimal string.
    years = answered_as_documented(government, "/api/v1/presupuesto/anios/").json()
    assert isinstance(years, list) and [y["year"] for y in years] == [2026, 2025]
    rows = answered_as_documented(
        government, "/api/v1/presupuesto/anios/{year}/ejecucion/", path_parameters={"year": 2026}
    ).json()["rows"]
    assert rows[0]["share"] == "63.16"


@pytest.mark.parametrize(
    "query",
    [
        "",
        "lado=gastos",
        "lado=ingresos",
        "lado=income",  # the older name
        "grupo=75",
        "q=750105&corte=2026-01",
        "dpa=1303",
        "lado=gastos&fuente=001",
    ],
)
def test_the_lines_page_and_the_api_give_the_same_rows_for_the_same_query(client, government, budget, query):
    page = client.get(gov_url(government, "budget:lines", year=2026) + "?" + query)
    api = client.get(gov_url(government, "budget-api:lines", year=2026) + "?" + query + "&page_size=500").json()
    on_page = [execution.line.partida for execution in page.context["page"].object_list]
    assert on_page == [row["partida"] for row in api["results"]]
    assert len(on_page) == api["count"]


@pytest.mark.parametrize(
    "query,older",
    [
        ("", "por=grupo"),
        ("grupo=75", "por=subgrupo&padre=75"),
        ("subgrupo=7501", "por=item&padre=7501"),
        ("item=750105", None),
        ("por=fuente", None),
        ("por=territorio", None),
    ],
)
def test_the_drill_down_page_and_the_api_give_the_same_rows_for_the_same_query(
    client, government, budget, query, older
):
    page = client.get(gov_url(government, "budget:expense", year=2026) + "?" + query)
    on_page = [row.code for row, _label in page.context["rows"]]
    api_url = gov_url(government, "budget-api:execution", year=2026)
    assert on_page == [row["code"] for row in client.get(api_url + "?lado=gastos&" + query).json()["rows"]]
    if older:  # the API's older spelling answers the same rows
        assert on_page == [row["code"] for row in client.get(api_url + "?" + older).json()["rows"]]
    assert on_page


def test_the_lines_page_keeps_the_canonical_filters_in_its_links(english, government, budget):
    body = english.get(
        gov_url(government, "budget:lines", year=2026) + "?lado=income&unidad=Obras %26 vías"
    ).content.decode()
    assert 'option value="ingresos" selected' in body
    assert '<input type="hidden" name="unidad" value="Obras &amp; vías">' in body


def test_every_classifier_level_has_a_name(english, government, budget):
    url = gov_url(government, "budget:expense", year=2026)
    body = english.get(url + "?grupo=73").content.decode()
    assert "7308 Bienes de uso y consumo de inversión" in body and "7308 7308" not in body
    body = english.get(url + "?subgrupo=7308").content.decode()
    assert "7308 Bienes de uso y consumo de inversión" in body  # the trail and the caption too


def test_a_code_nobody_named_is_named_from_the_level_above():
    from ..views.public import _unnamed_level

    names = {"73": "Bienes y servicios para inversión", "7399": ""}
    with translation.override("en"):
        assert _unnamed_level("subgroup", "7399", names) == "Subgroup of Bienes y servicios para inversión"
        assert _unnamed_level("item", "739901", names) == "Unnamed item"
    assert _unnamed_level("subgroup", "7399", names) == "Subgrupo de Bienes y servicios para inversión"


def test_stage_names_follow_the_page_language(english, government, budget):
    from django.test import Client

    body = english.get(gov_url(government, "budget:overview")).content.decode()
    assert '<th scope="row">Accrued</th>' in body and '<th scope="row">Devengado</th>' not in body
    body = Client(HTTP_ACCEPT_LANGUAGE="es").get(gov_url(government, "budget:overview")).content.decode()
    assert '<th scope="row">Devengado</th>' in body
