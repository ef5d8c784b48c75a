"""Hypothesis strategies for small elections: few projects, few voters and a handful of costs,
so that ties, drained voters and every completion path come up often."""

from __future__ import annotations

from hypothesis import strategies as st

from ..election import Ballot, BallotKind, BallotRules, Election, Project

COSTS = (1, 2, 3, 4, 5, 6, 8, 10, 12, 20, 30, 50)
IDS = ("1", "2", "3", "9", "10", "11", "a", "B")


@st.composite
def elections(draw, kinds=(BallotKind.APPROVAL, BallotKind.KNAPSACK, BallotKind.CUMULATIVE), max_voters=10):
    kind = draw(st.sampled_from(kinds))
    ids = draw(st.lists(st.sampled_from(IDS), min_size=1, max_size=6, unique=True))
    costs = [draw(st.sampled_from(COSTS)) for _ in ids]
    projects = [Project(pid, cost) for pid, cost in zip(ids, costs, strict=True)]
    budget = draw(st.integers(min_value=1, max_value=sum(costs) + 5))
    if kind is BallotKind.KNAPSACK:
        budget = max(budget, min(costs))
    voters = draw(st.integers(min_value=1, max_value=max_voters))
    ballots = []
    for v in range(voters):
        if kind is BallotKind.KNAPSACK:
            pool = draw(st.permutations(ids))
            chosen, spent = [], 0
            for pid, cost in zip(pool, (costs[ids.index(p)] for p in pool), strict=True):
                if spent + cost <= budget and draw(st.booleans()):
                    chosen.append(pid)
                    spent += cost
            if not chosen:
                cheapest = min(ids, key=lambda p: costs[ids.index(p)])
                chosen = [cheapest]
            ballots.append(Ballot.approval(f"voter-{v}", chosen))
            continue
        chosen = draw(st.lists(st.sampled_from(ids), min_size=1, max_size=len(ids), unique=True))
        if kind is BallotKind.CUMULATIVE:
            points = {pid: draw(st.integers(min_value=1, max_value=4)) for pid in chosen}
            ballots.append(Ballot.cumulative(f"voter-{v}", points))
        else:
            ballots.append(Ballot.approval(f"voter-{v}", chosen))
    rules = BallotRules(kind=kind, total_points=4 * len(ids) if kind is BallotKind.CUMULATIVE else None)
    return Election(budget=budget, projects=tuple(projects), ballots=tuple(ballots), rules=rules)
