"""Reads of the procurement module, always scoped to one government: the contracting search
(filters, facets, sort), process timelines and documents, supplier and buyer summaries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from django.db.models import Count, Max, Sum
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from minga.core.tenancy.scoping import government_scope

from . import columns as search_columns
from . import flags as indicators
from .models import (
    Buyer,
    ImportRun,
    ProcedureType,
    Process,
    ProcessBudgetLine,
    ProcessSupplier,
    Release,
    Supplier,
)
from .wordlists import query_terms

# The orders themselves are the search's columns' (columns.SORT_KEYS).
SORTS = tuple(search_columns.SORT_KEYS)
SORT_LABELS = {
    "recientes": _("Most recent"),
    "antiguos": _("Oldest"),
    "monto-mayor": _("Highest amount"),
    "monto-menor": _("Lowest amount"),
    "alertas": _("Most red flags"),
}
FILTER_PARAMS = (
    "q",
    "comprador",
    "procedimiento",
    "estado",
    "anio",
    "proveedor",
    "categoria",
    "monto_min",
    "monto_max",
    "desde",
    "hasta",
    "adjudicado_desde",
    "adjudicado_hasta",
    "alerta",
)
FACET_LIMIT = 12


def processes(government):
    return Process.objects.filter(government=government)


def last_change(government) -> dt.datetime | None:
    """When the government's contracting data last changed (the packages' publishedDate)."""
    return processes(government).aggregate(latest=Max("updated_at"))["latest"]


def release_links(government, process_ids) -> dict[int, list[tuple[str, dt.datetime, list[str]]]]:
    """(release id, date, tags) of each process's releases in date order, without their data.
    Scoped here: a streamed download calls it after the request's scope has ended."""
    found: dict[int, list] = {pk: [] for pk in process_ids}
    with government_scope(government):
        rows = list(
            Release.objects.filter(government=government, process_id__in=process_ids)
            .order_by("date", "pk")
            .values_list("process_id", "release_id", "date", "tags")
        )
    for process_id, release_id, date, tags in rows:
        found[process_id].append((release_id, date, tags.split()))
    return found


def _decimal(value) -> Decimal | None:
    try:
        found = Decimal(str(value).replace(",", ".").strip())
    except (InvalidOperation, ValueError):
        return None
    return found if found.is_finite() else None


def _int(value) -> int | None:
    value = str(value or "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


def _day(value) -> dt.date | None:
    try:
        return parse_date(str(value or "").strip()[:10])
    except ValueError:
        return None


# The filters of the search form's folded "More filters" part.
MORE_FILTERS = (
    "procedimiento",
    "estado",
    "monto_min",
    "monto_max",
    "desde",
    "hasta",
    "adjudicado_desde",
    "adjudicado_hasta",
    "categoria",
    "alerta",
)


@dataclass
class ProcessQuery:
    """The filters of a search as the page and the API receive them; anything unreadable is
    dropped and reported in `errors`."""

    params: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    sort: str = "recientes"

    @classmethod
    def from_params(cls, data) -> ProcessQuery:
        found = cls()
        for name in FILTER_PARAMS:
            value = str(data.get(name, "") or "").strip()[:200]
            if value:
                found.params[name] = value
        sort = str(data.get("orden", "") or "")
        found.sort = sort if sort in SORTS else "recientes"
        found._check()
        return found

    def _check(self) -> None:
        checks = {
            "monto_min": (_decimal, _("The minimum amount is not a number.")),
            "monto_max": (_decimal, _("The maximum amount is not a number.")),
            "desde": (_day, _("The start date is not a date (YYYY-MM-DD).")),
            "hasta": (_day, _("The end date is not a date (YYYY-MM-DD).")),
            "adjudicado_desde": (_day, _("The award start date is not a date (YYYY-MM-DD).")),
            "adjudicado_hasta": (_day, _("The award end date is not a date (YYYY-MM-DD).")),
            "anio": (_int, _("The year is not a number.")),
            "comprador": (_int, _("Unknown buyer.")),
            "proveedor": (_int, _("Unknown supplier.")),
        }
        for name, (parse, message) in checks.items():
            if name in self.params and parse(self.params[name]) is None:
                self.errors.append(str(message))
                del self.params[name]
        if (
            "alerta" in self.params
            and self.params["alerta"] not in indicators.BY_CODE
            and self.params["alerta"] != "any"
        ):
            self.errors.append(str(_("Unknown red flag.")))
            del self.params["alerta"]
        if self.params.get("q") and not query_terms(self.params["q"]):
            self.errors.append(str(_("The words searched for are too common to search; try others.")))

    def get(self, name: str) -> str:
        return self.params.get(name, "")

    def without(self, *names: str) -> dict[str, str]:
        return {k: v for k, v in self.params.items() if k not in names}

    def as_query(self, **changes) -> str:
        values = dict(self.params)
        if self.sort != "recientes":
            values["orden"] = self.sort
        for name, value in changes.items():
            if value in (None, ""):
                values.pop(name, None)
            else:
                values[name] = value
        return urlencode(values)

    @property
    def is_filtered(self) -> bool:
        return bool(self.params)

    @property
    def uses_more_filters(self) -> bool:
        """Whether a filter of the folded "More filters" part is set (the words alone leave
        it folded, so a phone sees the results right after the search box); open when one is
        set or a value could not be read."""
        return bool(self.errors) or any(self.params.get(name) for name in MORE_FILTERS)


def _checked(query: ProcessQuery):
    """The value of a checked parameter as the filters compare it."""
    parsers = {
        "monto_min": _decimal,
        "monto_max": _decimal,
        "desde": _day,
        "hasta": _day,
        "adjudicado_desde": _day,
        "adjudicado_hasta": _day,
    }
    return lambda name: parsers[name](query.params[name])


class Matches:
    """The processes that pass a query, in the query's order, with their total known: the
    paginators slice it (one page of ids sorted in memory, then one query for those rows)
    and the downloads walk it in chunks."""

    def __init__(self, government, query: ProcessQuery, *, partial_fallback: bool = False):
        self.government, self.sort = government, query.sort
        self.columns = search_columns.columns_for(government)
        self.positions = search_columns.select(government, self.columns, query.params, _checked(query))
        # No process has every word of a search of several: the best partial matches instead,
        # which the page labels as such.
        self.partial = False
        if partial_fallback and self.positions is not None and not len(self.positions) and query.params.get("q"):
            partial = search_columns.select_partial(government, self.columns, query.params, _checked(query))
            if partial is not None:
                self.positions, self.partial = partial, True
        self.total = len(self.columns) if self.positions is None else len(self.positions)

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def facet_counts(self) -> tuple[int, dict[str, dict]]:
        return self.columns.facet_counts(self.positions)

    def ids(self, start: int = 0, stop: int | None = None) -> list[int]:
        return self.columns.ordered_ids(self.positions, self.sort, start, stop)

    def rows(self, queryset, ids: list[int]) -> list:
        """The rows of `queryset` with these ids, in their order (rows deleted since the
        columns were read are left out)."""
        by_id = {row.pk: row for row in queryset.filter(pk__in=ids)}
        return [by_id[pk] for pk in ids if pk in by_id]

    def __getitem__(self, index):
        if isinstance(index, slice):
            if index.step not in (None, 1):
                raise ValueError("Matches are sliced without a step")
            return self.rows(_listed(self.government), self.ids(index.start or 0, index.stop))
        found = self[index : index + 1]
        if not found:
            raise IndexError(index)
        return found[0]

    def iterate(self, queryset, *, limit: int | None = None, chunk: int = 2000):
        """Every match of `queryset` (the same government's processes, any columns), in order."""
        ids = self.ids(0, limit)
        for start in range(0, len(ids), chunk):
            yield from self.rows(queryset, ids[start : start + chunk])


def _listed(government):
    # A result row shows none of the long columns; the compiled release alone is kilobytes.
    return (
        processes(government)
        .select_related("buyer", "procedure")
        .defer("compiled", "search_text", "description", "flags", "group_flags")
    )


def matches(government, query: ProcessQuery, *, partial_fallback: bool = False) -> Matches:
    """The processes that pass the query. With `partial_fallback` (the search page and its
    downloads), a search of several words that no process has all of gives the processes with
    the most of them, and `partial` says so."""
    return Matches(government, query, partial_fallback=partial_fallback)


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


def _facet(query: ProcessQuery, param: str, label, rows: list[tuple[str, str, int]]) -> Facet:
    current = query.get(param)
    options = []
    for value, option_label, count in rows:
        value = str(value)
        selected = value == current
        options.append(
            FacetOption(value, option_label, count, selected, query.as_query(**{param: "" if selected else value}))
        )
    return Facet(param, str(label), options)


def _top(counter: dict, limit: int = FACET_LIMIT) -> list:
    return sorted(counter.items(), key=lambda item: (-item[1], str(item[0])))[:limit]


def facets(government, query: ProcessQuery, counts: dict[str, dict]) -> list[Facet]:
    procedures = {
        pk: (code, name)
        for pk, code, name in ProcedureType.objects.filter(government=government).values_list("pk", "code", "name")
    }
    by_procedure = [(*procedures.get(pk, ("-", str(_("Not recognised")))), n) for pk, n in _top(counts["procedure"])]
    stages = dict(Process.Stage.choices)
    by_stage = [(stage, str(stages.get(stage, stage)), n) for stage, n in _top(counts["stage"], 20)]
    years = sorted(((year, n) for year, n in counts["year"].items() if year is not None), reverse=True)[:FACET_LIMIT]
    by_year = [(year, str(year), n) for year, n in years]
    top_buyers = [(pk, n) for pk, n in _top(counts["buyer"]) if pk is not None]
    names = dict(
        Buyer.objects.filter(government=government, pk__in=[pk for pk, _n in top_buyers]).values_list("pk", "name")
    )
    by_buyer = [(pk, names.get(pk, "?"), n) for pk, n in top_buyers]
    return [
        _facet(query, "procedimiento", _("Procedure type"), by_procedure),
        _facet(query, "estado", _("Status"), by_stage),
        _facet(query, "anio", _("Year"), by_year),
        _facet(query, "comprador", _("Buyer"), by_buyer),
    ]


def search(government, query: ProcessQuery, *, partial_fallback: bool = False) -> tuple[Matches, list[Facet]]:
    """(the ordered results with their total, their facets) for the query."""
    found = Matches(government, query, partial_fallback=partial_fallback)
    _total, counts = found.facet_counts()
    return found, facets(government, query, counts)


# One process ----------------------------------------------------------------------------------

TIMELINE_STAGES = (
    ("planning", _("Planning")),
    ("tender", _("Tender")),
    ("award", _("Award")),
    ("contract", _("Contract")),
    ("implementation", _("Implementation")),
    ("amendment", _("Amendments")),
)


def _tag_stage(tag: str) -> str:
    if "Amendment" in tag:
        return "amendment"
    if tag == "contractTermination":
        return "implementation"
    for stage, _label in TIMELINE_STAGES:
        if tag.startswith(stage):
            return stage
    return ""


@dataclass
class TimelineEvent:
    date: dt.datetime
    stage: str
    stage_label: str
    tags: list[str]
    release_id: str
    summary: str


def _summary(data: dict, stage: str) -> str:
    if stage == "planning":
        budget = (data.get("planning") or {}).get("budget") or {}
        return str(budget.get("description") or "")
    if stage in ("tender",):
        tender = data.get("tender") or {}
        return str(tender.get("title") or tender.get("status") or "")
    if stage == "award":
        return "; ".join(
            ", ".join(str(s.get("name", "")) for s in (a.get("suppliers") or []) if isinstance(s, dict))
            for a in data.get("awards") or []
            if isinstance(a, dict)
        )
    if stage in ("contract", "implementation", "amendment"):
        parts = []
        for contract in data.get("contracts") or []:
            if isinstance(contract, dict):
                for amendment in contract.get("amendments") or []:
                    if isinstance(amendment, dict) and amendment.get("rationale"):
                        parts.append(str(amendment["rationale"]))
                if contract.get("title") and not parts:
                    parts.append(str(contract["title"]))
        return "; ".join(parts)
    return ""


def timeline(process: Process) -> list[TimelineEvent]:
    labels = dict(TIMELINE_STAGES)
    events = []
    for release in Release.objects.filter(process=process).order_by("date", "pk"):
        tags = release.tag_list()
        stages = [stage for stage in (_tag_stage(tag) for tag in tags) if stage]
        stage = stages[-1] if stages else ""
        events.append(
            TimelineEvent(
                release.date,
                stage,
                str(labels.get(stage, _("Compiled record"))),
                tags,
                release.release_id,
                _summary(release.data, stage)[:300],
            )
        )
    return events


def _published_day(value):
    """The day a document was published, as a date the page formats; the text as it came when
    it is not a date."""
    text = str(value or "")[:10]
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return text


def documents(process: Process) -> list[dict]:
    compiled = process.compiled or {}
    found = []

    def add(section_label, docs):
        for doc in docs or []:
            if isinstance(doc, dict) and (doc.get("url") or doc.get("title")):
                url = str(doc.get("url") or "")
                found.append(
                    {
                        "section": str(section_label),
                        "title": str(doc.get("title") or doc.get("documentType") or url)[:300],
                        "type": str(doc.get("documentType") or ""),
                        "url": url if url.startswith(("https://", "http://")) else "",
                        "date": _published_day(doc.get("datePublished")),
                    }
                )

    add(_("Planning"), (compiled.get("planning") or {}).get("documents"))
    add(_("Tender"), (compiled.get("tender") or {}).get("documents"))
    for award in compiled.get("awards") or []:
        if isinstance(award, dict):
            add(_("Award"), award.get("documents"))
    for contract in compiled.get("contracts") or []:
        if isinstance(contract, dict):
            add(_("Contract"), contract.get("documents"))
            add(_("Implementation"), (contract.get("implementation") or {}).get("documents"))
    return found


@dataclass
class FlagView:
    code: str
    name: str
    description: str
    source: str
    state: str
    reason: str


def flag_views(process: Process) -> list[FlagView]:
    results = {**(process.flags or {}), **(process.group_flags or {})}
    views = []
    for indicator in indicators.INDICATORS:
        result = results.get(indicator.code, {"state": indicators.NO_DATA, "values": {}})
        views.append(
            FlagView(
                indicator.code,
                str(indicator.name),
                str(indicator.description),
                str(indicator.source),
                result.get("state", indicators.NO_DATA),
                indicators.explain(indicator.code, result),
            )
        )
    order = {indicators.FIRED: 0, indicators.CLEAR: 1, indicators.NO_DATA: 2, indicators.NOT_APPLICABLE: 3}
    return sorted(views, key=lambda v: order.get(v.state, 9))


def process_budget_keys(process: Process) -> list[str]:
    return list(process.budget_lines.order_by("key").values_list("key", flat=True))


def process_suppliers(process: Process):
    return process.supplier_links.select_related("supplier").order_by("-amount")


# Suppliers and buyers --------------------------------------------------------------------------


def suppliers(government):
    return Supplier.objects.filter(government=government)


def buyers(government):
    return Buyer.objects.filter(government=government)


def yearly_spending(government) -> dict[int, Decimal]:
    rows = (
        ProcessSupplier.objects.for_government(government)
        .filter(year__isnull=False)
        .values_list("year")
        .annotate(total=Sum("amount"))
    )
    return {year: total or Decimal(0) for year, total in rows}


def supplier_years(government, supplier: Supplier) -> list[dict]:
    totals = yearly_spending(government)
    rows = (
        ProcessSupplier.objects.for_government(government)
        .filter(supplier=supplier, year__isnull=False)
        .values_list("year")
        .annotate(total=Sum("amount"), count=Count("pk"))
        .order_by("-year")
    )
    found = []
    for year, total, count in rows:
        government_total = totals.get(year) or Decimal(0)
        share = (total or Decimal(0)) * 100 / government_total if government_total else None
        found.append(
            {
                "year": year,
                "total": total or Decimal(0),
                "count": count,
                "share": share,
                "government_total": government_total,
            }
        )
    return found


def supplier_processes(government, supplier: Supplier):
    return (
        processes(government)
        .filter(
            pk__in=ProcessSupplier.objects.for_government(government).filter(supplier=supplier).values("process_id")
        )
        .select_related("procedure", "buyer")
        .order_by("-date", "-pk")
    )


def buyer_years(government, buyer: Buyer) -> list[dict]:
    rows = (
        processes(government)
        .filter(buyer=buyer, year__isnull=False)
        .values_list("year")
        .annotate(total=Sum("amount"), count=Count("pk"))
        .order_by("-year")
    )
    found = []
    for year, total, count in rows:
        emergency = (
            processes(government)
            .filter(buyer=buyer, year=year, procedure__is_emergency=True)
            .aggregate(total=Sum("amount"))["total"]
        )
        share = (emergency or Decimal(0)) * 100 / total if total else None
        found.append({"year": year, "total": total or Decimal(0), "count": count, "emergency_share": share})
    return found


def buyer_top_suppliers(government, buyer: Buyer, limit: int = 10) -> list[dict]:
    rows = (
        ProcessSupplier.objects.for_government(government)
        .filter(process__buyer=buyer)
        .values_list("supplier_id", "supplier__name")
        .annotate(total=Sum("amount"), count=Count("pk"))
        .order_by("-total")[:limit]
    )
    return [{"pk": pk, "name": name, "total": total or Decimal(0), "count": count} for pk, name, total, count in rows]


def buyer_procedures(government, buyer: Buyer) -> list[dict]:
    rows = (
        processes(government)
        .filter(buyer=buyer)
        .values_list("procedure__name")
        .annotate(total=Sum("amount"), count=Count("pk"))
        .order_by("-total")
    )
    return [
        {"name": name or str(_("Not recognised")), "total": total or Decimal(0), "count": count}
        for name, total, count in rows
    ]


def backlink_processes(government, key: str):
    ids = ProcessBudgetLine.objects.for_government(government).filter(key=key).values("process_id")
    return processes(government).filter(pk__in=ids).select_related("procedure", "buyer")


def import_runs(government):
    return ImportRun.objects.filter(government=government)


def coverage(government) -> list[dict]:
    """For each indicator, how many processes it could be computed for: the data coverage."""
    counts = {
        indicator.code: {
            state: 0 for state in (indicators.FIRED, indicators.CLEAR, indicators.NO_DATA, indicators.NOT_APPLICABLE)
        }
        for indicator in indicators.INDICATORS
    }
    total = processes(government).count()
    for indicator in indicators.INDICATORS:
        column = "flags" if indicator.code in indicators.PROCESS_CODES else "group_flags"
        rows = (
            processes(government).values_list(f"{column}__{indicator.code}__state").annotate(n=Count("pk")).order_by()
        )
        for state, n in rows:
            counts[indicator.code][state if state in counts[indicator.code] else indicators.NO_DATA] += n
    return [
        {
            "code": indicator.code,
            "name": str(indicator.name),
            "total": total,
            **counts[indicator.code],
            "computable": counts[indicator.code][indicators.FIRED] + counts[indicator.code][indicators.CLEAR],
            "applicable": total - counts[indicator.code][indicators.NOT_APPLICABLE],
        }
        for indicator in indicators.INDICATORS
    ]
