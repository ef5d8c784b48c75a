"""Reading real-world spreadsheets: encodings, delimiters, title and total rows, bad and hostile files."""

import codecs
import io
import zipfile

import pytest

from minga.datastore.errors import InputFileError
from minga.datastore.inference import ColumnType, infer
from minga.datastore.reader import TabularFile

from .conftest_datastore import csv_file, datastore_env, xlsx_file  # noqa: F401


def read(data: io.BytesIO, filename: str = "datos.csv", **kwargs):
    table = TabularFile(source=data, filename=filename, **kwargs)
    rows = list(table.data_rows())
    profiles = infer(rows, width=table.width, prefer_decimal_comma=table.info.delimiter == ";")
    return table, rows, {name: profile for name, profile in zip(table.names, profiles, strict=True)}


def test_cp1252_with_enye_and_accents():
    table, rows, _ = read(csv_file("Cantón;Año\nPeñipe;2024\nBaños;2023\n", encoding="cp1252"))
    assert table.info.encoding == "cp1252"
    assert table.labels == ["Cantón", "Año"]
    assert table.names == ["canton", "anio"]
    assert [r[1][0] for r in rows] == ["Peñipe", "Baños"]


def test_latin1_fallback_when_cp1252_cannot_decode():
    data = "Nombre,Valor\nSe\u00f1al,1\n".encode("latin-1") + b"x\x81y,2\n"
    table, rows, _ = read(io.BytesIO(data))
    assert table.info.encoding == "latin-1"
    assert rows[0][1][0] == "Señal"


def test_utf8_bom_is_not_part_of_the_first_label():
    table, _, _ = read(io.BytesIO(codecs.BOM_UTF8 + b"Parroquia,Habitantes\nTarqui,100\n"))
    assert table.info.encoding == "utf-8-sig"
    assert table.labels[0] == "Parroquia"


def test_semicolon_with_decimal_comma_and_thousands_dot():
    table, rows, types = read(csv_file("Obra;Monto\nVía Manta;1.234,56\nPuente;12,5\nAgua;300\n"))
    assert table.info.delimiter == ";"
    assert types["monto"].type == ColumnType.DECIMAL


def test_tab_delimiter_and_dot_decimals():
    table, _, types = read(csv_file("a\tb\tc\n1\t1234.56\tx\n2\t0.5\ty\n"))
    assert table.info.delimiter == "\t"
    assert types["a"].type == ColumnType.INTEGER
    assert types["b"].type == ColumnType.DECIMAL


def test_pipe_delimiter():
    table, _, _ = read(csv_file("a|b\n1|2\n3|4\n"))
    assert table.info.delimiter == "|"


def test_header_on_line_four_after_title_lines():
    text = "GAD Municipal de Manta\nReporte de recaudación 2024\n\nRubro;Valor;Fecha\nPredial;100,5;05/03/2024\n"
    table, rows, types = read(csv_file(text))
    assert table.info.header_row == 4
    assert table.info.title_lines == ["GAD Municipal de Manta", "Reporte de recaudación 2024"]
    assert table.names == ["rubro", "valor", "fecha"]
    assert rows == [(5, ["Predial", "100,5", "05/03/2024"])]
    assert types["fecha"].type == ColumnType.DATE


def test_empty_trailing_columns_are_dropped():
    table, rows, _ = read(csv_file("a;b;;;\n1;2;;;\n3;4;;;\n"))
    assert table.names == ["a", "b"]
    assert table.info.dropped_columns == 3
    assert rows[1][1] == ["3", "4"]


@pytest.mark.parametrize("label", ["TOTAL", "Total general", "SUMA", "Totales:"])
def test_closing_total_row_is_flagged_not_loaded(label):
    table, rows, _ = read(csv_file(f"Cantón;Monto\nManta;10\nJipijapa;20\n{label};30\n\n"))
    assert [r[1][0] for r in rows] == ["Manta", "Jipijapa"]
    assert table.info.total_row == {"row": 4, "cells": [label, "30"]}


def test_dates_dd_mm_yyyy_and_iso_and_two_digit_years():
    _, _, types = read(
        csv_file(
            "a,b,c,d\n31/12/2023,2024-01-05,25/03/24,2024-01-05 10:30\n01-02-2024,2024-1-6,01/02/24,06/01/2024 08:00:15\n"
        )
    )
    assert types["a"].type == ColumnType.DATE
    assert types["b"].type == ColumnType.DATE
    assert types["c"].type == ColumnType.DATE  # 25/03/24 proves day-first
    assert types["d"].type == ColumnType.DATETIME


def test_ambiguous_two_digit_years_stay_text():
    _, _, types = read(csv_file("a\n01/02/24\n03/04/24\n"))
    assert types["a"].type == ColumnType.TEXT


def test_null_spellings_are_null():
    _, rows, types = read(csv_file("a;b\n1;N/A\n-;2\ns/d;n/d\n4;\n"))
    assert [r[1] for r in rows] == [["1", None], [None, "2"], [None, None], ["4", None]]
    assert types["a"].type == ColumnType.INTEGER and types["a"].nulls == 2


def test_mixed_column_falls_back_to_text_with_examples():
    lines = "\n".join(f"{n}" for n in range(1, 40))
    _, _, types = read(csv_file(f"codigo\n{lines}\n0164A\n41\n"))
    assert types["codigo"].type == ColumnType.TEXT
    blocked = types["codigo"].blocked
    assert blocked.type == ColumnType.INTEGER and blocked.count == 1
    assert blocked.examples == [(41, "0164A")]


def test_leading_zero_codes_stay_text():
    _, _, types = read(csv_file("dpa\n0101\n1301\n"))
    assert types["dpa"].type == ColumnType.TEXT


def test_booleans_and_zero_one_prefers_integer():
    _, _, types = read(csv_file("a,b\nSí,1\nno,0\nSI,1\n"))
    assert types["a"].type == ColumnType.BOOLEAN
    assert types["b"].type == ColumnType.INTEGER


def test_type_decided_on_the_whole_file():
    lines = "\n".join(str(n) for n in range(5000))
    _, _, types = read(csv_file(f"n\n{lines}\nmuchos\n"))
    assert types["n"].type == ColumnType.TEXT


def test_column_names_are_safe_identifiers():
    table, _, _ = read(csv_file("Año fiscal,select,Año fiscal,,2024,Dirección (%)\n1,2,3,4,5,6\n"))
    assert table.names == ["anio_fiscal", "select_", "anio_fiscal_2", "col_4", "c_2024", "direccion"]
    assert table.labels[0] == "Año fiscal"


def test_binary_file_named_csv_is_rejected():
    with pytest.raises(InputFileError) as error:
        TabularFile(source=io.BytesIO(b"\x00\x01\x02binary\x00" * 100), filename="datos.csv")
    assert error.value.code == "binary_file"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "hola")
    with pytest.raises(InputFileError) as error:
        TabularFile(source=buffer, filename="datos.csv")
    assert error.value.code == "binary_file" and str(error.value)


def test_oversized_file_is_rejected_before_reading(settings):
    settings.DATASET_UPLOAD_MAX_BYTES = 1024
    with pytest.raises(InputFileError) as error:
        TabularFile(source=csv_file("a\n" + "1\n" * 1000), filename="datos.csv")
    assert error.value.code == "file_too_large"


def test_file_path_source(tmp_path):
    path = tmp_path / "datos.csv"
    path.write_bytes(b"a,b\n1,2\n")
    table, rows, _ = read(path)
    assert rows == [(2, ["1", "2"])]


def test_extra_values_beyond_the_last_column_are_row_errors():
    table = TabularFile(source=csv_file("a;b\n" + "1;2\n" * 60 + "3;4;5\n"), filename="x.csv")
    list(table.data_rows())
    assert table.problem_count == 1 and table.problems[0].row == 62


def test_xlsx_happy_path():
    import datetime as dt

    data = xlsx_file(
        [
            ["Informe"],
            [],
            ["Cantón", "Monto", "Fecha"],
            ["Manta", 1234.5, dt.datetime(2024, 3, 5)],
            ["Total", 1234.5, None],
        ]
    )
    table, rows, types = read(data, "datos.xlsx")
    assert table.info.format == "xlsx" and table.info.header_row == 3
    assert rows == [(4, ["Manta", "1234.5", "2024-03-05"])]
    assert types["monto"].type == ColumnType.DECIMAL and types["fecha"].type == ColumnType.DATE
    assert table.info.total_row["row"] == 5


def test_xlsx_zip_bomb_is_refused_before_opening():
    buffer = io.BytesIO(xlsx_file([["a"], [1]]).getvalue())
    bomb = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename.endswith("sheet1.xml"):
                with target.open(item.filename, "w") as sheet:
                    chunk = b"<row><c><v>0</v></c></row>" * 40_000
                    for _ in range(50):  # about 50 MB of sheet XML, a few tens of KB compressed
                        sheet.write(chunk)
            else:
                target.writestr(item, source.read(item.filename))
    assert len(bomb.getvalue()) < 1_000_000
    with pytest.raises(InputFileError) as error:
        TabularFile(source=bomb, filename="bomba.xlsx")
    assert error.value.code == "zip_bomb"


def test_xlsx_total_uncompressed_cap(settings):
    settings.XLSX_MAX_UNCOMPRESSED_BYTES = 100
    with pytest.raises(InputFileError) as error:
        TabularFile(source=xlsx_file([["a"], [1]]), filename="datos.xlsx")
    assert error.value.code == "xlsx_too_large"


def test_not_an_xlsx():
    with pytest.raises(InputFileError) as error:
        TabularFile(source=csv_file("a,b\n1,2\n"), filename="datos.xlsx")
    assert error.value.code == "invalid_xlsx"


def test_header_with_year_labels():
    table, rows, types = read(csv_file("Presupuesto por cantón\nCantón;2023;2024\nManta;1.000,50;2.000\nJama;10;20\n"))
    assert table.info.header_row == 2
    assert table.names == ["canton", "c_2023", "c_2024"]
    assert types["c_2023"].type == ColumnType.DECIMAL


def test_utf16_export_from_excel():
    table, rows, _ = read(io.BytesIO("Cantón\tHabitantes\nPeñipe\t100\n".encode("utf-16")))
    assert table.info.encoding == "utf-16" and table.info.delimiter == "\t"
    assert rows == [(2, ["Peñipe", "100"])]
