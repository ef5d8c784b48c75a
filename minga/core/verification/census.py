"""Reading a census roll file: a CSV with a header row, one person a row, a column of cédulas
and optionally the person's territory (DPA code of a canton or parish) and a name, which is
read past and never kept.

Every row is checked: the cédula (check digit, province, length), the territory (a DPA code
inside the government), and repeats (a cédula on two rows is kept once when both rows say the
same; with two territories neither row is kept, because nobody can tell which is right). The
reading says which rows were left out, by line number and reason, never by number.

The cédulas of the rows kept are held in memory as integers (8 bytes each: a roll of three
million people takes some 60 MB while it is read), then replaced by their keyed hashes in the
staged file (``staged_bytes``) that the load job inserts. The clear numbers are never written
anywhere."""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import struct
from array import array
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from unidecode import unidecode

from . import cedula, keys

REPORT_LIMIT = 500  # rows left out listed in the report (all are counted)
SNIFF_BYTES = 64 * 1024
STAGED_VERSION = 1
DIGEST_BYTES = 32

CEDULA_COLUMNS = frozenset(
    {
        "cedula",
        "cedula_de_identidad",
        "cedula_identidad",
        "numero_de_cedula",
        "numero_cedula",
        "nro_cedula",
        "no_cedula",
        "num_cedula",
        "identificacion",
        "numero_identificacion",
        "ci",
        "c_i",
        "documento",
    }
)
TERRITORY_COLUMNS = frozenset(
    {
        "territorio",
        "codigo_territorio",
        "codigo_dpa",
        "dpa",
        "cod_dpa",
        "codigo_parroquia",
        "cod_parroquia",
        "parroquia_codigo",
        "codigo_canton",
        "cod_canton",
        "territory",
    }
)
NAME_COLUMNS = frozenset({"nombre", "nombres", "apellidos_y_nombres", "nombres_y_apellidos", "name"})

# Why a row was left out, beyond the cédula's own reasons (cedula.REASONS).
ROW_REASONS = {
    "territory": gettext_lazy("the territory code is not the DPA code of a canton or parish of this government"),
    "duplicate": gettext_lazy("the same cédula is already on line %(line)s"),
    "conflict": gettext_lazy("the same cédula is on line %(line)s with another territory: neither row is loaded"),
}


class UnreadableRoll(ValueError):
    """The file cannot be read as a census roll at all (the message says why, for the form)."""


@dataclass
class RollReading:
    rows_read: int = 0
    has_territories: bool = False
    numbers: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    territory_of: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint16))
    territories: list[str] = field(default_factory=list)  # index -> DPA code ("" = none given)
    rows_bad: int = 0
    report: list[list] = field(default_factory=list)  # [line, reason code, detail]
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def people(self) -> int:
        return len(self.numbers)

    def territory_counts(self) -> dict[str, int]:
        counts = np.bincount(self.territory_of, minlength=len(self.territories)) if self.people else []
        return {code: int(count) for code, count in zip(self.territories, counts, strict=False) if code and count}


def reason_text(code: str, detail="") -> str:
    """The sentence for a report row (in the current language)."""
    if code in ROW_REASONS:
        return str(ROW_REASONS[code]) % {"line": detail}
    return cedula.reason_text(code)


def column_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", unidecode(name or "").lower()).strip("_")


def _encoding(head: bytes) -> str:
    """UTF-8 (with or without a byte-order mark) when the start of the file decodes as UTF-8,
    else Windows-1252 (files saved by spreadsheets in Spanish)."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8-sig"


def _delimiter(header_line: str) -> str:
    counts = {delimiter: header_line.count(delimiter) for delimiter in (",", ";", "\t", "|")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _territory(value: str, government_code: str) -> str | None:
    """The normalised territory code, "" when none is given, None when it is not valid."""
    code = re.sub(r"\s+", "", value or "")
    if not code:
        return ""
    if not code.isdigit():
        return None
    if len(code) in (1, 3, 5):  # a spreadsheet dropped the leading zero
        code = "0" + code
    if len(code) not in (2, 4, 6) or len(code) < len(government_code) or not code.startswith(government_code):
        return None
    return code


def read_roll(file, *, government_code: str) -> RollReading:
    """Check every row of ``file`` (a binary file object) for the government whose DPA code is
    ``government_code``. Raises UnreadableRoll when the file has no cédula column or no rows."""
    file.seek(0)
    encoding = _encoding(file.read(SNIFF_BYTES))
    file.seek(0)
    text = io.TextIOWrapper(file, encoding=encoding, errors="replace", newline="")
    try:
        return _read(text, government_code)
    finally:
        text.detach()  # leave the caller's file open


def _read(text, government_code: str) -> RollReading:
    header_line = text.readline()
    if not header_line.strip():
        raise UnreadableRoll(_("The file is empty. Upload a CSV file with a header row and one person per row."))
    delimiter = _delimiter(header_line)
    header = next(csv.reader([header_line], delimiter=delimiter), [])
    names = [column_key(name) for name in header]
    cedula_at = next((i for i, name in enumerate(names) if name in CEDULA_COLUMNS or name.startswith("cedula")), None)
    if cedula_at is None:
        raise UnreadableRoll(
            _(
                "The file has no cédula column. Its first row must name the columns: “cedula” (required), "
                "“territorio” (DPA code of the canton or parish, optional) and “nombre” (optional, not stored)."
            )
        )
    territory_at = next((i for i, name in enumerate(names) if name in TERRITORY_COLUMNS), None)
    reading = RollReading(has_territories=territory_at is not None)
    reading.ignored_columns = [
        header[i].strip()
        for i, name in enumerate(names)
        if i not in (cedula_at, territory_at) and name not in NAME_COLUMNS and name
    ]
    numbers, lines, places = array("q"), array("q"), array("l")
    territory_index: dict[str, int] = {"": 0}
    bad: list[list] = []
    reader = csv.reader(text, delimiter=delimiter)
    lines_before = 0
    for row in reader:
        # The header (line 1) was read before the reader started; a quoted value may span lines.
        line, lines_before = lines_before + 2, reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        reading.rows_read += 1
        number = cedula.normalise(row[cedula_at] if cedula_at < len(row) else "", restore_lost_zero=True)
        problem = cedula.problem(number)
        territory = ""
        if not problem and territory_at is not None:
            found = _territory(row[territory_at] if territory_at < len(row) else "", government_code)
            if found is None:
                problem = "territory"
            else:
                territory = found
        if problem:
            bad.append([line, problem, ""])
        else:
            numbers.append(int(number))
            lines.append(line)
            places.append(territory_index.setdefault(territory, len(territory_index)))
    if not reading.rows_read:
        raise UnreadableRoll(_("The file has a header row but no people."))
    if len(territory_index) > 65535:
        raise UnreadableRoll(_("The file names more than 65,535 territories; check its territory column."))
    reading.numbers, reading.territory_of = _without_repeats(
        np.frombuffer(numbers, dtype=np.int64),
        np.frombuffer(lines, dtype=np.int64),
        np.asarray(places, dtype=np.uint16),
        bad,
    )
    reading.territories = list(territory_index)
    reading.rows_bad = len(bad)
    bad.sort(key=lambda item: item[0])
    reading.report = bad[:REPORT_LIMIT]
    return reading


def _without_repeats(numbers, lines, places, bad):
    """The rows to keep: a cédula repeated with the same territory is kept at its first line,
    one repeated with different territories is not kept at all; each row dropped goes to
    ``bad``."""
    if not len(numbers):
        return numbers.copy(), places
    order = np.argsort(numbers, kind="stable")  # equal numbers stay in line order
    ranked = numbers[order]
    starts = np.flatnonzero(np.r_[True, ranked[1:] != ranked[:-1]])
    sizes = np.diff(np.r_[starts, len(ranked)])
    keep = np.ones(len(numbers), dtype=bool)
    for start, size in zip(starts[sizes > 1], sizes[sizes > 1], strict=True):
        group = order[start : start + size]
        first = int(lines[group[0]])
        if len(set(places[group].tolist())) == 1:
            for index in group[1:]:
                keep[index] = False
                bad.append([int(lines[index]), "duplicate", first])
        else:
            second = int(lines[group[1]])
            for index in group:
                keep[index] = False
                bad.append([int(lines[index]), "conflict", second if int(lines[index]) == first else first])
    return numbers[keep], places[keep]


def staged_bytes(reading: RollReading) -> bytes:
    """The rows to load as stored: a JSON header line, then each person's keyed hash (32 bytes)
    and then each person's territory index (2 bytes, little-endian). No clear number."""
    header = {"v": STAGED_VERSION, "count": reading.people, "territories": reading.territories}
    base = keys.hasher()
    digests = bytearray()
    for number in reading.numbers.tolist():
        digest = base.copy()
        digest.update(f"{number:010d}".encode("ascii"))
        digests += digest.digest()
    places = reading.territory_of.astype("<u2").tobytes()
    return json.dumps(header).encode() + b"\n" + bytes(digests) + places


def read_staged(data: bytes) -> tuple[list[str], list[str], list[str]]:
    """(hex hashes, territory codes per person, territory list) from ``staged_bytes``."""
    head, _newline, body = data.partition(b"\n")
    header = json.loads(head)
    if header.get("v") != STAGED_VERSION:
        raise ValueError("unknown staged census format")
    count, territories = header["count"], header["territories"]
    if len(body) != count * (DIGEST_BYTES + 2):
        raise ValueError("the staged census file is truncated")
    digests = body[: count * DIGEST_BYTES]
    places = struct.unpack(f"<{count}H", body[count * DIGEST_BYTES :]) if count else ()
    hashes = [digests[i : i + DIGEST_BYTES].hex() for i in range(0, len(digests), DIGEST_BYTES)]
    return hashes, [territories[place] for place in places], territories
