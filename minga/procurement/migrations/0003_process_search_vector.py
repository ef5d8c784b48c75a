"""PostgreSQL: the full-text vector of each process becomes a stored generated column with its
own GIN index, instead of a GIN index over the expression `to_tsvector('simple', search_text)`.

The vector is computed once, in the same INSERT or UPDATE that writes search_text (so bulk
inserts fill it in bulk, and no code path can forget it), and a search that checks rows one by
one (a rare word on a page sorted by date, which walks the date index) reads the stored vector
instead of parsing the text of every row again. Adding the column rewrites the table once.

SQLite keeps its FTS5 table (migration 0002); nothing changes there. The column is not a model
field: only PostgreSQL has it, and the database computes it."""

from django.db import migrations

POSTGRES_FORWARD = [
    "ALTER TABLE procurement_process ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_text)) STORED",
    "CREATE INDEX IF NOT EXISTS procurement_process_search_vector ON procurement_process USING gin (search_vector)",
    "DROP INDEX IF EXISTS procurement_process_fts",
]
POSTGRES_BACKWARD = [
    "CREATE INDEX IF NOT EXISTS procurement_process_fts ON procurement_process "
    "USING gin (to_tsvector('simple'::regconfig, search_text))",
    "DROP INDEX IF EXISTS procurement_process_search_vector",
    "ALTER TABLE procurement_process DROP COLUMN IF EXISTS search_vector",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("procurement", "0002_process_fulltext")]

    operations = [migrations.RunPython(forward, backward)]
