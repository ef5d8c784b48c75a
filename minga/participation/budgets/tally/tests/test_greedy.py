"""Greedy by votes: CONSUL's skip-greedy, with the published tie-breaking."""

from __future__ import annotations

from .. import Ballot, BallotKind, BallotRules, Election, Project, Reason, Rule, tally


def approvals(*ballots):
    return tuple(Ballot.approval(f"v{i}", ids) for i, ids in enumerate(ballots))


def test_projects_are_funded_by_votes_skipping_what_does_not_fit():
    election = Election(
        budget=100,
        projects=(Project("1", 70), Project("2", 40), Project("3", 30), Project("4", 10)),
        ballots=approvals(["1", "2"], ["1", "2"], ["1", "3"], ["2"], ["3", "4"]),
    )
    outcome = tally(election, Rule.greedy())
    # votes: 1 → 3, 2 → 3 (same votes: the cheaper first), 3 → 2, 4 → 1
    assert outcome.selected == ("2", "3", "4")
    assert outcome.spent == 80
    first = outcome.project("2")
    assert (first.rank, first.reason, first.greedy.remaining_before, first.greedy.remaining_after) == (
        1,
        Reason.FUNDED_BY_VOTES,
        100,
        60,
    )
    skipped = outcome.project("1")
    assert (skipped.funded, skipped.reason, skipped.rank, skipped.votes) == (False, Reason.DID_NOT_FIT, 2, 3)
    assert skipped.greedy.remaining_before == 60  # cost 70: did not fit
    assert outcome.project("4").order == 3


def test_ties_go_to_the_cheaper_project_then_to_the_id_as_text():
    election = Election(
        budget=10,
        projects=(Project("9", 10), Project("10", 10), Project("11", 12)),
        ballots=approvals(["9", "10", "11"]),
    )
    # "10" < "9" as text
    assert tally(election, Rule.greedy()).selected == ("10",)


def test_cumulative_ballots_rank_by_points():
    election = Election(
        budget=30,
        projects=(Project("1", 20), Project("2", 20), Project("3", 10)),
        ballots=(
            Ballot.cumulative("a", {"1": 1, "2": 9}),
            Ballot.cumulative("b", {"1": 5, "3": 5}),
            Ballot.cumulative("c", {"1": 5, "3": 5}),
        ),
        rules=BallotRules(kind=BallotKind.CUMULATIVE, total_points=10),
    )
    outcome = tally(election, Rule.greedy())
    # points: 1 → 11 (3 voters), 3 → 10, 2 → 9
    assert outcome.selected == ("1", "3")
    assert outcome.project("2").points == 9
    assert outcome.project("1").votes == 3
