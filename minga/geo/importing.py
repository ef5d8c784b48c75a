"""Layer files imported by a background job, with progress records (core/progress): the back
office shows the phase (reading, storing), the features stored of how many and the time left,
and a refused or failed import says why and which version of the layer stayed live.

``import_requested`` stores the uploaded file privately (under ``geo/imports/``), records a
queued ``LayerImport`` with its progress record and queues ``tasks.import_queued`` once this
commits; a new layer is created first without features (``layer_create_requested``: it is not
public until its first file is imported). The job (``run_queued``) holds the lease
``geo.layer_import:<id>`` while it works, swaps the layer's features in one transaction and
deletes the stored file when it ends; ``recover_jobs`` fails an import whose worker died or
whose job the queue lost."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext

from minga.core.audit import services as audit
from minga.core.jobs import queue
from minga.core.jobs.records import RecordJobs, Waiting
from minga.core.progress import selectors as progress_selectors
from minga.core.progress import services as progress

from . import services
from .models import Layer, LayerImport

logger = logging.getLogger("minga.geo")

KIND = "geo.layer_import"
TASK = "minga.geo.tasks.import_queued"
PHASES = {
    "reading": gettext_noop("Reading and checking the file"),
    "storing": gettext_noop("Storing features"),
}
FEATURES = gettext_noop("features")
INTERRUPTED = gettext_lazy(
    "The import was interrupted: the process running it stopped before it finished (for example, the server"
    " restarted). Upload the file again."
)
NEVER_STARTED = gettext_lazy("The import never started: its job was lost from the queue. Upload the file again.")


def kept_live(layer: Layer) -> str:
    if not layer.version:
        return _("The layer has no features yet: nothing of it is public.")
    return _("Version %(version)s of the layer, with %(count)s features, stays live.") % {
        "version": layer.version,
        "count": layer.feature_count,
    }


JOBS = RecordJobs(model=LayerImport, lease_prefix="geo.layer_import", label="layer import")


def lease_name(import_id: int) -> str:
    return JOBS.lease_name(import_id)


def _problem_text(problem) -> str:
    if isinstance(problem, dict):
        number, message = problem.get("number"), problem.get("message", "")
    else:
        number, message = problem.number, problem.message
    if number:
        return _("Feature %(number)s: %(message)s") % {"number": number, "message": message}
    return str(message)


def refusal_text(problems: list) -> str:
    """The first problems of a refused file, for the progress record."""
    reasons = [_problem_text(problem) for problem in problems[:3]]
    more = len(problems) - len(reasons)
    if more > 0:
        reasons.append(ngettext("And %(count)s more problem.", "And %(count)s more problems.", more) % {"count": more})
    return "\n".join(reasons)


# Queueing ----------------------------------------------------------------------------------------


def import_requested(
    *, actor, government, layer: Layer, upload, declared_crs: str = "", now: dt.datetime | None = None
) -> LayerImport:
    """Store the uploaded file, record a queued import with its progress record, and queue the
    job that imports it once this commits. Returns at once; the import's page follows the job."""
    now = now or timezone.now()
    name = (getattr(upload, "name", "") or "capa").rsplit("/", 1)[-1][:250]
    found = LayerImport(
        government=government,
        layer=layer,
        file_name=name,
        declared_crs=(declared_crs or "")[:40],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        created_at=now,
    )
    found.file.save(name, File(upload, name=name), save=False)  # to the storage, before the rows
    try:
        with transaction.atomic():
            found.full_clean()
            found.save()
            progress.queued(government=government, kind=KIND, module="geo", obj=found, title=name, unit=FEATURES)
            import_id = found.pk
            queue.enqueue_on_commit(TASK, import_id, note=_note_task(government, import_id))
    except BaseException:
        found.file.delete(save=False)
        raise
    return found


@transaction.atomic
def layer_create_requested(
    *, actor, government, title: str, upload, declared_crs: str = "", now: dt.datetime | None = None, **fields
) -> LayerImport:
    """A new layer (without features until its file is imported) and the queued import of its file."""
    layer = services.layer_create_empty(actor=actor, government=government, title=title, now=now, **fields)
    return import_requested(
        actor=actor, government=government, layer=layer, upload=upload, declared_crs=declared_crs, now=now
    )


def _note_task(government, import_id: int):
    return JOBS.note_task(government, import_id)


# The job -----------------------------------------------------------------------------------------


def _mark_running(government, import_id: int, now: dt.datetime) -> LayerImport | None:
    def mark(found) -> list[str]:
        found.status, found.started_at = LayerImport.Status.RUNNING, now
        return ["status", "started_at"]

    return JOBS.start(government, import_id, ready=lambda found: found.status == LayerImport.Status.QUEUED, mark=mark)


def run_queued(*, government, import_id: int, now: dt.datetime | None = None) -> LayerImport | None:
    """Import the stored file of a queued import into its layer (the job calls this)."""
    now = now or timezone.now()
    found = _mark_running(government, import_id, now)
    if found is None:
        return None
    layer = found.layer
    tracker = progress.resume(
        government=government,
        kind=KIND,
        module="geo",
        obj=found,
        title=found.file_name,
        unit=FEATURES,
        labels=PHASES,
        now=now,
    )
    try:
        try:
            with found.file.open("rb") as handle:
                data = handle.read()
        except (FileNotFoundError, OSError, ValueError):
            message = _("The uploaded file could not be found in the storage. Upload it again.")
            return _fail(government, found, tracker, message, kept_live(layer))
        try:
            report = services.layer_import(
                actor=found.created_by,
                government=government,
                layer=layer,
                file_name=found.file_name,
                data=data,
                declared_crs=found.declared_crs,
                now=now,
                progress=tracker,
            )
        except services.ImportRefused as refused:
            return _fail(
                government,
                found,
                tracker,
                refusal_text(refused.report.problems),
                kept_live(layer),
                report=refused.report.to_json(),
            )
        except BaseException as error:
            message = _("The import stopped with an error: %(error)s") % {"error": error}
            try:
                layer.refresh_from_db()
                _fail(government, found, tracker, message, kept_live(layer))
            except Exception:  # e.g. the database went away: the lease expires and recovery fails it
                logger.exception("layer import %s could not be marked failed", import_id)
            raise
        layer.refresh_from_db()
        found = _finish(government, found, report=report.to_json(), version=layer.version)
        tracker.finish()
        return found
    finally:
        _release(import_id)
        _delete_file(government, import_id)


def _finish(government, found: LayerImport, *, report: dict, version: int) -> LayerImport:
    with transaction.atomic():
        locked = LayerImport.objects.for_government(government).select_for_update().get(pk=found.pk)
        locked.status, locked.report, locked.version = LayerImport.Status.SUCCEEDED, report, version
        locked.finished_at = timezone.now()
        locked.save(update_fields=["status", "report", "version", "finished_at"])
    return locked


def _fail(government, found: LayerImport, tracker, reason: str, kept: str, *, report: dict | None = None):
    """The import failed (audited): why, and what stayed live."""
    ended = _mark_failed(government, found.pk, reason, report=report)
    if tracker is not None:
        tracker.fail(reason, kept)
    return ended or found


def _mark_failed(government, import_id: int, reason: str, *, report: dict | None = None, now=None):
    """FAILED with ``reason`` as the report's problem (or the refusal's report), audited;
    None when the import was not waiting any more."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = LayerImport.objects.for_government(government).select_for_update().filter(pk=import_id).first()
        if locked is None or not locked.is_waiting:
            return None
        before = locked.status
        locked.status, locked.finished_at = LayerImport.Status.FAILED, now
        locked.report = report or {
            "file_name": locked.file_name,
            "problems": [{"number": None, "message": str(reason)}],
        }
        locked.save(update_fields=["status", "report", "finished_at"])
        audit.record(
            actor=locked.created_by,
            government=government,
            action="geo.layer.import_failed",
            obj=locked.layer,
            changes={
                "import": [None, locked.pk],
                "file": [None, locked.file_name],
                "status": [before, locked.status],
                "problems": [None, len(locked.report.get("problems", []))],
            },
            now=now,
        )
    return locked


def _release(import_id: int) -> None:
    JOBS.release(import_id)


def _delete_file(government, import_id: int) -> None:
    """The stored file goes once the import ended (its features are in the database now)."""
    JOBS.delete_file(government, import_id, field="file", keep=lambda found: found.is_waiting)


# Recovery ----------------------------------------------------------------------------------------


def recover_jobs(*, now: dt.datetime) -> int:
    """The module's part of ``core.jobs.recovery.recover``: imports whose worker died while
    importing (their lease expired), and queued imports whose job was lost, are marked failed
    with the reason; their stored file goes. Returns how many."""
    waiting = [
        Waiting(pk, government_id, status == LayerImport.Status.RUNNING, started_at, created_at, task_id)
        for pk, government_id, status, started_at, created_at, task_id in LayerImport._base_manager.filter(
            status__in=[LayerImport.Status.QUEUED, LayerImport.Status.RUNNING]
        ).values_list("pk", "government_id", "status", "started_at", "created_at", "task_id")
    ]
    statuses = {item.pk: LayerImport.Status.RUNNING if item.started else LayerImport.Status.QUEUED for item in waiting}

    def end(government, pk: int, reason: str) -> bool:
        ended = _mark_failed(government, pk, reason, now=now)
        if ended is None:
            return False
        progress.fail_running(
            government=government, obj=ended, reason=reason, kept_live=kept_live(ended.layer), now=now
        )
        _release(pk)
        _delete_file(government, pk)
        logger.warning("layer import %s of %s was %s; marked failed", pk, government.slug, statuses[pk])
        return True

    return JOBS.recover(waiting, now=now, interrupted=INTERRUPTED, never_started=NEVER_STARTED, end=end)


# Reads -------------------------------------------------------------------------------------------


def progress_of(found: LayerImport):
    return progress_selectors.latest_for(government=found.government_id, obj=found)


def latest_import(layer: Layer) -> LayerImport | None:
    return LayerImport.objects.for_government(layer.government_id).filter(layer=layer).first()


def latest_progress(layer: Layer):
    """The progress record of the layer's newest import."""
    found = latest_import(layer)
    return progress_of(found) if found is not None else None
