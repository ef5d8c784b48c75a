"""Reads of participatory events: the public calendar with its filters, an event's page, a
process's events, the back-office lists, and the agreements other modules link to."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..processes.models import Process
from .models import Agreement, Event, EventType, Registration

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
PAST_SHOWN = 30


def event_types(government, *, active_only: bool = False):
    types = EventType.objects.for_government(government).order_by("position", "name")
    return types.filter(is_active=True) if active_only else types


def public_events(government):
    return (
        Event.objects.for_government(government)
        .published()
        .select_related("event_type", "process")
        .order_by("starts_at", "title")
    )


def public_event(government, slug: str) -> Event | None:
    return public_events(government).filter(slug=slug).first()


@dataclass
class CalendarFilters:
    type: str = ""
    territory: str = ""
    process: str = ""
    month: str = ""
    errors: dict = field(default_factory=dict)

    def as_query(self) -> dict[str, str]:
        values = {"tipo": self.type, "territorio": self.territory, "proceso": self.process, "mes": self.month}
        return {key: value for key, value in values.items() if value}

    def month_range(self) -> tuple[dt.datetime, dt.datetime] | None:
        match = MONTH.match(self.month or "")
        if match is None:
            return None
        year, month = int(match[1]), int(match[2])
        start = timezone.make_aware(dt.datetime(year, month, 1))
        end = timezone.make_aware(dt.datetime(year + (month == 12), month % 12 + 1, 1))
        return start, end


def calendar_filters(params) -> CalendarFilters:
    filters = CalendarFilters(
        type=str(params.get("tipo", ""))[:60],
        territory=str(params.get("territorio", ""))[:30],
        process=str(params.get("proceso", ""))[:80],
        month=str(params.get("mes", ""))[:7],
    )
    if filters.month:
        match = MONTH.match(filters.month)
        if match is None or not 1 <= int(match[2]) <= 12 or not 1900 <= int(match[1]) <= 2200:
            filters.errors["mes"] = _("The month must be written as year-month, e.g. 2027-03.")
            filters.month = ""
    return filters


def filtered(government, filters: CalendarFilters):
    events = public_events(government)
    if filters.type:
        events = events.filter(event_type__key=filters.type)
    if filters.territory:
        events = events.filter(Q(territory_code=filters.territory) | Q(territory_code=""))
    if filters.process:
        events = events.filter(process__slug=filters.process)
    span = filters.month_range()
    if span is not None:
        events = events.filter(starts_at__lt=span[1], ends_at__gt=span[0])
    return events


@dataclass
class Calendar:
    upcoming: list
    past: list
    past_hidden: int


def calendar(government, *, now: dt.datetime, filters: CalendarFilters) -> Calendar:
    events = filtered(government, filters)
    upcoming = list(events.upcoming(now))
    past_all = events.past(now).order_by("-starts_at")
    past = list(past_all[:PAST_SHOWN])
    return Calendar(upcoming=upcoming, past=past, past_hidden=max(0, past_all.count() - len(past)))


def territory_choices(government) -> list[tuple[str, str]]:
    found = (
        public_events(government)
        .exclude(territory_code="")
        .values_list("territory_code", "territory_name")
        .distinct()
        .order_by("territory_name")
    )
    return list(dict(found).items())


def process_choices(government) -> list[tuple[str, str]]:
    ids = public_events(government).exclude(process=None).values("process_id")
    return list(
        Process.objects.for_government(government)
        .filter(pk__in=ids)
        .order_by("-starts_at")
        .values_list("slug", "title")
    )


def month_choices(government) -> list[str]:
    months = {
        timezone.localtime(value).strftime("%Y-%m")
        for value in public_events(government).values_list("starts_at", flat=True)
    }
    return sorted(months)


def process_events(process: Process):
    return public_events(process.government).filter(process=process)


def agreements_of(event: Event) -> list[Agreement]:
    return list(Agreement.objects.for_government(event.government_id).filter(event=event).order_by("number"))


def registration_counts(event: Event) -> dict[str, int]:
    counts = (
        Registration.objects.for_government(event.government_id)
        .filter(event=event)
        .values("status")
        .annotate(n=Count("pk"))
    )
    found = {row["status"]: row["n"] for row in counts}
    return {status: found.get(status, 0) for status in Registration.Status.values}


def registration_of(event: Event, user) -> Registration | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Registration.objects.for_government(event.government_id)
        .filter(event=event, user=user)
        .exclude(status=Registration.Status.CANCELLED)
        .first()
    )


def registration_by_token(government, token: str) -> Registration | None:
    if not token:
        return None
    return (
        Registration.objects.for_government(government)
        .select_related("event", "event__government")
        .filter(token=token)
        .first()
    )


def office_events(government, *, query: str = "", kind: str = "", when: str = "", now: dt.datetime):
    events = Event.objects.for_government(government).select_related("event_type", "process")
    if query:
        events = events.filter(title__icontains=query)
    if kind:
        events = events.filter(event_type__key=kind)
    if when == "proximos":
        events = events.upcoming(now).order_by("starts_at")
    elif when == "pasados":
        events = events.past(now).order_by("-starts_at")
    else:
        events = events.order_by("-starts_at")
    return events.annotate(
        confirmed=Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)),
        waiting=Count("registrations", filter=Q(registrations__status=Registration.Status.WAITING)),
    )


def office_registrations(event: Event):
    return (
        Registration.objects.for_government(event.government_id)
        .filter(event=event)
        .order_by("status", "queued_at", "pk")
    )


# Agreements as linked records ------------------------------------------------------------


def public_agreements(government):
    return (
        Agreement.objects.for_government(government)
        .filter(event__in=public_events(government))
        .select_related("event")
        .order_by("-event__starts_at", "number")
    )


def agreements_by_keys(government, keys: list[str]) -> dict[str, Agreement]:
    wanted: dict[tuple[str, int], str] = {}
    for key in keys:
        slug, _slash, number = str(key).rpartition("/")
        if slug and number.isdigit():
            wanted[(slug, int(number))] = key
    if not wanted:
        return {}
    query = Q()
    for slug, number in wanted:
        query |= Q(event__slug=slug, number=number)
    found = public_agreements(government).filter(query)
    return {wanted[(agreement.event.slug, agreement.number)]: agreement for agreement in found}


def search_agreements(government, text: str, limit: int) -> list[Agreement]:
    found = public_agreements(government)
    if text:
        found = found.filter(Q(text__icontains=text) | Q(event__title__icontains=text) | Q(responsible__icontains=text))
    return list(found[:limit])
