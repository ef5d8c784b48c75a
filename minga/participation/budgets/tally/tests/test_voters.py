"""Property: every count rests on the distinct verified voters, each counted once."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pabutools.election.pabulib import parse_pabulib_from_string

from .. import Ballot, Election, InvalidElection, Project, Rule, tally, to_pabulib

PROJECTS = tuple(Project(str(i), cost) for i, cost in enumerate((10, 20, 30, 40, 50), start=1))
IDS = [p.id for p in PROJECTS]

casts = st.lists(
    st.tuples(
        st.sampled_from([f"voter-{i}" for i in range(12)]),  # few ids: the same voter comes back
        st.lists(st.sampled_from(IDS), min_size=1, max_size=5, unique=True),
    ),
    min_size=1,
    max_size=30,
)


@hypothesis_settings(max_examples=150, deadline=None)
@given(casts, st.integers(min_value=10, max_value=150))
def test_tallies_equal_the_count_of_distinct_verified_voters(cast, budget):
    ballots = [Ballot.approval(voter, chosen) for voter, chosen in cast]
    voters = {voter for voter, _ in cast}
    if len(voters) < len(cast):
        # a voter who appears twice is refused, never counted twice
        with pytest.raises(InvalidElection) as caught:
            Election(budget=budget, projects=PROJECTS, ballots=tuple(ballots))
        assert {p.code for p in caught.value.problems} == {"duplicate_voter"}
        latest = {voter: chosen for voter, chosen in cast}  # the app keeps one ballot per voter
        ballots = [Ballot.approval(voter, chosen) for voter, chosen in latest.items()]
    election = Election(budget=budget, projects=PROJECTS, ballots=tuple(ballots))
    last = {voter: set(chosen) for voter, chosen in cast}
    for rule in (Rule.greedy(), Rule.equal_shares()):
        outcome = tally(election, rule)
        assert outcome.voters == len(voters)
        for project in outcome.projects:
            assert project.votes == sum(project.project_id in chosen for chosen in last.values())
        if outcome.equal_shares:
            assert outcome.equal_shares.share == round(Fraction(budget, len(voters)), 2)
            for project in outcome.projects:
                if project.bought:
                    paying = project.bought.full_payers + project.bought.partial_payers + project.bought.empty_handed
                    assert paying == project.votes
        instance, profile = parse_pabulib_from_string(to_pabulib(election, rule, outcome))
        assert profile.num_ballots() == len(voters)
