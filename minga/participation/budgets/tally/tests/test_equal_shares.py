"""The Method of Equal Shares: rounds, prices, ties, completion and the explanations."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from .. import (
    Ballot,
    BallotKind,
    BallotRules,
    Completion,
    Election,
    InvalidElection,
    Project,
    Reason,
    Rule,
    Utility,
    tally,
)


def approvals(*ballots):
    return tuple(Ballot.approval(f"v{i}", ids) for i, ids in enumerate(ballots))


def red_and_blue() -> Election:
    """51 voters approve ten red projects, 49 approve ten blue ones; each costs 10 of 100."""
    red = [Project(f"r{i}", 10) for i in range(10)]
    blue = [Project(f"b{i}", 10) for i in range(10)]
    ballots = [Ballot.approval(f"red-{i}", [p.id for p in red]) for i in range(51)]
    ballots += [Ballot.approval(f"blue-{i}", [p.id for p in blue]) for i in range(49)]
    return Election(budget=100, projects=tuple(red + blue), ballots=tuple(ballots))


def test_equal_shares_is_proportional_where_greedy_is_not():
    election = red_and_blue()
    assert tally(election, Rule.greedy()).selected == tuple(f"r{i}" for i in range(10))
    plain = tally(election, Rule.equal_shares(completion=Completion.NONE))
    # red voters hold 51 and buy five projects; blue voters hold 49 and buy four
    assert plain.selected == ("r0", "r1", "r2", "r3", "r4", "b0", "b1", "b2", "b3")
    assert plain.equal_shares.stopped == "plain"
    completed = tally(election, Rule.equal_shares())
    # one more unit per voter would buy 19 projects (190 > 100): the first run is kept and
    # what is left (10) goes to the most voted project that fits
    assert completed.selected == plain.selected + ("r5",)
    summary = completed.equal_shares
    assert (summary.increments, summary.stopped, summary.next_cost) == (0, "next_overspends", 190)
    assert (summary.mes_spent, summary.completion_spent) == (90, 10)
    r5 = completed.project("r5")
    assert r5.reason is Reason.FUNDED_IN_COMPLETION
    assert r5.greedy.remaining_before == 10
    assert r5.short.money_left == Decimal("1.00")  # 51 - 50 spent on r0…r4
    b4 = completed.project("b4")
    assert b4.reason is Reason.SUPPORTERS_RAN_OUT
    assert (b4.short.money_left, b4.short.shortfall) == (Decimal("9.00"), Decimal("1.00"))
    assert dict(b4.short.spent_on) == {f"b{i}": Decimal("10.00") for i in range(4)}


def test_a_round_with_a_supporter_who_cannot_pay_the_full_price():
    election = Election(
        budget=40,
        projects=(Project("X", 10), Project("Y", 27)),
        ballots=approvals(["X", "Y"], ["X"], ["Y"], ["Y"]),
    )
    outcome = tally(election, Rule.equal_shares())
    assert outcome.selected == ("Y", "X")
    y, x = outcome.project("Y").bought, outcome.project("X").bought
    # round 1: Y's three supporters pay 9 each (ρ = 1/3 per unit of cost)
    assert (y.round, y.rho, y.price, y.full_payers, y.partial_payers) == (1, Fraction(1, 3), Decimal("9.00"), 3, 0)
    # round 2: X's supporters hold 1 + 10; the first pays all it has, the other 9
    assert (x.round, x.rho, x.price, x.money_before) == (2, Fraction(9, 10), Decimal("9.00"), Decimal("11.00"))
    assert (x.full_payers, x.partial_payers, x.empty_handed) == (1, 1, 0)
    assert outcome.equal_shares.stopped == "exhaustive"


def test_a_tie_in_the_first_round_and_what_the_loser_had_left():
    election = Election(
        budget=30,
        projects=(Project("A", 20), Project("B", 20)),
        ballots=approvals(["A"], ["A", "B"], ["B"]),
    )
    outcome = tally(election, Rule.equal_shares())
    # same ρ, same votes, same cost: "A" before "B"
    assert outcome.selected == ("A",)
    b = outcome.project("B")
    assert b.reason is Reason.SUPPORTERS_RAN_OUT
    assert (b.short.supporters, b.short.money_left, b.short.shortfall) == (2, Decimal("10.00"), Decimal("10.00"))
    assert b.short.spent_on == (("A", Decimal("10.00")),)
    # nor did it fit in what was left (10) for the completion
    assert (b.greedy.rank, b.greedy.remaining_before) == (2, 10)
    assert outcome.equal_shares.completion_spent == 0


def test_at_equal_votes_the_cheaper_project_wins_the_tie():
    # P and Q both have two supporters: both cost them 1/2 per unit of cost
    election = Election(
        budget=20,
        projects=(Project("P", 10), Project("Q", 6)),
        ballots=approvals(["P"], ["P"], ["Q"], ["Q"]),
    )
    outcome = tally(election, Rule.equal_shares(completion=Completion.NONE))
    assert outcome.selected == ("Q", "P")
    assert outcome.project("Q").bought.rho == outcome.project("P").bought.rho == Fraction(1, 2)


def test_add1_raises_the_shares_until_exhaustive():
    election = Election(
        budget=11,
        projects=(Project("1", 6), Project("2", 4), Project("3", 5)),
        ballots=approvals(["1"], ["1"], ["2"], ["3"], ["3"]),
    )
    # shares of 2.20 buy nothing; with one unit more (3.20) the supporters of 1 and of 3 can
    # pay for them (a tie at ρ = 1/2: the cheaper first) and the budget is spent
    outcome = tally(election, Rule.equal_shares())
    summary = outcome.equal_shares
    assert (summary.share, summary.final_share) == (Decimal("2.20"), Decimal("3.20"))
    assert (summary.increments, summary.stopped, summary.mes_spent) == (1, "exhaustive", 11)
    assert outcome.selected == ("3", "1")
    two = outcome.project("2")
    assert (two.reason, two.short.money_left) == (Reason.SUPPORTERS_RAN_OUT, Decimal("3.20"))


def test_overspending_raise_keeps_the_previous_outcome_and_greedy_fills():
    election = Election(
        budget=10,
        projects=(Project("1", 6), Project("2", 4), Project("3", 5)),
        ballots=approvals(["1"], ["1"], ["2"], ["3"], ["3"]),
    )
    # shares of 2 buy nothing; shares of 3 would buy 1 and 3 (11 > 10): nothing is kept from
    # MES, and greedy by votes funds 3 (2 votes, cheaper than 1), then 2, which fits
    outcome = tally(election, Rule.equal_shares())
    summary = outcome.equal_shares
    assert (summary.increments, summary.stopped, summary.next_cost) == (0, "next_overspends", 11)
    assert outcome.selected == ("3", "2")
    assert [outcome.project(p).reason for p in "123"] == [
        Reason.SUPPORTERS_RAN_OUT,
        Reason.FUNDED_IN_COMPLETION,
        Reason.FUNDED_IN_COMPLETION,
    ]
    assert outcome.project("1").greedy.remaining_before == 5


def test_approval_utility_and_points_utility():
    election = Election(
        budget=20,
        projects=(Project("1", 15), Project("2", 5), Project("3", 5)),
        ballots=approvals(["1", "2"], ["1", "3"], ["2", "3"], ["1"]),
    )
    cost = tally(election, Rule.equal_shares(utility=Utility.COST, completion=Completion.NONE))
    cardinality = tally(election, Rule.equal_shares(utility=Utility.APPROVAL, completion=Completion.NONE))
    assert cost.selected[0] == "1"  # the most supported first under cost utility
    assert set(cardinality.selected) == {"2", "3"}  # approval utility prefers cheap projects
    with pytest.raises(InvalidElection) as caught:
        tally(election, Rule.equal_shares(utility=Utility.POINTS))
    assert caught.value.problems[0].code == "utility_not_for_ballot"


def test_points_are_the_satisfaction_on_cumulative_ballots():
    election = Election(
        budget=20,
        projects=(Project("1", 10), Project("2", 10)),
        ballots=(Ballot.cumulative("a", {"1": 9, "2": 1}), Ballot.cumulative("b", {"2": 10})),
        rules=BallotRules(kind=BallotKind.CUMULATIVE, total_points=10),
    )
    outcome = tally(election, Rule.equal_shares(utility=Utility.POINTS))
    assert set(outcome.selected) == {"1", "2"}
    assert outcome.project("2").bought.round == 1  # ρ = 10/11 per point against 10/9


def test_projects_nobody_chose():
    election = Election(
        budget=10,
        projects=(Project("1", 5), Project("2", 20)),
        ballots=approvals(["1"]),
    )
    outcome = tally(election, Rule.equal_shares())
    nobody = outcome.project("2")
    assert (nobody.votes, nobody.funded, nobody.reason, nobody.short) == (0, False, Reason.NO_SUPPORTERS, None)


def test_the_result_is_json_ready():
    outcome = tally(red_and_blue(), Rule.equal_shares())
    data = outcome.to_dict()
    assert data["rule"] == {
        "method": "equal_shares",
        "tie_breaking": ["more_votes", "lower_cost", "project_id"],
        "utility": "cost",
        "completion": "add1_greedy",
        "increment_per_voter": 1,
    }
    r0 = data["projects"][0]
    assert r0["reason"] == "bought_by_supporters"
    assert r0["bought"]["rho"] == "1/51"
    assert r0["bought"]["price"] == "0.20"
    assert data["equal_shares"]["share"] == "1.00"
