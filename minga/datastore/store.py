"""Loading a file into a new table version and switching to it atomically.

The previous version stays live until the new one is complete (typed, counted, indexed and
described); a failed load changes nothing that readers see and returns a report instead. Row
counts and column statistics are computed here, once, so requests never need COUNT(*).
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import itertools
import json
import marshal
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import inference as inf
from . import parallel
from .backend import META, Backend, get_backend, quote
from .errors import DatastoreError, InputFileError
from .inference import ColumnType
from .names import check_table_id, fold, table_name
from .overrides import apply_column_types
from .reader import BatchSpool, Source, TabularFile
from .roles import ColumnRole, guess_role
from .tables import Column, ColumnStats, LoadReport, Problem, TableInfo

# ``progress(phase, done, total)``: where a load stands (see ``load_table``).
Progress = Callable[[str, int, "int | None"], None]

DISTINCT_CAP = 10_000
TOP_VALUES = 10
TOP_CAP = 1_000  # text columns with at most this many distinct values get top values
MAX_INDEXES = 8
SHADOW = "_n_"


def _converter(*, kind: int, vendor: str):
    """Cell text → value to store, per column kind; None marks a value that does not parse.

    Values are plain (int, float, str, bool) so that a batch crosses to the inserting process
    as marshal bytes; dates go as ISO text, which SQLite stores and PostgreSQL's COPY parses."""
    sqlite = vendor == "sqlite"
    if kind == inf.INT:
        return inf.parse_int
    if kind in (inf.DEC_COMMA, inf.DEC_DOT):
        parse = inf.parse_dec_comma if kind == inf.DEC_COMMA else inf.parse_dec_dot
        if sqlite:
            return lambda value: None if (text := parse(value)) is None else float(text)
        return parse
    if kind == inf.BOOL:
        return (lambda value: None if (b := inf.parse_bool(value)) is None else int(b)) if sqlite else inf.parse_bool
    if kind in (inf.DATE, inf.DATE_YY, inf.DATETIME):
        parse = {inf.DATE: inf.parse_date, inf.DATE_YY: inf.parse_date_yy, inf.DATETIME: inf.parse_datetime}[kind]
        if kind == inf.DATETIME:
            return lambda value: None if (d := parse(value)) is None else d.isoformat(sep=" ")
        return lambda value: None if (d := parse(value)) is None else d.isoformat()
    return str


def _shadow(text: str) -> str | None:
    """The folded copy a text value needs for accent-insensitive matching; None when it is its own."""
    value = fold(text)
    return None if value == text else value


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return float(value)  # Decimal from PostgreSQL


class _Loader:
    def __init__(
        self,
        *,
        table_id: str,
        tabular: TabularFile,
        profiles: list[inf.ColumnProfile],
        backend: Backend,
        source_batches=None,
    ):
        self.table_id = table_id
        self.tabular = tabular
        # Where the second pass takes its batches: the spool of the first, or the file again.
        self.source_batches = source_batches or tabular.data_batches
        self.backend = backend
        self.columns = [
            Column(name=name, label=label, type=profile.type)
            for name, label, profile in zip(tabular.names, tabular.labels, profiles, strict=True)
        ]
        self.kinds = [profile.kind for profile in profiles]
        self.codes = [profile.as_code for profile in profiles]
        self.counters: list[Counter | None] = [Counter() for _ in self.columns]
        self.row_count = 0
        self.errors: list[Problem] = []
        self.error_count = 0

    @property
    def text_positions(self) -> list[int]:
        return [i for i, column in enumerate(self.columns) if column.type == ColumnType.TEXT]

    def ddl(self, table: str) -> str:
        id_type = "INTEGER PRIMARY KEY" if self.backend.vendor == "sqlite" else "bigint NOT NULL"
        parts = [f"{quote('_id')} {id_type}"]
        parts += [f"{quote(c.name)} {self.backend.sql_type(c.type)}" for c in self.columns]
        parts += [f"{quote(SHADOW + self.columns[i].name)} TEXT" for i in self.text_positions]
        return f"CREATE TABLE {self.backend.table(table)} ({', '.join(parts)})"

    def insert_names(self) -> list[str]:
        return ["_id"] + [c.name for c in self.columns] + [SHADOW + self.columns[i].name for i in self.text_positions]

    def typed_batches(self) -> Iterator[bytes]:
        """The cleaned batches typed column by column, with the folded copies of text columns,
        as marshal bytes (see ``parallel``); counts values and collects type errors on the way."""
        converters = [_converter(kind=kind, vendor=self.backend.vendor) for kind in self.kinds]
        typed = [i for i, converter in enumerate(converters) if converter is not str]
        texts = self.text_positions
        # SQLite's LIKE already ignores the case of ASCII letters: an ASCII value needs no folded
        # copy there, which keeps rows narrow (faster inserts and index builds).
        ascii_like = self.backend.vendor == "sqlite"
        for numbers, columns in self.source_batches():
            problems = []
            for i in typed:
                raw = columns[i]
                convert = converters[i]
                values = {None: None}
                for text in set(raw):
                    if text is not None:
                        values[text] = convert(text)
                bad = {text for text, value in values.items() if value is None and text is not None}
                if bad:
                    problems += [(number, i, text) for number, text in zip(numbers, raw, strict=True) if text in bad]
                columns[i] = list(map(values.__getitem__, raw))
            for number, i, text in sorted(problems, key=lambda item: (item[0], item[1])):
                self._error(
                    Problem("type", _("Value does not match the column type."), number, self.columns[i].name, text)
                )
            for i, counter in enumerate(self.counters):
                if counter is not None:
                    counter.update(columns[i])
                    counter.pop(None, None)
                    if len(counter) > DISTINCT_CAP:
                        self.counters[i] = None
            for i in texts:
                column = columns[i]
                folded = {None: None}
                for text in set(column):
                    if text is not None:
                        folded[text] = None if ascii_like and text.isascii() else _shadow(text)
                columns.append(list(map(folded.__getitem__, column)))
            self.row_count += len(numbers)
            yield marshal.dumps((len(numbers), columns), 2)

    def typing_outcome(self) -> tuple:
        """What ``typed_batches`` learnt besides the batches, for a process that did not type."""
        return self.counters, self.errors, self.error_count, self.row_count

    def take_typing_outcome(self, outcome: tuple) -> None:
        self.counters, self.errors, self.error_count, self.row_count = outcome

    @staticmethod
    def rows(batches: Iterable[bytes], progress: Progress | None = None, total: int = 0) -> Iterator[Iterator[tuple]]:
        """``typed_batches``' bytes → the rows to insert, a batch at a time, numbered from 1;
        ``progress`` hears how many were taken (once the insert asks for the next batch)."""
        first = 1
        if progress is not None:
            progress("inserting", 0, total)
        for data in batches:
            count, columns = marshal.loads(data)  # noqa: S302 — packed by this load, in this process or its child
            yield zip(range(first, first + count), *columns, strict=True)
            first += count
            if progress is not None:
                progress("inserting", first - 1, total)

    def _error(self, problem: Problem) -> None:
        self.error_count += 1
        if len(self.errors) < 50:
            self.errors.append(problem)

    def compute_stats(self, cursor: Any, table: str) -> None:
        select = []
        for column in self.columns:
            q = quote(column.name)
            if column.type == ColumnType.BOOLEAN:
                select += [f"COUNT({q})", "NULL", "NULL", f"SUM(CASE WHEN {q} THEN 1 ELSE 0 END)", "NULL"]
            elif column.type in (ColumnType.INTEGER, ColumnType.DECIMAL):
                select += [f"COUNT({q})", f"MIN({q})", f"MAX({q})", f"SUM({q})", f"AVG({q})"]
            else:
                select += [f"COUNT({q})", f"MIN({q})", f"MAX({q})", "NULL", "NULL"]
        cursor.execute(f"SELECT {', '.join(select)} FROM {self.backend.table(table)}")  # noqa: S608
        values = cursor.fetchone()
        for position, column in enumerate(self.columns):
            count, low, high, total, mean = values[position * 5 : position * 5 + 5]
            stats = ColumnStats(count=count, nulls=self.row_count - count, min=_json_value(low), max=_json_value(high))
            if column.type == ColumnType.BOOLEAN:
                stats.true_count = int(total or 0)
            elif column.type in (ColumnType.INTEGER, ColumnType.DECIMAL):
                stats.sum = None if total is None else _json_value(total)
                stats.mean = None if mean is None else float(mean)
            counter = self.counters[position]
            if counter is None:
                stats.distinct, stats.distinct_exact = DISTINCT_CAP, False
            else:
                stats.distinct = len(counter)
                if column.type == ColumnType.TEXT and len(counter) <= TOP_CAP:
                    stats.top = [(_json_value(v), n) for v, n in counter.most_common(TOP_VALUES)]
            column.stats = stats
            column.role = str(
                ColumnRole.CODE
                if self.codes[position]
                else guess_role(column.name, column.label, column.type, low=stats.min, high=stats.max)
            )
        self.counters = []

    def choose_indexes(self, *, max_indexes: int) -> list[Column]:
        def rank(column: Column) -> tuple[int, int] | None:
            stats = column.stats
            if stats.count == 0 or (stats.distinct_exact and stats.distinct < 2):
                return None
            if column.type in (ColumnType.DATE, ColumnType.DATETIME):
                return (0, 0)
            if column.type == ColumnType.TEXT:
                low_or_medium = stats.distinct_exact and stats.distinct <= max(self.row_count // 2, 50)
                return (1, stats.distinct) if low_or_medium else None
            if column.type in (ColumnType.INTEGER, ColumnType.DECIMAL):
                return (2, 0)
            return None

        ranked = [(r, i, c) for i, c in enumerate(self.columns) if (r := rank(c)) is not None]
        return [column for _r, _i, column in sorted(ranked)[:max_indexes]]

    def build_indexes(self, cursor: Any, table: str, columns: list[Column]) -> None:
        for number, column in enumerate(columns, start=1):
            cursor.execute(
                f"CREATE INDEX {quote(f'{table}_i{number}')} ON {self.backend.table(table)} "
                f"({self.backend.index_columns(column.name)})"
            )
            column.indexed = True


def _next_version(cursor: Any, backend: Backend, table_id: str) -> int:
    cursor.execute(f"SELECT MAX(version) FROM {backend.table(META)} WHERE table_id = {backend.param}", [table_id])  # noqa: S608
    return (cursor.fetchone()[0] or 0) + 1


def _switch(
    cursor: Any, backend: Backend, *, table_id: str, version: int, loader: _Loader, now: dt.datetime, publish: bool
) -> None:
    """Record ``version``, keep the live one, drop older ones; with ``publish`` make the new one live."""
    meta, p = backend.table(META), backend.param
    cursor.execute(f"SELECT version, sql_name, live FROM {meta} WHERE table_id = {p}", [table_id])  # noqa: S608
    for old_version, sql_name, live in cursor.fetchall():
        if not live:
            cursor.execute(f"DROP TABLE IF EXISTS {backend.table(sql_name)}")
            cursor.execute(f"DELETE FROM {meta} WHERE table_id = {p} AND version = {p}", [table_id, old_version])  # noqa: S608
    if publish:
        cursor.execute(f"UPDATE {meta} SET live = 0 WHERE table_id = {p}", [table_id])  # noqa: S608
    columns = json.dumps([column.to_json() for column in loader.columns])
    cursor.execute(
        f"INSERT INTO {meta} (table_id, version, sql_name, live, row_count, columns, loaded_at)"  # noqa: S608
        f" VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p})",
        [
            table_id,
            version,
            table_name(table_id=table_id, version=version),
            1 if publish else 0,
            loader.row_count,
            columns,
            now.isoformat(),
        ],
    )


def publish_version(*, table_id: str | int, version: int) -> bool:
    """Make a stored version live (one loaded with ``publish=False``); False when it is not stored.
    On PostgreSQL this joins the caller's transaction, so it commits with the caller's record."""
    table_id = check_table_id(table_id)
    backend = get_backend()
    meta, p = backend.table(META), backend.param
    with backend.write() as cursor:
        backend.prepare_load(cursor, table_id=table_id)
        if fetch_info(cursor, backend, table_id=table_id, version=version) is None:
            return False
        cursor.execute(f"UPDATE {meta} SET live = 0 WHERE table_id = {p} AND version <> {p}", [table_id, version])  # noqa: S608
        cursor.execute(f"UPDATE {meta} SET live = 1 WHERE table_id = {p} AND version = {p}", [table_id, version])  # noqa: S608
        return True


def _type_notes(tabular: TabularFile, profiles: list[inf.ColumnProfile]) -> list[Problem]:
    notes = []
    for name, profile in zip(tabular.names, profiles, strict=True):
        if profile.blocked:
            blocked = profile.blocked
            examples = "; ".join(
                _("row %(row)s: “%(value)s”") % {"row": row, "value": value} for row, value in blocked.examples
            )
            message = ngettext(
                "Loaded as text: %(count)s value is not %(type)s (%(examples)s).",
                "Loaded as text: %(count)s values are not %(type)s (%(examples)s).",
                blocked.count,
            ) % {
                "count": blocked.count,
                "type": blocked.type,
                "examples": examples,
            }
            row, value = blocked.examples[0]
            notes.append(Problem("kept_as_text", message, row, name, value, blocked.count))
        elif profile.as_code:
            message = _("Loaded as text: its whole numbers are codes, not quantities (never added up).")
            notes.append(Problem("kept_as_code", message, None, name, None, profile.non_null))
    info = tabular.info
    if info.total_row:
        notes.append(Problem("total_row", _("The closing total row was not loaded as data."), info.total_row["row"]))
    if info.dropped_columns:
        notes.append(
            Problem("empty_columns", _("Empty columns at the right were left out."), count=info.dropped_columns)
        )
    if info.title_lines:
        notes.append(
            Problem("title_lines", _("Title lines above the header were left out."), count=len(info.title_lines))
        )
    return notes


def load_table(
    *,
    table_id: str | int,
    source: Source,
    filename: str,
    max_bytes: int | None = None,
    max_indexes: int = MAX_INDEXES,
    now: dt.datetime | None = None,
    column_types: dict[str, str] | None = None,
    column_roles: dict[str, str] | None = None,
    publish: bool = True,
    progress: Progress | None = None,
) -> LoadReport:
    """Read, type and load ``source`` as a new live version of ``table_id``; never raises for bad input.

    With ``publish=False`` the new version is stored but the live one stays live until the
    caller, having recorded the version, calls ``publish_version`` (a caller killed in between
    leaves an unpublished version that ``repair.reconcile_table`` drops).

    ``column_types`` and ``column_roles`` (identifier → type, role) are what the data
    dictionary fixed; see ``overrides`` and ``roles``.

    ``progress(phase, done, total)`` hears where the load stands, a batch at a time: ``reading``
    (rows read and typed so far; the total is not known yet), ``inserting`` (rows stored of the
    rows read), ``statistics`` and ``indexing``. It is called from this process only."""
    started = time.monotonic()
    table_id = check_table_id(table_id)
    report = LoadReport(table_id=table_id)
    gc_was_enabled = gc.isenabled()
    # Millions of short-lived lists and no reference cycles: the collector would only rescan them.
    gc.disable()
    stack = ExitStack()
    try:
        tabular = TabularFile(source=source, filename=filename, max_bytes=max_bytes)
        report.file = vars(tabular.info)
        spool = stack.enter_context(BatchSpool())
        # Large files are read (then typed) by a second process while this one infers (then
        # inserts) the batch before: see ``parallel``.
        in_child = parallel.worth_a_child(tabular.size)
        prefer_comma = tabular.info.delimiter == ";"
        inferrer = inf.TypeInferrer(width=tabular.width, prefer_decimal_comma=prefer_comma)
        reading = parallel.Producer(
            lambda: itertools.starmap(BatchSpool.pack, tabular.data_batches()),
            tabular.reading_outcome,
            in_child=in_child,
        )
        report_progress = progress or _no_progress
        rows_read = 0  # what the insert's progress counts up to
        report_progress("reading", 0, None)
        with reading:
            for data in reading:
                spool.append(data)
                numbers, columns = BatchSpool.unpack(data)
                inferrer.add_batch(numbers=numbers, columns=columns)
                rows_read += len(numbers)
                report_progress("reading", rows_read, None)
        tabular.take_reading_outcome(reading.result)
        profiles = apply_column_types(
            tabular.names,
            inferrer.profiles(),
            column_types,
            prefer_decimal_comma=prefer_comma,
            labels=tabular.labels,
            column_roles=column_roles,
        )
        if tabular.problem_count:
            report.errors = [Problem(p.code, p.message, p.row, p.column, p.value) for p in tabular.problems]
            report.error_count = tabular.problem_count
            return report
        report.notes = _type_notes(tabular, profiles)
        backend = get_backend()
        loader = _Loader(
            table_id=table_id, tabular=tabular, profiles=profiles, backend=backend, source_batches=spool.replay
        )
        report.columns = loader.columns
        typing = parallel.Producer(loader.typed_batches, loader.typing_outcome, in_child=in_child)
        with typing, backend.write() as cursor:
            backend.prepare_load(cursor, table_id=table_id)
            version = _next_version(cursor, backend, table_id)
            sql_name = table_name(table_id=table_id, version=version)
            cursor.execute(loader.ddl(sql_name))
            batches = loader.rows(typing, progress, rows_read)
            backend.insert(cursor, table=sql_name, names=loader.insert_names(), batches=batches)
            loader.take_typing_outcome(typing.result)
            if loader.error_count or tabular.problem_count:
                report.errors = loader.errors + [Problem(p.code, p.message, p.row, p.column) for p in tabular.problems]
                report.error_count = loader.error_count + tabular.problem_count
                raise _Abort
            if backend.vendor == "postgresql":
                cursor.execute(f"ALTER TABLE {backend.table(sql_name)} ADD PRIMARY KEY ({quote('_id')})")
            report_progress("statistics", 0, None)
            loader.compute_stats(cursor, sql_name)
            indexes = loader.choose_indexes(max_indexes=max_indexes)
            report_progress("indexing", 0, len(indexes))
            loader.build_indexes(cursor, sql_name, indexes)
            report_progress("indexing", len(indexes), len(indexes))
            if backend.vendor == "postgresql":
                cursor.execute(f"ANALYZE {backend.table(sql_name)}")
            backend.grant(cursor, sql_name)
            _switch(
                cursor,
                backend,
                table_id=table_id,
                version=version,
                loader=loader,
                now=now or timezone.now(),
                publish=publish,
            )
        report.ok, report.version, report.row_count = True, version, loader.row_count
    except _Abort:
        pass
    except InputFileError as exc:
        report.errors, report.error_count = [Problem(exc.code, exc.user_message)], 1
    except DatastoreError as exc:
        report.errors, report.error_count = [Problem(exc.code, exc.user_message)], 1
    except Exception as exc:
        if not isinstance(exc, get_backend().errors):
            raise
        report.errors = [Problem("database", _("The table could not be stored: %(error)s") % {"error": exc})]
        report.error_count = 1
    finally:
        stack.close()
        if gc_was_enabled:
            gc.enable()
        report.seconds = round(time.monotonic() - started, 3)
    return report


def _no_progress(phase: str, done: int, total: int | None) -> None:
    pass


class _Abort(Exception):
    """Leaves the load transaction so it rolls back; the report already holds the reasons."""


@functools.lru_cache(maxsize=256)
def _columns(text: str) -> tuple[Column, ...]:
    """A version's columns never change once stored: each request need not parse them again.
    Shared between callers, so treated as read-only."""
    return tuple(Column.from_json(c) for c in json.loads(text))


def _info(row: tuple, table_id: str) -> TableInfo:
    version, sql_name, live, row_count, columns, loaded_at = row
    return TableInfo(
        table_id=table_id,
        version=version,
        live=bool(live),
        row_count=row_count,
        columns=list(_columns(columns)),
        loaded_at=dt.datetime.fromisoformat(loaded_at),
        sql_name=sql_name,
    )


def fetch_info(cursor: Any, backend: Backend, *, table_id: str, version: int | None) -> TableInfo | None:
    """Metadata of the live version (or of ``version``), read inside the caller's transaction."""
    p = backend.param
    condition = "live = 1" if version is None else f"version = {p}"
    params = [table_id] if version is None else [table_id, int(version)]
    cursor.execute(
        f"SELECT version, sql_name, live, row_count, columns, loaded_at FROM {backend.table(META)}"  # noqa: S608
        f" WHERE table_id = {p} AND {condition}",
        params,
    )
    row = cursor.fetchone()
    return _info(row, table_id) if row else None


def get_table(*, table_id: str | int, version: int | None = None) -> TableInfo | None:
    """The live version of a table (or a kept earlier ``version``); None when not loaded."""
    table_id = check_table_id(table_id)
    backend = get_backend()
    with backend.read() as cursor:
        return None if cursor is None else fetch_info(cursor, backend, table_id=table_id, version=version)


def list_versions(*, table_id: str | int) -> list[TableInfo]:
    """Versions still stored, newest first: the live one and the one it replaced."""
    table_id = check_table_id(table_id)
    backend = get_backend()
    with backend.read() as cursor:
        if cursor is None:
            return []
        cursor.execute(
            f"SELECT version, sql_name, live, row_count, columns, loaded_at FROM {backend.table(META)}"  # noqa: S608
            f" WHERE table_id = {backend.param} ORDER BY version DESC",
            [table_id],
        )
        return [_info(row, table_id) for row in cursor.fetchall()]


def drop_version(*, table_id: str | int, version: int) -> bool:
    """Delete a kept earlier version; the live version cannot be dropped (use ``drop_table``)."""
    table_id = check_table_id(table_id)
    backend = get_backend()
    with backend.write() as cursor:
        info = fetch_info(cursor, backend, table_id=table_id, version=version)
        if info is None:
            return False
        if info.live:
            raise DatastoreError(_("The live version cannot be dropped."), code="live_version")
        cursor.execute(f"DROP TABLE IF EXISTS {backend.table(info.sql_name)}")
        p = backend.param
        cursor.execute(f"DELETE FROM {backend.table(META)} WHERE table_id = {p} AND version = {p}", [table_id, version])  # noqa: S608
        return True


def drop_table(*, table_id: str | int) -> int:
    """Delete every version of a table (when its resource is deleted); returns how many."""
    table_id = check_table_id(table_id)
    backend = get_backend()
    with backend.write() as cursor:
        p = backend.param
        cursor.execute(f"SELECT sql_name FROM {backend.table(META)} WHERE table_id = {p}", [table_id])  # noqa: S608
        names = [row[0] for row in cursor.fetchall()]
        for name in names:
            cursor.execute(f"DROP TABLE IF EXISTS {backend.table(name)}")
        cursor.execute(f"DELETE FROM {backend.table(META)} WHERE table_id = {p}", [table_id])  # noqa: S608
        return len(names)
