"""Numbers that can be trusted: codes stay text and are never totalled, totals add only what
adds up over the filtered rows and say so, years and codes have no thousand separators, money
always has two decimals, a chart and its table show the same figure, and "Año" is ``anio``."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from minga import datastore
from minga.core.templatetags.minga import usd
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import gov_url
from minga.core.ui import charts, numbers
from minga.datastore import roles, store
from minga.datastore.names import make_identifiers
from minga.datastore.tables import Column

from ..datasets import services
from ..tables import charts as table_charts
from ..tables import selectors as table_selectors
from ..tables import services as table_services
from . import factories
from .conftest_datastore import csv_file, datastore_env  # noqa: F401

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC)
CANTONS = [
    "Portoviejo", "Bolívar", "Chone", "El Carmen", "Flavio Alfaro", "Jipijapa", "Junín", "Manta", "Montecristi",
    "Paján", "Pichincha", "Rocafuerte", "Santa Ana", "Sucre", "Tosagua", "24 de Mayo", "Pedernales", "Olmedo",
    "Puerto López", "Jama", "Jaramijó", "San Vicente",
]  # fmt: skip


def manabi_csv() -> bytes:
    """A Manabí-only file: DPA codes 1301…1322 have no leading zero to give them away."""
    lines = ["Código DPA;Cantón;Año;Población;Pobreza (%);Presupuesto"]
    for n, canton in enumerate(CANTONS, start=1):
        lines.append(f"{1300 + n};{canton};2025;{1000 * n};{20 + n},5;{n * 1000},10")
    return "\n".join(lines).encode()


def load(text: bytes, **kwargs):
    return store.load_table(table_id="manabi", source=csv_file(text.decode()), filename="m.csv", now=NOW, **kwargs)


def columns_by_name():
    return {c.name: c for c in datastore.get_table(table_id="manabi").columns}


def test_a_manabi_dpa_code_file_keeps_its_codes_as_text():
    report = load(manabi_csv())
    assert report.ok, report.errors
    columns = columns_by_name()
    assert list(columns) == ["codigo_dpa", "canton", "anio", "poblacion", "pobreza", "presupuesto"]
    assert columns["codigo_dpa"].type == "text" and columns["codigo_dpa"].role == "code"
    assert not columns["codigo_dpa"].additive and columns["codigo_dpa"].stats.sum is None
    assert any(note.code == "kept_as_code" and note.column == "codigo_dpa" for note in report.notes)
    roles_seen = {name: column.role for name, column in columns.items()}
    assert roles_seen == {
        "codigo_dpa": "code",
        "canton": "",
        "anio": "period",
        "poblacion": "quantity",
        "pobreza": "ratio",
        "presupuesto": "amount",
    }
    rows = datastore.run_query(table_id="manabi", spec=datastore.QuerySpec(columns=("codigo_dpa",), limit=3)).rows
    assert [row[-1] for row in rows] == ["1301", "1302", "1303"]


def test_identity_numbers_are_codes_by_their_shape_and_a_fixed_role_wins():
    text = "Proveedor;Contratista;Valor\nA;1312345678001;10\nB;1387654321001;20\n"
    assert load(text.encode()).ok
    assert columns_by_name()["contratista"].type == "text"  # RUC shape, whatever the header says
    text = "Nombre;Identificación;Valor\nA;1712345678;10\nB;1304567890;20\n"
    assert load(text.encode()).ok
    assert columns_by_name()["identificacion"].type == "text"  # cédula shape
    # The dictionary may say a code-looking column holds numbers, or that a number is a code.
    assert load(manabi_csv(), column_roles={"codigo_dpa": "quantity", "poblacion": "code"}).ok
    columns = columns_by_name()
    assert columns["codigo_dpa"].type == "integer" and columns["poblacion"].type == "text"


def test_anio_not_ano_and_older_names_still_answer():
    assert make_identifiers(["Año", "AÑO fiscal", "Señal"]) == ["anio", "anio_fiscal", "senial"]
    assert load(manabi_csv()).ok
    table = datastore.get_table(table_id="manabi")
    assert table.column("ano").name == "anio"  # a link written when it was ``ano``
    spec = datastore.QuerySpec(filters=(datastore.Filter("ano", "eq", "2025"),), limit=1)
    assert datastore.run_query(table_id="manabi", spec=spec).total == 22


def test_tables_loaded_before_roles_existed_are_still_read():
    old = {"name": "anio", "label": "Año", "type": "integer", "indexed": False, "stats": {"min": 2020, "max": 2025}}
    assert Column.from_json(old).role == "period"
    old = {"name": "monto", "label": "Monto", "type": "decimal", "stats": {}}
    assert Column.from_json(json.loads(json.dumps(old))).additive
    old = {"name": "cod_canton", "label": "Cod canton", "type": "integer", "stats": {}}
    assert Column.from_json(old).role == "code" and not Column.from_json(old).additive


# The public table --------------------------------------------------------------------------


@pytest.fixture
def resource(government):
    dataset = factories.dataset(government, is_published=True)
    resource = factories.resource(government, dataset, file=SimpleUploadedFile("manabi.csv", manabi_csv()))
    with government_scope(government):
        load = table_services.resource_load_run(government=government, resource=resource)
    assert load.status == "succeeded", load.report
    return resource


def table_page(client, government, resource, **params):
    return client.get(gov_url(government, "catalog:resource_table", pk=resource.pk), params)


def test_the_total_adds_only_what_adds_up_and_follows_the_filter(english, government, resource):
    response = table_page(english, government, resource)
    sums = response.context["sums"]
    names = [column.name for column in response.context["columns"]]
    totals = dict(zip(names, sums, strict=True))
    assert totals["codigo_dpa"] is None and totals["anio"] is None and totals["pobreza"] is None
    assert totals["poblacion"] == "253,000" and totals["presupuesto"] == "253,002.20"
    page = response.content.decode()
    assert "Total of all 22 rows" in page
    response = table_page(english, government, resource, columna="canton", operador="eq", valor="Manta")
    totals = dict(zip(names, response.context["sums"], strict=True))
    assert totals["poblacion"] == "8,000" and totals["presupuesto"] == "8,000.10"
    assert "Total of the 1 filtered row" in response.content.decode()
    response = table_page(english, government, resource, columna="poblacion", operador="gt", valor="20000")
    totals = dict(zip(names, response.context["sums"], strict=True))
    assert totals["poblacion"] == "43,000" and "Total of the 2 filtered rows" in response.content.decode()


def test_years_and_codes_without_separators_money_with_two_decimals(client, government, resource):
    with translation.override("es"):
        response = table_page(client, government, resource)
    first = response.context["rows"][0]
    assert first == ["1301", "Portoviejo", "2025", "1.000", "21,5", "1.000,10"]
    page = response.content.decode()
    assert "2.025" not in page and "1.301" not in page


def test_the_dictionary_fixes_what_a_column_is(english, government, resource):
    with government_scope(government):
        services.column_dictionary_update(
            actor=None, government=government, resource=resource, entries={"poblacion": {"role": "period"}}
        )
    totals = dict(
        zip(
            [c.name for c in table_page(english, government, resource).context["columns"]],
            table_page(english, government, resource).context["sums"],
            strict=True,
        )
    )
    assert totals["poblacion"] is None and totals["presupuesto"] == "253,002.20"


# One figure wherever it is shown -------------------------------------------------------------


def test_money_always_has_two_decimals_rounded_not_cut():
    with translation.override("es"):
        assert usd(Decimal("1234.5")) == "USD 1.234,50"
        assert usd(1900000, 0) == "USD 1.900.000,00"  # an older template's ":0" no longer drops the cents
        assert usd(Decimal("92459639.995")) == "USD 92.459.640,00"  # rounded, as the chart rounds
        assert numbers.format_plain(2025) == "2025"
    with translation.override("en"):
        assert usd(0.1 + 0.2) == "USD 0.30"


def test_a_chart_and_its_table_show_the_same_figure(government, resource):
    value = Decimal("92459639.995")
    with translation.override("en"):
        bar = charts.build("bar", [charts.Datum("Obras", value)], places=2)["bars"][0]["value"]
        pie = charts.build("pie", [charts.Datum("Obras", value), charts.Datum("Otros", Decimal(1))], places=2)
        assert bar == usd(value)[4:] == pie["slices"][0]["value"] == "92,459,640.00"
    table = table_selectors.resource_table(resource)
    columns = table_selectors.columns_for(table, {})
    data = {"tipo": "bar", "grupo": "canton", "agregado": "sum", "medida": "presupuesto", "orden": "-valor"}
    with translation.override("en"):
        result = table_charts.run_chart(table, columns, {**data, "limite": 5})
        drawn = charts.build("bar", result.data, places=result.places)
    assert result.places == 2
    assert [bar["value"] for bar in drawn["bars"]] == [row["value"] for row in result.rows]
    assert result.rows[0]["value"] == "22,000.10"


def test_legends_are_never_cut_into_ambiguity():
    labels = [
        "Transferencias y donaciones corrientes al sector público",
        "Transferencias y donaciones corrientes al sector privado",
    ]
    pie = charts.build("pie", [charts.Datum(label, 1) for label in labels])
    shown = [" ".join(line["text"] for line in item["lines"]) for item in pie["slices"]]
    assert shown == labels
    bars = charts.build("bar", [charts.Datum(label, 1) for label in labels])["bars"]
    assert [" ".join(line["text"] for line in bar["lines"]) for bar in bars] == labels


def test_roles_from_names():
    guess = roles.guess_role
    assert guess("anio", "Año", "integer", low=2019, high=2025) == "period"
    assert guess("porcentaje_avance", "", "decimal") == "ratio"
    assert guess("monto_contratado", "", "decimal") == "amount"
    assert guess("numero_beneficiarios", "", "integer") == "quantity"
    assert guess("id", "", "integer") == "code"
    assert guess("solicitudes_anio", "solicitudes_año", "integer") == "quantity"  # requests a year: a count
    assert guess("anio_fiscal", "Año fiscal", "integer") == "period"
