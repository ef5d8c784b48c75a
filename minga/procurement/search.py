"""What the portal-wide search finds of this module: buyers and suppliers, a few hundred per
government, in the portal-wide index; contracting processes, up to a million per government,
through the contracting search's own word lists (procurement.wordlists) as a search source."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from minga.core.search import text
from minga.core.search.registry import SearchEntry, SearchRegistration, SearchSource, SourcePage
from minga.core.tenancy.paths import government_path

from . import selectors
from .models import Buyer, Supplier

# The most recent matches whose titles are weighed: a process whose title is the query comes
# first, then those whose title has every word, then the rest, most recent first.
RANKED_CANDIDATES = 200


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


def _process_entry(process) -> SearchEntry:
    parts = [
        process.procedure.name if process.procedure_id else process.method_details,
        process.buyer.name if process.buyer_id else "",
        str(process.get_stage_display()),
        str(process.year or ""),
    ]
    return SearchEntry(
        title=process.title or process.ocid,
        url=government_path("procurement:process_detail", ocid=process.ocid),
        summary=" · ".join(part for part in parts if part),
        updated_at=process.date,
    )


def _title_rank(query_terms: list[str], title: str) -> tuple[int, int]:
    found = set(text.terms(title))
    return (text.title_key(title) != " ".join(query_terms), -len(set(query_terms) & found))


def find_processes(government, query: str, offset: int, limit: int) -> SourcePage:
    """The government's processes with every word of the query: the most recent
    RANKED_CANDIDATES ordered by how well their title matches, then the rest by date."""
    matches = selectors.matches(government, selectors.ProcessQuery.from_params({"q": query}))
    if not matches.total or matches.positions is None:
        return SourcePage(total=0, entries=[])
    stop = offset + limit
    candidates = matches.ids(0, max(stop, RANKED_CANDIDATES))
    listed = (
        selectors.processes(government)
        .select_related("buyer", "procedure")
        .only("ocid", "title", "stage", "year", "date", "method_details", "procedure__name", "buyer__name")
    )
    ranked = candidates[:RANKED_CANDIDATES]
    titles = dict(listed.filter(pk__in=ranked).values_list("pk", "title"))
    query_terms = list(dict.fromkeys(text.terms(" ".join(text.query_words(query)))))
    ranked = sorted(ranked, key=lambda pk: _title_rank(query_terms, titles.get(pk, "")))
    page_ids = [*ranked, *candidates[RANKED_CANDIDATES:]][offset:stop]
    return SourcePage(total=matches.total, entries=[_process_entry(p) for p in matches.rows(listed, page_ids)])


SOURCES = (
    SearchSource(
        kind="procurement.process", module="procurement", label=_("Contracting processes"), find=find_processes
    ),
)
