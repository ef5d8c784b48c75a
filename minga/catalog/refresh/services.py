"""Automatic refresh of remote resources (a web address or a SQL query) and link checks.

A check asks the source for the data (conditionally, with the ETag and Last-Modified of the
last fetch); when the server says "not modified" or the content has the same SHA-256 as the
data being served, nothing else happens but noting the check. Changed data becomes a new
version through the normal load path (``table_services.resource_load_finished``, which also keeps the
version's file and its change summary, see ``versions``). Any problem — the source times out,
sends a web page, is too big, cannot be read, or the loader finds errors — is stored on the
resource for the officials (``check_error``), the next check backs off, and the previous
version stays live.

The periodic job ``catalog.refresh_due_resources`` claims due resources with a conditional
update of ``next_check_at`` (so two schedulers never check the same one twice) and enqueues one
``refresh_resource`` job each."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from minga import datastore
from minga.core import outbound
from minga.core.audit import services as audit
from minga.core.registry import PeriodicJob
from minga.core.tenancy.models import Government
from minga.core.tenancy.scoping import government_scope

from .. import jobs
from ..datasets import services
from ..datasets.models import Dataset, Resource
from ..tables import services as table_services
from ..tables.models import ResourceLoad
from . import schedules, sources

logger = logging.getLogger("minga.catalog.refresh")

REMOTE_KINDS = (Resource.Kind.URL, Resource.Kind.SQL)
LEASE = dt.timedelta(minutes=30)  # a claimed check that never finishes is tried again after this
DUE_BATCH = 200

PERIODIC_JOBS = (
    PeriodicJob("catalog.refresh_due_resources", "minga.catalog.tasks.refresh_due_resources", dt.timedelta(minutes=1)),
    PeriodicJob("catalog.check_links", "minga.catalog.tasks.check_links", dt.timedelta(days=1)),
)

UNCHANGED = "unchanged"
LOADED = "loaded"
FAILED = "failed"


@dataclass
class Outcome:
    status: str
    message: str = ""
    load: ResourceLoad | None = None


def is_remote(resource: Resource) -> bool:
    return resource.kind in REMOTE_KINDS


def _schedule(resource: Resource, dataset: Dataset, now: dt.datetime, failures: int) -> dt.datetime | None:
    if not resource.auto_refresh:
        return None
    return schedules.next_check(cron=resource.refresh_cron, frequency=dataset.frequency, now=now, failures=failures)


def _note_check(resource: Resource, dataset: Dataset, *, now: dt.datetime, error: str = "", **fields) -> None:
    failures = resource.check_failures + 1 if error else 0
    values = {
        "last_checked_at": now,
        "check_error": error,
        "check_failures": failures,
        "next_check_at": _schedule(resource, dataset, now, failures),
        **fields,
    }
    Resource.objects.for_government(resource.government_id).filter(pk=resource.pk).update(**values)
    for name, value in values.items():
        setattr(resource, name, value)


def _load_failed_message(load: ResourceLoad) -> str:
    report = load.report or {}
    count = report.get("error_count") or len(report.get("errors") or []) or 1
    first = (report.get("errors") or [{}])[0]
    text = ngettext(
        "The data could not be loaded (%(count)s problem). The previous version stays published.",
        "The data could not be loaded (%(count)s problems). The previous version stays published.",
        count,
    ) % {"count": count}
    if first.get("message"):
        where = _(" Row %(row)s: ") % {"row": first["row"]} if first.get("row") else " "
        text += where + str(first["message"])
    return text


def refresh_resource(
    *,
    government,
    resource: Resource,
    actor=None,
    trigger: str = ResourceLoad.Trigger.SCHEDULE,
    now: dt.datetime | None = None,
    force: bool = False,
) -> Outcome:
    """Check the resource's source now; load a new version when the data changed. ``force``
    skips the conditional request and loads even identical data (an official's "load again")."""
    now = now or timezone.now()
    resource = Resource.objects.for_government(government).select_related("dataset").get(pk=resource.pk)
    dataset = resource.dataset
    if not is_remote(resource):
        raise ValueError("only remote resources are refreshed")
    has_table = datastore.get_table(table_id=resource.datastore_table_id) is not None
    try:
        if resource.kind == Resource.Kind.URL:
            data = sources.fetch_url(resource, only=sources.only_hosts(government), conditional=has_table and not force)
        else:
            data = sources.run_query(government, resource.sql_source, resource.sql_query)
    except sources.SourceError as error:
        logger.info("refresh of resource %s failed: %s", resource.pk, error.code)
        _note_check(resource, dataset, now=now, error=error.message)
        return Outcome(FAILED, error.message)
    try:
        if data.not_modified or (has_table and not force and data.sha256 and data.sha256 == resource.sha256):
            etag = data.etag or resource.source_etag
            modified = data.last_modified or resource.source_last_modified
            _note_check(resource, dataset, now=now, source_etag=etag[:200], source_last_modified=modified[:100])
            return Outcome(UNCHANGED)
        return _load(government, resource, dataset, data, actor=actor, trigger=trigger, now=now)
    finally:
        data.close()


def _load(government, resource, dataset, data: sources.SourceData, *, actor, trigger, now) -> Outcome:
    load = ResourceLoad(
        government=government,
        resource=resource,
        trigger=trigger,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        created_at=now,
        source_size=data.size,
        source_sha256=data.sha256,
    )
    data.original.seek(0)
    load.source_file.save(data.original_name or "datos.csv", File(data.original), save=False)
    load.full_clean()
    load.save()
    load = table_services.mark_running(government=government, resource=resource, load=load, now=now)
    tracker = table_services.load_progress_start(
        government=government, resource=resource, load=load, title=data.original_name or resource.title
    )
    try:
        data.table.seek(0)
        report = datastore.load_table(
            table_id=resource.datastore_table_id,
            source=data.table,
            filename=data.table_name,
            max_bytes=settings.DATASET_UPLOAD_MAX_BYTES,
            now=now,
            publish=False,
            progress=tracker,
        )
    except BaseException as error:
        table_services.resource_load_interrupted(load=load)
        table_services.load_progress_stopped(tracker, resource=resource, error=error)
        raise
    load = table_services.resource_load_finished(government=government, load=load, report=report, now=now)
    table_services.load_progress_end(tracker, resource=resource, load=load, report=report)
    resource.refresh_from_db()
    if not load.succeeded:
        message = _load_failed_message(load)
        _note_check(resource, dataset, now=now, error=message)
        return Outcome(FAILED, message, load)
    _note_check(
        resource,
        dataset,
        now=now,
        sha256=data.sha256,
        size=data.size,
        format=data.format,
        source_etag=data.etag[:200],
        source_last_modified=data.last_modified[:100],
    )
    if trigger == ResourceLoad.Trigger.SCHEDULE and load.version and load.version > 1:
        with transaction.atomic():
            services.dataset_data_refreshed(government=government, resource=resource, now=now)
    return Outcome(LOADED, "", load)


def load_source_data(
    *, government, resource: Resource, data: sources.SourceData, now: dt.datetime | None = None, actor=None
) -> Outcome:
    """Load data obtained elsewhere (the demo seed generates its sources' first version) as
    if a check had fetched it."""
    resource = Resource.objects.for_government(government).select_related("dataset").get(pk=resource.pk)
    try:
        return _load(
            government,
            resource,
            resource.dataset,
            data,
            actor=actor,
            trigger=ResourceLoad.Trigger.SCHEDULE,
            now=now or timezone.now(),
        )
    finally:
        data.close()


@transaction.atomic
def refresh_requested(*, actor, government, resource: Resource, force: bool = False) -> None:
    """An official's "check now" (audited): the check runs as a background job after the commit."""
    audit.record(
        actor=actor,
        government=government,
        action="catalog.resource.check_requested",
        obj=resource,
        changes={"force": [None, force]} if force else {},
    )
    resource_id, actor_id = resource.pk, getattr(actor, "pk", None)
    transaction.on_commit(lambda: jobs.enqueue(jobs.REFRESH_RESOURCE, resource_id, actor_id, force))


# The periodic jobs --------------------------------------------------------------------------


def claim_due(*, now: dt.datetime | None = None, limit: int = DUE_BATCH) -> list[int]:
    """Ids of due resources, each claimed for this caller only (the conditional update moves
    ``next_check_at`` past the lease; the check sets the real next time)."""
    now = now or timezone.now()
    due = (
        Resource._base_manager.filter(
            auto_refresh=True, kind__in=REMOTE_KINDS, next_check_at__lte=now, dataset__government__is_active=True
        )
        .order_by("next_check_at")
        .values_list("pk", "next_check_at")[:limit]
    )
    claimed = []
    for pk, due_at in due:
        if Resource._base_manager.filter(pk=pk, next_check_at=due_at).update(next_check_at=now + LEASE):
            claimed.append(pk)
    return claimed


def check_links(*, now: dt.datetime | None = None) -> int:
    """Whether each resource can be reached: a link answers (HEAD, then a one-byte GET), an
    uploaded file exists in storage. Returns how many were checked."""
    now = now or timezone.now()
    count = 0
    for government in Government.objects.filter(is_active=True):
        only = sources.only_hosts(government)
        with government_scope(government):
            for resource in Resource.objects.filter(government=government).exclude(kind=Resource.Kind.SQL):
                if resource.kind == Resource.Kind.URL:
                    reachable = outbound.check_link(resource.url, only_hosts=only).ok
                else:
                    reachable = bool(resource.file) and resource.file.storage.exists(resource.file.name)
                Resource.objects.for_government(government).filter(pk=resource.pk).update(
                    reachable=reachable, reachability_checked_at=now
                )
                count += 1
    return count
