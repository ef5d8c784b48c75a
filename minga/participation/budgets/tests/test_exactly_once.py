"""One person, one vote: 50 identical votes at once by the same person on PostgreSQL (real
threads, real transactions) store exactly one; and whatever mix of online votes, paper
batches and repeated attempts, the count equals the distinct verified voters."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from minga.core.tenancy.scoping import government_scope
from minga.core.testing import GovernmentFactory, make_official

from .. import paper, tallying, voting
from ..models import Ballot, BudgetVoter
from . import helpers


@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_identical_votes_store_one():
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent writers (PostgreSQL)")
    government = GovernmentFactory(slug="concurrente", dpa_code="13")
    process = helpers.voting_process(government)
    budget = helpers.budget(government, process)
    user, _n = helpers.voter()
    with government_scope(government):
        choice = {helpers.projects(government, budget)[0].tally_id: 1}
    barrier = threading.Barrier(50)
    outcomes = []

    def vote():
        try:
            with government_scope(government):
                barrier.wait()
                voting.vote_cast(user=user, government=government, budget=budget, choices=choice)
            outcomes.append("stored")
        except voting.VoteRefused as error:
            outcomes.append(error.reason)
        finally:
            connection.close()

    threads = [threading.Thread(target=vote) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already_voted"] * 49 + ["stored"]
    with government_scope(government):
        assert BudgetVoter.objects.count() == 1
        assert Ballot.objects.count() == 1


# Each attempt: (person index, channel) — people 0..5 vote online or on paper, some repeatedly.
attempts = st.lists(st.tuples(st.integers(0, 5), st.sampled_from(["online", "paper"]), st.integers(1, 3)), max_size=14)


@pytest.mark.django_db
@hypothesis_settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(attempts=attempts)
def test_tallied_votes_equal_distinct_verified_voters(government, attempts):
    process = helpers.voting_process(government)
    budget = helpers.budget(government, process)
    official = make_official(government, "editor", "participation")
    people = [helpers.voter() for _ in range(6)]
    with government_scope(government):
        ids = [p.tally_id for p in helpers.projects(government, budget)]
        for person, channel, project in attempts:
            user, number = people[person]
            try:
                if channel == "online":
                    voting.vote_cast(user=user, government=government, budget=budget, choices={ids[project - 1]: 1})
                else:
                    batch = paper.batch_enter(
                        actor=official,
                        government=government,
                        budget=budget,
                        place="Mesa 1",
                        voted_on=timezone.localdate(),
                        text=f"{number}; {project}",
                    )
                    paper.batch_confirm(actor=official, government=government, batch=batch)
            except (voting.VoteRefused, paper.BatchRefused):
                pass
        distinct = {person for person, _c, _p in attempts}
        assert BudgetVoter.objects.filter(budget=budget).count() == len(distinct)
        if distinct:
            later = timezone.now() + helpers.DAY * 6
            result = tallying.budget_tally(actor=official, government=government, budget=budget, now=later)
            assert result.outcome["voters"] == len(distinct) == result.online_voters + result.paper_voters
            votes = sum(p["votes"] for p in result.outcome["projects"])
            assert votes == Ballot.objects.filter(budget=budget).count() == len(distinct)
