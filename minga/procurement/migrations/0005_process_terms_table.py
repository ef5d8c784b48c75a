"""PostgreSQL: the full-text vectors move from a stored column of the process table to a narrow
table of their own, `procurement_process_terms` (process id, government, stripped vector) with
the GIN index.

A search for a common word reads every heap page that holds a match, to check it and take its
id: in the process table a row is about 1.3 kB (texts, flags, the vector itself), so 140,000
matches out of a million read some 2 GB of pages (0.6 s); in the narrow table a row is about
250 bytes and the same search reads 250 MB (0.1 s, less when the table fits in
shared_buffers). `strip()` drops word positions, which only phrase and ranking queries use.
The importer writes the row (procurement.search.fts_index) and `processes_forget` deletes them.
There is no foreign key: Django's flush (TRUNCATE of the model tables) would refuse a table
it does not know that references one it truncates. A row left by a process deleted some other
way is never found (the search keeps only ids of the government's current processes) and is
replaced if an id comes back (`fts_index` upserts).

SQLite keeps its FTS5 table (migration 0002); nothing changes there."""

from django.db import migrations

POSTGRES_FORWARD = [
    "CREATE TABLE IF NOT EXISTS procurement_process_terms ("
    " process_id bigint PRIMARY KEY,"
    " government_id bigint NOT NULL,"
    " terms tsvector NOT NULL)",
    "INSERT INTO procurement_process_terms (process_id, government_id, terms) "
    "SELECT id, government_id, strip(to_tsvector('simple'::regconfig, search_text)) FROM procurement_process "
    "ON CONFLICT (process_id) DO NOTHING",
    "CREATE INDEX IF NOT EXISTS procurement_process_terms_gin ON procurement_process_terms USING gin (terms)",
    "DROP INDEX IF EXISTS procurement_process_search_vector",
    "ALTER TABLE procurement_process DROP COLUMN IF EXISTS search_vector",
    "ANALYZE procurement_process_terms",
]
POSTGRES_BACKWARD = [
    "ALTER TABLE procurement_process ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_text)) STORED",
    "CREATE INDEX IF NOT EXISTS procurement_process_search_vector ON procurement_process USING gin (search_vector)",
    "DROP TABLE IF EXISTS procurement_process_terms",
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
    dependencies = [("procurement", "0004_search_columns_index")]

    operations = [migrations.RunPython(forward, backward)]
