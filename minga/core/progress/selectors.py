"""Reads of progress records, always scoped to a government; running ones with the live
figures their job put in the shared cache (see ``services``)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import QuerySet

from .models import Progress
from .services import live_key


def progress_records(*, government) -> QuerySet[Progress]:
    return Progress.objects.for_government(government)


def with_live(record: Progress | None) -> Progress | None:
    """The record with the newest figures of a running job (the cache's, when newer)."""
    if record is None or record.state != Progress.State.RUNNING:
        return record
    live = cache.get(live_key(record.pk))
    if live and live.get("updated_at") and live["updated_at"] > record.updated_at:
        for name, value in live.items():
            setattr(record, name, value)
    return record


def progress_get(*, government, pk: int) -> Progress | None:
    return with_live(progress_records(government=government).filter(pk=pk).first())


def latest_for(*, government, obj) -> Progress | None:
    """The newest record of the work on ``obj`` (a load, an import run, a layer)."""
    content_type = ContentType.objects.get_for_model(obj)
    record = progress_records(government=government).filter(content_type=content_type, object_id=str(obj.pk)).first()
    return with_live(record)


def latest_by_key(*, government, kind: str, key: str) -> Progress | None:
    return with_live(progress_records(government=government).filter(kind=kind, key=key).first())


def running(*, government, module: str = "", kind: str = "") -> list[Progress]:
    """The work that is running now in a government (one module's, or one kind's)."""
    records = progress_records(government=government).running()
    if module:
        records = records.filter(module=module)
    if kind:
        records = records.filter(kind=kind)
    return [with_live(record) for record in records[:20]]
