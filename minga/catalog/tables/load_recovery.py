"""Loads whose process died, and a datastore that ran ahead of the catalog.

A load holds the lease ``catalog.load:<id>`` (core/jobs/) from the moment it is marked
RUNNING (same transaction) until its outcome is recorded (same transaction again). When the
process running it is killed, the lease stops being renewed; ``recover_jobs`` (called when
``minga worker`` starts and every minute, see ``ModuleManifest.recover_jobs``) then:

1. marks each RUNNING load without a live lease as FAILED, with a report that says it was
   interrupted (the back office explains it and offers to load the file again), audited as
   ``catalog.resource.load_failed``;
2. puts every datastore table back in line with the catalog: the live version is the one the
   catalog's version history committed (the newest successful load); a version the datastore
   committed but the catalog never recorded (the process died between the two commits) is
   dropped, audited as ``catalog.resource.table_repaired``. A table whose resource has a load
   RUNNING is left alone: that load may still record its version.

A load also repairs its own table before it starts (``repair_table``), so an unrecorded version
never becomes the "previous version" of the next one."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minga import datastore
from minga.core.audit import services as audit
from minga.core.jobs import leases
from minga.core.tenancy.models import Government
from minga.datastore import repair

from ..datasets.models import Resource
from .models import ResourceLoad

logger = logging.getLogger("minga.catalog.loads")

INTERRUPTED = "interrupted"
INTERRUPTED_MESSAGE = _(
    "The load was interrupted: the process running it stopped before it finished (for example, the server"
    " restarted). The previous table, if any, is still served. Load the file again."
)


_UNKNOWN = object()


def lease_name(load_id: int) -> str:
    return f"catalog.load:{load_id}"


def interrupted_report(table_id: str) -> dict:
    return {
        "table_id": table_id,
        "ok": False,
        "errors": [{"code": INTERRUPTED, "message": str(INTERRUPTED_MESSAGE), "row": None, "column": None}],
        "error_count": 1,
        "notes": [],
        "columns": [],
        "file": {},
    }


def fail_interrupted(*, load_id: int, now: dt.datetime) -> bool:
    """Mark a RUNNING load as FAILED because it was interrupted; False when it was not RUNNING
    any more (it finished, or another worker got there first)."""
    with transaction.atomic():
        load = ResourceLoad._base_manager.select_for_update().filter(pk=load_id).first()
        if load is None or load.status != ResourceLoad.Status.RUNNING:
            return False
        resource = Resource.objects.for_government(load.government_id).get(pk=load.resource_id)
        load.status = ResourceLoad.Status.FAILED
        load.finished_at = now
        load.report = interrupted_report(resource.datastore_table_id)
        load.save(update_fields=["status", "finished_at", "report"])
        leases.release(name=lease_name(load.pk))
        government = Government.objects.get(pk=load.government_id)
        audit.record(
            actor=None,
            government=government,
            action="catalog.resource.load_failed",
            obj=resource,
            changes={"status": [ResourceLoad.Status.RUNNING, load.status], "reason": [None, INTERRUPTED]},
            now=now,
        )
    logger.warning("load %s of resource %s was interrupted; marked failed", load.pk, resource.pk)
    return True


def fail_interrupted_loads(*, now: dt.datetime) -> int:
    running = list(
        ResourceLoad._base_manager.filter(status=ResourceLoad.Status.RUNNING).values_list("pk", "started_at")
    )
    held = leases.expiries([lease_name(pk) for pk, _ in running])
    return sum(
        fail_interrupted(load_id=pk, now=now)
        for pk, started_at in running
        if leases.is_abandoned(lease_name(pk), leases=held, started_at=started_at, now=now)
    )


def recorded_version(resource_id: int) -> int | None:
    """The version the catalog committed as live: that of the newest successful load."""
    return (
        ResourceLoad._base_manager.filter(resource_id=resource_id, status=ResourceLoad.Status.SUCCEEDED)
        .order_by("-created_at", "-pk")
        .values_list("version", flat=True)
        .first()
    )


def _recorded_unless_busy(resource_id: int):
    def recorded() -> int | None:
        if ResourceLoad._base_manager.filter(resource_id=resource_id, status=ResourceLoad.Status.RUNNING).exists():
            raise repair.Busy
        return recorded_version(resource_id)

    return recorded


def _recorded_subquery():
    return Subquery(
        ResourceLoad._base_manager.filter(resource=OuterRef("pk"), status=ResourceLoad.Status.SUCCEEDED)
        .order_by("-created_at", "-pk")
        .values("version")[:1]
    )


def repair_table(
    resource: Resource, *, stored: repair.StoredVersions | None = None, recorded=_UNKNOWN, now=None
) -> list[int]:
    """Drop what the datastore holds for ``resource`` beyond the catalog's live version and make
    that version live again; returns the versions dropped (audited)."""
    table_id = resource.datastore_table_id
    if stored is None:
        stored = repair.versions_summary(table_id=table_id).get(table_id)
        if stored is None:
            return []
    if recorded is _UNKNOWN:
        recorded = recorded_version(resource.pk)
    if recorded is not None and stored.live == recorded and stored.newest == recorded:
        return []  # the usual case: nothing to do, nothing locked
    dropped = repair.reconcile_table(table_id=table_id, recorded=_recorded_unless_busy(resource.pk))
    if dropped:
        government = Government.objects.get(pk=resource.government_id)
        audit.record(
            actor=None,
            government=government,
            action="catalog.resource.table_repaired",
            obj=resource,
            changes={"dropped_versions": [None, dropped], "live_version": [None, recorded]},
            now=now or timezone.now(),
        )
        logger.warning("table of resource %s: dropped unrecorded versions %s", resource.pk, dropped)
    return dropped


def repair_tables(*, now: dt.datetime) -> int:
    """Every table whose stored versions differ from what the catalog recorded."""
    stored = repair.versions_summary()
    if not stored:
        return 0
    ids = {int(table_id[1:]): versions for table_id, versions in stored.items() if table_id[1:].isdigit()}
    # The catalog's version of each table, a chunk of tables per query.
    pks = sorted(ids)
    repaired = 0
    for start in range(0, len(pks), 500):
        resources = (
            Resource._base_manager.filter(pk__in=pks[start : start + 500])
            .annotate(recorded=_recorded_subquery())
            .order_by("pk")
        )
        for resource in resources:
            try:
                dropped = repair_table(resource, stored=ids[resource.pk], recorded=resource.recorded, now=now)
            except datastore.DatastoreError:
                logger.exception("table of resource %s could not be repaired", resource.pk)
                continue
            repaired += bool(dropped)
    return repaired


def recover_jobs(*, now: dt.datetime) -> int:
    """The catalog's part of ``core.jobs.recovery.recover``: returns loads failed plus tables repaired."""
    return fail_interrupted_loads(now=now) + repair_tables(now=now)
