"""The full-text index of contracting processes (see procurement.wordlists): an FTS5 table on
SQLite, a GIN expression index on PostgreSQL."""

from django.db import migrations

SQLITE_CREATE = "CREATE VIRTUAL TABLE IF NOT EXISTS procurement_process_fts USING fts5(terms)"
SQLITE_DROP = "DROP TABLE IF EXISTS procurement_process_fts"
POSTGRES_CREATE = (
    "CREATE INDEX IF NOT EXISTS procurement_process_fts ON procurement_process "
    "USING gin (to_tsvector('simple'::regconfig, search_text))"
)
POSTGRES_DROP = "DROP INDEX IF EXISTS procurement_process_fts"


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_CREATE)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)


class Migration(migrations.Migration):
    dependencies = [("procurement", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
