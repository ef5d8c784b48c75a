"""Counting an election under a rule, with every project's explanation."""

from __future__ import annotations

from fractions import Fraction

from . import equal_shares, greedy
from .election import BallotKind, Election, InvalidElection, Problem
from .outcome import (
    Bought,
    EqualSharesSummary,
    GreedyTurn,
    Outcome,
    ProjectResult,
    Reason,
    Short,
    money,
)
from .rules import Completion, Method, Rule, Utility


def tally(election: Election, rule: Rule) -> Outcome:
    """Count ``election`` under ``rule``: the funded projects and why each project won or lost."""
    _check(election, rule)
    if rule.method is Method.GREEDY:
        return _greedy(election, rule)
    return _equal_shares(election, rule)


def _check(election: Election, rule: Rule) -> None:
    if rule.method is not Method.EQUAL_SHARES:
        return
    cumulative = election.rules.kind is BallotKind.CUMULATIVE
    if cumulative != (rule.utility is Utility.POINTS):
        raise InvalidElection(
            [Problem("utility_not_for_ballot", {"utility": str(rule.utility), "ballot": str(election.rules.kind)})]
        )


def _base(election: Election, index: int, rank: dict[int, int]) -> dict:
    project = election.projects[index]
    profile = election.profile
    return {
        "project_id": project.id,
        "name": project.name,
        "cost": project.cost,
        "votes": profile.votes[index],
        "points": profile.total_points[index],
        "rank": rank[index],
    }


def _ranks(election: Election) -> dict[int, int]:
    return {i: place for place, i in enumerate(greedy.ranking(election), start=1)}


def _turn(step: greedy.Step, cost: int) -> GreedyTurn:
    after = step.remaining_before - cost if step.funded else step.remaining_before
    return GreedyTurn(rank=step.rank, remaining_before=step.remaining_before, remaining_after=after)


def _greedy(election: Election, rule: Rule) -> Outcome:
    rank = _ranks(election)
    costs = election.profile.costs
    steps = greedy.fill(election)
    selected = [s.project for s in steps if s.funded]
    order = {p: place for place, p in enumerate(selected, start=1)}
    results = {}
    for step in steps:
        results[step.project] = ProjectResult(
            **_base(election, step.project, rank),
            funded=step.funded,
            reason=Reason.FUNDED_BY_VOTES if step.funded else Reason.DID_NOT_FIT,
            order=order.get(step.project),
            greedy=_turn(step, costs[step.project]),
        )
    return _outcome(election, rule, selected, results)


def _equal_shares(election: Election, rule: Rule) -> Outcome:
    rank = _ranks(election)
    profile = election.profile
    costs = profile.costs
    completing = rule.completion is Completion.ADD1_GREEDY
    found = equal_shares.iterate(election, rule.utility, add1=completing)
    run = found.run
    bought = list(run.selected)
    steps = greedy.fill(election, bought) if completing else []
    completed = [s.project for s in steps if s.funded]
    selected = bought + completed
    order = {p: place for place, p in enumerate(selected, start=1)}
    turns = {s.project: s for s in steps}
    results: dict[int, ProjectResult] = {}
    for purchase in run.purchases:
        p = purchase.project
        # the price a supporter paying in full paid: ρ × its satisfaction (per point if points)
        per = profile.costs[p] if rule.utility is Utility.COST else 1
        results[p] = ProjectResult(
            **_base(election, p, rank),
            funded=True,
            reason=Reason.BOUGHT_BY_SUPPORTERS,
            order=order[p],
            bought=Bought(
                round=purchase.round,
                rho=purchase.rho,
                price=money(purchase.rho * per),
                supporters=purchase.supporters,
                full_payers=purchase.full_payers,
                partial_payers=purchase.partial_payers,
                empty_handed=purchase.empty_handed,
                money_before=money(purchase.money_before),
            ),
        )
    for p in range(len(costs)):
        if p in results:
            continue
        short = None
        if profile.votes[p]:
            left = run.money_left(p)
            spent = sorted(run.spent_on(p).items(), key=lambda item: (-item[1], item[0]))
            short = Short(
                supporters=profile.votes[p],
                money_left=money(left),
                shortfall=money(costs[p] - left),
                spent_on=tuple((election.projects[w].id, money(amount)) for w, amount in spent),
            )
        step = turns.get(p)
        if step is not None and step.funded:
            reason = Reason.FUNDED_IN_COMPLETION
        elif profile.votes[p]:
            reason = Reason.SUPPORTERS_RAN_OUT
        else:
            reason = Reason.NO_SUPPORTERS
        results[p] = ProjectResult(
            **_base(election, p, rank),
            funded=p in order,
            reason=reason,
            order=order.get(p),
            short=short,
            greedy=_turn(step, costs[p]) if step is not None else None,
        )
    share = Fraction(election.budget, election.voter_count)
    summary = EqualSharesSummary(
        share=money(share),
        final_share=money(run.share),
        increments=found.increments,
        stopped=found.stopped,
        next_cost=found.next_cost,
        mes_spent=sum(costs[p] for p in bought),
        completion_spent=sum(costs[p] for p in completed),
    )
    return _outcome(election, rule, selected, results, summary)


def _outcome(election, rule, selected, results, summary=None) -> Outcome:
    costs = election.profile.costs
    return Outcome(
        rule=rule,
        budget=election.budget,
        voters=election.voter_count,
        selected=tuple(election.projects[p].id for p in selected),
        spent=sum(costs[p] for p in selected),
        projects=tuple(results[p] for p in range(len(election.projects))),
        equal_shares=summary,
    )
