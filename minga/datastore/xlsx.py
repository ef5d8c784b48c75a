"""XLSX is read through core's guarded reader (core/xlsx.py: the zip directory is checked
before openpyxl opens anything); here its rows become the text a CSV export would hold, and
its errors the datastore's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import IO, Any

from minga.core import xlsx as core_xlsx

from .errors import InputFileError


@contextmanager
def _as_input_errors():
    try:
        yield
    except core_xlsx.XlsxError as exc:
        raise InputFileError(exc.message, code=exc.code, params=exc.params) from exc


def check_zip(fileobj: IO[bytes]) -> None:
    """Raise InputFileError when the archive is invalid or would inflate beyond the caps."""
    with _as_input_errors():
        core_xlsx.check_archive(fileobj)


def cell_text(value: Any) -> str:
    """Cells as the text a CSV export would have held, so one inference serves both formats."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        text = repr(value)
        return format(Decimal(text), "f") if "e" in text else text  # 1e-05 → 0.00001: stays a number
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def iter_xlsx_rows(fileobj: IO[bytes]) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells as text) for the first worksheet."""
    with _as_input_errors():
        for number, row in core_xlsx.iter_rows(fileobj):
            yield number, [cell_text(value) for value in row]
