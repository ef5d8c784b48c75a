"""Reading cédula files and checking their rows: every branch of the checks, without the
database."""

from decimal import Decimal

import pytest
from django.utils import translation

from .. import cedula
from . import factories

CLASSIFIER = cedula.Classifier(
    natures={
        "1": ("income", "income"),
        "2": ("income", "income"),
        "3": ("financing", "income"),
        "5": ("expense", "expense"),
        "7": ("expense", "expense"),
        "9": ("financing", "expense"),
    },
    names={"75": "Obras públicas", "7501": "Obras públicas de transporte", "73": "Bienes", "51": "Personal"},
)


@pytest.fixture(autouse=True)
def _english():
    """Messages are read in English here; the Spanish catalogue is checked elsewhere."""
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    "text,expected",
    [
        ("1.234,56", Decimal("1234.56")),
        ("1234,56", Decimal("1234.56")),
        ("1,234.56", Decimal("1234.56")),
        ("1234.56", Decimal("1234.56")),
        ("1.234.567", Decimal("1234567")),
        ("1.500", Decimal("1500")),
        ("(1.234,56)", Decimal("-1234.56")),
        ("-50.000,50", Decimal("-50000.50")),
        ("USD 12,50", Decimal("12.50")),
        ("$ 1.000,00", Decimal("1000.00")),
        ("0", Decimal("0.00")),
        ("", None),
        ("-", None),
    ],
)
def test_amounts_in_spanish_and_english_formats(text, expected):
    assert cedula.parse_amount(text) == expected


@pytest.mark.parametrize("text", ["12a", "1,2,3.4.5x", "1.234,567", "--"])
def test_what_is_not_an_amount(text):
    with pytest.raises(cedula.AmountError):
        cedula.parse_amount(text)


def test_headers_with_letter_codes_are_recognised_and_balances_ignored():
    headers = factories.EXPENSE_HEADERS
    mapping = cedula.detect_mapping(headers)
    assert mapping["devengado"] == "DEVENGADO (f)"
    assert mapping["asignado"] == "ASIGNACIÓN (a)"
    assert mapping["certificado"] == "CERTIFICACIONES (d)"
    assert "SALDO POR DEVENGAR (c-f)" not in mapping.values()
    assert cedula.normalise_header("Saldo por devengar (a−f)") == "saldo por devengar"


def test_a_saved_mapping_wins_for_the_headers_the_file_has():
    headers = ["Cuenta", "Detalle", "Inicial", "Modif.", "Vigente", "Devengado", "Pagado", "Recaudado"]
    saved = {"reformas": "Modif.", "codificado": "Vigente", "pagado": "Recaudado", "item": "No existe"}
    mapping = cedula.detect_mapping(headers, saved)
    assert mapping["reformas"] == "Modif." and mapping["codificado"] == "Vigente"
    assert mapping["pagado"] == "Recaudado"  # the saved choice, not the "Pagado" column
    assert "item" not in mapping
    assert mapping["partida"] == "Cuenta" and mapping["asignado"] == "Inicial"


@pytest.mark.parametrize(
    "partida,item",
    [
        ("730811", "730811"),
        ("73.08.11", "730811"),
        ("2.01.750105.001", "750105"),
        ("2.01.75.001", ""),
        ("1.730811.730812", ""),
    ],
)
def test_item_inside_the_partida(partida, item):
    assert cedula.item_from_partida(partida) == item


def test_csv_with_title_rows_and_semicolons():
    table = cedula.read_table(factories.csv_bytes(factories.EXPENSE_HEADERS, factories.good_expense_rows()), "c.csv")
    assert table.header_row == 4
    assert table.headers[0] == "CÓDIGO"
    assert len(table.rows) == 5


def test_csv_in_windows_1252_with_commas():
    data = factories.csv_bytes(
        factories.INCOME_HEADERS, [["110201", "Predios", "10", "0", "10", "5", "5"]], delimiter=","
    )
    table = cedula.read_table(data.decode("utf-8").encode("cp1252"), "c.csv")
    assert table.headers[1] == "Denominación"


def test_xlsx():
    rows = [["730811", "Insumos", 100.1, 0, 100.1, 90, 80, 70.05, 70.05]]
    headers = [
        "Partida",
        "Nombre",
        "Asignado",
        "Reformas",
        "Codificado",
        "Certificado",
        "Comprometido",
        "Devengado",
        "Pagado",
    ]
    table = cedula.read_table(factories.xlsx_bytes(headers, rows), "c.xlsx")
    assert table.header_row == 2
    assert table.rows[0][2] == "100.1" and table.rows[0][7] == "70.05"


@pytest.mark.parametrize(
    "data,name,message",
    [
        (b"", "c.csv", "empty"),
        (b"%PDF-1.4 binary", "c.pdf", "CSV or XLSX"),
        (b"not a zip", "c.xlsx", "not an Excel"),
        (b"PK\x03\x04garbage", "c.xlsx", "could not be opened"),
        (b"one column\nonly\n", "c.csv", "separator"),
        (b"a;b;c\n1;2;3\n", "c.csv", "No header row"),
    ],
)
def test_files_that_cannot_be_read(data, name, message):
    with pytest.raises(cedula.CedulaFileError, match=message):
        cedula.read_table(data, name)


def _check(headers, rows, scope="expense"):
    return cedula.check_rows(
        headers, rows, mapping=cedula.detect_mapping(headers), scope=scope, classifier=CLASSIFIER, header_row=1
    )


def _codes(result):
    return [problem["code"] for problem in result.errors]


def test_good_rows_give_lines_and_headings():
    result = _check(factories.EXPENSE_HEADERS, factories.good_expense_rows())
    assert result.errors == []
    assert [line["partida"] for line in result.lines] == ["2.01.750105.001", "2.01.730811.001", "1.01.510105.001"]
    first = result.lines[0]
    assert (first["item_code"], first["group_code"], first["subgroup_code"], first["nature_code"]) == (
        "750105",
        "75",
        "7501",
        "7",
    )
    assert first["direction"] == "expense" and first["dpa_code"] == "1303" and first["codificado"] == "1200000.00"
    assert result.headings == {"7": "GASTOS DE INVERSIÓN", "75": "OBRAS PÚBLICAS"}
    # 7308 and 5101 have no name: a warning, not an error
    assert {p["params"]["classifier_code"] for p in result.warnings} == {"7308", "5101"}


def _row(**changes):
    values = dict(
        partida="2.01.750105.001",
        name="Vías",
        asignado="100,00",
        reformas="0,00",
        codificado="100,00",
        certificado="90,00",
        comprometido="80,00",
        devengado="70,00",
        pagado="60,00",
    )
    values.update(changes)
    return factories.expense_row(**values)


@pytest.mark.parametrize(
    "changes,code,column",
    [
        ({"codificado": "110,00"}, "codificado_identity", "CODIFICADO (c)"),
        ({"pagado": "75,00"}, "stage_order", "PAGADO (g)"),
        ({"devengado": "85,00"}, "stage_order", "DEVENGADO (f)"),
        ({"comprometido": "95,00"}, "stage_order", "COMPROMISOS (e)"),
        ({"certificado": "101,00"}, "stage_order", "CERTIFICACIONES (d)"),
        ({"devengado": "setenta"}, "amount_invalid", "DEVENGADO (f)"),
        ({"pagado": ""}, "amount_missing", "PAGADO (g)"),
        ({"comprometido": ""}, "amount_missing", "COMPROMISOS (e)"),
        ({"asignado": "-100,00", "reformas": "200,00"}, "amount_negative", "ASIGNACIÓN (a)"),
        ({"partida": "4.01.450105.001"}, "nature_unknown", "CÓDIGO"),
        ({"partida": "2.01.75.001"}, "item_missing", "CÓDIGO"),
        ({"partida": "2.01/750105"}, "partida_invalid", "CÓDIGO"),
        ({"partida": "110201.01"}, "side_mismatch", "CÓDIGO"),
        ({"name": ""}, "description_missing", "NOMBRE"),
        ({"partida": ""}, "partida_missing", "CÓDIGO"),
    ],
)
def test_each_rule_reports_row_column_and_values(changes, code, column):
    result = _check(factories.EXPENSE_HEADERS, [_row(), _row(partida="7.1.730811.001")] + [_row(**changes)])
    assert code in _codes(result), result.errors
    problem = next(p for p in result.errors if p["code"] == code)
    assert problem["row"] == 4 and problem["column"] == column
    assert cedula.describe(problem) and "%(" not in cedula.describe(problem)
    assert len(result.lines) == 2  # the bad row is not among the lines


def test_identity_problem_names_the_values():
    result = _check(factories.EXPENSE_HEADERS, [_row(codificado="110,00")])
    problem = result.errors[0]
    assert problem["params"]["expected"] == "100.00" and problem["params"]["codificado"] == "110.00"
    assert "110.00" in cedula.describe(problem)


def test_dpa_code_must_have_2_4_or_6_digits():
    result = _check(
        factories.EXPENSE_HEADERS,
        [factories.expense_row("2.01.750105.001", "V", "1", "0", "1", "1", "1", "1", "1", dpa="130")],
    )
    assert _codes(result) == ["dpa_invalid"]


def test_duplicated_partida():
    result = _check(factories.EXPENSE_HEADERS, [_row(), _row()])
    assert _codes(result) == ["partida_duplicate"]
    assert result.errors[0]["params"]["first_row"] == 2


def test_every_violation_is_reported_not_only_the_first():
    rows = [_row(partida=f"2.01.7501{n:02d}.001", codificado="999,00") for n in range(10)]
    result = _check(factories.EXPENSE_HEADERS, rows)
    assert _codes(result) == ["codificado_identity"] * 10
    assert [p["row"] for p in result.errors] == list(range(2, 12))


def test_income_may_collect_more_than_its_forecast_but_not_more_than_accrued():
    good = _check(factories.INCOME_HEADERS, factories.good_income_rows(), scope="income")
    assert good.errors == [] and good.lines[0]["certificado"] is None
    bad = _check(
        factories.INCOME_HEADERS, [["110201.01", "Predios", "10,00", "0,00", "10,00", "12,00", "13,00"]], scope="income"
    )
    assert _codes(bad) == ["stage_order"]


def test_mapping_problems_stop_before_the_rows():
    headers = ["CÓDIGO", "NOMBRE", "ASIGNACIÓN", "CODIFICADO", "DEVENGADO", "PAGADO"]
    result = _check(headers, [["730811", "x", "1", "1", "1", "1"]])
    fields = {p["params"]["field"] for p in result.errors if p["code"] == "field_unmapped"}
    assert fields == {"reformas", "certificado", "comprometido"}
    assert result.lines == []
    twice = cedula.check_rows(
        headers,
        [],
        mapping={**cedula.detect_mapping(headers), "reformas": "PAGADO"},
        scope="income",
        classifier=CLASSIFIER,
    )
    assert "header_twice" in _codes(twice)


def test_a_file_without_lines():
    result = _check(factories.EXPENSE_HEADERS, [["7", "GASTOS", *[""] * 14]])
    assert _codes(result) == ["no_lines"]
