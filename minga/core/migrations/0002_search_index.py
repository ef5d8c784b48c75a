"""The full-text index of core.SearchDocument, one per database engine (core.search.backends).

SQLite: an FTS5 table keyed by the document id, holding text normalised in Python
(core.search.text). PostgreSQL: the unaccent extension, a `minga_spanish` text search
configuration (unaccent, then the Spanish stemmer) and a GIN index on the weighted vector of
title, summary and body. Other engines get nothing here."""

from django.db import migrations

# Kept in step with core.search.backends (a migration does not import application code).
POSTGRES_CONFIGURATION = "minga_spanish"
POSTGRES_INDEX = "core_search_fulltext"
POSTGRES_VECTOR = (
    "setweight(to_tsvector('minga_spanish'::regconfig, coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('minga_spanish'::regconfig, coalesce(summary, '')), 'B') || "
    "setweight(to_tsvector('minga_spanish'::regconfig, coalesce(body, '')), 'D')"
)
SQLITE_TABLE = "core_search_fts"

POSTGRES_CREATE = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {POSTGRES_CONFIGURATION}",
    f"CREATE TEXT SEARCH CONFIGURATION {POSTGRES_CONFIGURATION} (COPY = pg_catalog.spanish)",
    f"ALTER TEXT SEARCH CONFIGURATION {POSTGRES_CONFIGURATION} ALTER MAPPING FOR "
    "asciiword, asciihword, hword_asciipart, word, hword, hword_part WITH unaccent, spanish_stem",
    f"CREATE INDEX IF NOT EXISTS {POSTGRES_INDEX} ON core_searchdocument USING GIN (({POSTGRES_VECTOR}))",
]
POSTGRES_DROP = [
    f"DROP INDEX IF EXISTS {POSTGRES_INDEX}",
    f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {POSTGRES_CONFIGURATION}",
]
SQLITE_CREATE = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {SQLITE_TABLE} USING fts5(title, summary, body, tokenize = 'unicode61')",
]
SQLITE_DROP = [f"DROP TABLE IF EXISTS {SQLITE_TABLE}"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_CREATE, "sqlite": SQLITE_CREATE}),
            _run({"postgresql": POSTGRES_DROP, "sqlite": SQLITE_DROP}),
            elidable=False,
        ),
    ]
