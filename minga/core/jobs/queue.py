"""Queueing the background job of a record (an import run, an uploaded file), so that recovery
can tell when that job will never run.

A module queues the job after the commit that created the record (``enqueue_on_commit``: a
worker never looks for a record that is not committed yet) and notes the task's id on the
record. A record still waiting a lease length later whose task is unknown to the queue, or
ended without taking the record up (the worker died before it started, the queue was pruned),
is ``lost``: the module's ``recover_jobs`` hook fails it with a reason instead of leaving it
queued for ever. Queues that cannot look a task up (``supports_get_result``) are never judged."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.db import transaction
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus, default_task_backend
from django_tasks.exceptions import TaskResultDoesNotExist

from . import leases

logger = logging.getLogger("minga.jobs")

WAITING = (TaskResultStatus.READY, TaskResultStatus.RUNNING)


def enqueue(task_path: str, *args, note: Callable[[str], object] | None = None) -> str:
    """Queue one run of the task registered under ``task_path``; ``note(task_id)`` stores the
    task's id on the record the job is for."""
    result = import_string(task_path).enqueue(*args)
    task_id = str(result.id)
    if note is not None:
        note(task_id)
    return task_id


def enqueue_on_commit(task_path: str, *args, note: Callable[[str], object] | None = None) -> None:
    """``enqueue`` once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: enqueue(task_path, *args, note=note))


def lost(task_id: str, *, queued_at: dt.datetime | None, now: dt.datetime) -> bool:
    """Whether the job of a record that is still waiting will never take it up: queued more
    than a lease length ago and unknown to the queue or already ended. False when the queue
    cannot tell (it keeps no results)."""
    if queued_at is not None and queued_at > now - leases.lease_length():
        return False  # just queued: its task id may not even be noted yet
    backend = default_task_backend
    if not getattr(backend, "supports_get_result", False):
        return False
    if not task_id:
        return True  # the transaction committed but the job was never queued
    try:
        result = backend.get_result(task_id)
    except TaskResultDoesNotExist:
        return True
    except Exception:  # a queue that cannot answer now: ask again at the next recovery
        logger.warning("task %s could not be looked up", task_id, exc_info=True)
        return False
    return result.status not in WAITING
