"""Spreadsheets as Ecuadorian offices export them, read without asking the official anything.

Encoding, delimiter, title lines above the header, empty trailing columns and a closing TOTAL row
are detected here, so that a file saved by Excel in Spanish loads the same as a clean UTF-8 CSV.
A ``TabularFile`` can be iterated more than once without holding the file in memory; the loader
reads it once and replays the cleaned cells from a ``BatchSpool`` for its second pass.
"""

from __future__ import annotations

import codecs
import csv
import io
import marshal
import operator
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from . import xlsx
from .errors import InputFileError
from .inference import NULL_TOKENS, parse_date, parse_dec_comma, parse_dec_dot
from .names import fold, make_identifiers

Source = str | os.PathLike | IO[bytes]
DELIMITERS = (";", ",", "\t", "|")
SAMPLE_BYTES = 64 * 1024
SAMPLE_ROWS = 50
CHUNK = 1024 * 1024
BINARY_MAGIC = (b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0", b"\x1f\x8b", b"\x89PNG", b"\xff\xd8\xff")
TOTAL_RE = re.compile(r"^(total(es)?( general)?|suma( total)?|gran total)\b[\s:]*")
MAX_ROW_ERRORS = 50
BATCH_ROWS = 5000


@dataclass
class RowProblem:
    row: int
    column: str | None
    code: str
    message: str
    value: str | None = None


@dataclass
class FileInfo:
    """How the file was understood; part of the load report."""

    format: str
    encoding: str | None = None
    delimiter: str | None = None
    header_row: int = 1
    title_lines: list[str] = field(default_factory=list)
    dropped_columns: int = 0
    blank_rows: int = 0
    short_rows: int = 0
    total_row: dict | None = None  # {"row": n, "cells": [...]} when a closing total row was left out


@contextmanager
def _binary(source: Source) -> Iterator[IO[bytes]]:
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as handle:
            yield handle
    else:
        source.seek(0)
        yield source
        source.seek(0)


def _size(source: Source) -> int:
    if isinstance(source, str | os.PathLike):
        return Path(source).stat().st_size
    source.seek(0, io.SEEK_END)
    size = source.tell()
    source.seek(0)
    return size


def _looks_binary(head: bytes) -> bool:
    if head.startswith(BINARY_MAGIC) or b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte < 9 or 13 < byte < 32)
    return controls > max(len(head) // 100, 0) and controls > 2


def detect_encoding(handle: IO[bytes]) -> str:
    """Strict UTF-8 over the whole file, then cp1252, then latin-1 (which always decodes)."""
    head = handle.read(4)
    handle.seek(0)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if _looks_binary(handle.read(8192)):
        raise InputFileError(
            _("This file is not a text table (it looks like a binary or compressed file); save it as CSV or XLSX."),
            code="binary_file",
        )
    handle.seek(0)
    for encoding in ("utf-8", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)("strict")
        try:
            while chunk := handle.read(CHUNK):
                if b"\x00" in chunk:
                    raise InputFileError(
                        _("This file contains binary data (NUL bytes); it is not a CSV file."), code="binary_file"
                    )
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            handle.seek(0)
            continue
        handle.seek(0)
        if encoding == "utf-8" and head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        return encoding
    handle.seek(0)
    return "latin-1"


def detect_delimiter(sample: str) -> str:
    """The delimiter that splits the most sample lines into the same number (>1) of cells."""
    lines = sample.splitlines()[:SAMPLE_ROWS] or [""]
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        sniffed = None
    best, best_score = DELIMITERS[0], (-1, -1, False)
    for delimiter in DELIMITERS:
        widths = [len(row) for row in csv.reader(lines, delimiter=delimiter) if any(c.strip() for c in row)]
        if not widths:
            continue
        modal, count = Counter(widths).most_common(1)[0]
        score = (count if modal > 1 else 0, modal, delimiter == sniffed)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _looks_like_label(cell: str) -> bool:
    value = cell.strip()
    return not (parse_dec_dot(value) or parse_dec_comma(value) or parse_date(value))


def find_header(rows: list[list[str]]) -> int:
    """Index of the header among the first rows: the first row as wide as the table whose cells read as labels.

    Title lines above the table have fewer cells, so they are passed over.
    """
    counts = [sum(1 for cell in row if cell.strip()) for row in rows]
    wide = [count for count in counts if count >= 2] or [count for count in counts if count] or [0]
    modal = Counter(wide).most_common(1)[0][0]
    for index, (row, count) in enumerate(zip(rows, counts, strict=True)):
        # "at least half": headers such as "Cantón;2023;2024" are common in budget tables
        if count >= modal and count and 2 * sum(_looks_like_label(cell) for cell in row if cell.strip()) > count:
            return index
    return next((index for index, count in enumerate(counts) if count >= modal and count), 0)


def _last_filled(row: list[str]) -> int:
    for index in range(len(row) - 1, -1, -1):
        if row[index].strip():
            return index + 1
    return 0


class TabularFile:
    """A CSV/TSV/XLSX file understood as one table: ``labels``, ``names`` and ``data_rows()``."""

    def __init__(self, *, source: Source, filename: str, max_bytes: int | None = None) -> None:
        self.source = source
        self.problems: list[RowProblem] = []
        self.problem_count = 0
        limit = settings.DATASET_UPLOAD_MAX_BYTES if max_bytes is None else max_bytes
        self.size = size = _size(source)
        if size > limit:
            raise InputFileError(
                _("The file is %(size)s MB; the limit is %(limit)s MB."),
                code="file_too_large",
                params={"size": round(size / 2**20, 1), "limit": round(limit / 2**20, 1)},
            )
        if size == 0:
            raise InputFileError(_("The file is empty."), code="empty_file")
        suffix = Path(filename).suffix.lower()
        if suffix in (".xls", ".ods"):
            raise InputFileError(_("Save this spreadsheet as XLSX or CSV first."), code="unsupported_format")
        if suffix in (".xlsx", ".xlsm"):
            self.info = FileInfo(format="xlsx")
            with _binary(source) as handle:
                xlsx.check_zip(handle)
        else:
            self.info = FileInfo(format="csv")
            with _binary(source) as handle:
                self.info.encoding = detect_encoding(handle)
                sample = handle.read(SAMPLE_BYTES).decode(self.info.encoding, errors="replace")
            if len(sample) >= SAMPLE_BYTES // 4 and "\n" in sample:
                sample = sample[: sample.rindex("\n")]
            self.info.delimiter = "\t" if suffix == ".tsv" else detect_delimiter(sample)
        head, numbers = [], []
        for number, cells in self._raw_rows():
            head.append(cells)
            numbers.append(number)
            if len(head) >= SAMPLE_ROWS:
                break
        if not any(_last_filled(row) for row in head):
            raise InputFileError(_("The file has no data."), code="empty_file")
        self._header_index = find_header(head)
        header = head[self._header_index]
        self.info.header_row = numbers[self._header_index]
        self.info.title_lines = [" ".join(c.strip() for c in row if c.strip()) for row in head[: self._header_index]]
        self.info.title_lines = [line for line in self.info.title_lines if line]
        self.width = max([_last_filled(header)] + [_last_filled(row) for row in head[self._header_index + 1 :]])
        self.info.dropped_columns = max(len(row) for row in head[self._header_index :]) - self.width
        self.labels = [cell.strip() for cell in header[: self.width]] + [""] * (self.width - len(header))
        self.names = make_identifiers(self.labels)

    def _raw_rows(self) -> Iterator[tuple[int, list[str]]]:
        with _binary(self.source) as handle:
            if self.info.format == "xlsx":
                yield from xlsx.iter_xlsx_rows(handle)
                return
            text = io.TextIOWrapper(handle, encoding=self.info.encoding, newline="")
            reader = csv.reader(text, delimiter=self.info.delimiter)
            try:
                for cells in reader:
                    yield reader.line_num, cells
            except csv.Error as exc:
                raise InputFileError(
                    _("The CSV file is malformed near line %(line)s: %(error)s"),
                    code="malformed_csv",
                    params={"line": reader.line_num, "error": str(exc)},
                ) from exc
            except UnicodeDecodeError as exc:
                raise InputFileError(_("The file's text encoding changed partway through."), code="encoding") from exc
            finally:
                text.detach()

    def _problem(self, problem: RowProblem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_ROW_ERRORS:
            self.problems.append(problem)

    def reading_outcome(self) -> tuple:
        """What ``data_batches`` learnt besides the batches, for a process that did not read."""
        info = self.info
        return self.problems, self.problem_count, info.blank_rows, info.short_rows, info.total_row

    def take_reading_outcome(self, outcome: tuple) -> None:
        self.problems, self.problem_count, self.info.blank_rows, self.info.short_rows, self.info.total_row = outcome

    def data_rows(self) -> Iterator[tuple[int, list[str | None]]]:
        """(row number, cleaned cells) for every data row; blank rows and a closing total row left out."""
        for numbers, columns in self.data_batches():
            for position, number in enumerate(numbers):
                yield number, [column[position] for column in columns]

    def data_batches(self, size: int | None = None) -> Iterator[tuple[list[int], list[list[str | None]]]]:
        """The data rows of ``data_rows`` by column, ``size`` rows at a time: (row numbers, columns).

        The loader works column by column: each distinct value of a batch is cleaned, typed and
        converted once, and the per-cell work left is done by C loops (map, Counter, zip)."""
        size = size or BATCH_ROWS
        self.problems, self.problem_count = [], 0
        self.info.blank_rows = self.info.short_rows = 0
        self.info.total_row = None
        width = self.width
        numbers: list[int] = []
        rows: list[list[str]] = []
        # The last row is held back until the end: a closing total row is not data.
        for index, (number, raw) in enumerate(self._raw_rows()):
            if index <= self._header_index:
                continue
            if len(raw) != width:
                if len(raw) > width:
                    if "".join(raw[width:]).strip():
                        self._problem(
                            RowProblem(
                                number, None, "extra_values", str(_("This row has values beyond the last column."))
                            )
                        )
                        continue
                    raw = raw[:width]
                else:
                    if "".join(raw).strip():
                        self.info.short_rows += 1
                    raw = raw + [""] * (width - len(raw))
            if not "".join(raw).strip():
                self.info.blank_rows += 1
                continue
            numbers.append(number)
            rows.append(raw)
            if len(rows) > size:
                yield numbers[:size], _clean_columns(rows[:size], width)
                del numbers[:size], rows[:size]
        if rows:
            last = _clean_columns(rows[-1:], width)
            first = next((column[0] for column in last if column[0] is not None), "")
            if TOTAL_RE.match(fold(first)):
                self.info.total_row = {"row": numbers[-1], "cells": [column[0] for column in last]}
                numbers.pop()
                rows.pop()
        if rows:
            yield numbers, _clean_columns(rows, width)


def clean_cell(cell: str) -> str | None:
    value = cell.strip()
    return None if not value or (len(value) <= 3 and value.lower() in NULL_TOKENS) else value


def _spellings(token: str) -> set[str]:
    variants = {""}
    for char in token:
        variants = {v + c for v in variants for c in {char.lower(), char.upper()}}
    return variants


# Every spelling of "no data", so that cleaning a column is C-level work: strip, then a dict
# lookup only where such a spelling occurs.
_NULLS = dict.fromkeys(spelling for token in NULL_TOKENS for spelling in _spellings(token))
_GETTERS = [operator.itemgetter(i) for i in range(64)]


def _clean_columns(rows: list[list[str]], width: int) -> list[list[str | None]]:
    """Rows (all ``width`` wide) → cleaned columns, each cell as ``clean_cell`` cleans it."""
    columns = []
    for i in range(width):
        stripped = list(map(str.strip, map(_GETTERS[i] if i < 64 else operator.itemgetter(i), rows)))
        if not _NULLS.keys().isdisjoint(stripped):
            stripped = list(map(_NULLS.get, stripped, stripped))
        columns.append(stripped)
    return columns


class BatchSpool:
    """The cleaned batches of a first pass, kept on disk for the second.

    Decoding, CSV parsing and cleaning cost about as much as typing and inserting; replaying
    the cleaned cells lets a load read the file once. A batch travels as ``pack``'s bytes (from
    the process that read it, see ``parallel``) and is stored as they are. Each column is one
    string joined by a control character (a cleaned cell is never empty, so "" stands for a
    missing value), which C code joins and splits far faster than any serialiser walks 5,000
    small strings; a column whose text holds that character is kept as a list. The spool is an
    anonymous, unbuffered temporary file read by position, so a forked reader sees exactly what
    was written and shares no file offset; it disappears when closed, whatever happens."""

    SEPARATOR = "\x1e"

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="minga-spool-", buffering=0)  # noqa: SIM115 — closed by close()
        self._sizes: list[int] = []

    @classmethod
    def pack(cls, numbers: list[int], columns: list[list[str | None]]) -> bytes:
        packed = []
        for column in columns:
            joined = cls.SEPARATOR.join(map(_NONE_TO_EMPTY.get, column, column) if None in column else column)
            packed.append(joined if joined.count(cls.SEPARATOR) == len(column) - 1 else column)
        return marshal.dumps((numbers, packed), 2)

    @classmethod
    def unpack(cls, data: bytes) -> tuple[list[int], list[list[str | None]]]:
        """``pack``'s batch again, as new lists (the caller may change them)."""
        # Only this process or its forked child packed the bytes: nothing foreign is loaded.
        numbers, packed = marshal.loads(data)  # noqa: S302
        columns = []
        for column in packed:
            if isinstance(column, str):
                parts = column.split(cls.SEPARATOR)
                column = list(map(_EMPTY_TO_NONE.get, parts, parts)) if "" in parts else parts
            columns.append(column)
        return numbers, columns

    def append(self, data: bytes) -> None:
        view = memoryview(data)
        while view:  # an unbuffered write may take part of the bytes
            view = view[self._file.write(view) :]
        self._sizes.append(len(data))

    def replay(self) -> Iterator[tuple[list[int], list[list[str | None]]]]:
        """The stored batches again, in order."""
        fd, offset = self._file.fileno(), 0
        for size in self._sizes:
            yield self.unpack(os.pread(fd, size, offset))
            offset += size

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> BatchSpool:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


_NONE_TO_EMPTY = {None: ""}
_EMPTY_TO_NONE = {"": None}
