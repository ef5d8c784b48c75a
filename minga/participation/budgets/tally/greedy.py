"""Greedy by votes: projects in order of votes, each funded if it still fits.

Used as a rule of its own and as the last step of the Method of Equal Shares' completion. The
order is the published tie-breaking order, whose first key is the score itself, so pabutools'
``greedy_utilitarian_welfare`` (score per unit of cost with ``Cost_Sat``, ties by the same
order) visits the projects in exactly this order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .election import Election


def scores(election: Election) -> tuple[int, ...]:
    """Votes per project on approval and knapsack ballots; points on cumulative ballots."""
    return election.profile.total_points


def tie_key(election: Election, index: int) -> tuple[int, int, str]:
    """The published order, as a sort key: more votes (points), lower cost, project id."""
    return (-scores(election)[index], election.projects[index].cost, election.projects[index].id)


def ranking(election: Election) -> list[int]:
    """Project indices, best first, in the published order."""
    return sorted(range(len(election.projects)), key=lambda i: tie_key(election, i))


@dataclass(frozen=True)
class Step:
    """A project's turn in the greedy pass."""

    project: int
    rank: int  # 1-based place in the ranking by votes
    remaining_before: int
    funded: bool


def fill(election: Election, already: Sequence[int] = ()) -> list[Step]:
    """Visit the projects not in ``already`` in ranking order; fund those that fit in what the
    budget has left after ``already``."""
    costs = election.profile.costs
    remaining = election.budget - sum(costs[i] for i in already)
    taken = set(already)
    steps: list[Step] = []
    for rank, i in enumerate(ranking(election), start=1):
        if i in taken:
            continue
        fits = costs[i] <= remaining
        steps.append(Step(project=i, rank=rank, remaining_before=remaining, funded=fits))
        if fits:
            remaining -= costs[i]
    return steps
