"""iCalendar (RFC 5545) feeds of participatory events, built like the institutional agenda's
(the icalendar library; times in America/Guayaquil with its VTIMEZONE): the whole calendar,
one process's events, and one event as a .ics file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar
from icalendar import Event as IcalEvent

PRODID = "-//Minga//Eventos de participacion//ES"
UID_DOMAIN = "participacion.minga"


def event_uid(event) -> str:
    return f"{event.uid}@{UID_DOMAIN}"


def _location(event) -> str:
    return " · ".join(part for part in (event.address, event.online_url) if part)


def _description(event) -> str:
    parts = [event.purpose]
    if event.agenda:
        parts.append("\n".join(f"{number}. {item}" for number, item in enumerate(event.agenda, start=1)))
    labels = [str(label) for label in event.accessibility_labels]
    if labels or event.accessibility_notes:
        parts.append("; ".join([*labels, event.accessibility_notes] if event.accessibility_notes else labels))
    return "\n\n".join(part for part in parts if part)


def build_calendar(
    events: Iterable,
    *,
    name: str,
    description: str,
    url_for: Callable[[object], str],
    now: dt.datetime,
    others: Iterable = (),
    absolute: Callable[[str], str] = str,
) -> bytes:
    """``others``: other modules' entries (core.registry.CalendarEntry, the council's sessions)
    added as events of their own; ``absolute`` turns their links into full addresses."""
    zone = ZoneInfo(settings.TIME_ZONE)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-caldesc", description)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = now.astimezone(dt.UTC)
    for event in events:
        entry = IcalEvent()
        entry.add("uid", event_uid(event))
        entry.add("dtstamp", stamp)
        entry.add("last-modified", event.updated_at.astimezone(dt.UTC))
        entry.add("summary", event.title)
        entry.add("dtstart", event.starts_at.astimezone(zone))
        entry.add("dtend", event.ends_at.astimezone(zone))
        entry.add("categories", [event.event_type.name])
        location = _location(event)
        if location:
            entry.add("location", location)
        if event.latitude is not None and event.longitude is not None:
            entry.add("geo", (float(event.latitude), float(event.longitude)))
        entry.add("description", _description(event))
        entry.add("url", url_for(event))
        entry.add("status", "CONFIRMED")
        entry.add("class", "PUBLIC")
        calendar.add_component(entry)
    for other in others:
        calendar.add_component(_other_entry(other, zone, stamp, absolute))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _other_entry(other, zone, stamp, absolute) -> IcalEvent:
    entry = IcalEvent()
    entry.add("uid", other.uid)
    entry.add("dtstamp", stamp)
    if other.updated_at is not None:
        entry.add("last-modified", other.updated_at.astimezone(dt.UTC))
    entry.add("summary", other.title)
    entry.add("dtstart", other.starts_at.astimezone(zone))
    if other.ends_at is not None:
        entry.add("dtend", other.ends_at.astimezone(zone))
    if other.category:
        entry.add("categories", [str(other.category)])
    if other.place:
        entry.add("location", other.place)
    if other.description:
        entry.add("description", other.description)
    entry.add("url", absolute(other.url))
    entry.add("status", "CANCELLED" if other.cancelled else "CONFIRMED")
    entry.add("class", "PUBLIC")
    return entry
