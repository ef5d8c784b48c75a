"""What a participatory-budgeting election is, for the tally: the budget, the projects, the
ballot rules published before voting, and one ballot per verified voter.

Pure Python: no Django, no database. The app builds an :class:`Election` from its records and
hands it to :func:`~minga.participation.budgets.tally.tally`.

Amounts are whole currency units (integers): the budget, the project costs and the knapsack
limits. The Method of Equal Shares raises every voter's share by one unit at a time when it
completes an outcome (Add1), so the unit is part of the published rule.

Invalid input raises :class:`InvalidElection` carrying codes and numbers, never prose: the app
words them in the visitor's language.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

#: Largest budget or cost: keeps every count × amount inside 64-bit integers.
MAX_AMOUNT = 10**12


class BallotKind(enum.StrEnum):
    """The ballot a voter fills in. pabulib calls knapsack ballots approval ballots with a cost
    limit (``max_sum_cost``)."""

    APPROVAL = "approval"  # choose between min_projects and max_projects projects
    KNAPSACK = "knapsack"  # choose projects whose costs add up to at most max_cost
    CUMULATIVE = "cumulative"  # spread total_points over projects (Aarau: 10 points)


@dataclass(frozen=True)
class Problem:
    """One reason an election or a ballot is not valid: a code and the numbers behind it."""

    code: str
    params: Mapping[str, object] = field(default_factory=dict)


class InvalidElection(ValueError):
    """The election cannot be tallied; ``problems`` lists why (at most the first 20)."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(p.code for p in problems))


@dataclass(frozen=True)
class Project:
    """A project on the ballot. ``id`` is what ballots name (compared as text when breaking
    ties); ``cost`` a positive whole amount."""

    id: str
    cost: int
    name: str = ""
    category: str = ""
    target: str = ""


@dataclass(frozen=True)
class Ballot:
    """One voter's ballot. ``voter`` is the app's pseudonymous id of a verified voter: it is
    never exported. ``points`` maps project id to points (1 for approval and knapsack ballots).
    ``channel`` is how it was cast (pabulib's ``voting_method``: "internet", "paper", ...)."""

    voter: str
    points: Mapping[str, int]
    channel: str = ""

    @classmethod
    def approval(cls, voter: str, projects: Iterable[str], channel: str = "") -> Ballot:
        chosen = list(projects)
        points = dict.fromkeys(chosen, 1)
        if len(points) != len(chosen):  # a malformed ballot, not two approvals
            repeated = sorted({pid for pid in chosen if chosen.count(pid) > 1})
            raise InvalidElection([Problem("repeated_project", {"voter": voter, "projects": repeated})])
        return cls(voter=voter, points=points, channel=channel)

    @classmethod
    def cumulative(cls, voter: str, points: Mapping[str, int], channel: str = "") -> Ballot:
        return cls(voter=voter, points=dict(points), channel=channel)


@dataclass(frozen=True)
class BallotRules:
    """The ballot published before voting opens.

    approval: between ``min_projects`` and ``max_projects`` projects (``max_projects`` None: any).
    knapsack: at least ``min_projects`` projects costing at most ``max_cost`` together (None: the
    budget) and at least ``min_cost``.
    cumulative: ``total_points`` at most in all (and at least ``min_total_points``), at most
    ``max_points`` on one project (None: no limit of its own), on at least ``min_projects``.
    """

    kind: BallotKind = BallotKind.APPROVAL
    min_projects: int = 1
    max_projects: int | None = None
    max_cost: int | None = None
    min_cost: int = 0
    total_points: int | None = None
    min_total_points: int = 0
    max_points: int | None = None

    def problems(self, ballot: Ballot, projects: Mapping[str, Project], budget: int) -> list[Problem]:
        """Why this ballot breaks the rules (empty when it is valid)."""
        found: list[Problem] = []
        voter = {"voter": ballot.voter}
        unknown = sorted(pid for pid in ballot.points if pid not in projects)
        if unknown:
            found.append(Problem("unknown_project", {**voter, "projects": unknown}))
            return found
        count = len(ballot.points)
        if count < self.min_projects:
            found.append(Problem("too_few_projects", {**voter, "count": count, "minimum": self.min_projects}))
        if self.max_projects is not None and count > self.max_projects:
            found.append(Problem("too_many_projects", {**voter, "count": count, "maximum": self.max_projects}))
        if self.kind is BallotKind.CUMULATIVE:
            values = list(ballot.points.values())
            if any(not isinstance(v, int) or isinstance(v, bool) or v <= 0 for v in values):
                found.append(Problem("points_not_positive", voter))
                return found
            total = sum(values)
            if self.total_points is not None and total > self.total_points:
                found.append(Problem("too_many_points", {**voter, "points": total, "maximum": self.total_points}))
            if total < self.min_total_points:
                found.append(Problem("too_few_points", {**voter, "points": total, "minimum": self.min_total_points}))
            if self.max_points is not None and max(values, default=0) > self.max_points:
                found.append(
                    Problem("too_many_points_on_one", {**voter, "points": max(values), "maximum": self.max_points})
                )
        else:
            if any(v != 1 for v in ballot.points.values()):
                found.append(Problem("points_on_approval_ballot", voter))
            if self.kind is BallotKind.KNAPSACK:
                cost = sum(projects[pid].cost for pid in ballot.points)
                limit = budget if self.max_cost is None else self.max_cost
                if cost > limit:
                    found.append(Problem("over_cost_limit", {**voter, "cost": cost, "maximum": limit}))
                if cost < self.min_cost:
                    found.append(Problem("under_cost_minimum", {**voter, "cost": cost, "minimum": self.min_cost}))
        return found


@dataclass(frozen=True)
class Election:
    """A closed vote, ready to count. ``meta`` holds pabulib's descriptive META fields
    (description, country, unit, subunit, instance, date_begin, date_end, language, currency)."""

    budget: int
    projects: tuple[Project, ...]
    ballots: tuple[Ballot, ...]
    rules: BallotRules = BallotRules()
    meta: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "projects", tuple(self.projects))
        object.__setattr__(self, "ballots", tuple(self.ballots))
        problems = self._problems()
        if problems:
            raise InvalidElection(problems[:20])

    def _problems(self) -> list[Problem]:
        found: list[Problem] = []
        if not _is_whole(self.budget) or self.budget <= 0:
            found.append(Problem("budget_not_positive", {"budget": self.budget}))
        ids = [p.id for p in self.projects]
        if not ids:
            found.append(Problem("no_projects"))
        repeated = sorted(i for i, n in Counter(ids).items() if n > 1)
        if repeated:
            found.append(Problem("duplicate_project", {"projects": repeated}))
        if not self.ballots:
            found.append(Problem("no_ballots"))
        if _is_whole(self.budget) and self.budget > MAX_AMOUNT:
            found.append(Problem("amount_too_large", {"amount": self.budget, "maximum": MAX_AMOUNT}))
        for p in self.projects:
            if _is_whole(p.cost) and p.cost > MAX_AMOUNT:
                found.append(Problem("amount_too_large", {"project": p.id, "amount": p.cost, "maximum": MAX_AMOUNT}))
            if not isinstance(p.id, str) or not p.id or p.id != p.id.strip() or any(c in p.id for c in ",;\n\r"):
                found.append(Problem("bad_project_id", {"project": p.id}))
            if not _is_whole(p.cost) or p.cost <= 0:
                found.append(Problem("cost_not_positive", {"project": p.id, "cost": p.cost}))
        if found:
            return found
        by_id = self.project_map
        seen: set[str] = set()
        for ballot in self.ballots:
            if ballot.voter in seen:
                found.append(Problem("duplicate_voter", {"voter": ballot.voter}))
            seen.add(ballot.voter)
            found.extend(self.rules.problems(ballot, by_id, self.budget))
            if len(found) >= 20:
                break
        return found

    @cached_property
    def project_map(self) -> dict[str, Project]:
        return {p.id: p for p in self.projects}

    @property
    def voter_count(self) -> int:
        """Distinct verified voters (the constructor refuses a voter twice)."""
        return len(self.ballots)

    @cached_property
    def profile(self) -> Profile:
        return Profile.of(self)


def _is_whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True, eq=False)
class Profile:
    """The ballots compiled for counting: identical ballots collapsed into one with a
    multiplicity, and for each project the distinct ballots that support it with their points.
    Project ``i`` is ``election.projects[i]``."""

    costs: tuple[int, ...]
    multiplicity: np.ndarray  # int64, one per distinct ballot
    supporters: tuple[np.ndarray, ...]  # per project: indices of the distinct ballots naming it
    points: tuple[np.ndarray, ...]  # per project: the points each of those ballots gives it
    votes: tuple[int, ...]  # per project: voters naming it
    total_points: tuple[int, ...]  # per project: points it received (= votes for approval)
    voters: int

    @classmethod
    def of(cls, election: Election) -> Profile:
        index = {p.id: i for i, p in enumerate(election.projects)}
        distinct: dict[tuple[tuple[int, int], ...], int] = {}
        for ballot in election.ballots:
            key = tuple(sorted((index[pid], pts) for pid, pts in ballot.points.items()))
            distinct[key] = distinct.get(key, 0) + 1
        n = len(election.projects)
        rows: list[list[int]] = [[] for _ in range(n)]
        pts: list[list[int]] = [[] for _ in range(n)]
        multiplicity = np.fromiter(distinct.values(), dtype=np.int64, count=len(distinct))
        for b, key in enumerate(distinct):
            for p, value in key:
                rows[p].append(b)
                pts[p].append(value)
        supporters = tuple(np.asarray(r, dtype=np.int64) for r in rows)
        points = tuple(np.asarray(r, dtype=np.int64) for r in pts)
        votes = tuple(int(multiplicity[s].sum()) for s in supporters)
        total = tuple(int((multiplicity[s] * q).sum()) for s, q in zip(supporters, points, strict=True))
        return cls(
            costs=tuple(p.cost for p in election.projects),
            multiplicity=multiplicity,
            supporters=supporters,
            points=points,
            votes=votes,
            total_points=total,
            voters=len(election.ballots),
        )
