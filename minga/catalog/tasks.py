"""Background jobs of the catalog: loading tabular resources into the datastore."""

from __future__ import annotations

from django_tasks import task

from minga.core.tenancy.models import Government
from minga.core.tenancy.scoping import government_scope

from . import services, usage
from .models import Resource, ResourceLoad


@task()
def load_resource(resource_id: int, load_id: int | None = None) -> str:
    """Load the resource's file into its table; the outcome is stored on the ResourceLoad."""
    resource = Resource._base_manager.filter(pk=resource_id).first()
    if resource is None:
        return "gone"  # removed while queued
    government = Government.objects.get(pk=resource.government_id)
    with government_scope(government):
        load = ResourceLoad._base_manager.filter(pk=load_id, resource=resource).first() if load_id else None
        load = services.resource_load_run(government=government, resource=resource, load=load)
        return load.status


@task()
def flush_usage() -> int:
    """Move the use counters buffered in the cache into the daily usage rows (every minute)."""
    return usage.flush()


def _catalog_governments():
    return [g for g in Government.objects.active().order_by("pk") if g.module_enabled("catalog")]


@task()
def notify_overdue() -> int:
    """Daily: e-mail the publishing units of datasets that became late (once per late period)."""
    from django.conf import settings

    from . import notifications

    sent = 0
    for government in _catalog_governments():
        with government_scope(government):
            sent += notifications.notify_overdue(government=government, origin=getattr(settings, "SITE_URL", ""))
    return sent


@task()
def compute_quality() -> int:
    """Daily: recompute every dataset's quality score (lateness changes with the calendar)."""
    from . import quality

    scored = 0
    for government in _catalog_governments():
        with government_scope(government):
            scored += quality.refresh(government=government)
    return scored
