"""XLSX workbooks from uploads and remote sources, read behind checks of their zip archive.
Every import that reads XLSX (the catalog's datastore, the budget's cédula, any later one)
opens it here.

An XLSX file is a zip archive: a megabyte can declare hundreds of megabytes of XML. Before
openpyxl opens anything, the zip directory is checked: the number of entries, the total
declared uncompressed size, each large entry's compression ratio, and the size of each part
openpyxl reads whole into memory (in read-only mode worksheets are streamed, but the shared
strings, styles and workbook parts are not). While reading, Python's zipfile never yields
more than an entry's declared size and fails its CRC check if the data goes on, so the
directory cannot lie its way past the checks; that failure, like any other damage met while
the rows are read, is answered as an unreadable workbook.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from typing import IO

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .explained import ExplainedError

MAX_ENTRIES = 10_000  # a workbook has a few dozen; the directory itself is read into memory
RATIO_CHECK_FROM = 1024 * 1024  # small XML parts legitimately compress very well
MAX_COLUMNS = 1_600  # PostgreSQL's limit for a table; rows wider than this are refused
MAX_ROWS = 1_048_576  # Excel's own limit
STREAMED_PARTS = re.compile(r"^xl/worksheets/[^/]+\.xml$")


class XlsxError(ExplainedError):
    """The workbook cannot be read safely."""

    default_code = "invalid_xlsx"


def _invalid() -> XlsxError:
    return XlsxError(_("This file is not a valid XLSX workbook."), code="invalid_xlsx")


def _bomb() -> XlsxError:
    return XlsxError(
        _("This workbook expands to far more data than its size suggests (a “zip bomb”); it was not opened."),
        code="zip_bomb",
    )


def check_archive(
    fileobj: IO[bytes],
    *,
    max_uncompressed: int | None = None,
    max_ratio: int | None = None,
    max_part: int | None = None,
) -> None:
    """Raise XlsxError when the archive is invalid or would inflate beyond the caps (the
    settings ``XLSX_MAX_UNCOMPRESSED_BYTES``, ``XLSX_MAX_RATIO``, ``XLSX_MAX_PART_BYTES``
    unless given). Reads the zip directory only; leaves the file at its start."""
    max_uncompressed = settings.XLSX_MAX_UNCOMPRESSED_BYTES if max_uncompressed is None else max_uncompressed
    max_ratio = settings.XLSX_MAX_RATIO if max_ratio is None else max_ratio
    max_part = settings.XLSX_MAX_PART_BYTES if max_part is None else max_part
    try:
        fileobj.seek(0)
        with zipfile.ZipFile(fileobj) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise _invalid() from exc
    finally:
        fileobj.seek(0)
    if len(members) > MAX_ENTRIES:
        raise _bomb()
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > RATIO_CHECK_FROM and member.file_size > max_ratio * max(member.compress_size, 1):
            raise _bomb()
        if member.file_size > max_part and not STREAMED_PARTS.match(member.filename):
            raise XlsxError(
                _("A part of this workbook (%(part)s) expands to %(size)s MB, more than the %(limit)s MB allowed."),
                code="xlsx_too_large",
                params={"part": member.filename[:80], "size": member.file_size // 2**20, "limit": max_part // 2**20},
            )
    if total > max_uncompressed:
        raise XlsxError(
            _("This workbook expands to %(size)s MB, more than the %(limit)s MB allowed."),
            code="xlsx_too_large",
            params={"size": total // 2**20, "limit": max_uncompressed // 2**20},
        )


def iter_rows(
    fileobj: IO[bytes], *, max_columns: int = MAX_COLUMNS, max_cells: int | None = None, **limits: int
) -> Iterator[tuple[int, tuple]]:
    """(row number, cell values) of the first worksheet, after ``check_archive`` (``limits``
    are its keyword arguments). A row is as wide as its last cell: the width the file declares
    is ignored, and a row wider than ``max_columns``, a row number past Excel's last row or
    more than ``max_cells`` values in all (setting ``XLSX_MAX_CELLS``) stop the reading with an
    XlsxError, so empty padding cannot stand in for data. Damage met while reading is an
    XlsxError too."""
    import openpyxl  # a few hundred milliseconds to import: only for the imports that read XLSX

    check_archive(fileobj, **limits)
    max_cells = settings.XLSX_MAX_CELLS if max_cells is None else max_cells
    try:
        workbook = openpyxl.load_workbook(fileobj, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise XlsxError(_("This XLSX workbook could not be read."), code="invalid_xlsx") from exc
    try:
        if not workbook.worksheets:
            raise XlsxError(_("This XLSX workbook has no worksheet."), code="invalid_xlsx")
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # rows are not padded to a declared A1:XFD1048576
        cells = 0
        try:
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells += len(row)
                if len(row) > max_columns or number > MAX_ROWS or cells > max_cells:
                    raise XlsxError(
                        _("This worksheet is larger than allowed (at most %(columns)s columns and %(cells)s cells)."),
                        code="xlsx_too_large",
                        params={"columns": max_columns, "cells": max_cells},
                    )
                yield number, row
        except XlsxError:
            raise
        except Exception as exc:  # a CRC failure (a lying directory) or damaged XML
            raise XlsxError(_("This XLSX workbook is damaged and could not be read."), code="invalid_xlsx") from exc
    finally:
        workbook.close()
