"""Filter values arrive as text from URLs; here they become typed values, and back.

Parsing accepts the spellings people type ("1.234,56", "31/12/2024", "sí") and rejects anything
that does not fit the column type with a message naming the column, before any SQL runs.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from . import inference as inf
from .backend import Backend
from .errors import QueryError
from .inference import ColumnType
from .tables import Column


def parse_value(column: Column, raw: Any) -> Any:
    """A filter value for ``column`` as a Python value of its type, or QueryError."""
    if raw is None:
        raise QueryError(
            _("A value is required for “%(column)s”."), code="missing_value", params={"column": column.name}
        )
    text = raw.strip() if isinstance(raw, str) else raw
    value: Any = None
    kind = column.type
    if kind == ColumnType.TEXT:
        value = str(raw)[:1000]
    elif kind == ColumnType.INTEGER:
        if isinstance(text, int) and not isinstance(text, bool):
            value = text
        elif isinstance(text, str) and inf._INT.fullmatch(text):
            value = int(text)
    elif kind == ColumnType.DECIMAL:
        if isinstance(text, int | float | Decimal) and not isinstance(text, bool):
            value = Decimal(str(text))
        elif isinstance(text, str):
            value = _decimal(text)
    elif kind == ColumnType.BOOLEAN:
        value = text if isinstance(text, bool) else parse_flag(text)
    elif kind == ColumnType.DATE:
        value = (
            text if isinstance(text, dt.date) and not isinstance(text, dt.datetime) else _parse(inf.parse_date, text)
        )
    elif kind == ColumnType.DATETIME:
        value = text if isinstance(text, dt.datetime) else _parse(inf.parse_datetime, text)
    if value is None:
        raise QueryError(
            _("“%(value)s” is not a valid %(type)s for “%(column)s”."),
            code="invalid_value",
            params={"value": str(raw)[:50], "type": column.type, "column": column.name},
        )
    return value


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except ArithmeticError:
        canonical = inf.parse_dec_comma(text)
        value = None if canonical is None else Decimal(canonical)
    return value if value is not None and value.is_finite() else None


def _parse(parser, text: Any) -> Any:
    return parser(text) if isinstance(text, str) else None


def parse_flag(text: Any) -> bool | None:
    if not isinstance(text, str):
        return None
    lowered = text.lower()
    if lowered in ("1", "t"):
        return True
    if lowered in ("0", "f"):
        return False
    return inf.parse_bool(lowered)


def bind(backend: Backend, value: Any) -> Any:
    """Python value → parameter for the store (SQLite keeps dates as ISO text and decimals as REAL)."""
    if backend.vendor != "sqlite":
        return value
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bool):
        return int(value)
    return value


def row_reader(backend: Backend, types: list[ColumnType | None]):
    """Turns stored values back into Python types where the store cannot (SQLite); None if nothing to do."""
    if backend.vendor != "sqlite":
        return None
    makers = {
        ColumnType.BOOLEAN: lambda v: None if v is None else bool(v),
        ColumnType.DATE: lambda v: None if v is None else dt.date.fromisoformat(v),
        ColumnType.DATETIME: lambda v: None if v is None else dt.datetime.fromisoformat(v),
    }
    plan = [(i, makers[t]) for i, t in enumerate(types) if t in makers]
    if not plan:
        return None

    def convert(row: tuple) -> tuple:
        values = list(row)
        for i, maker in plan:
            values[i] = maker(values[i])
        return tuple(values)

    return convert
