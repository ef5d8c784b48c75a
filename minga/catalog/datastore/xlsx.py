"""XLSX is read in openpyxl's read-only mode behind a zip-bomb check.

An XLSX file is a zip archive: a few kilobytes can declare gigabytes of sheet XML. The declared
sizes in the zip directory are checked before openpyxl opens anything; Python's zipfile never
inflates a member past its declared size, so the check cannot be lied around.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .errors import InputFileError

DEFAULT_MAX_UNCOMPRESSED = 1024 * 1024 * 1024
DEFAULT_MAX_RATIO = 100
RATIO_CHECK_FROM = 1024 * 1024  # small XML parts legitimately compress very well


def check_zip(fileobj: IO[bytes], *, max_uncompressed: int | None = None, max_ratio: int | None = None) -> None:
    """Raise InputFileError when the archive is invalid or would inflate beyond the caps."""
    if max_uncompressed is None:
        max_uncompressed = getattr(settings, "DATASTORE_XLSX_MAX_UNCOMPRESSED_BYTES", DEFAULT_MAX_UNCOMPRESSED)
    if max_ratio is None:
        max_ratio = getattr(settings, "DATASTORE_XLSX_MAX_RATIO", DEFAULT_MAX_RATIO)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputFileError(_("This file is not a valid XLSX workbook."), code="invalid_xlsx") from exc
    finally:
        fileobj.seek(0)
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > RATIO_CHECK_FROM and member.file_size > max_ratio * max(member.compress_size, 1):
            raise InputFileError(
                _("This workbook expands to far more data than its size suggests (a “zip bomb”); it was not opened."),
                code="zip_bomb",
            )
    if total > max_uncompressed:
        raise InputFileError(
            _("This workbook expands to %(size)s MB, more than the %(limit)s MB allowed."),
            code="xlsx_too_large",
            params={"size": total // 2**20, "limit": max_uncompressed // 2**20},
        )


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
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(fileobj, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise InputFileError(_("This XLSX workbook could not be read."), code="invalid_xlsx") from exc
    try:
        sheet = workbook.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [cell_text(value) for value in row]
    finally:
        workbook.close()
