"""PostgreSQL: the contracting search keeps each word's list of processes itself, in
`procurement_process_postings` (government, word, block of 16,384 process ids, the ids of
that block as big-endian int8 in one bytea), instead of a GIN index over per-process vectors.

A GIN index gives row addresses, so collecting the ids of a common word's 140,000 matches out
of a million read every heap page holding one (0.1 s even in the narrow table of 0005, 0.6 s
before it). The lists give the same ids from a handful of rows (a few milliseconds), as
SQLite's FTS5 does. The importer keeps them (procurement.search.fts_index: ids appended for
new words, removed for words a process no longer has); `processes_forget` deletes a
government's lists. No foreign key, for the reason given in 0005.

The lists are built here from each process's search_text (its words separated by spaces), and
the table of 0005 is dropped. SQLite keeps its FTS5 table (migration 0002)."""

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
    "DROP TABLE IF EXISTS procurement_process_terms",
    "ANALYZE procurement_process_postings",
]
POSTGRES_BACKWARD = [
    "CREATE TABLE IF NOT EXISTS procurement_process_terms ("
    " process_id bigint PRIMARY KEY, government_id bigint NOT NULL, terms tsvector NOT NULL)",
    "INSERT INTO procurement_process_terms (process_id, government_id, terms) "
    "SELECT id, government_id, strip(to_tsvector('simple'::regconfig, search_text)) FROM procurement_process "
    "ON CONFLICT (process_id) DO NOTHING",
    "CREATE INDEX IF NOT EXISTS procurement_process_terms_gin ON procurement_process_terms USING gin (terms)",
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
    dependencies = [("procurement", "0005_process_terms_table")]

    operations = [migrations.RunPython(forward, backward)]
