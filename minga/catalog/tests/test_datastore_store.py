"""Loading files into the datastore: typed tables, statistics, atomic versions and failure reports."""

import datetime as dt

import pytest
from django.utils import translation

from minga.datastore import store
from minga.datastore.errors import DatastoreError
from minga.datastore.inference import ColumnType
from minga.datastore.query import Filter, QuerySpec, run_query

from .conftest_datastore import csv_file, datastore_env, xlsx_file  # noqa: F401

NOW = dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC)
OBRAS = (
    "GAD Provincial de Manabí\nObras 2024\n\n"
    "Cantón;Obra;Monto;Fecha;Avance;Código;;\n"
    "Manta;Vía a San Mateo;1.234,56;05/03/2024;Sí;0101;;\n"
    "Portoviejo;Puente;12,5;31/12/2023;no;N/A;;\n"
    "Manta;Alcantarillado;300;15/01/2024;si;0103;;\n"
    "TOTAL;;1.547,06;;;;;\n"
)


@pytest.fixture(autouse=True, params=["one process", "two processes"])
def load_processes(request, settings):
    """Every test here runs with the file read and typed in this process, and in a forked one."""
    settings.DATASTORE_PARALLEL_MIN_BYTES = -1 if request.param == "one process" else 0
    return request.param


def load(text: str, *, table_id: str = "obras", encoding: str = "cp1252", filename: str = "obras.csv"):
    return store.load_table(table_id=table_id, source=csv_file(text, encoding=encoding), filename=filename, now=NOW)


def test_load_a_spanish_locale_file():
    report = load(OBRAS)
    assert report.ok, report.errors
    assert report.version == 1 and report.row_count == 3
    assert report.file["encoding"] == "cp1252" and report.file["delimiter"] == ";"
    assert report.file["total_row"]["row"] == 8
    assert {note.code for note in report.notes} >= {"total_row", "empty_columns", "title_lines"}
    info = store.get_table(table_id="obras")
    assert info.row_count == 3 and info.live and info.loaded_at == NOW
    types = {column.name: column.type for column in info.columns}
    assert types == {
        "canton": ColumnType.TEXT,
        "obra": ColumnType.TEXT,
        "monto": ColumnType.DECIMAL,
        "fecha": ColumnType.DATE,
        "avance": ColumnType.BOOLEAN,
        "codigo": ColumnType.TEXT,
    }
    assert info.column("canton").label == "Cantón"


def test_statistics_are_stored_at_load_time():
    load(OBRAS)
    info = store.get_table(table_id="obras")
    monto = info.column("monto").stats
    assert (monto.count, monto.nulls, monto.min, monto.max) == (3, 0, 12.5, 1234.56)
    assert monto.sum == pytest.approx(1547.06) and monto.mean == pytest.approx(1547.06 / 3)
    fecha = info.column("fecha").stats
    assert (fecha.min, fecha.max) == ("2023-12-31", "2024-03-05")
    canton = info.column("canton").stats
    assert canton.distinct == 2 and canton.top[0] == ("Manta", 2)
    assert info.column("codigo").stats.nulls == 1
    assert info.column("avance").stats.true_count == 2
    assert info.column("fecha").indexed and info.column("canton").indexed


def test_loaded_values_are_typed():
    load(OBRAS)
    result = run_query(table_id="obras", spec=QuerySpec(columns=("monto", "fecha", "avance", "codigo")))
    assert result.columns == ["_id", "monto", "fecha", "avance", "codigo"]
    values = [row[1:] for row in result.rows]
    assert float(values[0][0]) == pytest.approx(1234.56)
    assert values[0][1] == dt.date(2024, 3, 5)
    assert bool(values[0][2]) is True and values[1][3] is None
    assert values[0][3] == "0101"


def test_a_failing_reload_keeps_the_previous_version_live():
    assert load(OBRAS).ok
    bad = "Cantón;Monto\n" + "Manta;1\n" * 60 + "Jama;2;sobra\n"
    report = load(bad)
    assert not report.ok and report.error_count == 1
    assert report.errors[0].row == 62 and report.errors[0].code == "extra_values"
    info = store.get_table(table_id="obras")
    assert info.version == 1 and info.row_count == 3
    assert len(run_query(table_id="obras", spec=QuerySpec()).rows) == 3


def test_bad_files_give_a_report_and_keep_the_live_version(settings):
    assert load(OBRAS).ok
    report = store.load_table(table_id="obras", source=csv_file("\x00\x01binario"), filename="x.csv")
    assert not report.ok and report.errors[0].code == "binary_file"
    settings.DATASET_UPLOAD_MAX_BYTES = 10
    with translation.override("en"):
        report = load(OBRAS)
    assert not report.ok and report.errors[0].code == "file_too_large"
    assert "the limit is" in report.errors[0].message
    assert store.get_table(table_id="obras").version == 1


def test_reload_switches_versions_and_keeps_the_previous_one():
    load(OBRAS)
    assert load("Cantón;Monto\nJama;5\n").version == 2
    live = store.get_table(table_id="obras")
    assert live.version == 2 and live.row_count == 1
    assert [v.version for v in store.list_versions(table_id="obras")] == [2, 1]
    old = run_query(table_id="obras", spec=QuerySpec(), version=1)
    assert len(old.rows) == 3
    load("Cantón;Monto\nJama;6\n")
    assert [v.version for v in store.list_versions(table_id="obras")] == [3, 2]
    with pytest.raises(DatastoreError):
        store.drop_version(table_id="obras", version=3)
    assert store.drop_version(table_id="obras", version=2)
    assert [v.version for v in store.list_versions(table_id="obras")] == [3]
    assert store.drop_table(table_id="obras") == 1
    assert store.get_table(table_id="obras") is None


def test_mixed_column_is_reported():
    rows = "".join(f"{n};{n}\n" for n in range(1, 40))
    report = load(f"a;b\n{rows}40;0164A\n")
    assert report.ok
    note = next(note for note in report.notes if note.code == "kept_as_text")
    assert note.column == "b" and note.count == 1 and note.row == 41 and "0164A" in note.message


def test_xlsx_load():
    report = store.load_table(
        table_id="x1",
        source=xlsx_file([["Cantón", "Monto"], ["Manta", 2.5], ["Jama", 3], ["Jaramijó", 1e-05]]),
        filename="d.xlsx",
    )
    assert report.ok and report.row_count == 3
    assert store.get_table(table_id="x1").column("monto").type == ColumnType.DECIMAL


def test_invalid_table_id():
    with pytest.raises(DatastoreError):
        store.load_table(table_id="x; drop table", source=csv_file("a\n1\n"), filename="a.csv")


def test_queries_run_read_only():
    import contextlib

    from django.db import connection, transaction

    from minga.datastore.backend import get_backend

    assert load(OBRAS).ok
    backend = get_backend()
    with backend.read() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT current_user")
            assert cursor.fetchone()[0] == backend.role
        savepoint = transaction.atomic() if connection.vendor == "postgresql" else contextlib.nullcontext()
        with pytest.raises(backend.errors), savepoint:
            cursor.execute(f"DELETE FROM {backend.table('t_obras_v1')}")  # noqa: S608
    if connection.vendor != "postgresql":
        assert store.get_table(table_id="obras").row_count == 3


def test_a_database_error_midway_rolls_the_new_version_back(monkeypatch):
    from minga.datastore.backend import get_backend

    assert load(OBRAS).ok
    error_type = get_backend().errors[-1]

    def fail(*args, **kwargs):
        raise error_type("disk full")

    monkeypatch.setattr(store._Loader, "build_indexes", fail)
    report = load("Cantón;Monto\nJama;5\n")
    assert not report.ok and report.errors[0].code == "database"
    info = store.get_table(table_id="obras")
    assert info.version == 1 and info.row_count == 3
    assert [v.version for v in store.list_versions(table_id="obras")] == [1]
    monkeypatch.undo()
    assert load("Cantón;Monto\nJama;5\n").version == 2


def test_datetimes_and_two_digit_years_round_trip():
    text = "Registro;Corte\n05/03/2024 08:30;25/03/24\n2024-03-06T17:45:10;01/04/24\n"
    assert load(text, table_id="horas").ok
    info = store.get_table(table_id="horas")
    assert info.column("registro").type == ColumnType.DATETIME
    assert info.column("corte").type == ColumnType.DATE
    spec = QuerySpec(filters=(Filter("registro", "gt", "2024-03-05 12:00"),), columns=("registro", "corte"))
    result = run_query(table_id="horas", spec=spec)
    assert [row[1:] for row in result.rows] == [(dt.datetime(2024, 3, 6, 17, 45, 10), dt.date(2024, 4, 1))]
