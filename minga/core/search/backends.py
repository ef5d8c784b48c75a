"""One full-text interface, two engines. `backend()` picks the implementation for the
database in use: PostgreSQL (tsvector, `minga_spanish` configuration with unaccent and the
Spanish stemmer, GIN index) or SQLite (FTS5 table of text normalised in Python by
core.search.text). Both match every meaningful word of the query (AND, no operators), stems
of four letters or more as prefixes (`text.matches_as_prefix`), and rank titles above
summaries above bodies; a document whose whole title is the query (the same words once
normalised) comes first whatever its score. The tables and index are created by
core migration 0002; the names below must stay in step with it.

User input only ever reaches the database as a query parameter."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import NotSupportedError, connection

from . import text

POSTGRES_CONFIGURATION = "minga_spanish"
POSTGRES_VECTOR = (
    "setweight(to_tsvector('minga_spanish'::regconfig, coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('minga_spanish'::regconfig, coalesce(summary, '')), 'B') || "
    "setweight(to_tsvector('minga_spanish'::regconfig, coalesce(body, '')), 'D')"
)
SQLITE_TABLE = "core_search_fts"  # written out in the statements below
# bm25 column weights of the SQLite table: title, summary, body.
SQLITE_WEIGHTS = (10.0, 4.0, 1.0)


@dataclass(frozen=True)
class Hit:
    document_id: int
    module: str
    score: float
    position: int  # 1-based rank inside its module
    total: int  # matches of its module
    kind: str = ""
    object_id: str = ""


def _placeholders(values: Sequence) -> str:
    return ", ".join(["%s"] * len(values))


def _module_filter(modules: Sequence[str] | None, exclude_modules: Sequence[str]) -> tuple[str, list]:
    sql, params = "", []
    if modules is not None:
        sql += f" AND d.module IN ({_placeholders(modules)})"
        params += list(modules)
    if exclude_modules:
        sql += f" AND d.module NOT IN ({_placeholders(exclude_modules)})"
        params += list(exclude_modules)
    return sql, params


# Window functions give each module's ranking and total in one query.
_RANKED = """
SELECT id, module, score, position, total, kind, object_id FROM (
  SELECT d.id AS id, d.module AS module, h.score AS score, d.kind AS kind, d.object_id AS object_id,
         ROW_NUMBER() OVER (PARTITION BY d.module ORDER BY h.exact DESC, h.score DESC, d.id) AS position,
         COUNT(*) OVER (PARTITION BY d.module) AS total
  FROM ({hits}) h {join} core_searchdocument d ON d.id = h.doc_id
  WHERE d.government_id = %s{filters}
) ranked
WHERE position > %s AND position <= %s
ORDER BY module, position
"""


class SearchBackend:
    vendor = ""
    join = "JOIN"

    def index(self, documents: Iterable) -> None:
        """Make these SearchDocument rows (already saved) findable with their current text."""

    def remove(self, document_ids: Iterable[int]) -> None:
        """Forget these document ids."""

    def rebuild(self, documents: Iterable, *, government_id: int | None = None) -> None:
        """Replace the engine's index of one government (or all) by these documents."""

    def _hits_sql(
        self, query: str, government_ids: list[int], *, kind: str | None = None, raw: str = ""
    ) -> tuple[str, list]:
        """SQL selecting (doc_id, score, exact) of the matching documents, and its parameters;
        `exact` is 1 when the document's title is `raw` once both are normalised."""
        raise NotImplementedError

    def _query(self, query: str) -> str | None:
        raise NotImplementedError

    def matches(
        self,
        *,
        government_id: int,
        query: str,
        modules: Sequence[str] | None = None,
        exclude_modules: Sequence[str] = (),
        offset: int = 0,
        limit: int = 5,
    ) -> list[Hit]:
        """Documents of one government matching every meaningful word of `query`: the best
        `limit` of each module after `offset`, with each module's total."""
        engine_query = self._query(query)
        if engine_query is None or (modules is not None and not modules):
            return []
        hits_sql, hits_params = self._hits_sql(engine_query, [government_id], raw=query)
        filters, filter_params = _module_filter(modules, exclude_modules)
        sql = _RANKED.format(hits=hits_sql, join=self.join, filters=filters)  # fixed text and placeholders only
        params = [*hits_params, government_id, *filter_params, offset, offset + limit]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return [Hit(int(row[0]), row[1], float(row[2]), int(row[3]), int(row[4]), row[5], str(row[6])) for row in rows]

    def object_scores(self, *, government_ids: list[int], query: str, kind: str, limit: int) -> dict[str, float]:
        """{object id: score} of the best ``limit`` documents of one kind matching ``query``
        among the documents of the governments listed (a province's catalog lists its cantons'
        datasets: one query for all of them): what a module needs to combine relevance with its
        own filters, without the per-module ranks and totals of ``matches`` (a window over every
        hit, several times slower)."""
        engine_query = self._query(query)
        ids = [int(pk) for pk in government_ids]
        if engine_query is None or not ids:
            return {}
        hits_sql, hits_params = self._hits_sql(engine_query, ids, kind=kind)
        placeholders = ", ".join(["%s"] * len(ids))
        sql = (
            f"SELECT d.object_id, h.score FROM ({hits_sql}) h {self.join} core_searchdocument d "  # noqa: S608 - fixed text
            f"ON d.id = h.doc_id WHERE d.government_id IN ({placeholders}) AND d.kind = %s "
            "ORDER BY h.score DESC, d.id LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*hits_params, *ids, kind, int(limit)])
            return {str(object_id): float(score) for object_id, score in cursor.fetchall()}


class PostgresBackend(SearchBackend):
    """The vector is an expression over the document's own columns, so writing the row is
    all the indexing there is; the GIN expression index keeps matching fast."""

    vendor = "postgresql"

    def _query(self, query: str) -> str | None:
        found = list(dict.fromkeys(text.query_words(query)))
        if not found:
            return None
        # The words, not yet stemmed: to_tsquery unaccents and stems each one like the text,
        # then ":*" keeps the stem's prefix. Words are [a-z0-9]+, so no tsquery syntax slips in.
        return " & ".join(f"{word}:*" if text.matches_as_prefix(text.stem(word)) else word for word in found)

    def _hits_sql(
        self, query: str, government_ids: list[int], *, kind: str | None = None, raw: str = ""
    ) -> tuple[str, list]:
        # The vector is computed for each document the other conditions leave: with a kind,
        # only the documents of that kind (a government's datasets, not its every record).
        placeholders = ", ".join(["%s"] * len(government_ids))
        kind_condition = "AND kind = %s " if kind else ""
        sql = (
            f"SELECT id AS doc_id, ts_rank({POSTGRES_VECTOR}, q.query) AS score, "  # noqa: S608 - fixed text
            f"(strip(to_tsvector('{POSTGRES_CONFIGURATION}'::regconfig, coalesce(title, ''))) = "
            f"strip(to_tsvector('{POSTGRES_CONFIGURATION}'::regconfig, %s)))::int AS exact "
            f"FROM core_searchdocument, to_tsquery('{POSTGRES_CONFIGURATION}'::regconfig, %s) AS q(query) "
            f"WHERE government_id IN ({placeholders}) {kind_condition}AND ({POSTGRES_VECTOR}) @@ q.query"
        )
        # The query's words only: what the user typed never reaches the database as is.
        return sql, [" ".join(text.query_words(raw)), query, *government_ids, *([kind] if kind else [])]


class SQLiteBackend(SearchBackend):
    """An FTS5 table whose rowid is the SearchDocument id. Its text is already normalised
    (lower-case, no diacritics, stop words out, stems), so the default tokenizer only has to
    split on spaces."""

    vendor = "sqlite"
    # The full-text hits must be the outer loop: otherwise SQLite walks the government's
    # documents and runs the MATCH again for each one (seconds instead of milliseconds with
    # 10,000 documents). CROSS JOIN is SQLite's way of fixing the join order.
    join = "CROSS JOIN"

    def _row(self, document) -> tuple:
        return (
            document.pk,
            text.index_text(document.title),
            text.index_text(document.summary),
            text.index_text(document.body),
        )

    def index(self, documents: Iterable) -> None:
        rows = [self._row(document) for document in documents]
        if not rows:
            return
        with connection.cursor() as cursor:
            cursor.executemany("DELETE FROM core_search_fts WHERE rowid = %s", [(row[0],) for row in rows])
            cursor.executemany(
                "INSERT INTO core_search_fts (rowid, title, summary, body) VALUES (%s, %s, %s, %s)", rows
            )

    def remove(self, document_ids: Iterable[int]) -> None:
        ids = [(int(pk),) for pk in document_ids]
        if ids:
            with connection.cursor() as cursor:
                cursor.executemany("DELETE FROM core_search_fts WHERE rowid = %s", ids)

    def rebuild(self, documents: Iterable, *, government_id: int | None = None) -> None:
        with connection.cursor() as cursor:
            if government_id is None:
                cursor.execute("DELETE FROM core_search_fts")
            else:
                cursor.execute(
                    "DELETE FROM core_search_fts WHERE rowid IN "
                    "(SELECT id FROM core_searchdocument WHERE government_id = %s)",
                    [government_id],
                )
            # Rows left behind by documents deleted without the search service (cascades).
            cursor.execute("DELETE FROM core_search_fts WHERE rowid NOT IN (SELECT id FROM core_searchdocument)")
        self.index(documents)

    def _query(self, query: str) -> str | None:
        found = text.terms(" ".join(text.query_words(query)))
        if not found:
            return None
        # Terms are [a-z0-9]+ only, so quoting them leaves no FTS5 syntax to interpret;
        # '"term" *' is FTS5's prefix query.
        return " AND ".join(
            f'"{term}" *' if text.matches_as_prefix(term) else f'"{term}"' for term in dict.fromkeys(found)
        )

    def _hits_sql(
        self, query: str, government_ids: list[int], *, kind: str | None = None, raw: str = ""
    ) -> tuple[str, list]:
        # FTS5 holds every government's documents; the outer query keeps the governments' own.
        sql = (
            "SELECT rowid AS doc_id, -bm25(core_search_fts, %s, %s, %s) AS score, (title = %s) AS exact "
            "FROM core_search_fts WHERE core_search_fts MATCH %s"
        )
        return sql, [*SQLITE_WEIGHTS, text.title_key(raw), query]


_BACKENDS = {backend.vendor: backend for backend in (PostgresBackend(), SQLiteBackend())}


def backend() -> SearchBackend:
    try:
        return _BACKENDS[connection.vendor]
    except KeyError:
        raise NotSupportedError(f"Full-text search is not available on {connection.vendor}.") from None
