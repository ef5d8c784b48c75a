"""Errors the datastore raises towards officials and API clients.

Each one carries a stable ``code`` for programs and a translatable ``message`` for people, so the
job that loads a file and the API that answers a query can show it without rewording it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from minga.core.explained import ExplainedError


class DatastoreError(ExplainedError):
    """Base class: ``code`` is stable, ``message`` is a lazy translatable string with ``params``."""

    default_code = "datastore_error"


class InputFileError(DatastoreError):
    """The uploaded or fetched file cannot be read as a table (binary, too big, zip bomb...)."""

    default_code = "invalid_file"


class QueryError(DatastoreError):
    """A query names an unknown column or operator, or a value does not fit the column type."""

    default_code = "invalid_query"


class TableNotFound(DatastoreError):
    default_code = "table_not_found"

    def __init__(self, table_id: str) -> None:
        super().__init__(_("No data is loaded for table %(table)s."), params={"table": table_id})
