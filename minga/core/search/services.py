"""Keeping the search index current. Modules call `index_object()` after creating or
changing a record they register and `remove_object()` after deleting it, inside their own
transaction; `reindex()` (`minga search_reindex`) rebuilds everything from the registrations.
Searches without results are counted by `zero_result_record()`: the words and the day, nothing
about who searched."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from ..tenancy.models import Government
from ..tenancy.scoping import government_scope
from . import registry
from .backends import backend
from .models import SearchDocument, ZeroResultQuery
from .registry import SearchEntry
from .text import demand_key

logger = logging.getLogger(__name__)


def _documents(government):
    return SearchDocument.objects.for_government(government)


def _field(value: str, limit: int) -> str:
    return (value or "").strip()[:limit]


def _save(*, government, kind, module, object_id, entry: SearchEntry, now) -> SearchDocument:
    if not entry.url.startswith("/") or entry.url.startswith("//"):
        raise ValueError(f"SearchEntry.url must be a path inside the government, got {entry.url!r}.")
    values = {
        "government": government,
        "module": module,
        "title": _field(entry.title, 300),
        "summary": entry.summary or "",
        "body": entry.body or "",
        "url": _field(entry.url, 500),
        "updated_at": entry.updated_at or now or timezone.now(),
    }
    document, _ = _documents(government).update_or_create(kind=kind, object_id=str(object_id), defaults=values)
    return document


def index_entry(
    *, government: Government, kind: str, module: str, object_id, entry: SearchEntry, now: dt.datetime | None = None
) -> SearchDocument:
    """Create or update the document of one object from its SearchEntry."""
    with transaction.atomic():
        document = _save(government=government, kind=kind, module=module, object_id=object_id, entry=entry, now=now)
        backend().index([document])
    return document


def _is_public(found: registry.SearchRegistration, obj) -> bool:
    candidates = found.queryset(obj.government)
    if isinstance(candidates, QuerySet):
        return candidates.filter(pk=obj.pk).exists()
    return any(candidate.pk == obj.pk for candidate in candidates)


def index_object(*, kind: str, obj, now: dt.datetime | None = None) -> SearchDocument | None:
    """Bring one object's document up to date: indexed while the registration's queryset
    includes it (its public objects), removed otherwise. Returns the document, if any."""
    found = registry.registration(kind)
    government = obj.government
    with government_scope(government):
        if not _is_public(found, obj):
            remove_object(kind=kind, object_id=obj.pk, government=government)
            return None
        entry = found.entry(obj)
        return index_entry(
            government=government, kind=kind, module=found.module, object_id=obj.pk, entry=entry, now=now
        )


def remove_object(*, kind: str, object_id, government: Government) -> None:
    """Forget an object (deleted or no longer public)."""
    documents = _documents(government).filter(kind=kind, object_id=str(object_id))
    with transaction.atomic():
        ids = list(documents.values_list("pk", flat=True))
        if ids:
            backend().remove(ids)
            documents.delete()


def _size(records) -> int:
    """How many records a registration gives: a queryset counts in the database."""
    return records.count() if isinstance(records, QuerySet) else len(list(records))


def reindex(government: Government | None = None, *, now: dt.datetime | None = None, progress=None) -> int:
    """Rebuild the documents and the engine's index of one government (or all) from the
    registrations. Documents of kinds nobody registers any more are dropped. Returns how
    many documents were indexed. ``progress(phase, done, total)`` hears, for each government
    (the phase is its slug), how many of its records are indexed."""
    governments = [government] if government is not None else list(Government.objects.all())
    registered = registry.registrations()
    indexed = 0
    for each in governments:
        with transaction.atomic(), government_scope(each):
            keep: set[tuple[str, str]] = set()
            total = sum(_size(found.queryset(each)) for found in registered.values()) if progress else None
            for kind, found in registered.items():
                for obj in found.queryset(each):
                    if progress is not None:
                        progress(each.slug, len(keep), total)
                    _save(
                        government=each,
                        kind=kind,
                        module=found.module,
                        object_id=obj.pk,
                        entry=found.entry(obj),
                        now=now,
                    )
                    keep.add((kind, str(obj.pk)))
            stale = [
                pk
                for pk, kind, object_id in _documents(each).values_list("pk", "kind", "object_id")
                if (kind, object_id) not in keep
            ]
            if stale:
                _documents(each).filter(pk__in=stale).delete()
            backend().rebuild(_documents(each).all(), government_id=each.pk)
            indexed += len(keep)
            if progress is not None:
                progress(each.slug, len(keep), total)
    return indexed


def zero_result_record(*, government: Government, query: str, day: dt.date | None = None) -> ZeroResultQuery | None:
    """Count one search that found nothing, per government, normalised words and day."""
    key = demand_key(query)
    if not key:
        return None
    day = day or timezone.localdate()
    rows = ZeroResultQuery.objects.filter(government=government, query=key, day=day)
    if not rows.update(count=F("count") + 1):
        row, created = ZeroResultQuery.objects.get_or_create(
            government=government, query=key, day=day, defaults={"count": 1}
        )
        if not created:  # another request created it in between
            rows.update(count=F("count") + 1)
    return rows.first()
