"""The open-data datastore: tabular files loaded into typed tables and queried safely.

A library with no models or views; the catalog's jobs, pages and APIs call it. Data lives apart
from the application tables: a separate SQLite file (``settings.DATASTORE_SQLITE_PATH``, WAL) or,
when the default database is PostgreSQL, the schema ``settings.DATASTORE_PG_SCHEMA`` of the same
database, read through the role ``settings.DATASTORE_PG_READONLY_ROLE`` (see ``backend``).

Loading (``store``)::

    report = load_table(table_id="5f3a...", source=path_or_binary_file, filename="obras.csv", now=now)
    report.ok, report.version, report.row_count, report.errors, report.notes, report.file

``table_id`` is the caller's key (``[a-z0-9_]{1,48}``, e.g. a UUID's hex). The file is read once
(type inference over every row while the cleaned cells are spooled to disk, then the load from
the spool; large files on two processes, see ``parallel``), never held in memory. A load writes a new
version and switches to it in one transaction; a failed load leaves the live version untouched
and returns the reasons (``LoadReport.errors``: code, message, row, column, value). Bad input
never raises; ``DatastoreError`` is raised only for programming errors such as a bad table id.

    get_table(table_id=..., version=None) -> TableInfo | None   # columns, types, stats, row_count
    list_versions(table_id=...) -> list[TableInfo]              # the live one and the one it replaced
    drop_version(table_id=..., version=...) -> bool             # not the live one
    drop_table(table_id=...) -> int
    publish_version(table_id=..., version=...) -> bool        # after load_table(..., publish=False)

Each column has a ``role`` (``roles``), decided at load from its name and values: ``amount``
and ``quantity`` add up; ``ratio`` (percentages, rates), ``period`` (years) and ``code`` (DPA
codes, partidas, RUC and cédula numbers, loaded as text whatever their digits) do not. The
caller's data dictionary may fix roles and types (``load_table(column_roles=..., column_types=...)``).
Identifiers spell "ñ" as "ni" ("Año" → ``anio``); ``TableInfo.column("ano")`` still finds it.

Querying (``query``)::

    spec = QuerySpec(columns=("canton", "monto"), filters=(Filter("monto", "gte", "1000"),),
                     sort=(Sort("monto", descending=True),), limit=100, cursor=None)
    result = run_query(table_id=..., spec=spec)  # rows, columns, total, next_cursor

Operators: eq ne lt lte gt gte in contains isnull. Aggregates (with ``group_by``): count sum avg
min max. Filter values may be strings (as in a URL) and are parsed for the column type; problems
raise ``QueryError`` (a ``ValueError`` with ``code`` and a translatable ``message``). Values come
back as Python types: int, float (SQLite) or Decimal (PostgreSQL), bool, date, datetime, str.

Downloads (``exports``), streamed: ``export_csv``, ``export_json``, ``export_jsonl`` (str chunks)
and ``export_xlsx`` (bytes chunks), all taking ``table_id``, ``spec`` (filters, sort, columns),
``version`` and ``labels``; ``iter_rows`` gives the header and the rows themselves.
"""

from .errors import DatastoreError, InputFileError, QueryError, TableNotFound
from .exports import export_csv, export_json, export_jsonl, export_xlsx, iter_rows
from .inference import ColumnType
from .query import MAX_LIMIT, OPERATORS, Aggregate, Filter, QueryResult, QuerySpec, Sort, run_query
from .roles import ColumnRole
from .store import drop_table, drop_version, get_table, list_versions, load_table, publish_version
from .tables import Column, ColumnStats, LoadReport, Problem, TableInfo

__all__ = [
    "MAX_LIMIT",
    "OPERATORS",
    "Aggregate",
    "Column",
    "ColumnRole",
    "ColumnStats",
    "ColumnType",
    "DatastoreError",
    "Filter",
    "InputFileError",
    "LoadReport",
    "Problem",
    "QueryError",
    "QueryResult",
    "QuerySpec",
    "Sort",
    "TableInfo",
    "TableNotFound",
    "drop_table",
    "drop_version",
    "export_csv",
    "export_json",
    "export_jsonl",
    "export_xlsx",
    "get_table",
    "iter_rows",
    "list_versions",
    "load_table",
    "publish_version",
    "run_query",
]
