"""OCDS imports with their progress record (core/progress): the back office shows the phase
(validate, store, flags), the releases done of the total and the time left while it runs, and a
failed one says why and that the data published before stayed live.

A file uploaded in the back office is imported by a background job: ``import_requested``
stores the file (privately, under ``procurement/imports/``), records a queued ``ImportRun`` and
its progress record, and queues the job after the commit; the job (``tasks.import_queued``)
calls ``run_queued``, which holds the lease ``procurement.import:<id>`` while it works and
deletes the stored file when it ends. A worker that dies mid-import leaves a lease that expires:
``recover_jobs`` then fails the run (the import is one transaction, so nothing of it is live).
The `procurement_import` command and the demo import at once through ``import_tracked``."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from minga.core.audit import services as audit
from minga.core.jobs import leases, queue
from minga.core.jobs.records import RecordJobs, Waiting
from minga.core.progress import selectors as progress_selectors
from minga.core.progress import services as progress
from minga.core.progress.terminal import both

from . import services
from .models import ImportRun, Process

logger = logging.getLogger("minga.procurement")

KIND = "procurement.import"
TASK = "minga.procurement.tasks.import_queued"
PHASES = {
    "validate": gettext_noop("Validating releases"),
    "store": gettext_noop("Compiling and storing releases"),
    "flags": gettext_noop("Computing red flags across processes"),
}
RELEASES = gettext_noop("releases")
INTERRUPTED = gettext_lazy(
    "The import was interrupted: the process running it stopped before it finished (for example, the server"
    " restarted). Upload the file again."
)
NEVER_STARTED = gettext_lazy("The import never started: its job was lost from the queue. Upload the file again.")


def kept_live() -> str:
    return _("Nothing changed: the contracting data published before this file stays live.")


def kept_live_count(government) -> str:
    """What stays live, with the number of processes published."""
    count = Process.objects.for_government(government).count()
    if not count:
        return _("Nothing changed: no contracting process was published before this file, and none is now.")
    return _("Nothing changed: the %(count)s contracting processes published before stay live.") % {"count": count}


JOBS = RecordJobs(model=ImportRun, lease_prefix="procurement.import", label="import")


def lease_name(run_id: int) -> str:
    return JOBS.lease_name(run_id)


def import_tracked(*, actor, government, filename: str, raw: bytes, now=None, terminal=None, **options) -> ImportRun:
    """``services.import_file`` at once, with a progress record; ``terminal`` is a command's
    ``TerminalProgress`` (or any progress callback) that hears the same phases."""
    tracker = progress.start(
        government=government,
        kind=KIND,
        module="procurement",
        title=filename,
        key=hashlib.sha256(raw).hexdigest(),
        unit=RELEASES,
        labels=PHASES,
        now=now,
    )
    try:
        run = services.import_file(
            actor=actor,
            government=government,
            filename=filename,
            raw=raw,
            now=now,
            progress=both(tracker, terminal),
            **options,
        )
    except Exception as error:
        tracker.fail(_("The import stopped with an error: %(error)s") % {"error": error}, kept_live())
        raise
    _end(tracker, run, kept_live())
    return run


def _end(tracker, run: ImportRun, kept: str) -> None:
    if run.status == ImportRun.Status.FAILED:
        reasons = "\n".join(problem["message"] for problem in run.problems[:3])
        tracker.fail(reasons or _("The file could not be read as OCDS."), kept, obj=run)
    else:
        tracker.finish(obj=run)


# The back office's upload: a background job ------------------------------------------------------


def import_requested(*, actor, government, upload, now: dt.datetime | None = None) -> ImportRun:
    """Store the uploaded file, record a queued run with its progress record, and queue the job
    that imports it once this commits. Returns at once; the run's page follows the job."""
    now = now or timezone.now()
    name = (getattr(upload, "name", "") or "ocds.json").rsplit("/", 1)[-1][:255]
    run = ImportRun(
        government=government,
        filename=name,
        status=ImportRun.Status.QUEUED,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        created_at=now,
    )
    run.upload.save(name, File(upload, name=name), save=False)  # to the storage, before the rows
    try:
        with transaction.atomic():
            run.save()
            progress.queued(
                government=government, kind=KIND, module="procurement", obj=run, title=name, unit=RELEASES, now=now
            )
            run_id = run.pk
            queue.enqueue_on_commit(TASK, run_id, note=_note_task(government, run_id))
    except BaseException:
        run.upload.delete(save=False)
        raise
    return run


def _note_task(government, run_id: int):
    return JOBS.note_task(government, run_id)


def _mark_running(government, run_id: int, now: dt.datetime) -> ImportRun | None:
    """RUNNING and the run's lease in one commit; None when the run is not queued any more (a
    second delivery of the job, a run recovery failed)."""

    def mark(run) -> list[str]:
        run.status, run.started_at = ImportRun.Status.RUNNING, now
        return ["status", "started_at"]

    return JOBS.start(government, run_id, ready=lambda run: run.status == ImportRun.Status.QUEUED, mark=mark)


def run_queued(*, government, run_id: int, now: dt.datetime | None = None) -> ImportRun | None:
    """Import the stored file of a queued run (the job calls this). The outcome lands on the
    run and its progress record; a failure of any kind leaves the data published before live."""
    now = now or timezone.now()
    run = _mark_running(government, run_id, now)
    if run is None:
        return None
    tracker = progress.resume(
        government=government,
        kind=KIND,
        module="procurement",
        obj=run,
        title=run.filename,
        unit=RELEASES,
        labels=PHASES,
        now=now,
    )
    try:
        try:
            with run.upload.open("rb") as handle:
                raw = handle.read()
        except (FileNotFoundError, OSError, ValueError):
            message = _("The uploaded file could not be found in the storage. Upload it again.")
            run, _failed = _fail(government, run, message, now=now)
            tracker.fail(message, kept_live_count(government), obj=run)
            return run
        try:
            run = services.import_file(
                actor=run.created_by,
                government=government,
                filename=run.filename,
                raw=raw,
                now=now,
                progress=tracker,
                run=run,
            )
        except services.RunGivenUp:
            leases.forget(name=lease_name(run_id))
            return ImportRun.objects.for_government(government).get(pk=run_id)
        except BaseException as error:
            message = _("The import stopped with an error: %(error)s") % {"error": error}
            try:
                failed, _failed = _fail(government, run, message)
                tracker.fail(message, kept_live_count(government), obj=failed)
            except Exception:  # e.g. the database went away: the lease expires and recovery fails the run
                logger.exception("import %s could not be marked failed", run_id)
            raise
        _end(tracker, run, kept_live_count(government) if run.status == ImportRun.Status.FAILED else "")
        return run
    finally:
        _release(run_id)
        _delete_upload(government, run_id)


def _fail(government, run: ImportRun, message: str, *, now: dt.datetime | None = None) -> tuple[ImportRun, bool]:
    """Mark a run that was queued or running as failed with ``message`` (audited), and whether
    it was; a run that already has its outcome is left as it is."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = ImportRun.objects.for_government(government).select_for_update().filter(pk=run.pk).first()
        if locked is None or not locked.is_waiting:
            return locked or run, False
        before = locked.status
        locked.status = ImportRun.Status.FAILED
        locked.problems = [{"where": locked.filename, "ocid": "", "release": "", "message": str(message)}]
        locked.problem_count = 1
        if locked.started_at is not None:
            locked.seconds = max(0.0, (now - locked.started_at).total_seconds())
        locked.save(update_fields=["status", "problems", "problem_count", "seconds"])
        audit.record(
            actor=locked.created_by,
            government=government,
            action="procurement.import.failed",
            obj=locked,
            changes={"status": [before, locked.status], "problem": [None, str(message)]},
            now=now,
        )
    return locked, True


def _release(run_id: int) -> None:
    JOBS.release(run_id)


def _delete_upload(government, run_id: int) -> None:
    """The stored file goes once the import ended (its releases are in the database now)."""
    JOBS.delete_file(government, run_id, field="upload", keep=lambda run: run.is_waiting)


# Recovery ----------------------------------------------------------------------------------------


def recover_jobs(*, now: dt.datetime) -> int:
    """The module's part of ``core.jobs.recovery.recover``: runs whose worker died while
    importing (their lease expired), and queued runs whose job was lost, are marked failed with
    the reason; their stored file goes. Returns how many."""
    waiting = [
        Waiting(pk, government_id, status == ImportRun.Status.RUNNING, started_at, created_at, task_id)
        for pk, government_id, status, started_at, created_at, task_id in ImportRun._base_manager.filter(
            status__in=[ImportRun.Status.QUEUED, ImportRun.Status.RUNNING]
        ).values_list("pk", "government_id", "status", "started_at", "created_at", "task_id")
    ]

    statuses = {item.pk: ImportRun.Status.RUNNING if item.started else ImportRun.Status.QUEUED for item in waiting}

    def end(government, pk: int, reason: str) -> bool:
        run = ImportRun.objects.for_government(government).get(pk=pk)
        ended, failed_now = _fail(government, run, reason, now=now)
        if not failed_now:
            return False
        progress.fail_running(government=government, obj=ended, reason=reason, kept_live=kept_live_count(government))
        _release(pk)
        _delete_upload(government, pk)
        logger.warning("import %s of %s was %s; marked failed", pk, government.slug, statuses[pk])
        return True

    return JOBS.recover(waiting, now=now, interrupted=INTERRUPTED, never_started=NEVER_STARTED, end=end)


# Reads -------------------------------------------------------------------------------------------


def progress_of(run: ImportRun):
    """The progress record of an import run (None for runs older than progress records)."""
    return progress_selectors.latest_for(government=run.government_id, obj=run)


def running_imports(government) -> list:
    return progress_selectors.running(government=government, kind=KIND)
