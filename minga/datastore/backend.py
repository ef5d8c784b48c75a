"""Where the tables live: a separate SQLite file, or a separate schema of the PostgreSQL database.

Keeping loaded data out of the application tables means a bad or huge upload cannot touch them,
and on PostgreSQL the query side can run as a role that may only read that schema. Everything
that differs between the two engines (placeholders, column types, bulk insert, read-only
sessions) is here; the loader and the query engine speak to a ``Backend``.

Read-only access: on SQLite every query connection sets ``PRAGMA query_only``. On PostgreSQL the
loader creates ``settings.DATASTORE_PG_READONLY_ROLE`` when the database user may (CREATEROLE or
superuser), grants it USAGE on the schema and SELECT on each loaded table, and every query
transaction switches to it (``SET LOCAL ROLE``) when the current user is a member. Production
deployments that cannot create roles should create it once and ``GRANT`` it to the app user.
"""

from __future__ import annotations

import itertools
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections, transaction

from .inference import ColumnType

META = "_minga_versions"
QUERY_TIMEOUT_MS = 15000
_cursor_names = itertools.count(1)
_readers = threading.local()  # SQLite read connections kept per thread: {(path, device, inode): connection}


def quote(identifier: str) -> str:
    """Identifiers come from ``names.make_identifiers`` or are internal; quoting is belt and braces."""
    return '"' + identifier.replace('"', '""') + '"'


class Backend:
    vendor = ""
    param = "?"
    errors: tuple[type[BaseException], ...] = ()

    def table(self, name: str) -> str:
        return quote(name)

    def sql_type(self, column_type: ColumnType) -> str:
        raise NotImplementedError

    def index_columns(self, column: str) -> str:
        """The key of a column's index: the column, then _id for keyset pages in a stable order."""
        return f"{quote(column)}, {quote('_id')}"

    def meta_ddl(self) -> list[str]:
        meta = self.table(META)
        return [
            f"CREATE TABLE IF NOT EXISTS {meta} (table_id TEXT NOT NULL, version INTEGER NOT NULL,"
            " sql_name TEXT NOT NULL, live INTEGER NOT NULL DEFAULT 0, row_count BIGINT NOT NULL,"
            " columns TEXT NOT NULL, loaded_at TEXT NOT NULL, PRIMARY KEY (table_id, version))",
        ]


class SQLiteBackend(Backend):
    vendor = "sqlite"
    param = "?"
    errors = (sqlite3.Error,)
    TYPES = {
        ColumnType.INTEGER: "INTEGER",
        ColumnType.DECIMAL: "REAL",
        ColumnType.BOOLEAN: "INTEGER",
        ColumnType.DATE: "TEXT",
        ColumnType.DATETIME: "TEXT",
        ColumnType.TEXT: "TEXT",
    }

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def sql_type(self, column_type: ColumnType) -> str:
        return self.TYPES[column_type]

    def _connect(self, *, write: bool = False) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=120, isolation_level=None)
        if write:  # WAL is a property of the file: set once by writers, readers inherit it
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
        return conn

    @contextmanager
    def write(self) -> Iterator[sqlite3.Cursor]:
        """One transaction for a whole load: readers keep seeing the old version until COMMIT."""
        conn = self._connect(write=True)
        conn.execute("PRAGMA cache_size=-65536")
        conn.execute("PRAGMA temp_store=MEMORY")
        cursor = conn.cursor()
        try:
            cursor.execute("BEGIN IMMEDIATE")
            for ddl in self.meta_ddl():
                cursor.execute(ddl)
            yield cursor
            cursor.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        finally:
            conn.close()

    @contextmanager
    def read(self) -> Iterator[sqlite3.Cursor | None]:
        """A read-only snapshot; yields None when nothing was ever loaded.

        Each thread keeps its read connection to the file: opening one costs more than most
        queries (the schema of every loaded table is parsed again). A read nested in another
        (a streamed export that looks up a table) gets a connection of its own."""
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            yield None
            return
        key = (str(self.path), stat.st_dev, stat.st_ino)
        pool = _readers.__dict__.setdefault("connections", {})
        conn = pool.pop(key, None)
        if conn is None:
            conn = self._connect()
            conn.execute("PRAGMA query_only=ON")
        cursor = conn.cursor()
        try:
            cursor.execute("BEGIN")
            exists = cursor.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (META,)).fetchone()
            yield cursor if exists else None
        finally:
            try:
                cursor.close()
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
            except sqlite3.Error:
                conn.close()
            else:
                if key in pool:  # a nested read put its own connection back first
                    conn.close()
                else:
                    while len(pool) >= 4:  # files of earlier paths (tests, moved stores)
                        pool.pop(next(iter(pool))).close()
                    pool[key] = conn

    def insert(
        self, cursor: sqlite3.Cursor, *, table: str, names: list[str], batches: Iterable[Iterable[tuple]]
    ) -> None:
        marks = ", ".join("?" * len(names))
        sql = f"INSERT INTO {self.table(table)} ({', '.join(map(quote, names))}) VALUES ({marks})"  # noqa: S608
        for rows in batches:
            cursor.executemany(sql, rows)

    def index_columns(self, column: str) -> str:
        # Every SQLite index ends with the rowid, which _id is: ties already come in _id order.
        return quote(column)

    def fetch_stream(self, cursor: sqlite3.Cursor, sql: str, params: list[Any]) -> Iterator[tuple]:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(2000):
            yield from rows

    def prepare_load(self, cursor: Any, *, table_id: str) -> None:
        """BEGIN IMMEDIATE already serialises writers on SQLite."""
        return None

    def grant(self, cursor: Any, table: str) -> None:
        return None


class PostgresBackend(Backend):
    vendor = "postgresql"
    param = "%s"
    errors = (DatabaseError,)
    TYPES = {
        ColumnType.INTEGER: "bigint",
        ColumnType.DECIMAL: "numeric",
        ColumnType.BOOLEAN: "boolean",
        ColumnType.DATE: "date",
        ColumnType.DATETIME: "timestamp",
        ColumnType.TEXT: "text",
    }

    def __init__(self, alias: str = "default") -> None:
        import psycopg

        self.alias = alias
        self.schema = settings.DATASTORE_PG_SCHEMA
        self.role = settings.DATASTORE_PG_READONLY_ROLE
        self.errors = (DatabaseError, psycopg.Error)

    def table(self, name: str) -> str:
        return f"{quote(self.schema)}.{quote(name)}"

    def sql_type(self, column_type: ColumnType) -> str:
        return self.TYPES[column_type]

    def _raw(self):
        connection = connections[self.alias]
        connection.ensure_connection()
        return connection.connection

    @contextmanager
    def write(self) -> Iterator[Any]:
        """DDL is transactional on PostgreSQL: the whole load commits or vanishes."""
        with transaction.atomic(using=self.alias), self._raw().cursor() as cursor:
            cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {quote(self.schema)}")
            for ddl in self.meta_ddl():
                cursor.execute(ddl)
            yield cursor

    def prepare_load(self, cursor: Any, *, table_id: str) -> None:
        """Serialise loads of one table; create the read-only role if we may and let it read the schema."""
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"minga_datastore:{table_id}"])
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [self.role])
        if cursor.fetchone() is None:
            try:
                with transaction.atomic(using=self.alias):
                    cursor.execute(f"CREATE ROLE {quote(self.role)} NOLOGIN")
                    cursor.execute(f"GRANT {quote(self.role)} TO CURRENT_USER")
            except self.errors:
                # Roles belong to the whole server: another database (a second worker, a
                # second deployment) may have created it a moment ago. Go on to the grants
                # then, or this database's schema would stay unreadable to the role.
                cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [self.role])
                if cursor.fetchone() is None:
                    return
        try:
            with transaction.atomic(using=self.alias):
                cursor.execute(f"GRANT USAGE ON SCHEMA {quote(self.schema)} TO {quote(self.role)}")
                cursor.execute(f"GRANT SELECT ON {self.table(META)} TO {quote(self.role)}")
        except self.errors:
            return

    def grant(self, cursor: Any, table: str) -> None:
        try:
            with transaction.atomic(using=self.alias):
                cursor.execute(f"GRANT SELECT ON {self.table(table)} TO {quote(self.role)}")
        except self.errors:
            return

    @contextmanager
    def read(self) -> Iterator[Any]:
        with transaction.atomic(using=self.alias), self._raw().cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [f"{quote(self.schema)}.{quote(META)}"])
            if not cursor.fetchone()[0]:
                yield None
                return
            cursor.execute(
                "SELECT set_config('statement_timeout', %s, true),"
                " (SELECT set_config('role', rolname, true) FROM pg_roles"
                "  WHERE rolname = %s AND pg_has_role(current_user, oid, 'MEMBER'))",
                [str(QUERY_TIMEOUT_MS), self.role],
            )
            yield cursor
            # SET LOCAL outlives a released savepoint; undo it for callers sharing the transaction.
            cursor.execute("RESET ROLE")
            cursor.execute("RESET statement_timeout")

    def insert(self, cursor: Any, *, table: str, names: list[str], batches: Iterable[Iterable[tuple]]) -> None:
        columns = ", ".join(map(quote, names))
        with cursor.copy(f"COPY {self.table(table)} ({columns}) FROM STDIN") as copy:
            for rows in batches:
                for row in rows:
                    copy.write_row(row)

    def fetch_stream(self, cursor: Any, sql: str, params: list[Any]) -> Iterator[tuple]:
        """A server-side cursor, so exports of any size keep memory flat."""
        with cursor.connection.cursor(name=f"minga_datastore_export_{next(_cursor_names)}") as server:
            server.itersize = 2000
            server.execute(sql, params)
            while rows := server.fetchmany(2000):
                yield from rows


def get_backend() -> Backend:
    if connections["default"].vendor == "postgresql":
        return PostgresBackend("default")
    return SQLiteBackend(settings.DATASTORE_SQLITE_PATH)
