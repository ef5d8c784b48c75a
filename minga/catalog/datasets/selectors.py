"""Reads of the catalog's datasets: the faceted catalog search, dataset pages, vocabularies.
Public selectors only return published datasets (and their resources); back-office selectors return everything of the government. Everything runs inside
the government scope; the catalog of a province can be widened explicitly to its cantons
(`catalog_governments` + `for_governments([…])`), never implicitly."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, Prefetch, Q

from minga.core.search.selectors import matching_object_scores
from minga.core.search.text import is_searchable
from minga.core.tenancy.models import Government

from .facets import Facet, apply_filters, catalog_facets
from .models import Dataset, DatasetVersion, Licence, Resource, Tag, Theme

MAX_SEARCH_HITS = 2000
SORTS = ("relevancia", "recientes", "titulo", "mas-usados")
# Query parameter -> facet (never passed to the ORM as a lookup: each maps to a fixed field).
FACET_PARAMS = ("tema", "publicador", "formato", "etiqueta", "licencia", "frecuencia", "nivel", "frescura")


# Datasets --------------------------------------------------------------------------------


def public_datasets(government):
    return Dataset.objects.filter(government=government).published()


def public_dataset_detail(government):
    return (
        public_datasets(government)
        .select_related("licence")
        .prefetch_related(
            "themes",
            "tags",
            Prefetch("resources", queryset=Resource.objects.filter(government=government).order_by("order", "pk")),
        )
    )


def public_resources(government):
    return Resource.objects.filter(government=government, dataset__is_published=True)


def public_versions(dataset: Dataset):
    return DatasetVersion.objects.filter(government_id=dataset.government_id, dataset=dataset).order_by("-number")


@dataclass(frozen=True)
class HistoryLine:
    number: int
    created_at: object
    text: str
    actor: object = None


def _field_label(name: str) -> str:
    try:
        return str(Dataset._meta.get_field(name.removesuffix("_id")).verbose_name)
    except FieldDoesNotExist:
        return name


def version_history(dataset: Dataset, *, limit: int = 20) -> list[HistoryLine]:
    """The dataset's history in words of the current language (stored as codes, so each
    visitor reads it in theirs)."""
    lines = []
    for version in public_versions(dataset).select_related("actor")[:limit]:
        text = (
            str(DatasetVersion.Change(version.change).label) if version.change in DatasetVersion.Change.values else ""
        )
        if version.change == DatasetVersion.Change.UPDATED and version.changed_fields:
            text += ": " + ", ".join(_field_label(name) for name in version.changed_fields)
        elif version.subject:
            text += f": {version.subject}"
        lines.append(HistoryLine(version.number, version.created_at, text, version.actor))
    return lines


def catalog_governments(government: Government, *, include_children: bool = True) -> list[Government]:
    """The governments whose datasets this government's catalog lists: itself, and for a
    province (or canton) that chooses so, its active child governments."""
    found = [government]
    if include_children:
        found += list(Government.objects.children_of(government).order_by("dpa_code"))
    return found


def widened_public_datasets(governments: list[Government]):
    """Published datasets of several governments: an explicit, read-only widening of the
    scope (used by a province's catalog to list its cantons' datasets)."""
    return Dataset.objects.for_governments(governments).filter(is_published=True)


def widened_public_resources(governments: list[Government]):
    """The files and links of those datasets (the home page's figures of a province's catalog)."""
    return Resource.objects.for_governments(governments).filter(dataset__is_published=True)


@dataclass(frozen=True)
class CatalogQuery:
    q: str = ""
    sort: str = ""
    filters: dict[str, str] = field(default_factory=dict)

    @property
    def effective_sort(self) -> str:
        if self.sort in SORTS and (self.sort != "relevancia" or self.q):
            return self.sort
        return "relevancia" if self.q else "recientes"

    def params(self, **changes) -> dict[str, str]:
        values = {"q": self.q, **self.filters, "orden": self.sort}
        values.update(changes)
        return {key: value for key, value in values.items() if value}

    def query_string(self, **changes) -> str:
        return urlencode(self.params(**changes))

    @property
    def is_filtered(self) -> bool:
        return bool(self.q or self.filters)


def catalog_query(params) -> CatalogQuery:
    filters = {}
    for name in FACET_PARAMS:
        value = str(params.get(name, "") or "").strip()[:100]
        if value:
            filters[name] = value
    sort = str(params.get("orden", "") or "")
    return CatalogQuery(
        q=str(params.get("q", "") or "").strip()[:200], sort=sort if sort in SORTS else "", filters=filters
    )


def text_scores(governments: list[Government], text: str) -> dict[int, float]:
    """{dataset pk: relevance} from the core search index (accent- and plural-insensitive),
    one query for every government the catalog lists."""
    found = matching_object_scores(governments=governments, query=text, kind="catalog.dataset", limit=MAX_SEARCH_HITS)
    return {int(object_id): score for object_id, score in found.items()}


@dataclass
class CatalogResult:
    query: CatalogQuery
    datasets: object  # a queryset, already ordered
    facets: list[Facet]
    total: int
    governments: list[Government]

    @property
    def widened(self) -> bool:
        return len(self.governments) > 1


_DATASET_PK = f'"{Dataset._meta.db_table}"."id"'  # the same quoting on SQLite and PostgreSQL
_MULTI_VALUED = {"tema", "formato", "etiqueta"}


def search_catalog(
    government: Government, query: CatalogQuery, *, include_children: bool = True, with_facets: bool = True
) -> CatalogResult:
    """Published datasets matching the text query and the facet filters, ordered as asked,
    with the count of each facet value among the results (each facet counted with the other
    filters applied, so choosing a value shows what else is available). The metadata API
    asks for no facets: it would pay a grouped query per facet for counts it never shows."""
    governments = catalog_governments(government, include_children=include_children)
    base = widened_public_datasets(governments)
    scores: dict[int, float] = {}
    if query.q and is_searchable(query.q):
        scores = text_scores(governments, query.q)
        # Up to MAX_SEARCH_HITS integer keys: written into the SQL once (they are ints from the
        # index) instead of compiled as thousands of parameters by every facet query.
        pks = ",".join(str(int(pk)) for pk in scores) or "NULL"
        base = base.extra(where=[f"{_DATASET_PK} IN ({pks})"])  # noqa: S610
    facets = catalog_facets(governments, base, query, few_candidates=bool(scores)) if with_facets else []
    matching = apply_filters(base, query.filters)
    sort = query.effective_sort
    if scores:
        # At most MAX_SEARCH_HITS datasets match a text query: read their sort keys in one
        # narrow query, order them here and fetch only the page shown (no DISTINCT over wide
        # rows, no SQL CASE over thousands of scores).
        keys = {
            pk: (updated_at, title, recent, total)
            for pk, updated_at, title, recent, total in matching.order_by().values_list(
                "pk", "updated_at", "title", "usage_recent", "usage_total"
            )
        }
        ordered = sorted(keys, key=_python_sort_key(sort, scores, keys))
        # The page is read by primary key from the unrestricted set: the hits' key list in the
        # SQL would make SQLite plan the page query badly.
        datasets = RankedDatasets(_page_rows(widened_public_datasets(governments)), ordered)
        return CatalogResult(query=query, datasets=datasets, facets=facets, total=len(ordered), governments=governments)
    datasets = matching.distinct() if any(name in _MULTI_VALUED for name in query.filters) else matching
    if sort == "titulo":
        datasets = datasets.order_by("title", "pk")
    elif sort == "mas-usados":  # denormalised counts: no join with the usage rows
        datasets = datasets.order_by("-usage_recent", "-usage_total", "title", "pk")
    else:
        datasets = datasets.order_by("-updated_at", "pk")
    datasets = _page_rows(datasets)
    return CatalogResult(query=query, datasets=datasets, facets=facets, total=datasets.count(), governments=governments)


def _page_rows(datasets):
    return datasets.select_related("licence", "government").prefetch_related("themes", "resources")


def _python_sort_key(sort: str, scores: dict[int, float], keys: dict[int, tuple]):
    """The order of the SQL branch, for the datasets of a text query."""
    if sort == "titulo":
        return lambda pk: (keys[pk][1], pk)
    if sort == "mas-usados":
        return lambda pk: (-keys[pk][2], -keys[pk][3], keys[pk][1], pk)
    if sort == "relevancia":
        return lambda pk: (-scores.get(pk, 0.0), -keys[pk][0].timestamp(), pk)
    return lambda pk: (-keys[pk][0].timestamp(), pk)


class RankedDatasets(Sequence):
    """Datasets in a given order of primary keys, read from the database a page at a time
    (what the paginator asks for)."""

    def __init__(self, queryset, pks: list[int]) -> None:
        self.queryset, self.pks = queryset, pks

    def __len__(self) -> int:
        return len(self.pks)

    def count(self) -> int:
        return len(self.pks)

    def __getitem__(self, index):
        if isinstance(index, slice):
            wanted = self.pks[index]
            found = {dataset.pk: dataset for dataset in self.queryset.filter(pk__in=wanted)}
            return [found[pk] for pk in wanted if pk in found]
        return self[index : index + 1][0]


def office_datasets(government, *, status: str = "", query: str = ""):
    datasets = (
        Dataset.objects.filter(government=government)
        .select_related("licence")
        .annotate(resource_count=Count("resources", distinct=True))
    )
    if status == "publicados":
        datasets = datasets.filter(is_published=True)
    elif status == "borradores":
        datasets = datasets.filter(is_published=False)
    if query:
        datasets = datasets.filter(Q(title__icontains=query) | Q(publisher__icontains=query) | Q(slug__icontains=query))
    return datasets.order_by("-updated_at")


def dataset_resources(dataset: Dataset):
    return Resource.objects.filter(government_id=dataset.government_id, dataset=dataset).order_by("order", "pk")


# Vocabularies ----------------------------------------------------------------------------


def themes(government):
    return Theme.objects.filter(government=government).annotate(dataset_count=Count("datasets", distinct=True))


def theme_dataset_counts(governments: list[Government]) -> dict[str, int]:
    """{theme slug: published datasets} over the datasets these governments' catalog lists."""
    return dict(
        widened_public_datasets(governments)
        .order_by()
        .exclude(themes__slug__isnull=True)
        .values("themes__slug")
        .annotate(n=Count("pk", distinct=True))
        .values_list("themes__slug", "n")
    )


def publisher_dataset_counts(governments: list[Government], directory) -> list[tuple[Government, object, int]]:
    """(government, publisher, published datasets) per publisher of each government, a unit
    of the organisation chart counted once whatever its datasets call it."""
    by_pk = {government.pk: government for government in governments}
    grouped: dict[tuple, list] = {}
    rows = (
        widened_public_datasets(governments)
        .order_by()
        .values("government_id", "publisher_unit", "publisher")
        .annotate(n=Count("pk"))
        .order_by("government_id", "publisher_unit", "publisher")
    )
    for row in rows:
        government = by_pk[row["government_id"]]
        stand_in = Dataset(government=government, publisher=row["publisher"], publisher_unit=row["publisher_unit"])
        found = directory.of(stand_in, government)
        entry = grouped.setdefault((government.pk, found.key), [government, found, 0])
        entry[2] += row["n"]
    return [tuple(entry) for entry in grouped.values()]


def licences(government):
    return Licence.objects.filter(government=government).annotate(dataset_count=Count("datasets", distinct=True))


def default_licence(government) -> Licence | None:
    return Licence.objects.filter(government=government, is_default=True).first()


def tags(government):
    return Tag.objects.filter(government=government)
