"""The count as a background job: asking for it queues it with a progress record (the page
says "counting…" and offers no second count nor publication meanwhile), the job counts and
the page shows the result; a failure (an error, a refusal found when the job runs, a job
that never started) is recorded with its reason in Spanish, and the count can be asked for
again."""

from __future__ import annotations

import pytest
from django.utils import timezone

from minga.core.progress.models import Progress
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import gov_url, login_verified, make_official

from .. import counting, tally, voting
from ..models import BudgetResult
from . import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(government):
    """A budget whose voting ended yesterday, with three online votes."""
    process = helpers.voting_process(government, over=True)
    budget = helpers.budget(government, process, projects=(100, 200, 300), amount=300)
    projects = helpers.projects(government, budget)
    during = timezone.now() - 2 * helpers.DAY
    with government_scope(government):
        for chosen in (projects[0], projects[2], projects[2]):
            user, _n = helpers.voter()
            voting.vote_cast(user=user, government=government, budget=budget, choices={chosen.tally_id: 1}, now=during)
    return budget, projects


@pytest.fixture
def office(client, government):
    login_verified(client, make_official(government, "editor", "participation"))
    return client


def _urls(government, budget):
    return (
        gov_url(government, "participation:office_budget", pk=budget.pk),
        gov_url(government, "participation:office_budget_tally", pk=budget.pk),
    )


def _records(government, budget):
    with government_scope(government):
        return list(Progress.objects.filter(kind=counting.KIND, object_id=str(budget.pk)).order_by("pk"))


def test_the_count_runs_in_the_background(office, government, setup, django_capture_on_commit_callbacks):
    budget, projects = setup
    page, tally_url = _urls(government, budget)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        office.post(tally_url)
    assert len(queued) == 1  # the job is queued once the request commits, not run in it
    with government_scope(government):
        assert not BudgetResult.objects.filter(budget=budget).exists()
    waiting = office.get(page).content.decode()
    assert 'id="counting"' in waiting and "Contando" in waiting
    assert tally_url not in waiting  # no second count meanwhile
    again = office.post(tally_url, follow=True).content.decode()
    assert "ya se está contando" in again.lower()
    assert len(_records(government, budget)) == 1
    queued[0]()  # the worker takes it up
    (record,) = _records(government, budget)
    assert record.state == Progress.State.SUCCEEDED and record.done == 3
    with government_scope(government):
        result = BudgetResult.objects.get(budget=budget)
    assert result.online_voters == 3 and result.outcome["selected"]
    done = office.get(page).content.decode()
    assert 'id="counting"' not in done and "3 votantes" in done


def test_a_failed_count_says_why_in_spanish(office, government, setup, monkeypatch, django_capture_on_commit_callbacks):
    budget, _projects = setup
    page, tally_url = _urls(government, budget)

    def broken(election, rule):
        raise RuntimeError("disk full")

    monkeypatch.setattr(tally, "tally", broken)
    with django_capture_on_commit_callbacks(execute=True):
        office.post(tally_url)
    (record,) = _records(government, budget)
    assert record.state == Progress.State.FAILED
    assert "error inesperado (RuntimeError)" in record.failure_reason and "disk full" not in record.failure_reason
    with government_scope(government):
        assert not BudgetResult.objects.filter(budget=budget).exists()
    body = office.get(page).content.decode()
    assert "error inesperado" in body and 'id="counting"' not in body
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):  # asked for again, it works
        office.post(tally_url)
    assert _records(government, budget)[-1].state == Progress.State.SUCCEEDED


def test_a_refusal_found_by_the_job_is_recorded(government, setup):
    budget, _projects = setup
    with government_scope(government):
        counting.count_queue(actor=None, government=government, budget=budget)
        # Between the request and the job, the result got published by another count.
        BudgetResult.objects.create(
            government=government,
            budget=budget,
            outcome={},
            pabulib="",
            computed_at=timezone.now(),
            published_at=timezone.now(),
        )
        assert counting.count_queued(government=government, budget_id=budget.pk) == "refused"
    (record,) = _records(government, budget)
    assert record.state == Progress.State.FAILED and "publicado" in record.failure_reason


def test_a_lost_job_is_failed_by_recovery(government, setup, monkeypatch):
    budget, _projects = setup
    with government_scope(government):
        counting.count_queue(actor=None, government=government, budget=budget)
    monkeypatch.setattr(counting.queue, "lost", lambda task_id, *, queued_at, now: False)
    assert counting.recover() == 0
    monkeypatch.setattr(counting.queue, "lost", lambda task_id, *, queued_at, now: True)
    assert counting.recover() == 1
    (record,) = _records(government, budget)
    assert record.state == Progress.State.FAILED and "nunca empezó" in record.failure_reason
    with government_scope(government):  # the count can be asked for again
        counting.count_queue(actor=None, government=government, budget=budget)
