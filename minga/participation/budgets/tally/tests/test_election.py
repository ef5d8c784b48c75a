"""What an election and its ballots must be before they are counted."""

from __future__ import annotations

import pytest

from ..election import Ballot, BallotKind, BallotRules, Election, InvalidElection, Project

PROJECTS = (Project("1", 30), Project("2", 20), Project("3", 50))


def codes(error: InvalidElection) -> list[str]:
    return [p.code for p in error.problems]


DEFAULT_RULES = BallotRules()


def make(ballots, rules=DEFAULT_RULES, budget=60, projects=PROJECTS):
    return Election(budget=budget, projects=projects, ballots=tuple(ballots), rules=rules)


def test_a_valid_approval_election_compiles_identical_ballots_once():
    election = make([Ballot.approval("a", ["1", "2"]), Ballot.approval("b", ["2", "1"]), Ballot.approval("c", ["3"])])
    profile = election.profile
    assert election.voter_count == 3
    assert sorted(profile.multiplicity.tolist()) == [1, 2]
    assert profile.votes == (2, 2, 1)


def test_a_voter_counts_once():
    with pytest.raises(InvalidElection) as caught:
        make([Ballot.approval("a", ["1"]), Ballot.approval("a", ["2"])])
    assert codes(caught.value) == ["duplicate_voter"]
    assert caught.value.problems[0].params == {"voter": "a"}


def test_approval_limits():
    rules = BallotRules(min_projects=2, max_projects=2)
    with pytest.raises(InvalidElection) as caught:
        make([Ballot.approval("a", ["1"]), Ballot.approval("b", ["1", "2", "3"])], rules=rules)
    assert codes(caught.value) == ["too_few_projects", "too_many_projects"]
    assert caught.value.problems[1].params == {"voter": "b", "count": 3, "maximum": 2}


def test_unknown_and_repeated_projects():
    with pytest.raises(InvalidElection) as caught:
        make([Ballot.approval("a", ["1", "7"])])
    assert codes(caught.value) == ["unknown_project"]
    with pytest.raises(InvalidElection) as caught:
        Ballot.approval("a", ["1", "1"])
    assert codes(caught.value) == ["repeated_project"]


def test_knapsack_ballots_fit_in_the_budget_or_the_stated_limit():
    knapsack = BallotRules(kind=BallotKind.KNAPSACK)
    make([Ballot.approval("a", ["1", "2"])], rules=knapsack)  # 50 of 60
    with pytest.raises(InvalidElection) as caught:
        make([Ballot.approval("a", ["1", "3"])], rules=knapsack)  # 80 of 60
    assert codes(caught.value) == ["over_cost_limit"]
    assert caught.value.problems[0].params == {"voter": "a", "cost": 80, "maximum": 60}
    with pytest.raises(InvalidElection) as caught:
        make([Ballot.approval("a", ["2"])], rules=BallotRules(kind=BallotKind.KNAPSACK, min_cost=30))
    assert codes(caught.value) == ["under_cost_minimum"]


def test_cumulative_points():
    rules = BallotRules(kind=BallotKind.CUMULATIVE, total_points=10, max_points=6)
    election = make([Ballot.cumulative("a", {"1": 6, "2": 4}), Ballot.cumulative("b", {"1": 1})], rules=rules)
    assert election.profile.total_points == (7, 4, 0)
    assert election.profile.votes == (2, 1, 0)
    with pytest.raises(InvalidElection) as caught:
        make([Ballot.cumulative("a", {"1": 7, "2": 4})], rules=rules)
    assert codes(caught.value) == ["too_many_points", "too_many_points_on_one"]
    with pytest.raises(InvalidElection) as caught:
        make([Ballot.cumulative("a", {"1": 0})], rules=rules)
    assert codes(caught.value) == ["points_not_positive"]
    with pytest.raises(InvalidElection) as caught:
        make([Ballot.cumulative("a", {"1": 2})])  # points on an approval ballot
    assert codes(caught.value) == ["points_on_approval_ballot"]


def test_the_election_itself():
    with pytest.raises(InvalidElection) as caught:
        make([], budget=0, projects=(Project("1", 0), Project("1", 5), Project("a;b", 5)))
    assert codes(caught.value) == [
        "budget_not_positive",
        "duplicate_project",
        "no_ballots",
        "cost_not_positive",
        "bad_project_id",
    ]
    with pytest.raises(InvalidElection) as caught:
        make([Ballot.approval("a", ["1"])], budget=10**13)
    assert codes(caught.value) == ["amount_too_large"]
