"""How modules make their records findable. A module lists `SearchRegistration`s in its
manifest (`search=`); core keeps the index current when the module's services call
`core.search.services.index_object(kind=…, obj=…)` after a write (it indexes the object while
the registration's `queryset(government)` includes it and removes it otherwise) or
`remove_object(kind=…, object_id=…, government=…)` after a delete, both inside the module's
own transaction; `minga search_reindex` rebuilds everything from the registrations.

`SearchEntry.url` is a path relative to the government (`core.tenancy.paths.government_path`);
the search page turns it into a link for the request at display time."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SearchRegistration:
    kind: str  # unique name, "<module>.<object>", e.g. "institution.unit"
    module: str  # manifest key, used to group results
    label: Any  # plural label of the group, e.g. _("Units")
    # government -> the public objects to index (already scoped to that government)
    queryset: Callable[[Any], Iterable[Any]]
    # object -> SearchEntry with the text to index and where it lives
    entry: Callable[[Any], SearchEntry]


@dataclass(frozen=True)
class SearchEntry:
    title: str
    url: str  # path inside the government urlconf, from reverse() within the government scope
    summary: str = ""
    body: str = ""
    updated_at: Any = None


@dataclass(frozen=True)
class SourcePage:
    """One page of a SearchSource's matches, best first, and how many there are in all."""

    total: int
    entries: list[SearchEntry]


@dataclass(frozen=True)
class SearchSource:
    """Records a module finds with its own engine because they are too many for the
    portal-wide index (a government's contracting processes): the global search asks it for a
    page of matches of every meaningful word of the query and shows them as a group of their
    own, which the search can also be narrowed to (by `kind`)."""

    kind: str  # unique among registrations and sources, e.g. "procurement.process"
    module: str  # manifest key: switched off with the module
    label: Any  # plural label of the group, e.g. _("Contracting processes")
    # (government, query, offset, limit) -> SourcePage
    find: Callable[[Any, str, int, int], SourcePage]


def sources() -> dict[str, SearchSource]:
    """Every module's search sources by kind, read from the module manifests."""
    from ..registry import manifests

    found: dict[str, SearchSource] = {}
    for manifest in manifests():
        for source in manifest.search_sources:
            if source.kind in found:
                raise ValueError(f"Search kind {source.kind!r} is registered twice.")
            found[source.kind] = source
    return found


def registrations() -> dict[str, SearchRegistration]:
    """Every module's registrations by kind, read from the module manifests."""
    from ..registry import manifests

    found: dict[str, SearchRegistration] = {}
    for manifest in manifests():
        for registration in manifest.search:
            if registration.kind in found:
                raise ValueError(f"Search kind {registration.kind!r} is registered twice.")
            found[registration.kind] = registration
    return found


def registration(kind: str) -> SearchRegistration:
    try:
        return registrations()[kind]
    except KeyError:
        raise LookupError(f"No module registers the search kind {kind!r}.") from None


def group_label(module: str) -> Any:
    """Heading of a module's group of results: the module's label, else the label of its
    first registration, else its key."""
    from ..registry import manifest

    found = manifest(module)
    if found is not None:
        return found.label
    for candidate in registrations().values():
        if candidate.module == module:
            return candidate.label
    return module
