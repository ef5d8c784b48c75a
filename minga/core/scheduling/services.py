"""The scheduler: ``tick()`` enqueues every periodic job that is due, once.

Jobs come from the module manifests (``ModuleManifest.periodic``) plus core's own. ``minga
worker`` calls ``tick()`` every minute beside the task worker; ``minga tick`` does it once (for
a cron or systemd timer instead). Claiming a job is one conditional UPDATE (``next_run_at`` still
what we read, or due), so concurrent tickers on any database never enqueue a job twice; the
enqueue happens in the same transaction, so a crash between the two loses nothing."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from ..registry import PeriodicJob, manifests
from .models import PeriodicRun

logger = logging.getLogger("minga.scheduling")

CORE_JOBS = (
    PeriodicJob(
        name="core.verify_audit_chains", task="minga.core.audit.tasks.verify_audit_chains", every=dt.timedelta(days=1)
    ),
    PeriodicJob(name="core.analyze_database", task="minga.core.tasks.analyze_database", every=dt.timedelta(days=1)),
    PeriodicJob(name="core.recover_jobs", task="minga.core.tasks.recover_jobs", every=dt.timedelta(minutes=1)),
    # Page views counted privately by the modules (core/usage): buffered counters to daily rows.
    PeriodicJob(name="core.flush_usage", task="minga.core.usage.tasks.flush_usage", every=dt.timedelta(minutes=1)),
    # Notices waiting for a digest (core/notifications): one e-mail per person.
    PeriodicJob(
        name="core.daily_digests",
        task="minga.core.notifications.tasks.send_daily_digests",
        every=dt.timedelta(days=1),
    ),
    PeriodicJob(
        name="core.weekly_digests",
        task="minga.core.notifications.tasks.send_weekly_digests",
        every=dt.timedelta(days=7),
    ),
)


def periodic_jobs() -> list[PeriodicJob]:
    jobs = list(CORE_JOBS)
    for manifest in manifests():
        jobs.extend(manifest.periodic)
    return jobs


def _row(name: str) -> PeriodicRun:
    row = PeriodicRun.objects.filter(name=name).first()
    if row is not None:
        return row
    try:
        with transaction.atomic():
            return PeriodicRun.objects.create(name=name)
    except IntegrityError:  # another ticker created it first
        return PeriodicRun.objects.get(name=name)


def tick(*, now: dt.datetime | None = None, jobs: list[PeriodicJob] | None = None) -> list[str]:
    """Enqueue the due jobs; returns their names. A job that cannot be enqueued is logged and
    retried at the next tick."""
    now = now or timezone.now()
    enqueued = []
    for job in periodic_jobs() if jobs is None else jobs:
        _row(job.name)
        try:
            with transaction.atomic():
                claimed = PeriodicRun.objects.filter(
                    Q(next_run_at__isnull=True) | Q(next_run_at__lte=now), name=job.name
                ).update(next_run_at=now + job.every, last_run_at=now)
                if not claimed:
                    continue
                result = import_string(job.task).enqueue()
                PeriodicRun.objects.filter(name=job.name).update(
                    last_task_id=str(getattr(result, "id", ""))[:64], runs=F("runs") + 1
                )
        except Exception:
            logger.exception("periodic job %s could not be enqueued", job.name)
            continue
        enqueued.append(job.name)
    return enqueued
