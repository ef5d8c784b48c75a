"""The part every module's background import job shares: a record (an import run, an uploaded
layer file, a budget file) is queued, taken up by a worker under a lease, ended, and repaired by
recovery when its worker died or its job was lost.

A module describes its record once with a `RecordJobs` (the model, the lease's prefix, how its
messages name it) and keeps only what is its own: which status means "waiting for this job",
how a failure is written on the record, what its progress record and audit entry say.

- ``note_task(government, pk)``: the ``note`` callback of ``queue.enqueue_on_commit`` that
  stores the task's id on the record.
- ``start(government, pk, ready=, mark=)``: lock the record, check it still waits for this job
  (``ready``), mark it started (``mark`` sets the fields and returns their names) and take its
  lease, all in one commit; None when another delivery or recovery got there first.
- ``release(pk)``: give the lease back; if the database refuses, stop renewing it (it expires
  by itself and recovery sees the record already ended).
- ``delete_file(government, pk, field=, keep=)``: the stored upload goes once the job is done
  with it (unless ``keep(record)``); a failure costs space, never data.
- ``recover(waiting, now=, end=)``: for each waiting record, whether its job is gone (a
  started job whose lease expired: ``INTERRUPTED``; a queued one the queue lost:
  ``NEVER_STARTED``); ``end(government, pk, reason)`` records the failure, tells the progress
  record, releases the lease and deletes the file (the module's order), and says whether it
  did (False: the record ended meanwhile). Returns how many ended."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from . import leases, queue

logger = logging.getLogger("minga.jobs")


@dataclass(frozen=True)
class Waiting:
    """A record still waiting for its job, as recovery reads it (one query, all governments)."""

    pk: int
    government_id: int
    started: bool  # the job took it up (and should hold its lease)
    started_at: dt.datetime | None
    queued_at: dt.datetime | None
    task_id: str


@dataclass(frozen=True)
class RecordJobs:
    model: Any  # the record's model (government-owned, with a scoped manager)
    lease_prefix: str  # "procurement.import": leases are "<prefix>:<pk>"
    label: str  # how log messages name a record: "import", "budget import", "layer import"
    task_field: str = "task_id"

    def lease_name(self, pk: int) -> str:
        return f"{self.lease_prefix}:{pk}"

    def rows(self, government):
        return self.model.objects.for_government(government)

    def note_task(self, government, pk: int) -> Callable[[str], None]:
        def note(task_id: str) -> None:
            self.rows(government).filter(pk=pk).update(**{self.task_field: task_id[:64]})

        return note

    def start(self, government, pk: int, *, ready: Callable[[Any], bool], mark: Callable[[Any], list[str]]):
        with transaction.atomic():
            found = self.rows(government).select_for_update().filter(pk=pk).first()
            if found is None or not ready(found):
                return None
            found.save(update_fields=mark(found))
            leases.acquire(name=self.lease_name(found.pk))
        return found

    def release(self, pk: int) -> None:
        try:
            leases.release(name=self.lease_name(pk))
        except Exception:  # it expires by itself; recovery sees the job already ended
            leases.forget(name=self.lease_name(pk))
            logger.warning("lease of %s %s could not be released", self.label, pk, exc_info=True)

    def delete_file(self, government, pk: int, *, field: str, keep: Callable[[Any], bool]) -> None:
        try:
            found = self.rows(government).filter(pk=pk).first()
            if found is None or not getattr(found, field) or keep(found):
                return
            getattr(found, field).delete(save=False)
            self.rows(government).filter(pk=pk).update(**{field: ""})
        except Exception:  # a file left behind costs space, never data
            logger.warning("stored file of %s %s could not be deleted", self.label, pk, exc_info=True)

    def recover(
        self,
        waiting: Iterable[Waiting],
        *,
        now: dt.datetime,
        interrupted: Any,
        never_started: Any,
        end: Callable[[Any, int, str], bool],
    ) -> int:
        from ..tenancy.models import Government

        waiting = list(waiting)
        held = leases.expiries([self.lease_name(item.pk) for item in waiting if item.started])
        ended = 0
        for item in waiting:
            if item.started:
                if not leases.is_abandoned(self.lease_name(item.pk), leases=held, started_at=item.started_at, now=now):
                    continue
                reason = interrupted
            elif queue.lost(item.task_id, queued_at=item.queued_at, now=now):
                reason = never_started
            else:
                continue
            government = Government.objects.get(pk=item.government_id)
            if not end(government, item.pk, str(reason)):
                continue  # it ended meanwhile
            ended += 1
        return ended
