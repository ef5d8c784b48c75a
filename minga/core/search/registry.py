"""How modules make their records findable. A module lists `SearchRegistration`s in its
manifest (`search=`); core keeps the index current when the module's services call
`core.search.services.index_object()` / `remove_object()` after a write, and
`minga search_reindex` rebuilds everything from the registrations."""

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
