"""The outcome equals pabutools' on every election tried: many small generated ones (where
ties, drained voters and every completion path are common), pabulib-style files, and
generated ones of a few hundred voters where the floating-point path decides most rounds."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from pabutools.election.pabulib import parse_pabulib_from_string

from .. import (
    Ballot,
    BallotKind,
    BallotRules,
    Completion,
    Election,
    Project,
    Rule,
    Utility,
    from_pabulib,
    rule_from_meta,
    tally,
    to_pabulib,
)
from ..reference import pabutools_election, recompute
from .strategies import elections

FIXTURES = Path(__file__).parent / "fixtures"


def rules_for(election: Election) -> list[Rule]:
    if election.rules.kind is BallotKind.CUMULATIVE:
        return [
            Rule.greedy(),
            Rule.equal_shares(Utility.POINTS),
            Rule.equal_shares(Utility.POINTS, Completion.NONE),
        ]
    return [
        Rule.greedy(),
        Rule.equal_shares(),
        Rule.equal_shares(Utility.APPROVAL),
        Rule.equal_shares(Utility.COST, Completion.NONE),
        Rule.equal_shares(Utility.APPROVAL, Completion.NONE),
    ]


def assert_same(election: Election) -> None:
    instance, profile = pabutools_election(election)
    for rule in rules_for(election):
        ours = tally(election, rule)
        assert set(ours.selected) == recompute(instance, profile, rule), rule
        assert len(ours.selected) == len(set(ours.selected))
        assert ours.spent <= election.budget


@hypothesis_settings(max_examples=250, deadline=None)
@given(elections())
def test_small_elections(election):
    assert_same(election)


@hypothesis_settings(max_examples=60, deadline=None)
@given(elections(kinds=(BallotKind.APPROVAL,), max_voters=40))
def test_small_elections_with_more_voters(election):
    assert_same(election)


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.pb")))
def test_pabulib_files(name):
    text = (FIXTURES / name).read_text(encoding="utf-8")
    election, declared = from_pabulib(text)
    assert_same(election)
    instance, profile = parse_pabulib_from_string(text)
    assert set(tally(election, declared).selected) == recompute(instance, profile, rule_from_meta(instance.meta))


def generated(seed: int, voters: int, cumulative: bool = False) -> Election:
    """Districts, popular and unpopular projects, ballots of one to six projects."""
    rng = random.Random(seed)
    count = rng.randint(8, 16)
    unit = rng.choice([1, 5, 10])
    projects = tuple(Project(str(i + 1), unit * rng.choice([3, 5, 8, 10, 15, 20, 30, 45])) for i in range(count))
    district = [rng.randrange(3) for _ in projects]
    popularity = [rng.random() ** 2 + 0.05 for _ in projects]
    ballots = []
    for v in range(voters):
        home = rng.randrange(3)
        weights = [w * (4 if d == home else 1) for w, d in zip(popularity, district, strict=True)]
        chosen: set[int] = set()
        for _ in range(rng.randint(1, 6)):
            chosen.add(rng.choices(range(count), weights=weights)[0])
        ids = [projects[i].id for i in sorted(chosen)]
        if cumulative:
            ballots.append(Ballot.cumulative(f"v{v}", {pid: rng.randint(1, 5) for pid in ids}))
        else:
            ballots.append(Ballot.approval(f"v{v}", ids))
    budget = int(sum(p.cost for p in projects) * rng.uniform(0.25, 0.6))
    kind = BallotKind.CUMULATIVE if cumulative else BallotKind.APPROVAL
    return Election(budget=budget, projects=projects, ballots=tuple(ballots), rules=BallotRules(kind=kind))


@pytest.mark.parametrize("seed", range(6))
def test_generated_elections_of_a_few_hundred_voters(seed):
    assert_same(generated(seed, voters=150 + 60 * seed, cumulative=seed == 5))


def test_empty_ballots_count_as_voters():
    election = Election(
        budget=30,
        projects=(Project("1", 12), Project("2", 10), Project("3", 18)),
        ballots=(
            Ballot.approval("a", ["1"]),
            Ballot.approval("b", ["1", "2"]),
            Ballot.approval("c", []),
            Ballot.approval("d", []),
            Ballot.approval("e", ["3"]),
        ),
        rules=BallotRules(min_projects=0),
    )
    assert election.voter_count == 5
    assert_same(election)
    rule = Rule.equal_shares()
    text = to_pabulib(election, rule)
    instance, profile = parse_pabulib_from_string(text)
    assert profile.num_ballots() == 5
    assert recompute(instance, profile, rule) == set(tally(election, rule).selected)
    assert from_pabulib(text)[0].voter_count == 5
