"""Writes of progress records, for the jobs that do long work.

    tracker = progress.start(government=g, kind="catalog.load", module="catalog", obj=load, title="obras.csv")
    tracker.advance("inserting", done=1200, total=50000, label=gettext_noop("Inserting rows"))
    tracker.finish()                      # or
    tracker.fail(reason, kept_live=_("Version 3 of the table stays published."))

``advance`` is cheap to call for every batch: it writes at most about once a second (and at
each change of phase). A job that works inside a transaction of the default database (an OCDS
import, the load's insert on PostgreSQL) cannot show its counts through a row that only its
own transaction sees, so every advance also puts the live figures in the shared cache, where
the selectors read them; the row gets them as soon as no transaction is open, and at the end.

Work that a background job does is recorded when it is queued (``queued``: the panel says it
waits for a worker) and taken up by the job when it starts (``resume``); recovery fails the
record of work whose process died (``fail_running``).

Phase labels and units are stored as their English source text (mark them with
``gettext_noop``) and translated when shown, so each reader sees their own language."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .models import Progress

logger = logging.getLogger("minga.jobs")

THROTTLE_SECONDS = 1.0
LIVE_SECONDS = 24 * 3600  # how long the cache keeps the figures of a job that stopped talking
ROWS = gettext_noop("rows")
QUEUED = "queued"
QUEUED_LABEL = gettext_noop("Waiting for a worker to start it")


def live_key(pk: int) -> str:
    return f"core.progress:{pk}"


def in_transaction(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether a transaction is open on the database, other than the one a test case wraps
    every test in: what is written now is seen by others only when it commits."""
    return any(not getattr(block, "_from_testcase", False) for block in connections[using].atomic_blocks)


class Tracker:
    """What a job holds while it works. Callable as ``tracker(phase, done, total)``, the
    callback that libraries such as the datastore take."""

    def __init__(
        self,
        record: Progress,
        *,
        labels: dict[str, str] | None = None,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], dt.datetime] = timezone.now,
    ):
        self.record = record
        self.labels = labels or {}
        self.clock, self.now = clock, now
        self.last_write: float | None = None
        self.writes = 0

    def __call__(self, phase: str, done: int, total: int | None = None) -> bool:
        return self.advance(phase, done, total)

    def advance(self, phase: str, done: int, total: int | None = None, *, label: str = "", unit: str = "") -> bool:
        """Where the work stands; returns whether it was written (at a change of phase, or when
        a second has passed since the last write)."""
        record = self.record
        if record.state != Progress.State.RUNNING:
            return False
        new_phase = phase != record.phase
        tick = self.clock()
        now = self.now()
        if new_phase:
            record.phase, record.phase_started_at = phase, now
            record.phase_label = label or self.labels.get(phase, "")
        elif label:
            record.phase_label = label
        if unit:
            record.unit = unit
        record.done = max(0, int(done))
        record.total = None if total is None else max(0, int(total))
        if not new_phase and self.last_write is not None and tick - self.last_write < THROTTLE_SECONDS:
            return False
        self.last_write = tick
        record.updated_at = now
        self._write()
        return True

    def finish(self, *, obj=None, now: dt.datetime | None = None) -> Progress:
        """The work succeeded; ``obj`` is the record it produced when it had none at the start."""
        record = self.record
        record.state, record.finished_at = Progress.State.SUCCEEDED, now or self.now()
        record.updated_at = record.finished_at
        if record.total is not None:
            record.done = record.total
        self._attach(obj)
        self._write(final=True)
        return record

    def fail(self, reason: str, kept_live: str = "", *, obj=None, now: dt.datetime | None = None) -> Progress:
        """The work failed: why (for officials), and what the public still sees."""
        record = self.record
        record.state, record.finished_at = Progress.State.FAILED, now or self.now()
        record.updated_at = record.finished_at
        record.failure_reason, record.kept_live = str(reason)[:4000], str(kept_live)[:2000]
        self._attach(obj)
        self._write(final=True)
        return record

    def _attach(self, obj) -> None:
        if obj is not None and obj.pk is not None:
            self.record.content_type = ContentType.objects.get_for_model(obj)
            self.record.object_id = str(obj.pk)

    def _write(self, *, final: bool = False) -> None:
        """Progress is news about the work, never a reason for it to fail: a cache or database
        that refuses the news is logged and the work goes on."""
        try:
            self._store(final=final)
        except Exception:
            logger.warning("progress %s of %s could not be written", self.record.pk, self.record.kind, exc_info=True)

    def _store(self, *, final: bool) -> None:
        record = self.record
        self.writes += 1
        if final:
            cache.delete(live_key(record.pk))
        else:
            cache.set(live_key(record.pk), _live_fields(record), LIVE_SECONDS)
        if final or not in_transaction():
            fields = {name: getattr(record, name) for name in _WRITTEN}
            Progress.objects.for_government(record.government_id).filter(pk=record.pk).update(**fields)


_LIVE = ("phase", "phase_label", "unit", "done", "total", "phase_started_at", "updated_at")
_WRITTEN = (
    *_LIVE,
    "state",
    "finished_at",
    "failure_reason",
    "kept_live",
    "content_type",
    "object_id",
)


def _live_fields(record: Progress) -> dict:
    return {name: getattr(record, name) for name in _LIVE}


def start(
    *,
    government,
    kind: str,
    module: str,
    title: str = "",
    obj=None,
    key: str = "",
    unit: str = ROWS,
    labels: dict[str, str] | None = None,
    now: dt.datetime | None = None,
    clock: Callable[[], float] = time.monotonic,
    phase: str = "",
    phase_label: str = "",
) -> Tracker:
    """A new running record for a piece of work, tracked by ``obj`` (a saved model instance)
    or by ``key`` (the caller's, e.g. a file's digest, when the record does not exist yet).
    ``labels`` names the phases (phase code → English source text) for callbacks that only
    give a code. Call it outside a transaction, so the record is seen while the work runs and
    stays when the work rolls back."""
    now = now or timezone.now()
    record = Progress(
        government_id=getattr(government, "pk", government),
        kind=kind[:60],
        module=module[:40],
        title=str(title)[:255],
        key=str(key)[:120],
        unit=unit,
        phase=phase[:40],
        phase_label=phase_label[:120],
        started_at=now,
        phase_started_at=now,
        updated_at=now,
    )
    if obj is not None:
        record.content_type = ContentType.objects.get_for_model(obj)
        record.object_id = str(obj.pk)
    record.full_clean(exclude=["government"])
    record.save()
    return Tracker(record, labels=labels, clock=clock)


def queued(
    *, government, kind: str, module: str, obj, title: str = "", unit: str = ROWS, now: dt.datetime | None = None
) -> Progress:
    """The record of work on ``obj`` that a background job will do: running, in the phase
    "queued" (waiting for a worker), until the job takes it up with ``resume``. Create it in the
    transaction that queues the job, so both exist or neither does."""
    tracker = start(
        government=government,
        kind=kind,
        module=module,
        title=title,
        obj=obj,
        unit=unit,
        now=now,
        phase=QUEUED,
        phase_label=QUEUED_LABEL,
    )
    return tracker.record


def resume(
    *,
    government,
    kind: str,
    module: str,
    obj,
    title: str = "",
    unit: str = ROWS,
    labels: dict[str, str] | None = None,
    now: dt.datetime | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> Tracker:
    """The tracker of queued work on ``obj`` that a job starts now: its record (``queued``)
    runs again from now, or a new record when there is none (work queued before records were
    kept, or whose record recovery gave up)."""
    now = now or timezone.now()
    content_type = ContentType.objects.get_for_model(obj)
    record = (
        Progress.objects.for_government(getattr(government, "pk", government))
        .filter(kind=kind, content_type=content_type, object_id=str(obj.pk), state=Progress.State.RUNNING)
        .first()
    )
    if record is None:
        return start(
            government=government,
            kind=kind,
            module=module,
            title=title,
            obj=obj,
            unit=unit,
            labels=labels,
            now=now,
            clock=clock,
        )
    fields = {
        "started_at": now,
        "phase_started_at": now,
        "updated_at": now,
        "phase": "",
        "phase_label": "",
        "done": 0,
        "total": None,
    }
    for name, value in fields.items():
        setattr(record, name, value)
    Progress.objects.for_government(record.government_id).filter(pk=record.pk).update(**fields)
    return Tracker(record, labels=labels, clock=clock)


def fail_running(*, government, obj, reason: str, kept_live: str = "", now: dt.datetime | None = None) -> int:
    """Fail every running record of the work on ``obj`` (recovery, when the process doing it
    died or its job never started); returns how many."""
    now = now or timezone.now()
    content_type = ContentType.objects.get_for_model(obj)
    records = Progress.objects.for_government(getattr(government, "pk", government)).filter(
        content_type=content_type, object_id=str(obj.pk), state=Progress.State.RUNNING
    )
    pks = list(records.values_list("pk", flat=True))
    count = records.update(
        state=Progress.State.FAILED,
        finished_at=now,
        updated_at=now,
        failure_reason=str(reason)[:4000],
        kept_live=str(kept_live)[:2000],
    )
    for pk in pks:
        cache.delete(live_key(pk))
    return count


def seconds_left(record: Progress, *, now: dt.datetime | None = None) -> int | None:
    """Time left in the current phase from the rate so far; None when it cannot be told (no
    total, nothing done yet, or finished)."""
    if record.state != Progress.State.RUNNING or not record.total or record.done <= 0:
        return None
    if record.done >= record.total:
        return 0
    elapsed = (record.updated_at - record.phase_started_at).total_seconds()
    if elapsed <= 0:
        return None
    rate = record.done / elapsed
    left = (record.total - record.done) / rate
    if now is not None:
        left -= max(0.0, (now - record.updated_at).total_seconds())
    return max(0, round(left))


def silent_seconds() -> int:
    """How long running work may go without news before recovery gives it up."""
    return int(getattr(settings, "PROGRESS_SILENT_SECONDS", 3600))


def give_up_silent(*, now: dt.datetime | None = None) -> int:
    """Records left running by a process that died (no news, in the row or the cache, for
    ``silent_seconds()``): marked failed, so no page shows them running for ever. Called by
    ``core.jobs.recovery.recover``; a conditional update, so two workers give each up once."""
    now = now or timezone.now()
    limit = now - dt.timedelta(seconds=silent_seconds())
    # Queued work is silent until a worker takes it up: the module whose job it is fails it when
    # the job is lost (see ``core.jobs.queue``).
    candidates = Progress._base_manager.filter(state=Progress.State.RUNNING, updated_at__lt=limit).exclude(phase=QUEUED)
    given_up = 0
    for pk, updated_at in candidates.values_list("pk", "updated_at"):
        live = cache.get(live_key(pk)) or {}
        if live.get("updated_at") and live["updated_at"] >= limit:
            continue  # its transaction has not committed yet, but it is still talking
        given_up += Progress._base_manager.filter(pk=pk, state=Progress.State.RUNNING, updated_at=updated_at).update(
            state=Progress.State.FAILED,
            finished_at=now,
            updated_at=now,
            failure_reason=_("The work stopped giving news: the process running it probably ended."),
            kept_live=_("What was published before it started stays live: the work publishes only when it ends."),
        )
        cache.delete(live_key(pk))
    return given_up
