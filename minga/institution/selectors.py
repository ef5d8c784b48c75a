"""Reads of the institution module. Public selectors only ever return public rows (public
units, published authorities, public events); back-office selectors return everything of the
government. All of them run inside the government scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q

from .models import AgendaEvent, Authority, DeclarationLink, Unit

# Query parameters the agenda pages and the API accept (never passed to the ORM as lookups).
AGENDA_FILTER_PARAMS = ("autoridad", "unidad")


# Units -----------------------------------------------------------------------------------


def public_units(government):
    return Unit.objects.filter(government=government).public().select_related("head", "parent")


@dataclass
class UnitNode:
    unit: Unit
    children: list[UnitNode] = field(default_factory=list)


def unit_tree(government) -> list[UnitNode]:
    """The public org chart as a forest. A unit hidden from the public hides its subtree."""
    units = list(public_units(government).order_by("order", "name"))
    nodes = {unit.pk: UnitNode(unit) for unit in units}
    roots = []
    for unit in units:
        node = nodes[unit.pk]
        if unit.parent_id is None:
            roots.append(node)
        elif unit.parent_id in nodes:
            nodes[unit.parent_id].children.append(node)
    return roots


def public_unit_children(unit: Unit):
    return Unit.objects.filter(government_id=unit.government_id, parent=unit).public().select_related("head")


def public_unit_ancestors(unit: Unit) -> list[Unit]:
    return [u for u in reversed(unit.ancestors()) if u.is_public]


def office_units(government, *, kind: str = "", query: str = ""):
    units = (
        Unit.objects.filter(government=government)
        .select_related("parent", "head")
        .annotate(child_count=Count("children", distinct=True), authority_count=Count("authorities", distinct=True))
    )
    if kind in Unit.Kind.values:
        units = units.filter(kind=kind)
    if query:
        units = units.filter(Q(name__icontains=query) | Q(acronym__icontains=query))
    return units.order_by("name")


# Authorities -----------------------------------------------------------------------------


def published_authorities(government):
    return (
        Authority.objects.filter(government=government)
        .published()
        .select_related("unit")
        .prefetch_related(Prefetch("declarations", queryset=DeclarationLink.objects.filter(government=government)))
    )


def current_authorities(government, *, today: dt.date):
    return published_authorities(government).current(today)


def past_authorities(government, *, today: dt.date):
    return published_authorities(government).past(today).order_by("-term_end", "name")


def public_unit_authorities(unit: Unit, *, today: dt.date):
    return published_authorities(unit.government).filter(unit=unit).current(today)


def office_authorities(government, *, status: str = "", query: str = "", today: dt.date | None = None):
    authorities = Authority.objects.filter(government=government).select_related("unit")
    if status == "publicadas":
        authorities = authorities.published()
    elif status == "borradores":
        authorities = authorities.filter(is_published=False)
    elif status == "vigentes" and today is not None:
        authorities = authorities.current(today)
    if query:
        authorities = authorities.filter(Q(name__icontains=query) | Q(position__icontains=query))
    return authorities.order_by("order", "name")


def authority_declarations(authority: Authority):
    return DeclarationLink.objects.filter(government_id=authority.government_id, authority=authority)


# Agenda ----------------------------------------------------------------------------------


def public_events(government):
    return (
        AgendaEvent.objects.filter(government=government)
        .public()
        .select_related("unit")
        .prefetch_related(Prefetch("authorities", queryset=Authority.objects.filter(government=government).published()))
    )


@dataclass(frozen=True)
class AgendaFilters:
    authority: Authority | None = None
    unit: Unit | None = None

    def apply(self, events):
        if self.authority is not None:
            events = events.for_authority(self.authority)
        if self.unit is not None:
            events = events.for_unit(self.unit)
        return events

    def as_query(self) -> dict[str, str]:
        query = {}
        if self.authority is not None:
            query["autoridad"] = self.authority.slug
        if self.unit is not None:
            query["unidad"] = self.unit.slug
        return query


def agenda_filters(government, params) -> AgendaFilters:
    """Read the allowlisted filters from query parameters; unknown values are ignored."""
    authority_slug = str(params.get("autoridad", "") or "")[:80]
    unit_slug = str(params.get("unidad", "") or "")[:80]
    authority = published_authorities(government).filter(slug=authority_slug).first() if authority_slug else None
    unit = public_units(government).filter(slug=unit_slug).first() if unit_slug else None
    return AgendaFilters(authority=authority, unit=unit)


def events_between(government, *, start: dt.datetime, end: dt.datetime, filters: AgendaFilters | None = None):
    events = public_events(government).between(start, end).order_by("starts_at")
    return filters.apply(events) if filters else events


def upcoming_public_events(government, *, now: dt.datetime, filters: AgendaFilters | None = None):
    events = public_events(government).upcoming(now)
    return filters.apply(events) if filters else events


def past_public_events(government, *, now: dt.datetime, filters: AgendaFilters | None = None):
    events = public_events(government).past(now)
    return filters.apply(events) if filters else events


def office_events(government, *, visibility: str = "", status: str = "", query: str = ""):
    events = AgendaEvent.objects.filter(government=government).select_related("unit")
    if visibility in AgendaEvent.Visibility.values:
        events = events.filter(visibility=visibility)
    if status in AgendaEvent.Status.values:
        events = events.filter(status=status)
    if query:
        events = events.filter(Q(title__icontains=query) | Q(location__icontains=query))
    return events.order_by("-starts_at")
