"""Open data of participatory budgets, from published results only: the projects with their
votes and whether they were funded, the anonymised ballots (one row per ballot: budget,
channel, the projects chosen with their points; no person, no time), and the count of each
budget (rule, voters by channel, funded projects, what was spent)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from minga.core.opendata import OpenDataColumn, OpenDataTable
from minga.core.tenancy.paths import government_link, government_path

from ..features import MODULE
from .models import Ballot, BudgetResult, Override, Project


def _results(government):
    return (
        BudgetResult.objects.for_government(government)
        .filter(published_at__isnull=False, budget__process__is_published=True)
        .select_related("budget__process")
        .order_by("budget__process__starts_at", "budget__position", "budget__pk")
    )


def _budget_id(budget) -> str:
    return f"{budget.process.slug}/{budget.slug}"


def project_rows(government) -> list[tuple]:
    from .tallying import winners

    rows = []
    for result in _results(government):
        budget = result.budget
        overrides = list(Override.objects.for_government(government).filter(budget=budget).select_related("project"))
        funded = set(winners(result, overrides))
        counted = {p["project_id"]: p for p in result.outcome.get("projects") or []}
        projects = Project.objects.for_government(government).filter(budget=budget).order_by("position", "title", "pk")
        for project in projects:
            item = counted.get(project.tally_id, {})
            rows.append(
                (
                    _budget_id(budget),
                    project.tally_id,
                    project.slug,
                    project.title,
                    int(project.cost),
                    item.get("votes", 0),
                    item.get("points", 0),
                    item.get("rank"),
                    bool(item.get("funded")),
                    project.tally_id in funded,
                    item.get("reason", ""),
                    government_link(
                        government,
                        government_path("participation:budget_project", slug=budget.process.slug, project=project.slug),
                    ),
                )
            )
    return rows


def ballot_rows(government) -> list[tuple]:
    rows = []
    for result in _results(government):
        budget = result.budget
        ballots = Ballot.objects.for_government(government).filter(budget=budget).values_list("channel", "points")
        # sorted by content, so the order says nothing about when a ballot was cast
        for channel, points in sorted(ballots, key=lambda row: (sorted(row[1].items()), row[0])):
            chosen = sorted(points.items(), key=lambda item: int(item[0]))
            rows.append(
                (
                    _budget_id(budget),
                    channel,
                    ",".join(pid for pid, _v in chosen),
                    ",".join(str(v) for _pid, v in chosen),
                )
            )
    return rows


def outcome_rows(government) -> list[tuple]:
    from .tallying import winners

    rows = []
    for result in _results(government):
        budget = result.budget
        overrides = list(Override.objects.for_government(government).filter(budget=budget).select_related("project"))
        outcome = result.outcome
        rows.append(
            (
                _budget_id(budget),
                budget.title,
                budget.territory_code,
                int(budget.amount),
                budget.ballot_kind,
                (outcome.get("rule") or {}).get("method", ""),
                result.online_voters,
                result.paper_voters,
                ",".join(outcome.get("selected") or []),
                ",".join(winners(result, overrides)),
                outcome.get("spent", 0),
                result.published_at,
            )
        )
    return rows


def tables(government) -> list[OpenDataTable]:
    """The three tables, once the government has published a result (no empty datasets)."""
    if not _results(government).exists():
        return []
    name = government.short_name or government.name
    budget_column = OpenDataColumn(
        "presupuesto", str(_("Budget")), str(_("The process's identifier and the budget's, separated by /."))
    )
    return [
        OpenDataTable(
            key="participation.budget_projects",
            module=MODULE,
            title=str(_("Participatory-budget projects and votes of %(name)s") % {"name": name}),
            summary=str(_("Every project of every published participatory-budget result: cost, votes, funded or not.")),
            description=str(_("Published automatically with each participatory-budget result.")),
            columns=(
                budget_column,
                OpenDataColumn("id_proyecto", str(_("Project id")), str(_("The id on ballots and in the .pb file."))),
                OpenDataColumn("identificador", str(_("Identifier"))),
                OpenDataColumn("titulo", str(_("Title"))),
                OpenDataColumn("costo", str(_("Cost (USD)")), type="integer"),
                OpenDataColumn("votos", str(_("Votes")), type="integer"),
                OpenDataColumn("puntos", str(_("Points")), type="integer"),
                OpenDataColumn("puesto", str(_("Place by votes")), type="integer"),
                OpenDataColumn("financiado_por_conteo", str(_("Funded by the count")), type="boolean"),
                OpenDataColumn("financiado", str(_("Funded (after official decisions)")), type="boolean"),
                OpenDataColumn("razon", str(_("Reason")), str(_("The tally engine's reason key."))),
                OpenDataColumn("direccion", str(_("Page"))),
            ),
            rows=lambda: project_rows(government),
            theme="GOVE",
            keywords=("presupuesto participativo", "votación"),
            frequency="IRREG",
        ),
        OpenDataTable(
            key="participation.budget_ballots",
            module=MODULE,
            title=str(_("Anonymised participatory-budget ballots of %(name)s") % {"name": name}),
            summary=str(
                _("One row per ballot counted: budget, channel and the projects chosen; nobody can be identified.")
            ),
            description=str(_("Ballots are stored apart from voters; rows are sorted by content.")),
            columns=(
                budget_column,
                OpenDataColumn("canal", str(_("Channel")), str(_("online or paper."))),
                OpenDataColumn("proyectos", str(_("Projects chosen")), str(_("Project ids separated by commas."))),
                OpenDataColumn("puntos", str(_("Points")), str(_("Points per project, in the same order."))),
            ),
            rows=lambda: ballot_rows(government),
            theme="GOVE",
            keywords=("presupuesto participativo", "papeletas"),
            frequency="IRREG",
        ),
        OpenDataTable(
            key="participation.budget_outcomes",
            module=MODULE,
            title=str(_("Participatory-budget results of %(name)s") % {"name": name}),
            summary=str(_("The count of each budget: rule, voters online and on paper, funded projects, spending.")),
            description=str(_("Published automatically with each participatory-budget result.")),
            columns=(
                budget_column,
                OpenDataColumn("titulo", str(_("Title"))),
                OpenDataColumn("territorio", str(_("Territory code"))),
                OpenDataColumn("monto", str(_("Amount (USD)")), type="integer"),
                OpenDataColumn("papeleta", str(_("Ballot"))),
                OpenDataColumn("regla", str(_("Counting rule"))),
                OpenDataColumn("votantes_en_linea", str(_("Online voters")), type="integer"),
                OpenDataColumn("votantes_papel", str(_("Paper voters")), type="integer"),
                OpenDataColumn(
                    "seleccion_conteo", str(_("Funded by the count")), str(_("Project ids, in funding order."))
                ),
                OpenDataColumn("financiados", str(_("Funded")), str(_("Project ids after official decisions."))),
                OpenDataColumn("gastado", str(_("Spent by the count (USD)")), type="integer"),
                OpenDataColumn("publicado", str(_("Published")), type="datetime"),
            ),
            rows=lambda: outcome_rows(government),
            theme="GOVE",
            keywords=("presupuesto participativo", "resultados"),
            frequency="IRREG",
        ),
    ]
