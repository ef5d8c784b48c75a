"""The ``.pb`` export: pabutools reads it and recomputes the published outcome; Minga reads it
back into the same election; no voter can be told apart in it."""

from __future__ import annotations

from pabutools.election.pabulib import parse_pabulib_from_string

from .. import (
    Ballot,
    BallotKind,
    BallotRules,
    Election,
    Project,
    Rule,
    Utility,
    from_pabulib,
    rule_from_meta,
    tally,
    to_pabulib,
)
from ..reference import recompute
from .test_same_as_pabutools import generated

PROJECTS = (
    Project("1", 40, name="Parque; juegos", category="recreación"),
    Project("2", 35, name="Puente\npeatonal"),
    Project("3", 25, name="Biblioteca"),
    Project("4", 20, name="Huerto"),
)


def election() -> Election:
    votes = [["1", "2"], ["1"], ["2", "3"], ["3", "4"], ["4"], ["1", "4"], ["2"], ["1", "3"]]
    ballots = tuple(
        Ballot.approval(f"cedula-hash-{i:03}", ids, channel="paper" if i % 3 == 0 else "internet")
        for i, ids in enumerate(votes)
    )
    return Election(
        budget=80,
        projects=PROJECTS,
        ballots=ballots,
        rules=BallotRules(min_projects=1, max_projects=2),
        meta={"description": "Presupuesto participativo", "unit": "Cantón de prueba", "instance": "2026"},
    )


def test_an_explained_equal_shares_result_that_pabutools_recomputes_from_the_export():
    e = election()
    rule = Rule.equal_shares()
    outcome = tally(e, rule)
    text = to_pabulib(e, rule, outcome)
    instance, profile = parse_pabulib_from_string(text)
    assert instance.meta["rule"] == "equalshares/add1"
    assert instance.meta["mes_utility"] == "cost"
    assert instance.meta["tie_breaking"] == "more_votes,lower_cost,project_id"
    assert profile.num_ballots() == e.voter_count
    assert int(instance.budget_limit) == 80
    assert recompute(instance, profile, rule_from_meta(instance.meta)) == set(outcome.selected)
    # every project is explained
    assert all(p.reason for p in outcome.projects)
    # the PROJECTS section carries the votes and the selection
    by_name = {p.name: instance.project_meta[p] for p in instance}
    assert by_name["1"]["name"] == "Parque; juegos"
    assert by_name["2"]["name"] == "Puente peatonal"
    assert {k for k, v in by_name.items() if v["selected"] == "1"} == set(outcome.selected)


def test_voters_are_anonymised():
    e = election()
    text = to_pabulib(e, Rule.greedy())
    assert "cedula" not in text
    votes = text.split("VOTES\n", 1)[1].splitlines()
    assert votes[0] == "voter_id;voting_method;vote"
    assert [row.split(";")[0] for row in votes[1:]] == [str(i) for i in range(1, e.voter_count + 1)]
    # rows are in the order of their content, not of the voters
    contents = [row.split(";")[2] for row in votes[1:]]
    assert contents == sorted(contents, key=lambda c: [int(x) for x in c.split(",")])


def test_round_trip_through_minga():
    e = election()
    rule = Rule.equal_shares(utility=Utility.APPROVAL)
    back, declared = from_pabulib(to_pabulib(e, rule))
    assert declared == rule
    assert back.budget == e.budget
    assert [(p.id, p.cost) for p in back.projects] == [(p.id, p.cost) for p in e.projects]
    assert back.rules == e.rules
    assert back.meta["unit"] == "Cantón de prueba"
    assert sorted(sorted(b.points) for b in back.ballots) == sorted(sorted(b.points) for b in e.ballots)
    assert tally(back, rule).selected == tally(e, rule).selected


def test_cumulative_and_knapsack_exports():
    cumulative = generated(3, voters=60, cumulative=True)
    rule = Rule.equal_shares(utility=Utility.POINTS)
    text = to_pabulib(cumulative, rule)
    instance, profile = parse_pabulib_from_string(text)
    assert instance.meta["vote_type"] == "cumulative"
    assert recompute(instance, profile, rule_from_meta(instance.meta)) == set(tally(cumulative, rule).selected)
    back, declared = from_pabulib(text)
    assert back.rules.kind is BallotKind.CUMULATIVE
    assert declared == rule

    knapsack = Election(
        budget=60,
        projects=PROJECTS,
        ballots=(Ballot.approval("a", ["1", "4"]), Ballot.approval("b", ["2", "4"]), Ballot.approval("c", ["4"])),
        rules=BallotRules(kind=BallotKind.KNAPSACK),
    )
    text = to_pabulib(knapsack, Rule.greedy())
    assert "max_sum_cost;60" in text
    back, declared = from_pabulib(text)
    assert (back.rules.kind, declared) == (BallotKind.KNAPSACK, Rule.greedy())
