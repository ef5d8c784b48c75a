"""Versions of a tabular resource: every successful load is a version that people can see and
download. After a load succeeds, ``record_loaded`` keeps a copy of the data it was loaded from
(``ResourceLoad.source_file``; uploads are copied, refreshes already stored what they fetched),
compares the new table with the one it replaced (``datastore.diff``) and stores the summary
(``ResourceLoad.changes``), and drops the files of versions beyond
``settings.CATALOG_SNAPSHOTS_KEPT``. Reads for the public history are here too.

Called by ``services.resource_load_finished`` inside its transaction; it does not import the
services (they import this module)."""

from __future__ import annotations

import datetime as dt
import os

from django.conf import settings
from django.db import transaction

from minga import datastore
from minga.datastore.diff import diff_tables

from ..datasets import files
from ..datasets.models import Resource
from .models import ResourceLoad


def _previous_version(resource: Resource, version: int) -> int | None:
    earlier = [info.version for info in datastore.list_versions(table_id=resource.datastore_table_id)]
    earlier = [number for number in earlier if number < version]
    return max(earlier) if earlier else None


def snapshot_name(resource: Resource, load: ResourceLoad, extension: str = "") -> str:
    """The name a version is downloaded under: the resource's file name (or its dataset's slug)
    with the table version, e.g. ``obras-v3.csv``."""
    base = resource.original_name or f"{resource.dataset.slug}-{resource.pk}"
    root, ext = os.path.splitext(base)
    if not ext:
        ext = extension or {"XLSX": ".xlsx", "JSON": ".json"}.get(resource.format, ".csv")
    elif extension:
        ext = extension
    return f"{root[:80]}-v{load.version or 0}{ext}"


def _copy_upload(resource: Resource, load: ResourceLoad) -> None:
    if load.source_file or not resource.file:
        return
    try:
        handle = resource.file.open("rb")
    except (FileNotFoundError, OSError):
        return
    with handle:
        load.source_file.save(os.path.basename(resource.file.name), handle, save=False)
    load.source_size = resource.size
    load.source_sha256 = resource.sha256


def prune_snapshots(resource: Resource, *, keep: int | None = None) -> int:
    """Delete the data files of the oldest versions beyond ``keep``; returns how many."""
    keep = settings.CATALOG_SNAPSHOTS_KEPT if keep is None else keep
    loads = ResourceLoad.objects.for_government(resource.government_id).filter(resource=resource).exclude(source_file="").order_by("-created_at", "-pk")
    old = list(loads[keep:])
    names = [load.source_file.name for load in old]
    if not old:
        return 0
    ResourceLoad.objects.for_government(resource.government_id).filter(pk__in=[load.pk for load in old]).update(source_file="")
    storage = ResourceLoad._meta.get_field("source_file").storage
    transaction.on_commit(lambda: [storage.delete(name) for name in names])
    return len(old)


def record_loaded(*, load: ResourceLoad, resource: Resource, now: dt.datetime) -> bool:
    """Snapshot and change summary of a successful load; returns whether the data changed
    (a first load always did). Saves the load and the resource's ``data_updated_at``."""
    _copy_upload(resource, load)
    previous = _previous_version(resource, load.version) if load.version else None
    changed = True
    if previous is not None:
        diff = diff_tables(table_id=resource.datastore_table_id, old_version=previous, new_version=load.version)
        if diff is not None:
            load.changes = {"previous_version": previous, **diff.to_json()}
            changed = diff.changed
    else:
        load.changes = {"previous_version": None, "rows_added": load.row_count or 0}
    load.save(update_fields=["source_file", "source_size", "source_sha256", "changes"])
    if changed:
        resource.data_updated_at = now
        Resource.objects.for_government(resource.government_id).filter(pk=resource.pk).update(data_updated_at=now)
    prune_snapshots(resource)
    return changed


# Reads ------------------------------------------------------------------------------------


def versions(resource: Resource, *, limit: int = 100) -> list[ResourceLoad]:
    """Successful loads, newest first: the version history of a resource."""
    return list(
        ResourceLoad.objects.filter(
            government_id=resource.government_id, resource=resource, status=ResourceLoad.Status.SUCCEEDED
        ).order_by("-created_at", "-pk")[:limit]
    )


def content_type_for(load: ResourceLoad) -> str:
    extension = os.path.splitext(load.source_file.name or "")[1].lower()
    return files.content_type(files.EXTENSIONS.get(extension, "OTHER"))


def live_snapshot_if_replaced(resource: Resource) -> ResourceLoad | None:
    """When the resource's newest load failed (a replaced file that could not be read), the
    load whose data is still live, if its snapshot is kept; otherwise None."""
    loads = ResourceLoad.objects.for_government(resource.government_id).filter(resource=resource).order_by("-created_at", "-pk")
    newest = loads.first()
    if newest is None or newest.status != ResourceLoad.Status.FAILED:
        return None
    return loads.filter(status=ResourceLoad.Status.SUCCEEDED).exclude(source_file="").first()
