"""The contracting search's word lists: for each normalised word, the ids of the processes
whose text has it.

A government can publish a million processes, more than the portal-wide index is meant to
carry, so processes have their own index over the same normalised words the core search uses
(core.search.text: no diacritics, Spanish stop words out, Snowball stems): an FTS5 table on
SQLite; on PostgreSQL the lists of process ids per word that such a table holds, kept by the
importer in `procurement_process_postings` (migration 0005), because a GIN index can only
give row addresses and collecting a common word's ids then reads every row that has it. Both
match every word of the query.

SQLite's FTS5 table holds every government's processes, so what it finds is cut down to the
government's own ids here, before any list leaves this module: a caller never sees, keeps or
caches another government's ids. (Buyers and suppliers go to the portal-wide search:
procurement.search.)"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

import numpy as np
from django.db import connection

from minga.core.search import text

FTS_TABLE = "procurement_process_fts"  # created by migration 0002
# PostgreSQL's lists of ids per word (migration 0005): a row per 16,384 consecutive ids, the
# ids packed as big-endian int8 (what int8send gives, so SQL can build them too).
POSTINGS_BLOCK_BITS = 14
POSTING = np.dtype(">i8")


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return text.stem(word)


def index_text(value: str) -> str:
    """core.search.text.index_text with the stems cached: an import stems the same few
    thousand words hundreds of thousands of times."""
    return " ".join(_stem(word) for word in text.words(value) if word not in text.STOP_WORDS)


def fts_index(government, rows: Iterable[tuple[int, str]], *, previous: dict[int, str] | None = None) -> None:
    """Make these (process id, search_text) findable, replacing what they had; `previous`
    holds the search_text the updated ones had before (PostgreSQL's lists need it)."""
    rows = list(rows)
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.executemany("DELETE FROM procurement_process_fts WHERE rowid = %s", [(pk,) for pk, _t in rows])
            cursor.executemany("INSERT INTO procurement_process_fts (rowid, terms) VALUES (%s, %s)", rows)
            return
        added: dict[tuple[str, int], list[int]] = defaultdict(list)
        removed: dict[tuple[str, int], list[int]] = defaultdict(list)
        previous = previous or {}
        for pk, words in rows:
            new, old = set(words.split()), set(previous.get(pk, "").split())
            block = pk >> POSTINGS_BLOCK_BITS
            for word in new - old:
                added[(word, block)].append(pk)
            for word in old - new:
                removed[(word, block)].append(pk)
        if removed:
            _remove_postings(cursor, government, removed)
        if added:
            keys = sorted(added)
            cursor.execute(
                "INSERT INTO procurement_process_postings (government_id, term, block, ids) "
                "SELECT %s, term, block, ids FROM unnest(%s::text[], %s::integer[], %s::bytea[]) AS v(term, block, ids) "
                "ON CONFLICT (government_id, term, block) DO UPDATE "
                "SET ids = procurement_process_postings.ids || EXCLUDED.ids",
                [
                    government.pk,
                    [term for term, _b in keys],
                    [block for _t, block in keys],
                    [np.array(sorted(added[key]), dtype=POSTING).tobytes() for key in keys],
                ],
            )


def _remove_postings(cursor, government, removed: dict[tuple[str, int], list[int]]) -> None:
    keys = sorted(removed)
    cursor.execute(
        "SELECT p.term, p.block, p.ids FROM procurement_process_postings p "
        "JOIN unnest(%s::text[], %s::integer[]) AS v(term, block) ON p.term = v.term AND p.block = v.block "
        "WHERE p.government_id = %s",
        [[term for term, _b in keys], [block for _t, block in keys], government.pk],
    )
    kept = []
    for term, block, ids in cursor.fetchall():
        current = np.frombuffer(bytes(ids), dtype=POSTING)
        kept.append((term, block, current[~np.isin(current, removed[(term, block)])].tobytes()))
    cursor.execute(
        "UPDATE procurement_process_postings p SET ids = v.ids "
        "FROM unnest(%s::text[], %s::integer[], %s::bytea[]) AS v(term, block, ids) "
        "WHERE p.government_id = %s AND p.term = v.term AND p.block = v.block",
        [[k[0] for k in kept], [k[1] for k in kept], [k[2] for k in kept], government.pk],
    )
    cursor.execute(
        "DELETE FROM procurement_process_postings WHERE government_id = %s AND ids = ''::bytea", [government.pk]
    )


def fts_forget(government, ids: Iterable[int]) -> None:
    """Nothing of these processes (all the government's) stays findable."""
    ids = [int(pk) for pk in ids]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.executemany("DELETE FROM procurement_process_fts WHERE rowid = %s", [(pk,) for pk in ids])
        else:
            cursor.execute("DELETE FROM procurement_process_postings WHERE government_id = %s", [government.pk])


def query_terms(query: str) -> list[str]:
    return list(dict.fromkeys(text.terms(" ".join(text.query_words(query or "")))))


def _ascending(ids: np.ndarray) -> np.ndarray:
    """The ids sorted, once each. Lists come back sorted nearly always (ids are appended in
    the order processes are created), so the sort is skipped when a comparison shows it."""
    ids = ids.astype(np.int64)
    if len(ids) > 1 and not bool(np.all(ids[1:] > ids[:-1])):
        ids = np.unique(ids)
    return ids


def _fts_ids(cursor, terms: list[str]) -> np.ndarray:
    """The rowids FTS5 finds with every one of these terms, ascending. Terms are [a-z0-9]+ only,
    so the quoted phrases hold no FTS5 syntax. FTS5 joins the ids into one string: a
    140,000-row result costs a tenth of the time that way."""
    cursor.execute(
        "SELECT group_concat(rowid) FROM procurement_process_fts WHERE procurement_process_fts MATCH %s",
        [" AND ".join(f'"{term}"' for term in terms)],
    )
    joined = cursor.fetchone()[0]
    return _ascending(np.fromstring(joined, dtype=np.int64, sep=",")) if joined else np.zeros(0, dtype=np.int64)


def government_ids(government) -> np.ndarray:
    """The government's process ids, ascending: the lists are cut down to these. One joined
    string over the covering index procurement_proc_columns (a million ids in a fraction of a
    second); the contracting search passes the ids its columns already hold instead."""
    join = "group_concat(id)" if connection.vendor == "sqlite" else "string_agg(id::text, ',')"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {join} FROM procurement_process WHERE government_id = %s", [government.pk])  # noqa: S608
        joined = cursor.fetchone()[0]
    return _ascending(np.fromstring(joined, dtype=np.int64, sep=",")) if joined else np.zeros(0, dtype=np.int64)


def _own(ids: np.ndarray, own: np.ndarray) -> np.ndarray:
    """The ids (ascending) that are among the government's own (ascending)."""
    if not len(ids) or not len(own):
        return np.zeros(0, dtype=np.int64)
    found = np.searchsorted(own, ids)
    inside = found < len(own)
    keep = np.zeros(len(ids), dtype=bool)
    keep[inside] = own[found[inside]] == ids[inside]
    return ids[keep]


def term_ids(government, terms: Iterable[str], *, own: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Each normalised term's process ids, ascending (empty when no process has it), only ever
    the government's: `own` is the government's process ids, ascending, when the caller holds
    them (the search's columns do); otherwise they are read."""
    terms = list(dict.fromkeys(terms))
    found: dict[str, np.ndarray] = {term: np.zeros(0, dtype=np.int64) for term in terms}
    if not terms:
        return found
    if connection.vendor == "sqlite":
        own = government_ids(government) if own is None else own
        with connection.cursor() as cursor:
            return {term: _own(_fts_ids(cursor, [term]), own) for term in terms}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT term, ids FROM procurement_process_postings WHERE government_id = %s AND term = ANY(%s) "
            "ORDER BY term, block",
            [government.pk, terms],
        )
        chunks: dict[str, list[bytes]] = defaultdict(list)
        for term, ids in cursor.fetchall():
            chunks[term].append(bytes(ids))
    for term, parts in chunks.items():
        ids = _ascending(np.frombuffer(b"".join(parts), dtype=POSTING))
        # The rows are the government's own already; the caller's ids, when given, also drop
        # ids of processes deleted since the lists were written.
        found[term] = ids if own is None else _own(ids, own)
    return found


def matching_ids(government, query: str, *, own: np.ndarray | None = None) -> np.ndarray:
    """The ids of the government's processes whose text has every word of the query, ascending
    (`own` as in term_ids). FTS5 intersects the words itself, cheaper than reading each common
    word's whole list; PostgreSQL's lists are intersected here."""
    terms = query_terms(query)
    if not terms:
        return np.zeros(0, dtype=np.int64)
    if connection.vendor == "sqlite" and len(terms) > 1:
        own = government_ids(government) if own is None else own
        with connection.cursor() as cursor:
            return _own(_fts_ids(cursor, terms), own)
    lists = list(term_ids(government, terms, own=own).values())
    matches = lists[0]
    for other in lists[1:]:
        matches = np.intersect1d(matches, other, assume_unique=True)
    return matches


def words_intersected_by_the_database() -> bool:
    """Whether one query for all of a search's words beats reading each word's list (FTS5)."""
    return connection.vendor == "sqlite"
