"""The catalog search's filters and facet counts: each facet counted among the datasets that
pass every other chosen filter, so choosing a value shows what else is available.

Two ways to count, chosen by the size of the candidate set:

- a text query leaves at most a few thousand candidates (the search index's top hits): their
  facet values are read in four narrow queries (the datasets' own columns, then their themes,
  resource formats and tags) and counted here, whatever the number of filters;
- without a text query the candidates are the whole catalogue listed (10,000 datasets or
  more): one grouped query per facet counts them in the database.

Either way the counts are kept under the governments' content versions, so a repeated search
pays nothing until a government publishes a change."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from minga.core.tenancy.models import Government
from minga.core.ui.page_cache import content_version

from ..quality import freshness
from .models import Dataset, Frequency, Resource, ResourceFormat

# Query parameter -> the field it filters (never passed to the ORM as a lookup: each maps to a
# fixed field).
FILTER_FIELDS = {
    "tema": "themes__slug",
    "publicador": "publisher",
    "formato": "resources__format",
    "etiqueta": "tags__slug",
    "licencia": "licence__code",
    "frecuencia": "frequency",
    "nivel": "government__level",
}
OUT_OF_DATE = "desactualizados"
FACET_SPECS = (
    ("tema", "themes__slug", "themes__name"),
    ("publicador", "publisher", None),
    ("formato", "resources__format", None),
    ("etiqueta", "tags__slug", "tags__name"),
    ("licencia", "licence__code", "licence__name"),
    ("frecuencia", "frequency", None),
    ("nivel", "government__level", None),
)
FACET_LIMIT = 15
FACET_LABELS = {
    "tema": _("Theme"),
    "publicador": _("Publisher"),
    "formato": _("Format"),
    "etiqueta": _("Tag"),
    "licencia": _("Licence"),
    "frecuencia": _("Update frequency"),
    "nivel": _("Level of government"),
}
FACET_CACHE_SECONDS = 3600


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    query: str


@dataclass
class Facet:
    param: str
    label: str
    options: list[FacetOption]

    @property
    def selected(self) -> FacetOption | None:
        return next((option for option in self.options if option.selected), None)


def apply_filters(datasets, filters: dict[str, str], *, skip: str = ""):
    for name, value in filters.items():
        if name != skip and name in FILTER_FIELDS:
            datasets = datasets.filter(**{FILTER_FIELDS[name]: value})
        elif name != skip and name == "frescura" and value == OUT_OF_DATE:
            datasets = datasets.filter(next_update_due__lt=freshness.government_today())
    return datasets


def facet_rows(datasets, param: str, value_field: str, label_field: str | None = None):
    """{value: [label, count]} of one facet over a queryset of datasets, in one grouped query."""
    fields = [value_field] + ([label_field] if label_field else [])
    rows = (
        datasets.order_by()
        .exclude(**{f"{value_field}__isnull": True})
        .values(*fields)
        .annotate(n=Count("pk", distinct=True))
    )
    merged: dict[str, list] = {}
    for row in rows:
        value = str(row[value_field])
        label = str(row[label_field]) if label_field else value
        entry = merged.setdefault(value, [label, 0])
        entry[0] = min(entry[0], label)  # one value, several labels (two governments' themes): the same one always
        entry[1] += row["n"]
    return merged


def _labels(param: str, merged: dict[str, list]) -> dict[str, list]:
    choices = {"frecuencia": Frequency, "formato": ResourceFormat, "nivel": Government.Level}.get(param)
    if choices is None:
        return merged
    return {
        value: [str(choices(value).label) if value in choices.values else value, n] for value, (_, n) in merged.items()
    }


# Counting in the database (no text query) -------------------------------------------------


def _counts_in_database(governments, base, query) -> tuple[dict[str, dict[str, list]], int]:
    counts = {}
    for param, value_field, label_field in FACET_SPECS:
        if param == "nivel" and len(governments) == 1:
            continue
        counts[param] = facet_rows(apply_filters(base, query.filters, skip=param), param, value_field, label_field)
    late = (
        apply_filters(base, query.filters, skip="frescura")
        .filter(next_update_due__lt=freshness.government_today())
        .order_by()
        .values("pk")
        .distinct()
        .count()
    )
    return counts, late


# Counting here (a text query's few thousand candidates) -----------------------------------


def _candidate_values(governments, base) -> tuple[dict[int, dict[str, dict[str, str]]], dict[int, bool]]:
    """Each candidate's values of every facet ({value: label}) and whether it is late."""
    today = freshness.government_today()
    values: dict[int, dict[str, dict[str, str]]] = {}
    late: dict[int, bool] = {}
    own = base.order_by().values_list(
        "pk", "publisher", "licence__code", "licence__name", "frequency", "government__level", "next_update_due"
    )
    for pk, publisher, licence, licence_name, frequency, level, due in own:
        single = {
            "publicador": (publisher, publisher),
            "licencia": (licence, licence_name),
            "frecuencia": (frequency, frequency),
            "nivel": (level, level),
        }
        values[pk] = {"tema": {}, "formato": {}, "etiqueta": {}}
        for param, (value, label) in single.items():
            values[pk][param] = {} if value is None else {str(value): str(label)}
        late[pk] = due is not None and due < today
    if not values:
        return values, late
    candidates = list(values)  # at most the search index's top hits
    many = (
        ("tema", Dataset.themes.through.objects.filter(dataset_id__in=candidates), "theme__slug", "theme__name"),
        ("etiqueta", Dataset.tags.through.objects.filter(dataset_id__in=candidates), "tag__slug", "tag__name"),
        (
            "formato",
            Resource.objects.for_governments(governments).filter(dataset_id__in=candidates),
            "format",
            "format",
        ),
    )
    for param, rows, value_field, label_field in many:
        for dataset_id, value, label in rows.order_by().values_list("dataset_id", value_field, label_field).distinct():
            if value is not None and dataset_id in values:
                values[dataset_id][param][str(value)] = str(label)
    return values, late


def _counts_here(governments, base, query) -> tuple[dict[str, dict[str, list]], int]:
    values, late = _candidate_values(governments, base)
    chosen = {
        param: value
        for param, value in query.filters.items()
        if param in FILTER_FIELDS or (param == "frescura" and value == OUT_OF_DATE)
    }
    shown = [param for param, _field, _label in FACET_SPECS if not (param == "nivel" and len(governments) == 1)]
    counts: dict[str, dict[str, list]] = {param: {} for param in shown}

    def count(param: str, found: dict[str, str]) -> None:
        for value, label in found.items():
            entry = counts[param].setdefault(value, [label, 0])
            entry[0] = min(entry[0], label)  # as facet_rows chooses among several labels
            entry[1] += 1

    late_count = 0
    for pk, facets in values.items():
        failing = [
            param
            for param, value in chosen.items()
            if (not late[pk] if param == "frescura" else value not in facets[param])
        ]
        if len(failing) > 1:
            continue
        if failing:  # it counts only in the facet whose own filter it fails
            if failing[0] in counts:
                count(failing[0], facets[failing[0]])
            continue
        for param in shown:
            count(param, facets[param])
        late_count += late[pk]
    return counts, late_count


def facet_counts(governments, base, query, *, few_candidates: bool) -> tuple[dict[str, dict[str, list]], int]:
    """Counts per facet value (each facet with the other filters applied) and the number of
    late datasets. They change only when a government's published content changes, so they
    are kept under the governments' content versions (every audited write bumps them), the
    query, the day (lateness) and the language (labels)."""
    identity = json.dumps(
        [
            [(g.pk, content_version(g)) for g in governments],
            query.q,
            sorted(query.filters.items()),
            freshness.government_today().isoformat(),
            get_language(),
        ]
    )
    key = "catalog:facets:" + hashlib.sha256(identity.encode()).hexdigest()
    found = cache.get(key)
    if found is not None:
        return found
    counts, late = (_counts_here if few_candidates else _counts_in_database)(governments, base, query)
    found = (
        {
            param: {value: [str(label), n] for value, (label, n) in _labels(param, rows).items()}
            for param, rows in counts.items()
        },
        late,
    )
    cache.set(key, found, FACET_CACHE_SECONDS)
    return found


def catalog_facets(governments, base, query, *, few_candidates: bool) -> list[Facet]:
    """The facets shown beside the results: the most frequent values of each, the chosen one
    always among them, then the "only out of date" filter when any dataset is late."""
    counts, late = facet_counts(governments, base, query, few_candidates=few_candidates)
    facets = []
    for param, _value_field, _label_field in FACET_SPECS:
        if param not in counts:
            continue
        chosen = query.filters.get(param, "")
        ordered = sorted(counts[param].items(), key=lambda item: (-item[1][1], item[1][0].lower()))
        options = [
            FacetOption(
                value=value,
                label=label,
                count=n,
                selected=value == chosen,
                query=query.query_string(**{param: "" if value == chosen else value}),
            )
            for value, (label, n) in ordered[:FACET_LIMIT]
        ]
        if chosen and not any(option.selected for option in options):
            options.append(FacetOption(chosen, chosen, 0, True, query.query_string(**{param: ""})))
        if options:
            facets.append(Facet(param=param, label=FACET_LABELS[param], options=options))
    return facets + _freshness_facet(late, query)


def _freshness_facet(late: int, query) -> list[Facet]:
    """The "only out of date" filter, counted with the other filters applied (shown when any is late)."""
    chosen = query.filters.get("frescura") == OUT_OF_DATE
    if not late and not chosen:
        return []
    option = FacetOption(
        OUT_OF_DATE, _("Only out of date"), late, chosen, query.query_string(frescura="" if chosen else OUT_OF_DATE)
    )
    return [Facet(param="frescura", label=_("Freshness"), options=[option])]
