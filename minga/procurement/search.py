"""Full text for contracting processes, and what the portal-wide search finds of this module.

A government can publish a million processes, more than the portal-wide index is meant to
carry, so processes have their own index over the same normalised words the core search uses
(core.search.text: no diacritics, Spanish stop words out, Snowball stems): an FTS5 table on
SQLite; on PostgreSQL a narrow table `procurement_process_terms` of
`strip(to_tsvector('simple', search_text))` with a GIN index (migration 0005; the text is
already stemmed, so the simple configuration only splits it). Both match every word of the query. Buyers and suppliers, a few hundred per government, go to the portal-wide search."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import numpy as np
from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from minga.core.search import text
from minga.core.search.registry import SearchEntry, SearchRegistration
from minga.core.tenancy.paths import government_path

from .models import Buyer, Supplier

FTS_TABLE = "procurement_process_fts"  # created by migration 0002
SEARCH_WORK_MEM = "64MB"


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return text.stem(word)


def index_text(value: str) -> str:
    """core.search.text.index_text with the stems cached: an import stems the same few
    thousand words hundreds of thousands of times."""
    return " ".join(_stem(word) for word in text.words(value) if word not in text.STOP_WORDS)


def fts_index(government, rows: Iterable[tuple[int, str]]) -> None:
    """Make these (process id, search_text) findable, replacing what they had."""
    rows = list(rows)
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.executemany("DELETE FROM procurement_process_fts WHERE rowid = %s", [(pk,) for pk, _t in rows])
            cursor.executemany("INSERT INTO procurement_process_fts (rowid, terms) VALUES (%s, %s)", rows)
            return
        cursor.execute(
            "INSERT INTO procurement_process_terms (process_id, government_id, terms) "
            "SELECT id, %s, strip(to_tsvector('simple'::regconfig, text)) FROM unnest(%s::bigint[], %s::text[]) AS r(id, text) "
            "ON CONFLICT (process_id) DO UPDATE SET terms = EXCLUDED.terms",
            [government.pk, [pk for pk, _t in rows], [text for _pk, text in rows]],
        )


def fts_remove(ids: Iterable[int]) -> None:
    ids = [int(pk) for pk in ids]
    if not ids:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.executemany("DELETE FROM procurement_process_fts WHERE rowid = %s", [(pk,) for pk in ids])
        else:
            cursor.execute("DELETE FROM procurement_process_terms WHERE process_id = ANY(%s)", [ids])


def query_terms(query: str) -> list[str]:
    return list(dict.fromkeys(text.terms(" ".join(text.query_words(query or "")))))


def matching_ids(government, query: str) -> np.ndarray:
    """The ids of the government's processes whose text has every word of the query, as one
    array: the database joins them into one string (a 140,000-row result costs a tenth of
    the time that way)."""
    terms = query_terms(query)
    if not terms:
        return np.zeros(0, dtype=np.int64)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # Terms are [a-z0-9]+ only, so the quoted phrase list holds no FTS5 syntax. The FTS
            # table holds every government's processes: the caller keeps its own ids.
            cursor.execute(
                "SELECT group_concat(rowid) FROM procurement_process_fts WHERE procurement_process_fts MATCH %s",
                [" AND ".join(f'"{term}"' for term in terms)],
            )
            joined = cursor.fetchone()[0]
        else:
            with transaction.atomic(using=connection.alias):
                # Enough memory for an exact bitmap of every match: with the default 4 MB the
                # bitmap turns lossy at this size and every row of those pages is checked again.
                cursor.execute("SELECT set_config('work_mem', %s, true)", [SEARCH_WORK_MEM])
                cursor.execute(
                    "SELECT string_agg(process_id::text, ',') FROM procurement_process_terms "
                    "WHERE government_id = %s AND terms @@ to_tsquery('simple'::regconfig, %s)",
                    [government.pk, " & ".join(terms)],
                )
                joined = cursor.fetchone()[0]
    return np.fromstring(joined, dtype=np.int64, sep=",") if joined else np.zeros(0, dtype=np.int64)


def _buyers(government):
    return Buyer.objects.filter(government=government)


def _buyer_entry(buyer: Buyer) -> SearchEntry:
    return SearchEntry(
        title=buyer.name,
        url=government_path("procurement:buyer_detail", pk=buyer.pk),
        summary=str(_("Buying entity")),
        body=buyer.identifier,
    )


def _suppliers(government):
    return Supplier.objects.filter(government=government)


def _supplier_entry(supplier: Supplier) -> SearchEntry:
    return SearchEntry(
        title=supplier.name,
        url=government_path("procurement:supplier_detail", pk=supplier.pk),
        summary=str(_("Supplier of the government")),
        body=supplier.identifier,
    )


REGISTRATIONS = (
    SearchRegistration(
        kind="procurement.buyer", module="procurement", label=_("Buyers"), queryset=_buyers, entry=_buyer_entry
    ),
    SearchRegistration(
        kind="procurement.supplier",
        module="procurement",
        label=_("Suppliers"),
        queryset=_suppliers,
        entry=_supplier_entry,
    ),
)
