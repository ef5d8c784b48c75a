"""Reads of participatory budgets: public ones only for published processes; results only
once published; the back office's see every budget of the government."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q

from minga.core import registry

from ..features import SHOW_RESULTS, VOTE
from ..processes import selectors as process_selectors
from ..processes.models import Phase, Process
from . import explain, memos
from .models import Budget, BudgetResult, BudgetVoter, Override, PaperBatch, Project, ProjectLink


def _with_process(budgets, government):
    return budgets.select_related("process").prefetch_related(
        Prefetch("process__phases", queryset=Phase.objects.filter(government=government).order_by("position"))
    )


def public_process(government, slug: str) -> Process | None:
    return process_selectors.public_process(government, slug)


def public_budgets(government, process: Process) -> list[Budget]:
    return list(
        Budget.objects.for_government(government)
        .filter(process=process)
        .annotate(project_count=Count("projects"))
        .order_by("position", "title")
    )


def public_budget(government, process: Process, slug: str) -> Budget | None:
    budget = Budget.objects.for_government(government).filter(process=process, slug=slug).first()
    if budget is not None:
        budget.process = process  # with its prefetched phases
    return budget


def public_budget_of(government, slug: str, budget_slug: str) -> Budget | None:
    """A budget of a published process, by the two slugs, with its process and the process's
    phases: two queries, remembered until the government's content changes (``memos``)."""

    def load():
        budgets = Budget.objects.for_government(government).filter(
            slug=budget_slug, process__slug=slug, process__government=government, process__is_published=True
        )
        return _with_process(budgets, government).first()

    return memos.budget(government, slug, budget_slug, load)


def projects_of(government, budget: Budget) -> list[Project]:
    return list(
        Project.objects.for_government(government)
        .filter(budget=budget)
        .prefetch_related("links")
        .order_by("position", "title", "pk")
    )


def public_project(government, process: Process, slug: str) -> Project | None:
    project = (
        Project.objects.for_government(government)
        .filter(budget__process=process, slug=slug)
        .select_related("budget")
        .prefetch_related("links")
        .first()
    )
    if project is not None:
        project.budget.process = process
    return project


def published_result(government, budget: Budget) -> BudgetResult | None:
    return BudgetResult.objects.for_government(government).filter(budget=budget, published_at__isnull=False).first()


def result_of(government, budget: Budget) -> BudgetResult | None:
    return BudgetResult.objects.for_government(government).filter(budget=budget).first()


def overrides_of(government, budget: Budget) -> list[Override]:
    return list(Override.objects.for_government(government).filter(budget=budget).select_related("project"))


@dataclass
class BudgetCard:
    budget: Budget
    result: BudgetResult | None
    voters: int | None


@dataclass
class Overview:
    budgets: list[BudgetCard]
    voting: bool
    results: bool
    per_voter: int


def overview(government, process: Process, budgets: list[Budget], now: dt.datetime) -> Overview:
    from .voting import budgets_per_voter

    results = {
        r.budget_id: r
        for r in BudgetResult.objects.for_government(government).filter(budget__in=budgets, published_at__isnull=False)
    }
    cards = []
    for budget in budgets:
        result = results.get(budget.pk)
        voters = result.online_voters + result.paper_voters if result else None
        cards.append(BudgetCard(budget, result, voters))
    return Overview(
        budgets=cards,
        voting=process_selectors.feature_on(process, VOTE, now),
        results=bool(results) or process_selectors.feature_on(process, SHOW_RESULTS, now),
        per_voter=budgets_per_voter(process),
    )


# Links ------------------------------------------------------------------------------------------


def links_of(government, project: Project) -> dict[str, list[dict]]:
    """The project's links (works, lines, proposals), each resolved through the registry (None
    when the other module does not publish it); works include those that point to the project."""
    by_kind: dict[str, list[str]] = {}
    for link in project.links.all():
        by_kind.setdefault(link.kind, []).append(link.key)
    found: dict[str, list[dict]] = {}
    for kind, keys in by_kind.items():
        resolved = registry.resolve_links(government, kind, keys)
        found[kind] = [{"key": key, "record": resolved.get(key)} for key in keys]
    works = found.setdefault(ProjectLink.Kind.WORK, [])
    named = {item["key"] for item in works}
    for record in registry.find_backlinks(government, "participation.project", project.slug):
        if record.kind == ProjectLink.Kind.WORK and record.key not in named:
            works.append({"key": record.key, "record": record})
    return {
        "works": works,
        "lines": found.get(ProjectLink.Kind.BUDGET_LINE, []),
        "proposals": found.get(ProjectLink.Kind.PROPOSAL, []),
    }


# Results ----------------------------------------------------------------------------------------


@dataclass
class ProjectRow:
    project: Project
    number: int
    votes: int
    points: int
    rank: int
    counted: bool  # funded by the count
    funded: bool  # after overrides
    override: Override | None
    reasons: list[str]
    order: int | None
    links: dict[str, list[dict]] = field(default_factory=dict)


@dataclass
class ResultView:
    result: BudgetResult
    rows: list[ProjectRow]
    summary: list[str]
    overrides: list[Override]
    voters: int
    spent: int
    rule: dict[str, Any]


def result_view(government, budget: Budget, result: BudgetResult, *, with_links: bool = True) -> ResultView:
    from .tallying import winners

    projects = projects_of(government, budget)
    by_id = {p.tally_id: p for p in projects}
    numbers = {p.tally_id: n for n, p in enumerate(projects, start=1)}
    titles = {pid: p.title for pid, p in by_id.items()}
    overrides = overrides_of(government, budget)
    override_of = {o.project_id: o for o in overrides}
    funded = set(winners(result, overrides))
    outcome = result.outcome
    rows = []
    for item in outcome.get("projects") or []:
        project = by_id.get(item["project_id"])
        if project is None:
            continue
        is_funded = item["project_id"] in funded
        rows.append(
            ProjectRow(
                project=project,
                number=numbers[item["project_id"]],
                votes=item["votes"],
                points=item["points"],
                rank=item["rank"],
                counted=bool(item["funded"]),
                funded=is_funded,
                override=override_of.get(project.pk),
                reasons=explain.reasons(item, titles),
                order=item.get("order"),
                links=links_of(government, project) if with_links and is_funded else {},
            )
        )
    rows.sort(key=lambda r: (not r.funded, r.order or 10**6, r.rank))
    spent = sum(int(by_id[pid].cost) for pid in funded if pid in by_id)
    return ResultView(
        result=result,
        rows=rows,
        summary=explain.summary(outcome),
        overrides=overrides,
        voters=result.online_voters + result.paper_voters,
        spent=spent,
        rule=outcome.get("rule") or {},
    )


# Back office -------------------------------------------------------------------------------------


def office_budgets(government, process: Process | None = None):
    budgets = (
        Budget.objects.for_government(government)
        .select_related("process")
        .annotate(
            project_count=Count("projects", distinct=True),
            voter_count=Count("voters", distinct=True),
        )
    )
    if process is not None:
        budgets = budgets.filter(process=process)
    return budgets.order_by("-process__starts_at", "process__title", "position", "title")


def office_budget(government, pk: int) -> Budget | None:
    return _with_process(Budget.objects.for_government(government), government).filter(pk=pk).first()


def pb_processes(government):
    return (
        Process.objects.for_government(government)
        .filter(Q(kind=Process.Kind.PARTICIPATORY_BUDGET) | Q(budgets__isnull=False))
        .distinct()
        .order_by("-starts_at")
    )


def turnout(government, budget: Budget) -> dict[str, int]:
    rows = dict(
        BudgetVoter.objects.for_government(government)
        .filter(budget=budget)
        .values_list("channel")
        .annotate(n=Count("pk"))
    )
    return {"online": rows.get("online", 0), "paper": rows.get("paper", 0)}


def batches_of(government, budget: Budget):
    return (
        PaperBatch.objects.for_government(government).filter(budget=budget).select_related("entered_by", "confirmed_by")
    )
