"""Writes of loading: tabular resources loaded into the datastore by a background job, the
outcome stored on a ResourceLoad and audited, the new version made live last."""

from __future__ import annotations

import datetime as dt
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from minga import datastore
from minga.core.audit import services as audit
from minga.core.jobs import leases
from minga.core.progress import selectors as progress_selectors
from minga.core.progress import services as progress
from minga.core.progress.terminal import both

from .. import jobs
from ..changes import quality_later, refresh_due
from ..datasets.models import ColumnDictionary, Dataset, Resource
from . import load_recovery, versions
from .models import TABULAR_FORMATS, ResourceLoad


def drop_tables_on_commit(resources: list[Resource]) -> None:
    """A removed resource's table goes with it (after the commit, so a rollback keeps it)."""
    table_ids = [resource.datastore_table_id for resource in resources if resource.pk]
    if table_ids:
        transaction.on_commit(lambda: [datastore.drop_table(table_id=table_id) for table_id in table_ids])


def resource_is_tabular(resource: Resource) -> bool:
    """Uploaded CSV and XLSX files are loaded into the datastore. Links are not fetched yet
    (automatic refresh of remote sources comes with issue 3, point 6)."""
    return resource.kind == Resource.Kind.UPLOAD and bool(resource.file) and resource.format in TABULAR_FORMATS


@transaction.atomic
def resource_load_requested(
    *, actor, government, resource: Resource, now: dt.datetime | None = None, trigger: str = ResourceLoad.Trigger.UPLOAD
) -> ResourceLoad:
    """Queue a background load of the resource's file; the job runs `resource_load_run`.

    The job is enqueued after the commit, so a worker never looks for a load record (or a
    file) that is not committed yet."""
    now = now or timezone.now()
    resource = Resource.objects.for_government(government).get(pk=resource.pk)
    if not resource_is_tabular(resource):
        raise ValidationError(_("Only uploaded CSV and XLSX files can be loaded as tables."))
    load = ResourceLoad(
        government=government,
        resource=resource,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        created_at=now,
        trigger=trigger,
    )
    load.full_clean()
    load.save()
    resource_id, load_id = resource.pk, load.pk
    transaction.on_commit(lambda: jobs.enqueue(jobs.LOAD_RESOURCE, resource_id, load_id))
    return load


def resource_data_changed(*, actor, government, resource: Resource, now: dt.datetime | None = None):
    """After a file was added or replaced: queue a load when it is tabular; otherwise the
    resource no longer has a table, so the old one is dropped. Returns the load, if any."""
    if resource_is_tabular(resource):
        return resource_load_requested(actor=actor, government=government, resource=resource, now=now)
    drop_tables_on_commit([resource])
    return None


def mark_running(*, government, resource: Resource, load: ResourceLoad | None, now: dt.datetime) -> ResourceLoad:
    """RUNNING, and the load's lease (renewed while this process lives), in one commit. A
    version that an earlier, interrupted load left in the datastore goes first."""
    load_recovery.repair_table(resource, now=now)
    with transaction.atomic():
        if load is None:
            load = ResourceLoad(government=government, resource=resource, created_at=now)
        else:
            load = ResourceLoad.objects.for_government(government).select_for_update().get(pk=load.pk)
        load.status = ResourceLoad.Status.RUNNING
        load.started_at = now
        load.full_clean()
        load.save()
        leases.acquire(name=load_recovery.lease_name(load.pk))
    return load


def resource_load_interrupted(*, load: ResourceLoad) -> None:
    """The load raised before recording its outcome: mark it failed now rather than wait for
    its lease to expire (the worker goes on with other jobs and keeps renewing its leases)."""
    try:
        load_recovery.fail_interrupted(load_id=load.pk, now=timezone.now())
    except Exception:  # e.g. inside a broken transaction: the lease expires and recovery repairs it
        leases.forget(name=load_recovery.lease_name(load.pk))


LOAD_PROGRESS = "catalog.load"
LOAD_PHASES = {
    "reading": gettext_noop("Reading the file and inferring column types"),
    "inserting": gettext_noop("Inserting rows"),
    "statistics": gettext_noop("Computing column statistics"),
    "indexing": gettext_noop("Building indexes"),
}


def load_progress(load: ResourceLoad):
    """The progress record of a load (phase, rows done of how many, time left; why it failed)."""
    return progress_selectors.latest_for(government=load.government_id, obj=load) if load else None


def kept_live_text(resource: Resource) -> str:
    """What the public still sees after a failed load of ``resource``."""
    try:
        live = datastore.get_table(table_id=resource.datastore_table_id)
    except Exception:  # the datastore itself is what failed: say nothing rather than guess
        return ""
    if live is None:
        return _("No table was published for this resource yet; the file can still be downloaded.")
    return _("Version %(version)s of the table (%(rows)s rows) stays published.") % {
        "version": live.version,
        "rows": live.row_count,
    }


def _failure_text(report) -> str:
    lines = [problem.message for problem in report.errors[:3]]
    if report.error_count > len(lines):
        more = report.error_count - len(lines)
        lines.append(ngettext("And %(count)s more problem.", "And %(count)s more problems.", more) % {"count": more})
    return "\n".join(lines)


def resource_load_run(
    *,
    government,
    resource: Resource,
    load: ResourceLoad | None = None,
    now: dt.datetime | None = None,
    terminal=None,
) -> ResourceLoad:
    """Load the resource's file into its datastore table now (the job calls this; the demo
    calls it inline). A failed load leaves the previous version of the table live. The load's
    progress record shows the phase and the rows done; ``terminal`` (a command's
    ``TerminalProgress``) hears the same."""
    now = now or timezone.now()
    resource = Resource.objects.for_government(government).get(pk=resource.pk)
    load = mark_running(government=government, resource=resource, load=load, now=now)
    tracker = load_progress_start(government=government, resource=resource, load=load)
    try:
        report = _read_into_datastore(resource, now=now, progress=both(tracker, terminal))
    except BaseException as error:
        resource_load_interrupted(load=load)
        load_progress_stopped(tracker, resource=resource, error=error)
        raise
    load = resource_load_finished(government=government, load=load, report=report, now=timezone.now())
    load_progress_end(tracker, resource=resource, load=load, report=report)
    return load


def load_progress_start(*, government, resource: Resource, load: ResourceLoad, title: str = ""):
    """The progress record of a load that is starting (after ``mark_running``)."""
    return progress.start(
        government=government,
        kind=LOAD_PROGRESS,
        module="catalog",
        title=title or resource.original_name or resource.title,
        obj=load,
        labels=LOAD_PHASES,
    )


def load_progress_stopped(tracker, *, resource: Resource, error: BaseException) -> None:
    tracker.fail(_("The load stopped with an error: %(error)s") % {"error": error}, kept_live_text(resource))


def load_progress_end(tracker, *, resource: Resource, load: ResourceLoad, report) -> None:
    """Finished, or failed with the report's first problems and what stayed live."""
    if report.ok and load.status == ResourceLoad.Status.SUCCEEDED:
        tracker.finish()
    else:
        tracker.fail(_failure_text(report) or _("The load was given up."), kept_live_text(resource))


def _read_into_datastore(resource: Resource, *, now: dt.datetime, progress=None):
    if not resource_is_tabular(resource):
        report = datastore.LoadReport(table_id=resource.datastore_table_id)
        report.errors = [
            datastore.Problem("not_tabular", _("Only uploaded CSV and XLSX files can be loaded as tables."))
        ]
        report.error_count = 1
    else:
        try:
            handle = resource.file.open("rb")
        except (FileNotFoundError, OSError):
            report = datastore.LoadReport(table_id=resource.datastore_table_id)
            report.errors = [datastore.Problem("missing_file", _("The stored file could not be found."))]
            report.error_count = 1
        else:
            with handle:
                report = datastore.load_table(
                    table_id=resource.datastore_table_id,
                    source=handle,
                    filename=resource.original_name or resource.file.name,
                    max_bytes=settings.DATASET_UPLOAD_MAX_BYTES,
                    now=now,
                    column_types=dictionary_column_types(resource),
                    column_roles=dictionary_column_roles(resource),
                    publish=False,
                    progress=progress,
                )
    return report


def _jsonable(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, default=str))


@transaction.atomic
def resource_load_finished(*, government, load: ResourceLoad, report, now: dt.datetime | None = None) -> ResourceLoad:
    """Store the outcome of a load and audit it (`catalog.resource.loaded` / `load_failed`).

    A load that is no longer RUNNING was given up for dead meanwhile (its lease expired and
    ``load_recovery`` marked it failed): its outcome is not recorded, and the version it wrote
    is dropped after the commit, so the datastore serves what the catalog lists."""
    now = now or timezone.now()
    load = ResourceLoad.objects.for_government(government).select_for_update().get(pk=load.pk)
    if load.status != ResourceLoad.Status.RUNNING:
        leases.forget(name=load_recovery.lease_name(load.pk))
        resource = Resource.objects.for_government(government).get(pk=load.resource_id)
        transaction.on_commit(lambda: load_recovery.repair_table(resource))
        return load
    leases.release(name=load_recovery.lease_name(load.pk))
    load.report = _jsonable(report.to_json())
    load.finished_at = now
    if report.ok:
        load.status, load.version, load.row_count = ResourceLoad.Status.SUCCEEDED, report.version, report.row_count
    else:
        load.status = ResourceLoad.Status.FAILED
    load.full_clean()
    load.save()
    resource = Resource.objects.for_government(government).get(pk=load.resource_id)
    if report.ok and versions.record_loaded(load=load, resource=resource, now=now):
        # New data: the dataset counts as updated (feeds, "recently updated", CKAN's
        # metadata_modified and DCAT's dct:modified follow updated_at) and its next update is
        # due from today.
        dataset = Dataset.objects.for_government(government).get(pk=resource.dataset_id)
        Dataset.objects.for_government(government).filter(pk=dataset.pk).update(data_updated_at=now, updated_at=now)
        refresh_due(dataset, now)
    action = "catalog.resource.loaded" if report.ok else "catalog.resource.load_failed"
    changes = {"status": [None, load.status], "rows": [None, load.row_count]}
    if report.ok:
        changes["version"] = [None, load.version]
    else:
        changes["errors"] = [None, report.error_count]
    audit.record(actor=load.requested_by, government=government, action=action, obj=resource, changes=changes, now=now)
    quality_later(government, resource.dataset_id)
    if report.ok:
        # Last: the new version goes live with this commit (the same transaction on PostgreSQL;
        # on SQLite, whose datastore is another file, just before it, and a crash in between is
        # repaired by ``load_recovery``).
        datastore.publish_version(table_id=resource.datastore_table_id, version=load.version)
    return load


def dictionary_column_roles(resource: Resource) -> dict[str, str]:
    """The roles officials fixed in the data dictionary (a code is loaded as text)."""
    entries = ColumnDictionary.objects.for_government(resource.government_id).filter(resource=resource).exclude(role="")
    return dict(entries.values_list("column", "role"))


def dictionary_column_types(resource: Resource) -> dict[str, str]:
    """The types officials fixed in the data dictionary, enforced by the next load."""
    entries = (
        ColumnDictionary.objects.for_government(resource.government_id)
        .filter(resource=resource)
        .exclude(column_type="")
    )
    return dict(entries.values_list("column", "column_type"))
