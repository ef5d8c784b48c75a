"""What results lend to other modules and sub-apps through core's registry: results as linked
records ("participation.result", key: the result's id), a search for pickers, and "who points
here" for the records results link to (works, budget lines, contracting processes,
proposals, projects, agreements), so each of those pages can show the results that follow it."""

from __future__ import annotations

from django.db.models import Q

from minga.core import registry
from minga.core.registry import LinkedRecord
from minga.core.tenancy.scoping import government_scope

from . import catalog, selectors
from .follows import result_path
from .models import Result


def record(result: Result, status_names: dict[str, str] | None = None) -> LinkedRecord:
    names = status_names or {}
    return LinkedRecord(
        kind=catalog.KIND,
        key=str(result.pk),
        title=result.title,
        url=result_path(result),
        module="participation",
        facts={
            "status": names.get(result.status, result.status),
            "progress": result.progress,
            "process": result.process.title,
            "unit": result.unit_name,
        },
    )


def resolve_results(government, keys: list[str]) -> dict[str, LinkedRecord]:
    ids = [int(key) for key in keys if str(key).isdigit()]
    with government_scope(government):
        found = Result.objects.for_government(government).public().filter(pk__in=ids).select_related("process")
        names = catalog.status_names(government)
        return {str(result.pk): record(result, names) for result in found}


def search_results(government, text: str, limit: int) -> list[LinkedRecord]:
    with government_scope(government):
        found = Result.objects.for_government(government).public().select_related("process")
        if text:
            condition = Q(title__icontains=text) | Q(reference__iexact=text)
            if text.isdigit():
                condition |= Q(pk=int(text))
            found = found.filter(condition)
        names = catalog.status_names(government)
        return [record(result, names) for result in found.order_by("-updated_at")[:limit]]


def _backlinks(kind: str):
    def find(government, key: str) -> list[LinkedRecord]:
        with government_scope(government):
            names = catalog.status_names(government)
            return [record(r, names) for r in selectors.results_linked_to(government, kind, key).order_by("title")]

    return find


LINK_RESOLVERS = {catalog.KIND: resolve_results}
LINK_SEARCH = {catalog.KIND: search_results}
BACKLINKS = {item.kind: _backlinks(item.kind) for item in catalog.LINK_KINDS}


def merged_backlinks(existing: dict, mine: dict) -> dict:
    """The manifest's backlinks with results' added (core.registry.merge_backlinks)."""
    return registry.merge_backlinks(existing, mine)
