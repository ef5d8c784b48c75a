"""Background jobs of the catalog (each loads its records by id and makes one service call). The
dotted paths of these functions are the names queued jobs and periodic runs are stored under:
they stay here."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django_tasks import task

from minga.core import registry
from minga.core.tenancy.models import Government
from minga.core.tenancy.scoping import government_scope
from minga.core.usage import services as core_usage

from .datasets import module_tables
from .datasets.models import Resource
from .quality import notices
from .quality import scores as quality
from .refresh import services as refresh
from .tables import services as table_services
from .tables.models import ResourceLoad


@task()
def load_resource(resource_id: int, load_id: int | None = None) -> str:
    """Load the resource's file into its table; the outcome is stored on the ResourceLoad."""
    resource = Resource._base_manager.filter(pk=resource_id).first()
    if resource is None:
        return "gone"  # removed while queued
    government = Government.objects.get(pk=resource.government_id)
    with government_scope(government):
        load = (
            ResourceLoad.objects.for_government(government).filter(pk=load_id, resource=resource).first()
            if load_id
            else None
        )
        load = table_services.resource_load_run(government=government, resource=resource, load=load)
        return load.status


@task()
def refresh_resource(resource_id: int, actor_id: int | None = None, force: bool = False) -> str:
    """Check a remote resource's source and load a new version if its data changed."""
    resource = Resource._base_manager.filter(pk=resource_id).first()
    if resource is None or not refresh.is_remote(resource):
        return "gone"
    government = Government.objects.get(pk=resource.government_id)
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    trigger = ResourceLoad.Trigger.MANUAL if actor is not None else ResourceLoad.Trigger.SCHEDULE
    with government_scope(government):
        outcome = refresh.refresh_resource(
            government=government, resource=resource, actor=actor, trigger=trigger, force=force
        )
    return outcome.status


@task()
def refresh_due_resources() -> int:
    """Every few minutes: enqueue a check of each remote resource whose next check is due."""
    claimed = refresh.claim_due()
    for resource_id in claimed:
        refresh_resource.enqueue(resource_id)
    return len(claimed)


@task()
def check_links() -> int:
    """Daily: note whether each link answers and each uploaded file is still stored."""
    return refresh.check_links()


def _catalog_governments():
    return [g for g in Government.objects.active().order_by("pk") if g.module_enabled("catalog")]


@task()
def notify_overdue() -> int:
    """Daily: e-mail the publishing units of datasets that became late (once per late period)."""
    sent = 0
    for government in _catalog_governments():
        with government_scope(government):
            sent += notices.notify_overdue(government=government, origin=getattr(settings, "SITE_URL", ""))
    return sent


@task()
def compute_quality() -> int:
    """Daily: recompute every dataset's quality score (lateness changes with the calendar)."""
    scored = 0
    for government in _catalog_governments():
        with government_scope(government):
            scored += quality.refresh(government=government)
    return scored


@task()
def publish_module_tables(government_id: int, module: str) -> int:
    """Publish the tables a module offers (after it changed them) as datasets."""
    government = Government.objects.filter(pk=government_id).first()
    if government is None or not government.module_enabled("catalog"):
        return 0
    with government_scope(government):
        return len(module_tables.publish_module_tables(government=government, module=module))


@task()
def publish_all_module_tables() -> int:
    """Daily: publish every module's tables, in case a change was not announced (only files
    whose content changed are reloaded)."""

    published = 0
    for government in _catalog_governments():
        with government_scope(government):
            for manifest in registry.enabled_manifests(government):
                if manifest.opendata_tables is not None:
                    published += len(module_tables.publish_module_tables(government=government, module=manifest.key))
    return published


@task()
def flush_usage() -> int:
    """Kept for jobs queued before the catalog's counts moved to core's flush (`core.flush_usage`),
    which now writes them: a job left in the queue at an upgrade still runs, and flushes."""
    return core_usage.flush()
