"""Reading the search index: results of one government grouped by module, the modules a
search can be narrowed to, and the searches that found nothing (the demand signal)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Sum
from django.utils import timezone, translation

from ..registry import module_keys
from ..tenancy.models import Government
from ..tenancy.paths import government_link
from ..tenancy.scoping import government_scope
from . import registry
from .backends import backend
from .models import SearchDocument, ZeroResultQuery
from .services import zero_result_record
from .text import is_searchable, query_words, terms, title_key

RESULTS_PER_GROUP = 5
DEMAND_WINDOW_DAYS = 90


@dataclass(frozen=True)
class Result:
    title: str
    summary: str
    link: str
    score: float
    kind: str
    updated_at: Any


@dataclass
class ResultGroup:
    module: str
    label: Any
    total: int
    results: list[Result] = field(default_factory=list)

    @property
    def has_more(self) -> bool:
        return self.total > len(self.results)


@dataclass
class SearchResults:
    query: str
    groups: list[ResultGroup]

    @property
    def total(self) -> int:
        return sum(group.total for group in self.groups)

    def __bool__(self) -> bool:
        return bool(self.groups)


def _switched_off(government: Government) -> list[str]:
    return [key for key in module_keys() if not government.module_enabled(key)]


def _label_terms(label) -> set[str]:
    """The normalised words of a group's label, in the page's language and in Spanish (the
    words citizens type whatever the page's language)."""
    found = set(terms(str(label)))
    with translation.override("es"):
        found.update(terms(str(label)))
    return found


def _rank_key(query_terms: list[str], group: ResultGroup, labels: list, engine_best: float) -> tuple:
    """How groups are ordered, best first: a group holding a result whose whole title is the
    query; then a group whose own name has every word ("obras" finds the public works before a
    supplier called "… y Obras …"); then the share of the query's words its best title has;
    then the engine's score (comparable inside the portal-wide index only)."""
    wanted = set(query_terms)
    key = " ".join(query_terms)
    exact = any(title_key(result.title) == key for result in group.results)
    named = bool(wanted) and any(wanted <= _label_terms(label) for label in labels)
    covered = max((len(wanted & set(terms(result.title))) for result in group.results), default=0)
    return (not exact, not named, -covered, -engine_best, str(group.label))


def _source_groups(government, query, sources, *, offset, limit, request) -> list[ResultGroup]:
    groups = []
    for source in sources:
        with government_scope(government):
            page = source.find(government, query, offset, limit)
        if not page.total:
            continue
        group = ResultGroup(module=source.kind, label=source.label, total=page.total)
        for entry in page.entries:
            group.results.append(
                Result(
                    title=entry.title,
                    summary=entry.summary,
                    link=government_link(government, entry.url, in_request_of=request),
                    score=0.0,
                    kind=source.kind,
                    updated_at=entry.updated_at,
                )
            )
        groups.append(group)
    return groups


def search(
    *,
    government: Government,
    query: str,
    modules: list[str] | None = None,
    limit_per_group: int = RESULTS_PER_GROUP,
    offset: int = 0,
    request=None,
    count_zero_results: bool = True,
    today: dt.date | None = None,
) -> SearchResults:
    """Documents of `government` matching every meaningful word of `query`, grouped by module
    (best group first) with each group's total, and the matches of the modules' own search
    sources (registry.SearchSource) as groups of their own. `modules` narrows the search to
    some modules or source kinds. Modules switched off by the government are left out. An
    empty, too short or stop-word-only query finds nothing and is not counted; a search of
    all modules that finds nothing is counted for the demand signal."""
    query = (query or "").strip()
    if not is_searchable(query):
        return SearchResults(query=query, groups=[])
    off = _switched_off(government)
    wanted_sources = [
        source
        for source in registry.sources().values()
        if source.module not in off and (modules is None or source.kind in modules)
    ]
    index_modules = None if modules is None else [module for module in modules if module not in registry.sources()]
    hits = backend().matches(
        government_id=government.pk,
        query=query,
        modules=index_modules,
        exclude_modules=off,
        offset=offset,
        limit=limit_per_group,
    )
    documents = SearchDocument.objects.for_government(government).in_bulk([hit.document_id for hit in hits])
    groups: dict[str, ResultGroup] = {}
    best: dict[str, float] = {}
    for hit in hits:
        document = documents.get(hit.document_id)
        group = groups.get(hit.module)
        if group is None:
            group = groups[hit.module] = ResultGroup(
                module=hit.module, label=registry.group_label(hit.module), total=hit.total
            )
            best[hit.module] = hit.score
        if document is None:
            continue
        group.results.append(
            Result(
                title=document.title,
                summary=document.summary,
                link=government_link(government, document.url, in_request_of=request),
                score=hit.score,
                kind=document.kind,
                updated_at=document.updated_at,
            )
        )
        best[hit.module] = max(best[hit.module], hit.score)
    found = list(groups.values())
    found += _source_groups(government, query, wanted_sources, offset=offset, limit=limit_per_group, request=request)
    if not found:
        if count_zero_results and modules is None and offset == 0:
            zero_result_record(government=government, query=query, day=today)
        return SearchResults(query=query, groups=[])
    query_terms = list(dict.fromkeys(terms(" ".join(query_words(query)))))
    kind_labels = _kind_labels()
    ordered = sorted(
        found,
        key=lambda group: _rank_key(
            query_terms, group, [group.label, *kind_labels.get(group.module, [])], best.get(group.module, 0.0)
        ),
    )
    return SearchResults(query=query, groups=ordered)


def _kind_labels() -> dict[str, list]:
    """The labels of the registrations of each module: a group is named by its kinds too."""
    found: dict[str, list] = {}
    for registration in registry.registrations().values():
        found.setdefault(registration.module, []).append(registration.label)
    return found


def searchable_modules(government: Government) -> list[tuple[str, Any]]:
    """(module, label) of the modules a search of this government can be narrowed to: those
    switched on that register something or already have documents, and the search sources
    of the modules switched on (by kind)."""
    present = set(SearchDocument.objects.for_government(government).values_list("module", flat=True).distinct())
    present.update(found.module for found in registry.registrations().values())
    off = set(_switched_off(government))
    choices = [(module, registry.group_label(module)) for module in present if module not in off]
    choices += [(source.kind, source.label) for source in registry.sources().values() if source.module not in off]
    return sorted(choices, key=lambda choice: str(choice[1]))


@dataclass(frozen=True)
class Demand:
    query: str
    searches: int
    days: int
    last_day: dt.date


def zero_result_demand(
    *, government: Government, today: dt.date | None = None, days: int = DEMAND_WINDOW_DAYS, limit: int = 100
) -> list[Demand]:
    """The most frequent searches that found nothing in the last `days` days."""
    today = today or timezone.localdate()
    since = today - dt.timedelta(days=days - 1)
    rows = (
        ZeroResultQuery.objects.filter(government=government, day__gte=since, day__lte=today)
        .values("query")
        .annotate(searches=Sum("count"), days=Count("id"), last_day=Max("day"))
        .order_by("-searches", "-last_day", "query")[:limit]
    )
    return [Demand(row["query"], row["searches"], row["days"], row["last_day"]) for row in rows]


def matching_object_scores(*, governments, query: str, kind: str, limit: int = 1000) -> dict[str, float]:
    """{object id: relevance} of one registration's objects matching `query` among the
    documents of the governments listed (a province's catalog lists its cantons' datasets: one
    query for all): for modules that combine full-text relevance with their own filters."""
    ids = [getattr(item, "pk", item) for item in governments]
    if any(pk is None for pk in ids):
        raise ValueError("matching_object_scores() needs governments")
    return backend().object_scores(government_ids=ids, query=query, kind=kind, limit=limit)
