"""Whole-table and filtered downloads that keep memory flat for any table size.

Rows come through a server-side cursor on PostgreSQL (and SQLite's lazy cursor), a few thousand at
a time, and each format is produced as it goes. Iterate an export in one thread, to the end or
until closed: it holds a read transaction while it runs.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from minga.core.exports import safe_cell

from .backend import get_backend, quote
from .errors import TableNotFound
from .names import check_table_id
from .query import QuerySpec, _Builder, _order_by, _select_columns, _sort_keys
from .store import fetch_info
from .values import row_reader

CHUNK = 64 * 1024


def iter_rows(
    *, table_id: str | int, spec: QuerySpec | None = None, version: int | None = None, labels: bool = False
) -> Iterator[tuple]:
    """The header (names, or labels with ``labels=True``), then every matching row; limit and cursor are ignored."""
    spec = spec or QuerySpec()
    table_id = check_table_id(table_id)
    backend = get_backend()
    with backend.read() as cursor:
        info = None if cursor is None else fetch_info(cursor, backend, table_id=table_id, version=version)
        if info is None:
            raise TableNotFound(table_id)
        builder = _Builder(backend, info)
        columns = _select_columns(builder, spec)
        keys = _sort_keys(builder, spec)
        conditions = builder.where(spec.filters)
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        sql = (
            f"SELECT {', '.join(quote(c.name) for c in columns)} FROM {backend.table(info.sql_name)}{where}"  # noqa: S608
            f" ORDER BY {_order_by(keys)}"
        )
        yield tuple(column.label or column.name if labels else column.name for column in columns)
        convert = row_reader(backend, [column.type for column in columns])
        for row in backend.fetch_stream(cursor, sql, builder.params):
            yield convert(row) if convert else row


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    return str(value)


class _Line:
    def write(self, value: str) -> str:
        return value


def export_csv(**kwargs: Any) -> Iterator[str]:
    """UTF-8 CSV with a BOM (spreadsheets read the accents); formula-like cells neutralised."""
    writer = csv.writer(_Line())
    yield "\ufeff"
    buffer: list[str] = []
    for row in iter_rows(**kwargs):
        buffer.append(writer.writerow([safe_cell(_text(value)) for value in row]))
        if len(buffer) >= 500:
            yield "".join(buffer)
            buffer.clear()
    if buffer:
        yield "".join(buffer)


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def _records(**kwargs: Any) -> Iterator[str]:
    rows = iter_rows(**kwargs)
    names = next(rows)
    for row in rows:
        yield json.dumps(dict(zip(names, row, strict=True)), default=_json_default, ensure_ascii=False)


def export_jsonl(**kwargs: Any) -> Iterator[str]:
    """One JSON object per line."""
    for record in _records(**kwargs):
        yield record + "\n"


def export_json(**kwargs: Any) -> Iterator[str]:
    """A JSON array of objects, produced piece by piece."""
    yield "["
    first = True
    for record in _records(**kwargs):
        yield record if first else "," + record
        first = False
    yield "]"


def export_xlsx(**kwargs: Any) -> Iterator[bytes]:
    """An XLSX workbook written by openpyxl's write-only mode to a temporary file, then streamed."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("datos")
    for row in iter_rows(**kwargs):
        cells = []
        for value in row:
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            if isinstance(value, str) and value.startswith("="):
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"  # text, never a formula
                cells.append(cell)
            else:
                cells.append(float(value) if isinstance(value, Decimal) else value)
        sheet.append(cells)
    with tempfile.TemporaryFile() as handle:
        workbook.save(handle)
        handle.seek(0)
        while chunk := handle.read(CHUNK):
            yield chunk
