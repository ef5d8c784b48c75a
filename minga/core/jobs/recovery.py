"""Repairing what dead processes left half done.

``recover()`` runs when ``minga worker`` starts and every minute (the periodic job
``core.recover_jobs``). It marks as failed every task result that a worker left RUNNING without
a live lease (the worker holds ``task:<id>`` while it runs a task), then calls each module's
``ModuleManifest.recover_jobs`` hook (the catalog fails its interrupted loads there and puts
its datastore back in line with the catalog), and finally deletes the expired leases. Each
repair is a conditional update, so several workers recovering at once repair each job once."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ..progress import services as progress
from ..registry import manifests
from ..verification import rolls as census_rolls
from . import leases

logger = logging.getLogger("minga.jobs")

ABANDONED_CLASS_PATH = "minga.core.jobs.recovery.JobAbandoned"


class JobAbandoned(Exception):
    """The process running a job stopped without saying how it ended."""


def task_lease_name(task_id) -> str:
    return f"task:{task_id}"


def recover_tasks(*, now: dt.datetime) -> int:
    """Task results left RUNNING by a worker that died: marked FAILED with an explanation."""
    running = list(DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).values_list("id", "started_at"))
    held = leases.expiries([task_lease_name(task_id) for task_id, _ in running])
    failed = 0
    for task_id, started_at in running:
        if not leases.is_abandoned(task_lease_name(task_id), leases=held, started_at=started_at, now=now):
            continue
        failed += DBTaskResult.objects.filter(pk=task_id, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            return_value=None,
            exception_class_path=ABANDONED_CLASS_PATH,
            traceback=(
                f"{ABANDONED_CLASS_PATH}: the worker running this task stopped (its lease expired at "
                f"{held.get(task_lease_name(task_id)) or 'an unknown time'}); marked failed by {leases.holder()}."
            ),
        )
    if failed:
        logger.warning("marked %s abandoned task(s) as failed", failed)
    return failed


def recover(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Repair every job whose process died; returns what each part repaired."""
    now = now or timezone.now()
    repaired = {"core.tasks": recover_tasks(now=now), "core.progress": progress.give_up_silent(now=now)}
    repaired["core.census"] = census_rolls.recover_loads(now=now)
    for manifest in manifests():
        if manifest.recover_jobs is None:
            continue
        hook = manifest.recover_jobs
        if isinstance(hook, str):
            hook = import_string(hook)
        try:
            repaired[manifest.key] = hook(now=now)
        except Exception:  # one module's repair must not keep the others from theirs
            logger.exception("recovery of module %s failed", manifest.key)
    repaired["core.expired_leases"] = leases.sweep(now=now)
    return repaired
