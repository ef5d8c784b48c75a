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
    role: str = ""  # what the numbers mean (``roles.ColumnRole``): amount, quantity, ratio, period, code

    @property
    def additive(self) -> bool:
        """Whether the column's values add up (amounts, counts), so a total means something."""
        from .roles import adds_up

        return adds_up(self.role)

    def to_json(self) -> dict:
        data = asdict(self)
        data["type"] = str(self.type)
        return data

    @classmethod
    def from_json(cls, data: dict) -> Column:
        stats = ColumnStats(
            **{**data.get("stats", {}), "top": [tuple(t) for t in data.get("stats", {}).get("top", [])]}
        )
        column_type = ColumnType(data["type"])
        role = data.get("role")
        if role is None:
            # Recorded before columns had a role: guessed from the name, as a load would.
            from .roles import guess_role

            role = guess_role(data["name"], data["label"], column_type, low=stats.min, high=stats.max)
        return cls(data["name"], data["label"], column_type, data.get("indexed", False), stats, str(role))


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
        """The column called ``name``, or the one that was called so before identifiers spelt
        "ñ" as "ni" (``ano`` finds ``anio``), so older links and scripts keep working."""
        found = next((column for column in self.columns if column.name == name), None)
        if found is None and isinstance(name, str):
            from .names import legacy_identifier

            found = next(
                (
                    c
                    for c in self.columns
                    if c.name != legacy_identifier(c.label) and legacy_identifier(c.label) == name
                ),
                None,
            )
        return found


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
