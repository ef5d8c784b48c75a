"""What a ballot may hold, shared by the online vote and the paper batches: the budget's
published ballot rules as the tally engine states them, the check of one ballot against them
(with the engine's problem codes worded for people), and the election the count reads."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from minga.core.tenancy.models import Government

from . import tally
from .models import Ballot, BallotKind, Budget, Project, TallyMethod


def ballot_rules(budget: Budget) -> tally.BallotRules:
    kind = tally.BallotKind(budget.ballot_kind)
    return tally.BallotRules(
        kind=kind,
        min_projects=budget.min_projects,
        max_projects=budget.max_projects,
        max_cost=budget.amount if kind is tally.BallotKind.KNAPSACK else None,
        total_points=budget.total_points if kind is tally.BallotKind.CUMULATIVE else None,
        max_points=budget.max_points if kind is tally.BallotKind.CUMULATIVE else None,
    )


def tally_rule(budget: Budget) -> tally.Rule:
    if budget.method == TallyMethod.GREEDY:
        return tally.Rule.greedy()
    utility = tally.Utility.POINTS if budget.ballot_kind == BallotKind.CUMULATIVE else tally.Utility.COST
    return tally.Rule.equal_shares(utility=utility)


def engine_projects(projects) -> dict[str, tally.Project]:
    return {p.tally_id: tally.Project(id=p.tally_id, cost=int(p.cost), name=p.title) for p in projects}


def problem_text(problem: tally.Problem, titles: Mapping[str, str] | None = None) -> str:
    """One reason a ballot is refused, in the visitor's language."""
    p = dict(problem.params)
    code = problem.code
    if code == "too_few_projects":
        return ngettext("Choose at least %(n)d project.", "Choose at least %(n)d projects.", p["minimum"]) % {
            "n": p["minimum"]
        }
    if code == "too_many_projects":
        return ngettext("Choose at most %(n)d project.", "Choose at most %(n)d projects.", p["maximum"]) % {
            "n": p["maximum"]
        }
    if code == "over_cost_limit":
        return _("The projects chosen cost USD %(cost)s together, more than the USD %(max)s available.") % {
            "cost": f"{p['cost']:,}".replace(",", "."),
            "max": f"{p['maximum']:,}".replace(",", "."),
        }
    if code == "too_many_points":
        return _("You gave %(points)d points; you have %(max)d.") % {"points": p["points"], "max": p["maximum"]}
    if code == "too_few_points":
        return _("Give at least %(min)d points.") % {"min": p["minimum"]}
    if code == "too_many_points_on_one":
        return _("At most %(max)d points on one project.") % {"max": p["maximum"]}
    if code in ("points_not_positive", "points_on_approval_ballot"):
        return _("Points must be whole numbers above zero.")
    if code == "unknown_project":
        return _("A project chosen is not on this ballot.")
    if code == "under_cost_minimum":
        return _("The projects chosen cost too little together.")
    return _("This ballot is not valid.")


def check(budget: Budget, projects: Mapping[str, tally.Project], points: Mapping[str, int]) -> list[str]:
    """Why these choices break the budget's ballot rules, in sentences (empty when valid)."""
    ballot = tally.Ballot(voter="-", points=dict(points))
    return [problem_text(problem) for problem in ballot_rules(budget).problems(ballot, projects, int(budget.amount))]


def budget_projects(government: Government, budget: Budget) -> list[Project]:
    return list(Project.objects.for_government(government).filter(budget=budget).order_by("position", "title", "pk"))


def election(government: Government, budget: Budget) -> tally.Election:
    """The budget's election: its projects and every counted ballot (online and paper, each
    under its random key, never a person)."""
    projects = budget_projects(government, budget)
    rows = Ballot.objects.for_government(government).filter(budget=budget).values_list("id", "channel", "points")
    ballots = [
        tally.Ballot(voter=str(key), points={str(k): int(v) for k, v in points.items()}, channel=channel_name(channel))
        for key, channel, points in rows
    ]
    process = budget.process
    return tally.Election(
        budget=int(budget.amount),
        projects=tuple(engine_projects(projects).values()),
        ballots=tuple(ballots),
        rules=ballot_rules(budget),
        meta={
            "description": f"{process.title} · {budget.title}",
            "country": "Ecuador",
            "unit": government.name,
            "subunit": budget.territory_name,
            "instance": str(process.ends_at.year),
            "date_begin": process.starts_at.date().isoformat(),
            "date_end": process.ends_at.date().isoformat(),
            "language": "es",
            "currency": "USD",
        },
    )


def channel_name(channel: str) -> str:
    """pabulib's voting_method."""
    return "internet" if channel == "online" else "paper"
