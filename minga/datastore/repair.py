"""Putting a table back to the version its owner recorded.

A load commits its new version here first; its caller then records the load in its own
database (the catalog's version history). A process killed between the two commits leaves a
version that the datastore serves but that no one recorded. ``versions_summary`` lists what is
stored, so the caller can spot such tables in one query; ``reconcile_table`` drops the versions
newer than the one the caller recorded and makes that one live again (or drops the whole table
when the caller recorded none). The caller's answer is asked inside the table's write lock, so
a load of the same table cannot commit between the question and the repair."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .backend import META, get_backend
from .names import check_table_id


@dataclass(frozen=True)
class StoredVersions:
    live: int | None
    newest: int


class Busy(Exception):
    """Raised by a ``recorded`` callback: a load of the table may still record a version."""


def versions_summary(*, table_id: str | int | None = None) -> dict[str, StoredVersions]:
    """Every stored table (or just ``table_id``): its live version and its newest version (one query)."""
    backend = get_backend()
    where, params = "", []
    if table_id is not None:
        where, params = f" WHERE table_id = {backend.param}", [check_table_id(table_id)]
    with backend.read() as cursor:
        if cursor is None:
            return {}
        cursor.execute(
            f"SELECT table_id, MAX(CASE WHEN live = 1 THEN version END), MAX(version) FROM {backend.table(META)}"  # noqa: S608
            f"{where} GROUP BY table_id",
            params,
        )
        return {name: StoredVersions(live, newest) for name, live, newest in cursor.fetchall()}


def reconcile_table(*, table_id: str | int, recorded: Callable[[], int | None]) -> list[int]:
    """Drop the versions of ``table_id`` newer than ``recorded()`` and make that one live.

    ``recorded`` returns the version the owner stands behind (None: none, so the whole table
    goes) or raises ``Busy`` to leave the table alone. Returns the versions dropped."""
    table_id = check_table_id(table_id)
    backend = get_backend()
    p = backend.param
    with backend.write() as cursor:
        backend.prepare_load(cursor, table_id=table_id)
        try:
            keep = recorded()
        except Busy:
            return []
        cursor.execute(f"SELECT version, sql_name, live FROM {backend.table(META)} WHERE table_id = {p}", [table_id])  # noqa: S608
        stored = cursor.fetchall()
        dropped = []
        for version, sql_name, _live in stored:
            if keep is None or version > keep:
                cursor.execute(f"DROP TABLE IF EXISTS {backend.table(sql_name)}")
                cursor.execute(
                    f"DELETE FROM {backend.table(META)} WHERE table_id = {p} AND version = {p}",  # noqa: S608
                    [table_id, version],
                )
                dropped.append(version)
        if keep is not None and any(version == keep and not live for version, _name, live in stored):
            cursor.execute(f"UPDATE {backend.table(META)} SET live = 0 WHERE table_id = {p}", [table_id])  # noqa: S608
            cursor.execute(
                f"UPDATE {backend.table(META)} SET live = 1 WHERE table_id = {p} AND version = {p}",  # noqa: S608
                [table_id, keep],
            )
        return sorted(dropped)
