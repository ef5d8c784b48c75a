"""PostgreSQL: the contracting search keeps each word's list of processes itself, in
`procurement_process_postings` (government, word, block of 16,384 process ids, the ids of
that block as big-endian int8 in one bytea), instead of the GIN index over the stored
`search_vector` column of 0003, which is dropped with its index.

A GIN index gives row addresses, so collecting the ids of a common word's 140,000 matches out
of a million read every heap page holding one: 0.6 s over the process table, still 0.1 s
over a narrow table of stripped vectors (tried). The lists give the same ids from a handful
of rows (a few milliseconds), as SQLite's FTS5 does. The importer keeps them
(procurement.wordlists.fts_index: ids appended for new words, removed for words a process no
longer has); `processes_forget` deletes a government's lists. There is no foreign key:
Django's flush (TRUNCATE of the model tables) would refuse a table it does not know that
references one of them.

The lists are built here from each process's search_text (its words separated by spaces).
SQLite keeps its FTS5 table (migration 0002)."""

from django.db import migrations

POSTGRES_FORWARD = [
    "CREATE TABLE IF NOT EXISTS procurement_process_postings ("
    " government_id bigint NOT NULL, term text NOT NULL, block integer NOT NULL, ids bytea NOT NULL,"
    " PRIMARY KEY (government_id, term, block))",
    "INSERT INTO procurement_process_postings (government_id, term, block, ids) "
    "SELECT government_id, word, (id >> 14)::integer, string_agg(int8send(id), ''::bytea ORDER BY id) "
    "FROM procurement_process, LATERAL (SELECT DISTINCT unnest(string_to_array(search_text, ' ')) AS word) AS w "
    "WHERE word <> '' GROUP BY 1, 2, 3 "
    "ON CONFLICT DO NOTHING",
    "DROP INDEX IF EXISTS procurement_process_search_vector",
    "ALTER TABLE procurement_process DROP COLUMN IF EXISTS search_vector",
    "ANALYZE procurement_process_postings",
]
POSTGRES_BACKWARD = [
    "ALTER TABLE procurement_process ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_text)) STORED",
    "CREATE INDEX IF NOT EXISTS procurement_process_search_vector ON procurement_process USING gin (search_vector)",
    "DROP TABLE IF EXISTS procurement_process_postings",
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
