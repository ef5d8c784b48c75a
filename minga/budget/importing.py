"""Reading and publishing a cédula in the background, with progress records (core/progress):
the back office shows the phase (reading, checking every row, storing the lines), the rows done
of how many and the time left, and a failed job says why and what stayed live.

``upload_requested`` checks the upload cheaply (cut-off, size, kind, a workbook's zip
directory), stores the file privately under ``budget/imports/``, records the import as
``reading`` and queues ``tasks.read_queued``, which reads and checks it (``read_queued``) and
deletes the stored file. ``publish_requested`` marks a checked import ``publishing`` and
queues ``tasks.publish_queued`` (``publish_queued``), which publishes it in one transaction:
the figures published before stay live until it commits. Each job holds the lease
``budget.import:<id>``; ``recover_jobs`` fails the import of a worker that died (or of a job
the queue lost)."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from minga.core.audit import services as audit
from minga.core.jobs import queue
from minga.core.jobs.records import RecordJobs, Waiting
from minga.core.progress import selectors as progress_selectors
from minga.core.progress import services as progress

from . import cedula, services
from .models import BudgetImport, CutOff

logger = logging.getLogger("minga.budget")

KIND = "budget.cedula_publish"
READ_KIND = "budget.cedula_read"
READ_TASK = "minga.budget.tasks.read_queued"
PUBLISH_TASK = "minga.budget.tasks.publish_queued"
PHASES = {
    "reading": gettext_noop("Reading the file"),
    "checking": gettext_noop("Checking every row of the file again"),
    "storing": gettext_noop("Storing the budget lines"),
}
READ_PHASES = {
    "reading": gettext_noop("Reading the file"),
    "checking": gettext_noop("Checking every row"),
}
LINES = gettext_noop("lines")
ROWS = gettext_noop("rows")
INTERRUPTED = gettext_lazy(
    "The work was interrupted: the process doing it stopped before it finished (for example, the server restarted)."
)
NEVER_STARTED = gettext_lazy("The work never started: its job was lost from the queue.")


def kept_live(budget_import: BudgetImport | None = None) -> str:
    """What the public still sees of the import's cut-off."""
    if budget_import is None:
        return _("Nothing changed: the budget figures published before stay live.")
    cutoff = (
        CutOff.objects.for_government(budget_import.government_id)
        .filter(budget_year__year=budget_import.year, month=budget_import.month, published_at__isnull=False)
        .first()
    )
    key = f"{budget_import.year}-{budget_import.month:02d}"
    if cutoff is None:
        return _("Nothing changed: no figures of the cut-off %(key)s were published, and none are now.") % {"key": key}
    return _("Nothing changed: the figures of the cut-off %(key)s published on %(date)s stay live.") % {
        "key": key,
        "date": date_format(timezone.localtime(cutoff.published_at), "SHORT_DATE_FORMAT"),
    }


JOBS = RecordJobs(model=BudgetImport, lease_prefix="budget.import", label="budget import")


def lease_name(import_id: int) -> str:
    return JOBS.lease_name(import_id)


def publish_tracked(*, actor, government, budget_import: BudgetImport, **options):
    """``services.import_publish`` at once with a progress record; raises what it raises."""
    tracker = progress.start(
        government=government,
        kind=KIND,
        module="budget",
        title=budget_import.filename,
        obj=budget_import,
        unit=LINES,
        labels=PHASES,
    )
    try:
        cutoff = services.import_publish(
            actor=actor, government=government, budget_import=budget_import, progress=tracker, **options
        )
    except ValidationError as refused:
        tracker.fail(" ".join(refused.messages), kept_live(budget_import))
        raise
    except Exception as error:
        tracker.fail(_("The publication stopped with an error: %(error)s") % {"error": error}, kept_live(budget_import))
        raise
    tracker.finish()
    return cutoff


# Queueing ----------------------------------------------------------------------------------------


def upload_requested(
    *, actor, government, year: int, month: int, scope: str, upload, now: dt.datetime | None = None
) -> BudgetImport:
    """Check the upload cheaply, store it and queue the job that reads it; ValidationError (by
    field) for what the form must show. Returns at once; the import's page follows the job."""
    now = now or timezone.now()
    name = (getattr(upload, "name", "") or "cedula.csv").rsplit("/", 1)[-1][:250]
    errors = services.validate_period(year, month, now)
    if scope not in BudgetImport.Scope.values:
        errors["scope"] = _("Choose which cédula the file is.")
    try:
        cedula.check_upload(upload, name, upload.size)
    except cedula.CedulaFileError as error:
        errors["file"] = str(error)
    if errors:
        raise ValidationError(errors)
    budget_import = BudgetImport(
        government=government,
        year=year,
        month=month,
        scope=scope,
        filename=name,
        status=BudgetImport.Status.READING,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        job_queued_at=now,
    )
    budget_import.full_clean(exclude=["file"])
    budget_import.file.save(name, File(upload, name=name), save=False)  # to the storage, before the rows
    try:
        with transaction.atomic():
            budget_import.save()
            progress.queued(
                government=government, kind=READ_KIND, module="budget", obj=budget_import, title=name, unit=ROWS
            )
            import_id = budget_import.pk
            queue.enqueue_on_commit(READ_TASK, import_id, note=_note_task(government, import_id))
    except BaseException:
        budget_import.file.delete(save=False)
        raise
    return budget_import


def publish_requested(*, actor, government, budget_import: BudgetImport, now: dt.datetime | None = None):
    """Mark a checked import as being published and queue the job that publishes it;
    ValidationError when it cannot be (already published, discarded, or busy)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = services._open_import(government, budget_import)
        if locked.status != BudgetImport.Status.READY:
            raise ValidationError(
                _(
                    "The file has problems and cannot be published: fix them in the file and upload it again, or "
                    "choose other columns and check it again."
                )
            )
        locked.status = BudgetImport.Status.PUBLISHING
        locked.job_queued_at, locked.job_started_at, locked.task_id = now, None, ""
        locked.save(update_fields=["status", "job_queued_at", "job_started_at", "task_id"])
        progress.queued(
            government=government, kind=KIND, module="budget", obj=locked, title=locked.filename, unit=LINES
        )
        queue.enqueue_on_commit(PUBLISH_TASK, locked.pk, actor_id(actor), note=_note_task(government, locked.pk))
    return locked


def actor_id(actor) -> int | None:
    return actor.pk if getattr(actor, "is_authenticated", False) else None


def _note_task(government, import_id: int):
    return JOBS.note_task(government, import_id)


# The jobs ----------------------------------------------------------------------------------------


def _start(government, import_id: int, status: str, now: dt.datetime) -> BudgetImport | None:
    """The job's start and its lease in one commit; None when the import is not waiting for
    this job any more (a second delivery, an import recovery failed)."""

    def mark(found) -> list[str]:
        found.job_started_at = now
        return ["job_started_at"]

    return JOBS.start(
        government,
        import_id,
        ready=lambda found: found.status == status and found.job_started_at is None,
        mark=mark,
    )


def read_queued(*, government, import_id: int, now: dt.datetime | None = None) -> BudgetImport | None:
    """Read and check the stored file of an import (the job calls this)."""
    now = now or timezone.now()
    budget_import = _start(government, import_id, BudgetImport.Status.READING, now)
    if budget_import is None:
        return None
    tracker = progress.resume(
        government=government,
        kind=READ_KIND,
        module="budget",
        obj=budget_import,
        title=budget_import.filename,
        unit=ROWS,
        labels=READ_PHASES,
        now=now,
    )
    try:
        try:
            with budget_import.file.open("rb") as handle:
                data = handle.read(cedula.MAX_BYTES + 1)
        except (FileNotFoundError, OSError, ValueError):
            message = _("The uploaded file could not be found in the storage. Upload it again.")
            _give_up(government, import_id, message, actor=budget_import.created_by)
            tracker.fail(message, kept_live(budget_import))
            return _reload(government, import_id)
        try:
            budget_import = services.import_read(
                government=government, budget_import=budget_import, data=data, now=now, progress=tracker
            )
        except BaseException as error:
            message = _("Reading the file stopped with an error: %(error)s") % {"error": error}
            actor = budget_import.created_by
            _safely(
                lambda: (
                    _give_up(government, import_id, message, actor=actor),
                    tracker.fail(message, kept_live(budget_import)),
                )
            )
            raise
        if budget_import.report.get("unreadable"):
            tracker.fail(cedula.describe(budget_import.report["errors"][0]), kept_live(budget_import))
        else:
            tracker.finish()
        return budget_import
    finally:
        _release(import_id)
        _delete_file(government, import_id)


def publish_queued(*, government, import_id: int, actor=None, now: dt.datetime | None = None) -> BudgetImport | None:
    """Publish an import queued with ``publish_requested`` (the job calls this)."""
    now = now or timezone.now()
    budget_import = _start(government, import_id, BudgetImport.Status.PUBLISHING, now)
    if budget_import is None:
        return None
    tracker = progress.resume(
        government=government,
        kind=KIND,
        module="budget",
        obj=budget_import,
        title=budget_import.filename,
        unit=LINES,
        labels=PHASES,
        now=now,
    )
    try:
        services.import_publish(
            actor=actor, government=government, budget_import=budget_import, now=now, progress=tracker, publishing=True
        )
    except ValidationError as refused:  # the file has problems now: stored as rejected with its report
        tracker.fail(" ".join(refused.messages), kept_live(budget_import))
    except BaseException as error:
        message = _("The publication stopped with an error: %(error)s") % {"error": error}
        _safely(
            lambda: (
                _give_up(government, import_id, message, actor=actor),
                tracker.fail(message, kept_live(budget_import)),
            )
        )
        raise
    else:
        tracker.finish()
    finally:
        _release(import_id)
    return _reload(government, import_id)


def _give_up(government, import_id: int, message: str, *, actor=None, now=None) -> bool:
    """End a job that could not finish (audited): an import being read is rejected with
    ``message`` as its problem; one being published goes back to what it was (nothing was
    published). Whether the import was waiting for a job."""
    with transaction.atomic():
        found = BudgetImport.objects.for_government(government).select_for_update().filter(pk=import_id).first()
        if found is None or not found.is_busy:
            return False
        before = found.status
        if found.status == BudgetImport.Status.READING:
            problem = {"code": "file_unreadable", "row": None, "column": "", "field": "", "params": {}}
            problem["params"]["message"] = str(message)
            found.status, found.report = BudgetImport.Status.REJECTED, {"errors": [problem], "unreadable": True}
        else:
            failed = bool(found.report.get("errors"))
            found.status = BudgetImport.Status.REJECTED if failed else BudgetImport.Status.READY
        found.save(update_fields=["status", "report"])
        audit.record(
            actor=actor,
            government=government,
            action="budget.import.job_failed",
            obj=found,
            changes={"status": [before, found.status], "reason": [None, str(message)]},
            now=now,
        )
    return True


def _reload(government, import_id: int) -> BudgetImport | None:
    return BudgetImport.objects.for_government(government).filter(pk=import_id).first()


def _safely(work) -> None:
    try:
        work()
    except Exception:  # e.g. the database went away: the lease expires and recovery ends the job
        logger.exception("a budget job could not record its failure")


def _release(import_id: int) -> None:
    JOBS.release(import_id)


def _delete_file(government, import_id: int) -> None:
    """The stored file goes once it was read (its rows are kept on the import)."""
    JOBS.delete_file(
        government, import_id, field="file", keep=lambda found: found.status == BudgetImport.Status.READING
    )


# Recovery ----------------------------------------------------------------------------------------


def recover_jobs(*, now: dt.datetime) -> int:
    """The module's part of ``core.jobs.recovery.recover``: imports whose job's worker died
    (its lease expired) or whose job the queue lost are ended with the reason (``_give_up``)."""
    waiting = [
        Waiting(pk, government_id, started_at is not None, started_at, queued_at, task_id)
        for pk, government_id, started_at, queued_at, task_id in BudgetImport._base_manager.filter(
            status__in=[BudgetImport.Status.READING, BudgetImport.Status.PUBLISHING]
        ).values_list("pk", "government_id", "job_started_at", "job_queued_at", "task_id")
    ]

    def end(government, pk: int, reason: str) -> bool:
        if not _give_up(government, pk, reason, now=now):
            return False
        budget_import = BudgetImport.objects.for_government(government).get(pk=pk)
        progress.fail_running(
            government=government, obj=budget_import, reason=reason, kept_live=kept_live(budget_import), now=now
        )
        _release(pk)
        _delete_file(government, pk)
        logger.warning("budget import %s of %s: its job ended without an outcome; marked failed", pk, government.slug)
        return True

    return JOBS.recover(waiting, now=now, interrupted=INTERRUPTED, never_started=NEVER_STARTED, end=end)


# Reads -------------------------------------------------------------------------------------------


def latest_progress(budget_import: BudgetImport):
    return progress_selectors.latest_for(government=budget_import.government_id, obj=budget_import)
