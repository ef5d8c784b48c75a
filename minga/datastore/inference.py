"""Column types are decided from every value in the file, not from a sample.

Loaders that guess from the first rows break on a late "N/A" or on a code like "0164A"; here a
column gets a type only when all its non-null values parse, otherwise it stays text and the
report says which values blocked the type. Memory stays constant: per column we keep counters, a
few examples and a bounded cache of values already seen.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

NULL_TOKENS = frozenset({"", "n/a", "-", "s/d", "n/d", "na", "--"})
TRUE_TOKENS = frozenset({"si", "sí", "true", "verdadero"})
FALSE_TOKENS = frozenset({"no", "false", "falso"})
CACHE_CAP = 4096
EXAMPLES = 5


class ColumnType(StrEnum):
    INTEGER = "integer"
    DECIMAL = "decimal"
    BOOLEAN = "boolean"
    DATE = "date"
    DATETIME = "datetime"
    TEXT = "text"


def clean(value: str) -> str | None:
    """Strip a raw cell; None for the spellings of "no data" used in public files."""
    value = value.strip()
    if len(value) <= 3 and value.lower() in NULL_TOKENS:
        return None
    return value


_INT = re.compile(r"[+-]?\d+")  # any spelling, for query values
# Stored numbers never start with a zero followed by a digit: "0101" is a code, not 101.
_INT_STORED = re.compile(r"[+-]?(?:0|[1-9]\d{0,17})")  # always fits in 64 bits
_DEC_COMMA = re.compile(r"[+-]?(?:[1-9]\d{0,2}(?:\.\d{3})+|0|[1-9]\d*)(?:,\d+)?")
_DEC_DOT = re.compile(r"[+-]?(?:[1-9]\d{0,2}(?:,\d{3})+|0|[1-9]\d*)(?:\.\d+)?")
_DATE_DMY = re.compile(r"(\d{1,2})([/-])(\d{1,2})\2(\d{4})")
_DATE_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DATE_YY = re.compile(r"(\d{1,2})([/-])(\d{1,2})\2(\d{2})")
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6}))?)?")


_RUC = re.compile(r"\d{10}001")
_CEDULA = re.compile(r"(?:0[1-9]|1\d|2[0-4]|30)[0-5]\d{7}")
SHAPE_RUC, SHAPE_CEDULA = 1, 2
ALL_SHAPES = SHAPE_RUC | SHAPE_CEDULA


def shape_of(value: str) -> int:
    """Which identity-number shapes a cell has: a RUC (13 digits ending in 001), a cédula
    (10 digits starting with a province number). A column whose every value has one of them
    holds identifiers, whatever it is called (see ``roles``)."""
    if len(value) == 13 and _RUC.fullmatch(value):
        return SHAPE_RUC
    if len(value) == 10 and _CEDULA.fullmatch(value):
        return SHAPE_CEDULA
    return 0


def parse_int(value: str) -> int | None:
    return int(value) if _INT_STORED.fullmatch(value) else None


def parse_dec_comma(value: str) -> str | None:
    """Canonical "1234.56" text for "1.234,56", or None."""
    if not _DEC_COMMA.fullmatch(value):
        return None
    return value.replace(".", "").replace(",", ".")


def parse_dec_dot(value: str) -> str | None:
    if not _DEC_DOT.fullmatch(value):
        return None
    return value.replace(",", "")


def parse_bool(value: str) -> bool | None:
    lowered = value.lower()
    if lowered in TRUE_TOKENS:
        return True
    if lowered in FALSE_TOKENS:
        return False
    return None


@lru_cache(maxsize=8192)
def parse_date(value: str) -> dt.date | None:
    """dd/mm/yyyy, dd-mm-yyyy or yyyy-mm-dd."""
    match = _DATE_DMY.fullmatch(value)
    try:
        if match:
            return dt.date(int(match[4]), int(match[3]), int(match[1]))
        match = _DATE_ISO.fullmatch(value)
        if match:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
    return None


@lru_cache(maxsize=8192)
def parse_date_yy(value: str) -> dt.date | None:
    """dd/mm/yy; years 69-99 are 19xx, 00-68 are 20xx (as strptime's %y)."""
    match = _DATE_YY.fullmatch(value)
    if not match:
        return None
    year = int(match[4])
    year += 1900 if year >= 69 else 2000
    try:
        return dt.date(year, int(match[3]), int(match[1]))
    except ValueError:
        return None


def parse_datetime(value: str) -> dt.datetime | None:
    head, sep, tail = value.replace("T", " ", 1).partition(" ")
    day = parse_date(head)
    if day is None:
        return None
    if not sep:
        return dt.datetime(day.year, day.month, day.day)
    match = _TIME.fullmatch(tail.strip())
    if not match:
        return None
    try:
        micro = int((match[4] or "0").ljust(6, "0"))
        return dt.datetime(day.year, day.month, day.day, int(match[1]), int(match[2]), int(match[3] or 0), micro)
    except ValueError:
        return None


# Candidate "kinds" in order of preference; a kind is a type plus, for decimals and dates, a format.
INT, DEC_COMMA, DEC_DOT, BOOL, DATE, DATE_YY, DATETIME = (1 << n for n in range(7))
KIND_PARSERS: dict[int, Callable[[str], object]] = {
    INT: parse_int,
    DEC_COMMA: parse_dec_comma,
    DEC_DOT: parse_dec_dot,
    BOOL: parse_bool,
    DATE: parse_date,
    DATE_YY: parse_date_yy,
    DATETIME: parse_datetime,
}
KIND_TYPES = {
    INT: ColumnType.INTEGER,
    DEC_COMMA: ColumnType.DECIMAL,
    DEC_DOT: ColumnType.DECIMAL,
    BOOL: ColumnType.BOOLEAN,
    DATE: ColumnType.DATE,
    DATE_YY: ColumnType.DATE,
    DATETIME: ColumnType.DATETIME,
}
ALL_KINDS = INT | DEC_COMMA | DEC_DOT | BOOL | DATE | DATE_YY | DATETIME
# What inference runs per distinct value: bare regex matches where that is enough (no conversion).
KIND_CHECKS: dict[int, Callable[[str], object]] = {
    **KIND_PARSERS,
    INT: _INT_STORED.fullmatch,
    DEC_COMMA: _DEC_COMMA.fullmatch,
    DEC_DOT: _DEC_DOT.fullmatch,
}


@dataclass
class BlockedType:
    """Why a column that looked typed was loaded as text."""

    type: ColumnType
    count: int
    examples: list[tuple[int, str]]  # (row number, value)


@dataclass
class ColumnProfile:
    """What the inference pass learned about one column."""

    type: ColumnType = ColumnType.TEXT
    kind: int = 0  # the winning kind (format), 0 for text
    non_null: int = 0
    nulls: int = 0
    blocked: BlockedType | None = None
    shapes: int = 0  # identity-number shapes every value has (``shape_of``)
    as_code: bool = False  # whole numbers kept as text because they are codes (``roles``)


@dataclass
class _State:
    alive: int = ALL_KINDS
    non_null: int = 0
    nulls: int = 0
    day_first_seen: bool = False  # a dd/mm/yy value with dd > 12 proves the order
    shapes: int = ALL_SHAPES
    fails: dict[int, int] = field(default_factory=dict)
    examples: dict[int, list[tuple[int, str]]] = field(default_factory=dict)
    cache: dict[str, int] = field(default_factory=dict)


def _mask(value: str, alive: int) -> int:
    mask = 0
    for kind, check in KIND_CHECKS.items():
        if alive & kind and check(value) is not None:
            mask |= kind
    return mask


class TypeInferrer:
    """Feed it every data row (``add``), then ask for ``profiles()``."""

    def __init__(self, *, width: int, prefer_decimal_comma: bool) -> None:
        self.width = width
        self.prefer_comma = prefer_decimal_comma
        self.states = [_State() for _ in range(width)]

    def add(self, *, row_number: int, cells: list[str | None]) -> None:
        for state, value in zip(self.states, cells, strict=True):
            if value is None:
                state.nulls += 1
                continue
            state.non_null += 1
            alive = state.alive
            if not alive:
                continue
            mask = state.cache.get(value)
            if mask is None:
                mask = _mask(value, alive)
                if len(state.cache) < CACHE_CAP:
                    state.cache[value] = mask
                if state.shapes:
                    state.shapes &= shape_of(value)
                if mask & DATE_YY and int(re.split(r"[/-]", value, maxsplit=1)[0]) > 12:
                    state.day_first_seen = True
            missing = alive & ~mask
            if missing:
                self._fail(state, missing, row_number, value)

    def add_batch(self, *, numbers: list[int], columns: list[list[str | None]]) -> None:
        """The same as ``add`` for each row in order, column by column: a batch whose distinct
        values all fit the kinds still alive costs a few C loops; otherwise that column of the
        batch is replayed value by value, so counts, examples and dropped kinds stay identical."""
        for state, column in zip(self.states, columns, strict=True):
            nulls = column.count(None)
            state.nulls += nulls
            if not state.alive:
                state.non_null += len(column) - nulls
                continue
            cache = state.cache
            alive = state.alive
            checks = [(kind, check) for kind, check in KIND_CHECKS.items() if alive & kind]
            clean = True
            for value in set(column):
                if value is None:
                    continue
                mask = cache.get(value)
                if mask is None:
                    mask = 0
                    for kind, check in checks:
                        if check(value) is not None:
                            mask |= kind
                    if len(cache) < CACHE_CAP:
                        cache[value] = mask
                    if state.shapes:
                        state.shapes &= shape_of(value)
                    if mask & DATE_YY and int(re.split(r"[/-]", value, maxsplit=1)[0]) > 12:
                        state.day_first_seen = True
                if alive & ~mask:
                    clean = False
                    break
            if clean:
                state.non_null += len(column) - nulls
                continue
            for row_number, value in zip(numbers, column, strict=True):
                if value is None:
                    continue
                state.non_null += 1
                alive = state.alive
                if not alive:
                    continue
                mask = cache.get(value)
                if mask is None:
                    mask = _mask(value, alive)
                    if len(cache) < CACHE_CAP:
                        cache[value] = mask
                    if state.shapes:
                        state.shapes &= shape_of(value)
                    if mask & DATE_YY and int(re.split(r"[/-]", value, maxsplit=1)[0]) > 12:
                        state.day_first_seen = True
                missing = alive & ~mask
                if missing:
                    self._fail(state, missing, row_number, value)

    @staticmethod
    def _fail(state: _State, missing: int, row_number: int, value: str) -> None:
        for kind in KIND_PARSERS:
            if missing & kind:
                count = state.fails.get(kind, 0) + 1
                state.fails[kind] = count
                examples = state.examples.setdefault(kind, [])
                if len(examples) < EXAMPLES:
                    examples.append((row_number, value))
                # A kind most values do not fit is not worth reporting: stop testing it.
                if count > state.non_null // 2 + 10:
                    state.alive &= ~kind

    def profiles(self) -> list[ColumnProfile]:
        return [self._profile(state) for state in self.states]

    def _profile(self, state: _State) -> ColumnProfile:
        profile = ColumnProfile(non_null=state.non_null, nulls=state.nulls)
        if not state.non_null:
            return profile
        profile.shapes = state.shapes
        clean_kinds = [kind for kind in KIND_PARSERS if state.alive & kind and not state.fails.get(kind)]
        if not state.day_first_seen and DATE_YY in clean_kinds:
            clean_kinds.remove(DATE_YY)
        if DEC_COMMA in clean_kinds and DEC_DOT in clean_kinds:
            clean_kinds.remove(DEC_DOT if self.prefer_comma else DEC_COMMA)
        if clean_kinds:
            profile.kind = clean_kinds[0]
            profile.type = KIND_TYPES[profile.kind]
            return profile
        plausible = [
            kind for kind in KIND_PARSERS if state.alive & kind and 0 < state.fails.get(kind, 0) <= state.non_null // 2
        ]
        if plausible:
            best = min(plausible, key=lambda kind: state.fails[kind])
            profile.blocked = BlockedType(KIND_TYPES[best], state.fails[best], state.examples[best])
        return profile


def infer(
    rows: Iterable[tuple[int, list[str | None]]], *, width: int, prefer_decimal_comma: bool
) -> list[ColumnProfile]:
    inferrer = TypeInferrer(width=width, prefer_decimal_comma=prefer_decimal_comma)
    for row_number, cells in rows:
        inferrer.add(row_number=row_number, cells=cells)
    return inferrer.profiles()
