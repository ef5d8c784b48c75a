"""Jobs queued for a record (core/jobs/queue.py): the task's id noted on the record once the
transaction commits, and a queued record whose task will never run told apart from one whose
task waits."""

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks import default_task_backend
from django_tasks_db.models import DBTaskResult

from minga.core.jobs import leases, queue

pytestmark = pytest.mark.django_db

TASK = "minga.core.tasks.analyze_database"
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
DUMMY_QUEUE = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_the_task_is_queued_after_the_commit_and_its_id_noted(django_capture_on_commit_callbacks):
    noted = []
    with override_settings(TASKS=DUMMY_QUEUE):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            queue.enqueue_on_commit(TASK, note=noted.append)
        assert noted == [] and default_task_backend.results == []  # nothing before the commit
        callbacks[0]()
        assert noted == [str(default_task_backend.results[0].id)]


def test_a_task_the_queue_lost_or_ended_is_lost_a_waiting_one_is_not():
    now = timezone.now()
    later = now + leases.lease_length() + dt.timedelta(seconds=1)
    with override_settings(TASKS=DATABASE_QUEUE):
        task_id = queue.enqueue(TASK)
        assert not queue.lost(task_id, queued_at=now, now=later)  # it waits in the queue
        assert not queue.lost("", queued_at=now, now=now)  # just queued: its id may not be noted yet
        assert queue.lost("", queued_at=now, now=later)  # never queued
        DBTaskResult.objects.filter(pk=task_id).update(status="FAILED")
        assert queue.lost(task_id, queued_at=now, now=later)  # it ended without taking the record up
        DBTaskResult.objects.all().delete()
        assert queue.lost(task_id, queued_at=now, now=later)  # the queue forgot it
    with override_settings(TASKS=DUMMY_QUEUE):  # a queue that keeps no results is never judged
        assert not queue.lost("", queued_at=now, now=later)
