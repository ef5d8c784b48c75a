"""The scheduler: periodic jobs from the manifests are enqueued when due, once, even with two
schedulers; `minga tick` and `minga worker` run it."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from minga.core.registry import PeriodicJob, manifests
from minga.core.scheduling import services
from minga.core.scheduling.models import PeriodicRun

CALLS: list[str] = []


@task()
def sample_job() -> str:
    CALLS.append("ran")
    return "ok"


JOB = PeriodicJob(name="test.sample", task="minga.core.tests.test_scheduler.sample_job", every=dt.timedelta(minutes=5))
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _clear():
    CALLS.clear()


@pytest.mark.django_db
def test_due_job_runs_once_per_interval():
    assert services.tick(now=NOW, jobs=[JOB]) == ["test.sample"]
    assert CALLS == ["ran"]
    assert services.tick(now=NOW + dt.timedelta(minutes=4), jobs=[JOB]) == []
    assert CALLS == ["ran"]
    assert services.tick(now=NOW + dt.timedelta(minutes=5), jobs=[JOB]) == ["test.sample"]
    row = PeriodicRun.objects.get(name="test.sample")
    assert row.runs == 2
    assert row.next_run_at == NOW + dt.timedelta(minutes=10)
    assert row.last_task_id


@pytest.mark.django_db
def test_a_second_scheduler_does_not_enqueue_a_claimed_job():
    PeriodicRun.objects.create(name="test.sample")
    # Both schedulers saw the job as due; the first claims it, the second's update finds nothing.
    assert services.tick(now=NOW, jobs=[JOB]) == ["test.sample"]
    assert services.tick(now=NOW, jobs=[JOB]) == []
    assert CALLS == ["ran"]


@pytest.mark.django_db
def test_a_job_that_cannot_be_enqueued_is_retried():
    broken = PeriodicJob(name="test.broken", task="minga.core.tests.test_scheduler.missing", every=dt.timedelta(days=1))
    assert services.tick(now=NOW, jobs=[broken, JOB]) == ["test.sample"]
    assert PeriodicRun.objects.get(name="test.broken").next_run_at is None


def test_manifest_jobs_are_scheduled():
    names = {job.name for job in services.periodic_jobs()}
    assert "core.verify_audit_chains" in names
    for manifest in manifests():
        assert {job.name for job in manifest.periodic} <= names


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_tick_command_and_worker(monkeypatch):
    monkeypatch.setattr(services, "periodic_jobs", lambda: [JOB])
    call_command("tick", verbosity=0)
    assert DBTaskResult.objects.count() == 1
    call_command("tick", verbosity=0)
    assert DBTaskResult.objects.count() == 1
    PeriodicRun.objects.update(next_run_at=timezone.now() - dt.timedelta(seconds=1))
    call_command("worker", batch=True, no_startup_delay=True, verbosity=0)
    assert CALLS == ["ran", "ran"]
    assert DBTaskResult.objects.count() == 2
