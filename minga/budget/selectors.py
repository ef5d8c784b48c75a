"""Reads of the budget module, always scoped to one government. Public reads only see
published cut-offs; sums are computed by the database and the derived figures (balances and
rates) by `Stages`, so nothing shown is typed by hand."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.http import Http404

from . import classifier
from .models import BudgetImport, BudgetLine, BudgetYear, ClassifierEntry, CutOff, LineExecution, Stages

SIDES = ("expense", "income")
SUMS = {name: Sum(name) for name in Stages.FIELDS}

# dimension -> (fields grouped by, field holding the code, field holding the name)
DIMENSIONS = {
    "group": (("line__group_code",), "line__group_code", None),
    "subgroup": (("line__subgroup_code",), "line__subgroup_code", None),
    "item": (("line__item_code",), "line__item_code", None),
    "programme": (("line__programme_code", "line__programme_name"), "line__programme_code", "line__programme_name"),
    "unit": (("line__unit_name",), "line__unit_name", "line__unit_name"),
    "territory": (("line__dpa_code", "line__location_name"), "line__dpa_code", "line__location_name"),
    "funding": (("line__funding_code", "line__funding_name"), "line__funding_code", "line__funding_name"),
}
CHILD = {"group": "subgroup", "subgroup": "item", "item": None}
PARENT_FIELD = {"subgroup": "line__group_code", "item": "line__subgroup_code"}


@dataclass
class Row:
    code: str
    name: str
    stages: Stages
    share: Decimal | None = None  # of the parent's codificado, in percent


# Classifier -------------------------------------------------------------------------------


def classifier_names(government) -> dict[str, str]:
    """Code → name: the government's own names over the classifier's starting ones, so a level
    its imports never named (a subgroup such as 7308) still has a name on the public pages."""
    names = {code: name for code, (name, _direction, _side) in classifier.NATURES.items()}
    names |= classifier.GROUPS | classifier.SUBGROUPS | classifier.ITEMS
    own = ClassifierEntry.objects.filter(government=government).values_list("code", "name")
    return names | {code: name for code, name in own if name}


def natures_for(government, side: str) -> list[str]:
    """The nature digits of one side; ``government`` may be the object or its id."""
    return list(
        ClassifierEntry.objects.filter(
            government=government, level=ClassifierEntry.Level.NATURE, side=side
        ).values_list("code", flat=True)
    )


def classifier_entries(government, *, level: int | None = None, query: str = ""):
    entries = ClassifierEntry.objects.filter(government=government)
    if level:
        entries = entries.filter(level=level)
    if query:
        entries = entries.filter(Q(code__startswith=query) | Q(name__icontains=query))
    return entries.order_by("code")


# Years and cut-offs -----------------------------------------------------------------------


def published_years(government):
    return (
        BudgetYear.objects.filter(government=government, cutoffs__published_at__isnull=False)
        .distinct()
        .order_by("-year")
    )


def published_year(government, year: int) -> BudgetYear:
    found = published_years(government).filter(year=year).first()
    if found is None:
        raise Http404
    return found


def published_cutoffs(budget_year: BudgetYear):
    return CutOff.objects.filter(budget_year=budget_year).published().select_related("budget_year").order_by("month")


def cutoff_for(budget_year: BudgetYear, key: str = "") -> CutOff:
    """The published cut-off named ``key`` (YYYY-MM or the month number), else the latest."""
    cutoffs = published_cutoffs(budget_year)
    if key:
        month = key.rsplit("-", 1)[-1]
        if month.isdigit():
            found = cutoffs.filter(month=int(month)).first()
            if found is not None:
                return found
    found = cutoffs.last()
    if found is None:
        raise Http404
    return found


def latest_cutoff(government) -> CutOff | None:
    return (
        CutOff.objects.filter(government=government)
        .published()
        .select_related("budget_year")
        .order_by("-budget_year__year", "-month")
        .first()
    )


# Figures ----------------------------------------------------------------------------------


def _executions(cutoff: CutOff, side: str):
    # A page asks for several sums of the same cut-off: read the natures once per cut-off object.
    memo = cutoff.__dict__.setdefault("_natures_by_side", {})
    if side not in memo:
        memo[side] = natures_for(cutoff.government_id, side)
    natures = memo[side]
    return LineExecution.objects.filter(cutoff=cutoff, line__nature_code__in=natures)


def side_executions(cutoff: CutOff, side: str):
    """The executions of one cédula (expense or income) at the cut-off."""
    return _executions(cutoff, side)


def totals(cutoff: CutOff, side: str) -> Stages:
    return Stages(**_executions(cutoff, side).aggregate(**SUMS))


def line_count(cutoff: CutOff, side: str) -> int:
    return _executions(cutoff, side).count()


def breakdown(cutoff: CutOff, *, side: str, by: str, parent: str = "", names: dict | None = None) -> list[Row]:
    """The side's figures at the cut-off grouped by one dimension, largest codificado first.
    Group → subgroup → item take ``parent`` (the code one level up)."""
    keys, code_field, name_field = DIMENSIONS[by]
    executions = _executions(cutoff, side)
    if by in PARENT_FIELD and parent:
        executions = executions.filter(**{PARENT_FIELD[by]: parent})
    names = names if names is not None else classifier_names(cutoff.government_id)
    grouped = executions.values(*keys).annotate(**SUMS).order_by("-codificado", *keys)
    rows = []
    for values in grouped:
        code = values[code_field] or ""
        name = values[name_field] if name_field else names.get(code, "")
        rows.append(Row(code=code, name=name or "", stages=Stages(**{k: values[k] for k in Stages.FIELDS})))
    whole = sum((row.stages.codificado or 0 for row in rows), Decimal(0))
    for row in rows:
        row.share = Stages.rate_of(row.stages.codificado, whole)
    return rows


def lines_under(cutoff: CutOff, *, side: str, item: str):
    return (
        _executions(cutoff, side)
        .filter(line__item_code=item)
        .select_related("line", "line__budget_year")
        .order_by("line__partida")
    )


@dataclass
class CurvePoint:
    month: int
    stages: Stages
    plan_rate: Decimal  # the share of the year gone by, as a linear plan

    @property
    def gap(self) -> Decimal | None:
        """Percentage points ahead of (+) or behind (−) the linear plan."""
        rate = self.stages.execution_rate
        return None if rate is None else rate - self.plan_rate


def monthly_curve(budget_year: BudgetYear, side: str) -> list[CurvePoint]:
    natures = natures_for(budget_year.government_id, side)
    grouped = (
        LineExecution.objects.filter(
            cutoff__budget_year=budget_year, cutoff__published_at__isnull=False, line__nature_code__in=natures
        )
        .values("cutoff__month")
        .annotate(**SUMS)
        .order_by("cutoff__month")
    )
    return [
        CurvePoint(
            month=values["cutoff__month"],
            stages=Stages(**{k: values[k] for k in Stages.FIELDS}),
            plan_rate=(Decimal(values["cutoff__month"]) * 100 / 12).quantize(Decimal("0.01")),
        )
        for values in grouped
    ]


@dataclass
class YearColumn:
    budget_year: BudgetYear
    cutoff: CutOff
    totals: Stages
    groups: dict[str, Stages]


def year_comparison(government, side: str) -> tuple[list[YearColumn], list[tuple[str, str]]]:
    """Each published year at the same point of the year when it can (the month of the newest
    year's latest cut-off), otherwise at its own latest cut-off; and the groups any of them has."""
    years = list(published_years(government))
    if not years:
        return [], []
    month = cutoff_for(years[0]).month
    names = classifier_names(government)
    columns, codes = [], set()
    for budget_year in years:
        cutoffs = published_cutoffs(budget_year)
        cutoff = cutoffs.filter(month=month).first() or cutoffs.last()
        groups = {row.code: row.stages for row in breakdown(cutoff, side=side, by="group", names=names)}
        codes |= set(groups)
        columns.append(YearColumn(budget_year=budget_year, cutoff=cutoff, totals=totals(cutoff, side), groups=groups))
    return columns, [(code, names.get(code, "")) for code in sorted(codes)]


# Lines ------------------------------------------------------------------------------------


def public_line(budget_year: BudgetYear, partida: str) -> BudgetLine:
    line = (
        BudgetLine.objects.filter(
            budget_year=budget_year, partida=partida, executions__cutoff__published_at__isnull=False
        )
        .select_related("budget_year")
        .first()
    )
    if line is None:
        raise Http404
    return line


def line_history(line: BudgetLine):
    return (
        LineExecution.objects.filter(line=line, cutoff__published_at__isnull=False)
        .select_related("cutoff", "cutoff__budget_year")
        .order_by("cutoff__month")
    )


def lines_by_keys(government, keys: list[str]) -> dict[str, LineExecution]:
    """The latest published execution of each "<year>:<partida>" key."""
    wanted: dict[int, set[str]] = {}
    for key in keys:
        year, _sep, partida = key.partition(":")
        if year.isdigit() and partida:
            wanted.setdefault(int(year), set()).add(partida)
    found: dict[str, LineExecution] = {}
    for year, partidas in wanted.items():
        budget_year = published_years(government).filter(year=year).first()
        if budget_year is None:
            continue
        executions = (
            LineExecution.objects.filter(
                line__budget_year=budget_year, line__partida__in=partidas, cutoff__published_at__isnull=False
            )
            .select_related("line", "line__budget_year", "cutoff")
            .order_by("cutoff__month")
        )
        for execution in executions:
            found[execution.line.key] = execution  # the last month wins
    return found


# Back office -------------------------------------------------------------------------------


def office_years(government):
    return (
        BudgetYear.objects.filter(government=government)
        .annotate(
            cutoff_count=Count("cutoffs", distinct=True),
            published_count=Count("cutoffs", filter=Q(cutoffs__published_at__isnull=False), distinct=True),
        )
        .order_by("-year")
    )


def office_cutoffs(budget_year: BudgetYear):
    return (
        CutOff.objects.filter(budget_year=budget_year)
        .annotate(line_count=Count("executions"))
        .select_related("budget_year")
        .order_by("month")
    )


def office_imports(government):
    return BudgetImport.objects.filter(government=government).select_related("created_by").defer("raw_rows")
