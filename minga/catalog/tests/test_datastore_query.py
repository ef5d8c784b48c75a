"""Query engine and streamed downloads: operators, keyset pages, aggregates, refusal of injected identifiers."""

import csv
import datetime as dt
import io
import json
import random

import pytest

from minga.datastore import (
    Aggregate,
    Filter,
    QueryError,
    QuerySpec,
    Sort,
    TableNotFound,
    export_csv,
    export_json,
    export_jsonl,
    export_xlsx,
    get_table,
    load_table,
    run_query,
)

from .conftest_datastore import csv_file, datastore_env  # noqa: F401

CANTONES = ["Manta", "Portoviejo", "Peñipe", "Baños", "Jipijapa", None]


def make_rows(count: int = 240) -> list[dict]:
    rng = random.Random(7)
    rows = []
    for n in range(1, count + 1):
        rows.append(
            {
                "n": n,
                "canton": CANTONES[n % len(CANTONES)],
                "monto": None if n % 11 == 0 else round(rng.uniform(0, 5000), 2),
                "fecha": dt.date(2024, 1, 1) + dt.timedelta(days=n % 40),
                "activo": n % 3 == 0,
                "nota": '=HYPERLINK("x")' if n == 5 else f"obra {n % 7}",
            }
        )
    return rows


def to_csv(rows: list[dict]) -> str:
    def money(value):
        if value is None:
            return "N/A"
        whole, cents = f"{value:.2f}".split(".")
        return f"{int(whole):,}".replace(",", ".") + "," + cents

    lines = ["N;Cantón;Monto;Fecha;Activo;Nota"]
    for row in rows:
        lines.append(
            ";".join(
                [
                    str(row["n"]),
                    row["canton"] or "",
                    money(row["monto"]),
                    row["fecha"].strftime("%d/%m/%Y"),
                    "Sí" if row["activo"] else "No",
                    '"' + row["nota"].replace('"', '""') + '"',
                ]
            )
        )
    return "\n".join(lines) + "\n"


@pytest.fixture
def table():
    rows = make_rows()
    report = load_table(table_id="t1", source=csv_file(to_csv(rows)), filename="obras.csv")
    assert report.ok, report.errors
    return rows


def ids(spec: QuerySpec) -> list[int]:
    return [row[0] for row in run_query(table_id="t1", spec=spec).rows]


def where(rows, predicate) -> list[int]:
    return [row["n"] for row in rows if predicate(row)]


@pytest.mark.parametrize(
    ("flt", "predicate"),
    [
        (Filter("canton", "eq", "Manta"), lambda r: r["canton"] == "Manta"),
        (Filter("canton", "ne", "Manta"), lambda r: r["canton"] not in ("Manta", None)),
        (Filter("monto", "lt", "1.000,50"), lambda r: r["monto"] is not None and r["monto"] < 1000.5),
        (Filter("monto", "lte", "1000.5"), lambda r: r["monto"] is not None and r["monto"] <= 1000.5),
        (Filter("n", "gt", "200"), lambda r: r["n"] > 200),
        (Filter("n", "gte", 200), lambda r: r["n"] >= 200),
        (Filter("fecha", "gte", "05/02/2024"), lambda r: r["fecha"] >= dt.date(2024, 2, 5)),
        (Filter("fecha", "lt", "2024-01-03"), lambda r: r["fecha"] < dt.date(2024, 1, 3)),
        (Filter("canton", "in", ["Manta", "Baños"]), lambda r: r["canton"] in ("Manta", "Baños")),
        (Filter("n", "in", "1,2,3"), lambda r: r["n"] in (1, 2, 3)),
        (Filter("canton", "contains", "PENI"), lambda r: r["canton"] == "Peñipe"),
        (Filter("canton", "contains", "baño"), lambda r: r["canton"] == "Baños"),
        # ASCII values keep no folded copy on SQLite: case is ignored by the comparison itself
        (Filter("canton", "contains", "mAnTa"), lambda r: r["canton"] == "Manta"),
        (Filter("canton", "contains", "%"), lambda r: False),
        (Filter("canton", "isnull", True), lambda r: r["canton"] is None),
        (Filter("monto", "isnull", "false"), lambda r: r["monto"] is not None),
        (Filter("activo", "eq", "sí"), lambda r: r["activo"]),
    ],
)
def test_operators(table, flt, predicate):
    result = run_query(table_id="t1", spec=QuerySpec(filters=(flt,), limit=1000))
    assert sorted(row[0] for row in result.rows) == where(table, predicate)
    assert result.total == len(result.rows)


def test_unfiltered_total_is_the_stored_row_count(table):
    result = run_query(table_id="t1", spec=QuerySpec(limit=10))
    assert result.total == get_table(table_id="t1").row_count == 240
    assert (
        run_query(table_id="t1", spec=QuerySpec(filters=(Filter("n", "lt", "5"),), include_total=False)).total is None
    )


def test_sort_and_column_selection(table):
    result = run_query(table_id="t1", spec=QuerySpec(columns=("monto",), sort=(Sort("monto", descending=True),)))
    assert result.columns == ["_id", "monto"]
    montos = [row[1] for row in result.rows]
    expected = sorted((r["monto"] for r in table if r["monto"] is not None), reverse=True)[:100]
    assert [float(m) for m in montos] == pytest.approx(expected)


@pytest.mark.parametrize(
    "sort",
    [
        (),
        (Sort("n", descending=True),),
        (Sort("canton"),),
        (Sort("canton", descending=True), Sort("fecha")),
        (Sort("monto"),),
        (Sort("activo"), Sort("monto", descending=True)),
    ],
)
def test_keyset_pagination_has_no_gaps_or_duplicates(table, sort):
    seen, cursor, pages = [], None, 0
    spec = QuerySpec(sort=sort, limit=17, filters=(Filter("n", "gt", "3"),))
    while True:
        result = run_query(table_id="t1", spec=QuerySpec(**{**spec.__dict__, "cursor": cursor}))
        seen += [row[0] for row in result.rows]
        pages += 1
        cursor = result.next_cursor
        if cursor is None:
            break
    assert pages == 14
    assert len(seen) == len(set(seen)) == 237
    everything = run_query(table_id="t1", spec=QuerySpec(sort=sort, limit=1000, filters=spec.filters))
    assert seen == [row[0] for row in everything.rows]


def test_nulls_sort_last_both_ways(table):
    for descending in (False, True):
        rows = run_query(table_id="t1", spec=QuerySpec(sort=(Sort("canton", descending),), limit=1000)).rows
        assert rows[-1][2] is None and rows[0][2] is not None


def test_group_by_aggregates(table):
    spec = QuerySpec(
        group_by=("canton",),
        aggregates=(
            Aggregate("count"),
            Aggregate("sum", "monto"),
            Aggregate("avg", "n"),
            Aggregate("min", "fecha"),
            Aggregate("max", "monto"),
        ),
        sort=(Sort("count", descending=True), Sort("canton")),
    )
    result = run_query(table_id="t1", spec=spec)
    assert result.columns == ["canton", "count", "sum_monto", "avg_n", "min_fecha", "max_monto"]
    by_canton = {row[0]: row for row in result.rows}
    for canton in CANTONES:
        group = [r for r in table if r["canton"] == canton]
        montos = [r["monto"] for r in group if r["monto"] is not None]
        count, total, mean, first, high = by_canton[canton][1:]
        assert count == len(group)
        assert float(total) == pytest.approx(sum(montos))
        assert float(mean) == pytest.approx(sum(r["n"] for r in group) / len(group))
        assert first == min(r["fecha"] for r in group)
        assert float(high) == pytest.approx(max(montos))
    overall = run_query(
        table_id="t1", spec=QuerySpec(aggregates=(Aggregate("count"),), filters=(Filter("activo", "eq", "true"),))
    )
    assert overall.rows == [(80,)]


@pytest.mark.parametrize(
    "spec",
    [
        lambda: QuerySpec(columns=('monto" FROM x; --',)),
        lambda: QuerySpec(filters=(Filter("n; DROP TABLE t", "eq", "1"),)),
        lambda: QuerySpec(filters=(Filter("n", "= 1 OR 1=1 --", "1"),)),
        lambda: QuerySpec(sort=(Sort("n DESC; DROP TABLE x"),)),
        lambda: QuerySpec(group_by=("canton) --",)),
        lambda: QuerySpec(aggregates=(Aggregate("sum(n)); --", "n"),)),
        lambda: QuerySpec(filters=(Filter("n", "eq", "1 OR 1=1"),)),
        lambda: QuerySpec(filters=(Filter("_n_canton", "eq", "x"),)),
        lambda: QuerySpec(limit=5000),
        lambda: QuerySpec(aggregates=(Aggregate("sum", "canton"),)),
        lambda: QuerySpec(cursor="not-a-cursor"),
    ],
)
def test_injection_attempts_are_refused(table, spec):
    with pytest.raises(QueryError) as error:
        run_query(table_id="t1", spec=spec())
    assert error.value.code and str(error.value)
    assert get_table(table_id="t1").row_count == 240


def test_injection_in_values_is_harmless(table):
    for value in ["' OR '1'='1", "Manta'; DROP TABLE t_t1_v1; --", '" OR ""="']:
        assert run_query(table_id="t1", spec=QuerySpec(filters=(Filter("canton", "eq", value),))).rows == []
        assert run_query(table_id="t1", spec=QuerySpec(filters=(Filter("canton", "contains", value),))).rows == []
    assert run_query(table_id="t1", spec=QuerySpec()).total == 240


def test_typed_value_errors_are_clear(table):
    with pytest.raises(QueryError) as error:
        run_query(table_id="t1", spec=QuerySpec(filters=(Filter("fecha", "gt", "31/02/2024"),)))
    assert error.value.code == "invalid_value" and "fecha" in str(error.value)
    with pytest.raises(QueryError) as error:
        run_query(table_id="t1", spec=QuerySpec(filters=(Filter("n", "contains", "1"),)))
    assert error.value.code == "invalid_operator"


def test_a_cursor_from_another_sort_is_refused(table):
    cursor = run_query(table_id="t1", spec=QuerySpec(limit=5, sort=(Sort("n"),))).next_cursor
    with pytest.raises(QueryError):
        run_query(table_id="t1", spec=QuerySpec(limit=5, sort=(Sort("monto"),), cursor=cursor))


def test_unknown_table():
    with pytest.raises(TableNotFound):
        run_query(table_id="nada", spec=QuerySpec())


def test_csv_export_is_streamed_and_neutralises_formulas(table):
    chunks = list(export_csv(table_id="t1", spec=QuerySpec(sort=(Sort("n"),)), labels=True))
    assert chunks[0] == "\ufeff"
    rows = list(csv.reader(io.StringIO("".join(chunks[1:]))))
    assert rows[0] == ["N", "Cantón", "Monto", "Fecha", "Activo", "Nota"]
    assert len(rows) == 241
    assert rows[5][5] == '\'=HYPERLINK("x")'
    assert rows[1][3] == "2024-01-02" and rows[1][4] == "false" and rows[3][4] == "true"


def test_filtered_json_and_jsonl_exports(table):
    spec = QuerySpec(filters=(Filter("canton", "eq", "Manta"),), columns=("n", "monto", "fecha"))
    records = json.loads("".join(export_json(table_id="t1", spec=spec)))
    assert [r["n"] for r in records] == where(table, lambda r: r["canton"] == "Manta")
    assert set(records[0]) == {"n", "monto", "fecha"}
    lines = "".join(export_jsonl(table_id="t1", spec=spec)).splitlines()
    assert [json.loads(line) for line in lines] == records
    assert "".join(export_json(table_id="t1", spec=QuerySpec(filters=(Filter("n", "lt", "0"),)))) == "[]"


def test_xlsx_export(table):
    import openpyxl

    data = b"".join(export_xlsx(table_id="t1", spec=QuerySpec(sort=(Sort("n"),))))
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("n", "canton", "monto", "fecha", "activo", "nota")
    assert len(rows) == 241
    assert rows[5][5] == '=HYPERLINK("x")'  # stored as text, not a formula
    assert rows[1][3].date() == dt.date(2024, 1, 2)


def test_earlier_version_can_be_queried_and_exported(table):
    load_table(table_id="t1", source=csv_file("N;Cantón\n1;Jama\n"), filename="nuevo.csv")
    assert run_query(table_id="t1", spec=QuerySpec()).total == 1
    assert run_query(table_id="t1", spec=QuerySpec(), version=1).total == 240
    assert len(list(export_jsonl(table_id="t1", version=1))) == 240


def test_scans_are_answered_once_per_version(table, monkeypatch):
    """Group-by aggregates and filtered totals read the whole table: a loaded version never
    changes, so the second identical request takes the stored answer, and a new version
    (new data) is scanned afresh."""
    from minga.datastore import query as engine

    grouped = QuerySpec(group_by=("canton",), aggregates=(Aggregate("count"),))
    filtered = QuerySpec(filters=(Filter("canton", "eq", "Manta"),), limit=1)
    first_groups, first_total = (
        run_query(table_id="t1", spec=grouped).rows,
        run_query(table_id="t1", spec=filtered).total,
    )
    scans = []
    monkeypatch.setattr(engine.cache, "set", lambda key, value, timeout: scans.append(key))
    assert run_query(table_id="t1", spec=grouped).rows == first_groups
    assert run_query(table_id="t1", spec=filtered).total == first_total
    assert scans == []
    load_table(table_id="t1", source=csv_file("N;Cantón\n1;Manta\n2;Manta\n"), filename="nuevo.csv")
    assert run_query(table_id="t1", spec=filtered).total == 2
    assert dict((row[0], row[1]) for row in run_query(table_id="t1", spec=grouped).rows) == {"Manta": 2}
    assert len(scans) == 2
