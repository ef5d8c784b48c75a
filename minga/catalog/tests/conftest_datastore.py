"""Fixtures for the datastore tests; test modules import ``datastore_env`` to use them.

Every fixture file is built by the tests themselves, so each quirk is visible next to its test.
"""

import io

import pytest
from django.db import connection


@pytest.fixture(autouse=True)
def datastore_env(request, settings, tmp_path):
    """A fresh SQLite store per test; on PostgreSQL the test database (rolled back after each test)."""
    settings.DATASTORE_SQLITE_PATH = tmp_path / "datastore.sqlite3"
    if connection.vendor == "postgresql":
        request.getfixturevalue("db")
    return settings


def csv_file(text: str, *, encoding: str = "utf-8") -> io.BytesIO:
    return io.BytesIO(text.encode(encoding))


def xlsx_file(rows: list[list]) -> io.BytesIO:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Datos")
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer
