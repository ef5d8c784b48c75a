"""Reads of the institution module. Public selectors only ever return public rows (public
units, published authorities, public events); back-office selectors return everything of the
government. All of them run inside the government scope."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

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


MONTH_PARAM = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})$")


def _day(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _month(value: str) -> tuple[int, int] | None:
    match = MONTH_PARAM.match(value[:7])
    if match and 1 <= int(match["month"]) <= 12 and 1990 <= int(match["year"]) <= 2200:
        return int(match["year"]), int(match["month"])
    return None


@dataclass(frozen=True)
class AgendaFilters:
    """The agenda's query, as the agenda pages and the events API both read it (`agenda_filters`):
    ``autoridad`` and ``unidad`` (slugs of a published authority, a public unit), ``desde`` and
    ``hasta`` (days, inclusive) and ``mes`` (YYYY-MM: the month page shows it; elsewhere it
    is that month's days). A slug that names nothing public matches no event; a value that
    cannot be read is left out and explained in ``errors`` ({parameter: message})."""

    authority: Authority | None = None
    unit: Unit | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    month: tuple[int, int] | None = None
    unknown: tuple[str, ...] = ()
    errors: dict[str, str] = field(default_factory=dict)

    def window(self) -> tuple[dt.date | None, dt.date | None]:
        """The days asked for: desde and hasta, or else the month's first and last day."""
        since, until = self.since, self.until
        if self.month is not None:
            year, month = self.month
            first = dt.date(year, month, 1)
            last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
            since, until = since or first, until or last
        return since, until

    def apply(self, events, *, window: bool = True):
        """``events`` narrowed to the query (without the days when ``window`` is False: the
        month page lays out whole weeks itself)."""
        if self.unknown:
            return events.none()
        if self.authority is not None:
            events = events.for_authority(self.authority)
        if self.unit is not None:
            events = events.for_unit(self.unit)
        since, until = self.window() if window else (None, None)
        if since is not None:
            start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
            events = events.filter(Q(starts_at__gte=start) | Q(ends_at__gte=start))
        if until is not None:
            end = timezone.make_aware(dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min))
            events = events.filter(starts_at__lt=end)
        return events

    def as_query(self) -> dict[str, str]:
        query = {}
        if self.authority is not None:
            query["autoridad"] = self.authority.slug
        if self.unit is not None:
            query["unidad"] = self.unit.slug
        if self.since is not None:
            query["desde"] = self.since.isoformat()
        if self.until is not None:
            query["hasta"] = self.until.isoformat()
        return query


def agenda_filters(government, params) -> AgendaFilters:
    """Read the agenda's query (`AgendaFilters`) from query parameters; other parameters are
    ignored, never passed to the database."""
    authority_slug = str(params.get("autoridad", "") or "")[:80]
    unit_slug = str(params.get("unidad", "") or "")[:80]
    authority = published_authorities(government).filter(slug=authority_slug).first() if authority_slug else None
    unit = public_units(government).filter(slug=unit_slug).first() if unit_slug else None
    unknown = tuple(
        name
        for name, slug, found in (("autoridad", authority_slug, authority), ("unidad", unit_slug, unit))
        if slug and found is None
    )
    errors = {}
    if "autoridad" in unknown:
        errors["autoridad"] = _("No published authority has this identifier.")
    if "unidad" in unknown:
        errors["unidad"] = _("No public unit has this identifier.")
    days = {}
    for name in ("desde", "hasta"):
        raw = str(params.get(name, "") or "")
        days[name] = _day(raw) if raw else None
        if raw and days[name] is None:
            errors[name] = _("Use a date in the form YYYY-MM-DD.")
    raw_month = str(params.get("mes", "") or "")
    month = _month(raw_month) if raw_month else None
    if raw_month and month is None:
        errors["mes"] = _("Use a month in the form YYYY-MM.")
    return AgendaFilters(
        authority=authority,
        unit=unit,
        since=days["desde"],
        until=days["hasta"],
        month=month,
        unknown=unknown,
        errors=errors,
    )


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
