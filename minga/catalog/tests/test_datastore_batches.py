"""The loader works on batches of columns; these check it against the row-by-row rules it
replaces, with batches small enough that every file here spans several of them."""

import random

import pytest

from minga.datastore import inference as inf
from minga.datastore import reader, store
from minga.datastore.reader import TabularFile, clean_cell

from .conftest_datastore import csv_file, datastore_env  # noqa: F401


def test_columns_are_cleaned_like_single_cells():
    cells = ["  x ", "N/A", "n/d", " - ", "", "\u00a0", "na ", "NA", "Na", "--", "s/D", "0", "n/ax", "\tSí\t"]
    rows = [[cell, cell[::-1]] for cell in cells]
    columns = reader._clean_columns(rows, 2)
    assert columns[0] == [clean_cell(cell) for cell in cells]
    assert columns[1] == [clean_cell(cell[::-1]) for cell in cells]
    assert columns[0][:4] == ["x", None, None, None]


def _messy_rows(count: int) -> list[list[str | None]]:
    rng = random.Random(7)
    rows = []
    for number in range(count):
        late_text = "0101" if number in (170, 171, 260) else str(rng.randrange(1, 999))
        half_dates = rng.choice(["03/04/2024", "2024-04-03", "tal vez", None])
        mostly_bool = rng.choice(["sí", "no", "No", "quizá"] if number > 100 else ["sí", "no"])
        yy = rng.choice(["01/02/24", "13/02/24", None])
        rows.append([late_text, half_dates, mostly_bool, rng.choice(["1.234,5", "12,5", "1,234.5"]), yy])
    return rows


@pytest.mark.parametrize("size", [1, 7, 64, 1000])
def test_batch_inference_matches_row_by_row(size):
    rows = _messy_rows(300)
    by_row = inf.TypeInferrer(width=5, prefer_decimal_comma=True)
    for number, cells in enumerate(rows, start=2):
        by_row.add(row_number=number, cells=cells)
    by_batch = inf.TypeInferrer(width=5, prefer_decimal_comma=True)
    for start in range(0, len(rows), size):
        chunk = rows[start : start + size]
        numbers = list(range(start + 2, start + 2 + len(chunk)))
        by_batch.add_batch(numbers=numbers, columns=[list(column) for column in zip(*chunk, strict=True)])
    assert by_batch.profiles() == by_row.profiles()

    def state(s):
        return (s.alive, s.non_null, s.nulls, s.fails, s.examples, s.day_first_seen)

    assert [state(s) for s in by_batch.states] == [state(s) for s in by_row.states]
    assert by_batch.profiles()[0].blocked.count == 3  # the late codes with a leading zero


def test_data_rows_across_batches_keep_blank_short_and_total_rows(monkeypatch):
    monkeypatch.setattr(reader, "BATCH_ROWS", 3)
    lines = ["Cantón;Monto;Nota"] + [f"C{n};{n},5;" for n in range(1, 9)]
    lines[4] = ";;"
    lines[6] = "C6;6,5"
    text = "\n".join([*lines, "Total general;99;", ""])
    table = TabularFile(source=csv_file(text), filename="d.csv")
    rows = list(table.data_rows())
    assert [number for number, _ in rows] == [2, 3, 4, 6, 7, 8, 9]
    assert rows[4][1] == ["C6", "6,5", None]
    assert table.info.blank_rows == 1 and table.info.short_rows == 1
    assert table.info.total_row == {"row": 10, "cells": ["Total general", "99", None]}
    assert [list(zip(*columns, strict=True)) for _numbers, columns in table.data_batches(size=3)] == [
        [tuple(cells) for _n, cells in rows[:3]],
        [tuple(cells) for _n, cells in rows[3:6]],
        [tuple(cells) for _n, cells in rows[6:]],
    ]


def test_type_errors_are_reported_in_row_order_across_batches(monkeypatch):
    monkeypatch.setattr(reader, "BATCH_ROWS", 2)
    text = "a;b\n1;x\n2;y\n3;z\n4;w\n"
    table = TabularFile(source=csv_file(text), filename="d.csv")
    profiles = [inf.ColumnProfile(type=inf.ColumnType.INTEGER, kind=inf.INT)] * 2
    loader = store._Loader(table_id="t", tabular=table, profiles=profiles, backend=store.get_backend())
    rows = [row for batch in loader.rows(loader.typed_batches()) for row in batch]
    assert [(p.row, p.column, p.value) for p in loader.errors] == [
        (2, "b", "x"),
        (3, "b", "y"),
        (4, "b", "z"),
        (5, "b", "w"),
    ]
    assert rows[0][:3] == (1, 1, None) and loader.row_count == 4


def test_spool_replays_batches_exactly():
    """The load's second pass reads the spool of the first: every cell comes back as it was,
    missing values included, and a column whose text holds the spool's own separator too."""
    batches = [
        ([2, 3, 4], [["a", None, "ñandú"], [None, None, None], ["x" + reader.BatchSpool.SEPARATOR + "y", "z", None]]),
        ([6], [["solo"], ["1.234,5"], [None]]),
    ]
    with reader.BatchSpool() as spool:
        for numbers, columns in batches:
            spool.append(reader.BatchSpool.pack(numbers, columns))
        assert list(spool.replay()) == batches
        assert list(spool.replay()) == batches  # replayable


@pytest.mark.parametrize("threshold", [-1, 0], ids=["one process", "two processes"])
def test_load_reads_the_file_once_in_the_process_chosen_by_size(
    datastore_env,  # noqa: F811
    monkeypatch,
    tmp_path,
    threshold,
):
    """Reading and typing happen where the size threshold says: here, or in one forked child
    (which writes its process id down, as the parent cannot see the child's memory)."""
    import os

    datastore_env.DATASTORE_PARALLEL_MIN_BYTES = threshold
    path = csv_file("a;b\n1;x\n2;y\n3;N/D\n")
    marks = tmp_path / "pids"
    original_read, original_type = TabularFile.data_batches, store._Loader.typed_batches

    def mark(step):
        with marks.open("a") as handle:
            handle.write(f"{step} {os.getpid()}\n")

    def reading(self, size=None):
        mark("read")
        return original_read(self, size)

    def typing(self):
        mark("type")
        return original_type(self)

    monkeypatch.setattr(TabularFile, "data_batches", reading)
    monkeypatch.setattr(store._Loader, "typed_batches", typing)
    report = store.load_table(table_id="once", source=path, filename="a.csv")
    assert report.ok and report.row_count == 3
    assert store.get_table(table_id="once").column("b").stats.nulls == 1
    steps = [line.split() for line in marks.read_text().splitlines()]
    assert [step for step, _pid in steps] == ["read", "type"]
    pids = {int(pid) for _step, pid in steps}
    assert (pids == {os.getpid()}) if threshold < 0 else (os.getpid() not in pids and len(pids) == 2)


def test_an_error_in_the_reading_process_reaches_the_report(datastore_env):  # noqa: F811
    datastore_env.DATASTORE_PARALLEL_MIN_BYTES = 0
    report = store.load_table(table_id="bad", source=csv_file('a;b\n1;"sin cerrar\n' + "x" * 200_000), filename="a.csv")
    assert not report.ok and report.errors[0].code == "malformed_csv"
    assert store.get_table(table_id="bad") is None


def test_an_open_file_read_by_the_child_reads_whole_here_afterwards(datastore_env, tmp_path):  # noqa: F811
    """The child reads through the same open file, sharing its offset: reading puts it back at
    the start in both processes, so the caller's handle still reads the whole file."""
    datastore_env.DATASTORE_PARALLEL_MIN_BYTES = 0
    content = ("canton;monto\n" + "".join(f"Manta;{n},5\n" for n in range(20_000))).encode()
    path = tmp_path / "grande.csv"
    path.write_bytes(content)
    with path.open("rb") as handle:
        report = store.load_table(table_id="abierto", source=handle, filename="grande.csv")
        assert report.ok and report.row_count == 20_000
        assert handle.read() == content
