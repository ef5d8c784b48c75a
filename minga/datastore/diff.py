"""What changed between two stored versions of a table: rows added, removed and changed,
columns added and removed. Both versions live in the datastore (the live one and the one it
replaced), so the comparison is a few set queries there, never rows in Python.

Rows are compared over the columns both versions have, each cast to text (so a column that
was typed differently in the two versions still compares by what it shows). When the first
column is a key — same name in both versions, never empty and unique in each — rows are
matched by it, so an edited row counts as *changed* instead of one removed plus one added.
Without a key, a row that differs counts as removed and added. Duplicate rows count once
(set semantics).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from .backend import Backend, get_backend, quote
from .names import check_table_id
from .store import fetch_info
from .tables import TableInfo


@dataclass
class TableDiff:
    rows_added: int = 0
    rows_removed: int = 0
    rows_changed: int = 0
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)
    key: str | None = None

    @property
    def changed(self) -> bool:
        return bool(
            self.rows_added or self.rows_removed or self.rows_changed or self.columns_added or self.columns_removed
        )

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _text(backend: Backend, column: str) -> str:
    if backend.vendor == "postgresql":
        return f"CAST({quote(column)} AS text)"
    return f"CAST({quote(column)} AS TEXT)"


def _scalar(cursor: Any, sql: str) -> int:
    cursor.execute(sql)
    return int(cursor.fetchone()[0] or 0)


def _is_key(cursor: Any, backend: Backend, info: TableInfo, column: str) -> bool:
    table = backend.table(info.sql_name)
    cursor.execute(
        f"SELECT COUNT(*), COUNT({quote(column)}), COUNT(DISTINCT {_text(backend, column)}) FROM {table}"  # noqa: S608
    )
    rows, filled, distinct = cursor.fetchone()
    return rows > 0 and rows == filled == distinct


def diff_tables(*, table_id: str | int, old_version: int, new_version: int) -> TableDiff | None:
    """Compare two stored versions; None when either is no longer stored."""
    table_id = check_table_id(table_id)
    backend = get_backend()
    with backend.read() as cursor:
        if cursor is None:
            return None
        old = fetch_info(cursor, backend, table_id=table_id, version=old_version)
        new = fetch_info(cursor, backend, table_id=table_id, version=new_version)
        if old is None or new is None:
            return None
        old_names = [c.name for c in old.columns]
        new_names = [c.name for c in new.columns]
        common = [name for name in new_names if name in old_names]
        diff = TableDiff(
            columns_added=[name for name in new_names if name not in old_names],
            columns_removed=[name for name in old_names if name not in new_names],
        )
        old_table, new_table = backend.table(old.sql_name), backend.table(new.sql_name)
        if not common:
            diff.rows_added, diff.rows_removed = new.row_count, old.row_count
            return diff
        select = ", ".join(f"{_text(backend, name)} AS c{i}" for i, name in enumerate(common))
        only_new = f"SELECT {select} FROM {new_table} EXCEPT SELECT {select} FROM {old_table}"  # noqa: S608
        only_old = f"SELECT {select} FROM {old_table} EXCEPT SELECT {select} FROM {new_table}"  # noqa: S608
        key = new_names[0]
        if key in old_names and _is_key(cursor, backend, old, key) and _is_key(cursor, backend, new, key):
            diff.key = key
            k = _text(backend, key)
            old_keys = f"SELECT {k} FROM {old_table}"  # noqa: S608
            new_keys = f"SELECT {k} FROM {new_table}"  # noqa: S608
            diff.rows_added = _scalar(cursor, f"SELECT COUNT(*) FROM ({new_keys} EXCEPT {old_keys}) AS d")  # noqa: S608
            diff.rows_removed = _scalar(cursor, f"SELECT COUNT(*) FROM ({old_keys} EXCEPT {new_keys}) AS d")  # noqa: S608
            position = common.index(key)
            diff.rows_changed = _scalar(
                cursor,
                f"SELECT COUNT(*) FROM ({only_new}) AS d WHERE d.c{position} IN ({old_keys})",  # noqa: S608
            )
        else:
            diff.rows_added = _scalar(cursor, f"SELECT COUNT(*) FROM ({only_new}) AS d")  # noqa: S608
            diff.rows_removed = _scalar(cursor, f"SELECT COUNT(*) FROM ({only_old}) AS d")  # noqa: S608
        return diff
