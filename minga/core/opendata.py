"""Open-data tables that domain modules publish through the catalog, without importing it.

A module describes its public tables (`OpenDataTable`, with a data dictionary) in its manifest
(`opendata_tables`), and calls `tables_changed()` inside the transaction that changed their
data (an import, a publication). After the commit, every registered publisher is told; the
catalog registers one that turns each table into a dataset whose resource it reloads, so a
budget year, the public works or the contracting processes appear in the catalog, with their
version history, as soon as they change. Core knows neither side."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from . import registry

COLUMN_TYPES = ("text", "integer", "number", "date", "datetime", "boolean")


@dataclass(frozen=True)
class OpenDataColumn:
    name: str  # header in the file (lowercase, no spaces: codigo, monto_devengado)
    label: str  # plain-language label (data dictionary)
    description: str = ""
    type: str = "text"  # one of COLUMN_TYPES
    unit: str = ""  # "USD", "%", "km"…


@dataclass(frozen=True)
class OpenDataFile:
    """A companion file published beside the table (LOTAIP metadata and dictionary files, a
    Fiscal Data Package descriptor…)."""

    filename: str
    title: str
    content: Callable[[], bytes]
    format: str = "CSV"


@dataclass(frozen=True)
class OpenDataTable:
    key: str  # stable within the government: "budget.execution.2025"
    module: str  # the module key that owns it
    title: str
    summary: str  # one plain-language sentence for citizens
    description: str
    columns: tuple[OpenDataColumn, ...]
    rows: Callable[[], Iterable[Sequence[Any]]]  # values in column order; Decimal, date, str, None
    theme: str = ""  # DCAT-AP data theme code: ECON, GOVE, TRAN, REGI…
    keywords: tuple[str, ...] = ()
    frequency: str = ""  # EU frequency vocabulary: MONTHLY, ANNUAL, IRREG…
    temporal_start: dt.date | None = None
    temporal_end: dt.date | None = None
    files: tuple[OpenDataFile, ...] = field(default_factory=tuple)


Publisher = Callable[[int, str], None]  # (government_id, module key)
_publishers: list[Publisher] = []


def register_publisher(publisher: Publisher) -> None:
    """Called once by the module that publishes tables (the catalog) in its ready()."""
    if publisher not in _publishers:
        _publishers.append(publisher)


class _Notice:
    """The after-commit call for one government and module."""

    def __init__(self, government_id: int, module: str) -> None:
        self.key = (government_id, module)
        self.done = False

    def __call__(self) -> None:
        self.done = True
        for publisher in list(_publishers):
            publisher(*self.key)


def tables_changed(*, government, module: str) -> None:
    """Tell the publishers, after the current transaction commits, that ``module``'s tables
    of ``government`` changed. Calling it for every write of an import is fine: one
    transaction gives one notice per government and module."""
    notice = _Notice(government.pk, module)
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        isinstance(func, _Notice) and func.key == notice.key and not func.done
        for _sids, func, _robust in connection.run_on_commit
    ):
        return
    transaction.on_commit(notice)


def tables_for(government, module: str | None = None) -> list[OpenDataTable]:
    """The tables the enabled modules of ``government`` publish (or one module's)."""
    tables: list[OpenDataTable] = []
    for manifest in registry.enabled_manifests(government):
        if manifest.opendata_tables is None or (module and manifest.key != module):
            continue
        tables.extend(manifest.opendata_tables(government))
    return tables
