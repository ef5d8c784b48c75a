"""How other modules see a budget line ("budget.line", key "<year>:<partida>"): its title,
its public page and the figures of its latest published cut-off."""

from __future__ import annotations

from django.db.models import Q

from minga.core.registry import LinkedRecord
from minga.core.tenancy.paths import government_path

from . import selectors
from .models import BudgetLine

KIND = "budget.line"


def line_record(execution) -> LinkedRecord:
    line, stages = execution.line, execution.stages
    return LinkedRecord(
        kind=KIND,
        key=line.key,
        title=f"{line.partida} · {line.description}",
        url=government_path("budget:line", year=line.budget_year.year, partida=line.partida),
        module="budget",
        facts={
            "year": line.budget_year.year,
            "asignado": stages.asignado,
            "codificado": stages.codificado,
            "certificado": stages.certificado,
            "comprometido": stages.comprometido,
            "devengado": stages.devengado,
            "pagado": stages.pagado,
            "description": line.description,
            "cutoff": execution.cutoff.key,
        },
    )


def resolve_lines(government, keys: list[str]) -> dict[str, LinkedRecord]:
    return {key: line_record(execution) for key, execution in selectors.lines_by_keys(government, keys).items()}


def search_lines(government, text: str, limit: int) -> list[LinkedRecord]:
    """Lines of the latest published year whose partida starts with, or whose description
    contains, the text; the expense lines with the largest codificado first."""
    budget_year = selectors.published_years(government).order_by("-year").first()
    if budget_year is None:
        return []
    lines = BudgetLine.objects.filter(budget_year=budget_year)
    if text:
        lines = lines.filter(Q(partida__startswith=text) | Q(description__icontains=text))
    keys = [f"{budget_year.year}:{partida}" for partida in lines.order_by("partida").values_list("partida", flat=True)]
    executions = selectors.lines_by_keys(government, keys)
    ranked = sorted(executions.values(), key=lambda e: (-(e.stages.codificado or 0), e.line.partida))
    return [line_record(execution) for execution in ranked[:limit]]
