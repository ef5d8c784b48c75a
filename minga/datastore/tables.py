"""Plain dataclasses shared by the loader, the query engine and their callers.

They are serialised to JSON in the store's metadata table, so the API can describe a table
(columns, types, statistics, row count) without touching the data itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from .inference import ColumnType


@dataclass
class ColumnStats:
    """Computed once per load. ``distinct`` is exact when ``distinct_exact``, else a lower bound."""

    count: int = 0
    nulls: int = 0
    distinct: int = 0
    distinct_exact: bool = True
    min: Any = None
    max: Any = None
    sum: float | None = None
    mean: float | None = None
    true_count: int | None = None
    top: list[tuple[Any, int]] = field(default_factory=list)


@dataclass
class Column:
    name: str  # safe SQL identifier, also the API name
    label: str  # header as written in the file
    type: ColumnType
    indexed: bool = False
    stats: ColumnStats = field(default_factory=ColumnStats)

    def to_json(self) -> dict:
        data = asdict(self)
        data["type"] = str(self.type)
        return data

    @classmethod
    def from_json(cls, data: dict) -> Column:
        stats = ColumnStats(
            **{**data.get("stats", {}), "top": [tuple(t) for t in data.get("stats", {}).get("top", [])]}
        )
        return cls(data["name"], data["label"], ColumnType(data["type"]), data.get("indexed", False), stats)


@dataclass
class TableInfo:
    """One loaded version of a table, as recorded in the store's metadata."""

    table_id: str
    version: int
    live: bool
    row_count: int
    columns: list[Column]
    loaded_at: dt.datetime
    sql_name: str  # internal; never shown to users

    def column(self, name: str) -> Column | None:
        return next((column for column in self.columns if column.name == name), None)


@dataclass
class Problem:
    """One row- or column-level problem found while loading."""

    code: str
    message: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    count: int = 1


@dataclass
class LoadReport:
    """What happened to a load; shown to the official who uploaded the file."""

    table_id: str
    ok: bool = False
    version: int | None = None
    row_count: int = 0
    file: dict = field(default_factory=dict)  # format, encoding, delimiter, header row, title lines, total row...
    columns: list[Column] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)  # the first ones; see error_count
    error_count: int = 0
    notes: list[Problem] = field(default_factory=list)  # columns kept as text, dropped columns, total row
    seconds: float = 0.0

    def to_json(self) -> dict:
        data = asdict(self)
        data["columns"] = [column.to_json() for column in self.columns]
        return data
