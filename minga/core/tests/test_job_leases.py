"""Job leases: a running job holds one and renews it; a job whose lease expired (its process
died) is marked failed by the next worker, visibly; several workers repair it once."""

import datetime as dt
import signal

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from minga.core.jobs import leases
from minga.core.jobs.models import JobLease
from minga.core.jobs.recovery import recover, task_lease_name
from minga.core.scheduling.services import periodic_jobs
from minga.core.testing_processes import committed_database, kill_this_process, run_in_child

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
SEEN: list[bool] = []


@task()
def holds_its_lease() -> bool:
    """Records whether the worker running it holds the task's lease right now."""
    running = DBTaskResult.objects.get(status=TaskResultStatus.RUNNING)
    held = JobLease.objects.filter(name=task_lease_name(running.pk), holder=leases.holder()).exists()
    SEEN.append(held)
    return held


@task()
def dies() -> None:
    kill_this_process()


@pytest.mark.django_db
def test_a_live_lease_cannot_be_taken_and_an_expired_one_can():
    leases.acquire(name="test.job:1")
    with pytest.raises(leases.LeaseHeld):
        leases.acquire(name="test.job:1")
    JobLease.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    leases.acquire(name="test.job:1")  # its holder is gone: taken over
    assert JobLease.objects.get().expires_at > timezone.now()
    leases.release(name="test.job:1")
    assert not JobLease.objects.exists()


@pytest.mark.django_db
def test_the_heartbeat_pushes_back_every_held_lease_of_the_process():
    leases.acquire(name="test.job:1")
    leases.acquire(name="test.job:2")
    later = timezone.now() + dt.timedelta(minutes=10)
    assert leases.renew(now=later) == 2
    assert set(JobLease.objects.values_list("expires_at", flat=True)) == {later + leases.lease_length()}
    leases.forget(name="test.job:2")  # no longer renewed: it will expire
    assert leases.renew(now=later) == 1
    for name in ("test.job:1", "test.job:2"):
        leases.release(name=name)


@pytest.mark.django_db
def test_abandoned_means_expired_or_missing_for_longer_than_a_lease():
    now = timezone.now()
    length = leases.lease_length()
    held = {"a": now + dt.timedelta(seconds=1), "b": now}
    assert not leases.is_abandoned("a", leases=held, started_at=now, now=now)
    assert leases.is_abandoned("b", leases=held, started_at=now, now=now)
    assert not leases.is_abandoned("c", leases=held, started_at=now - length / 2, now=now)  # about to take it
    assert leases.is_abandoned("c", leases=held, started_at=now - length, now=now)


def test_recovery_runs_every_minute():
    (job,) = [job for job in periodic_jobs() if job.name == "core.recover_jobs"]
    assert job.every == dt.timedelta(minutes=1)


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_QUEUE)
def test_the_worker_holds_a_lease_while_a_task_runs_and_gives_it_back():
    SEEN.clear()
    result = holds_its_lease.enqueue()
    call_command("worker", batch=True, scheduler=False, startup_delay=False, verbosity=0)
    assert SEEN == [True]
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert not JobLease.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_task_whose_worker_was_killed_is_failed_once_its_lease_expires(tmp_path):
    with committed_database(tmp_path), override_settings(TASKS=DATABASE_QUEUE):
        result = dies.enqueue()
        child = run_in_child(call_command, "worker", batch=True, scheduler=False, startup_delay=False, verbosity=0)
        child.join()
        assert child.exitcode == -signal.SIGKILL
        row = DBTaskResult.objects.get(pk=result.id)
        assert row.status == TaskResultStatus.RUNNING  # what the probe saw: RUNNING for ever, until...

        assert recover()["core.tasks"] == 0  # the lease is still live
        later = timezone.now() + leases.lease_length() + dt.timedelta(seconds=1)
        assert recover(now=later)["core.tasks"] == 1
        assert recover(now=later)["core.tasks"] == 0  # repaired once

        result.refresh()
        assert result.status == TaskResultStatus.FAILED
        assert result.errors[0].exception_class_path == "minga.core.jobs.recovery.JobAbandoned"
        assert "stopped" in result.errors[0].traceback
        assert not JobLease.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_task_left_running_without_any_lease_is_failed_after_a_lease_length(tmp_path):
    """A worker of an earlier release, or one killed between claiming a task and taking its lease."""
    with override_settings(TASKS=DATABASE_QUEUE):
        result = holds_its_lease.enqueue()
    started = timezone.now()
    DBTaskResult.objects.filter(pk=result.id).update(status=TaskResultStatus.RUNNING, started_at=started)
    assert recover(now=started + leases.lease_length() / 2)["core.tasks"] == 0
    assert recover(now=started + leases.lease_length())["core.tasks"] == 1
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.FAILED
