"""iCalendar (RFC 5545) feeds of the public agenda. Times are written in America/Guayaquil with
its VTIMEZONE; all-day events use DATE values; cancelled events carry STATUS:CANCELLED so
subscribed calendars update instead of silently dropping them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar, Event

from .models import AgendaEvent

PRODID = "-//Minga//Agenda institucional//ES"
UID_DOMAIN = "agenda.minga"


def event_uid(event: AgendaEvent) -> str:
    return f"{event.uid}@{UID_DOMAIN}"


def build_calendar(
    events: Iterable[AgendaEvent],
    *,
    name: str,
    description: str,
    url_for: Callable[[AgendaEvent], str],
    now: dt.datetime,
) -> bytes:
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
        entry = Event()
        entry.add("uid", event_uid(event))
        entry.add("dtstamp", stamp)
        entry.add("last-modified", event.updated_at.astimezone(dt.UTC))
        entry.add("summary", event.title)
        starts = event.starts_at.astimezone(zone)
        ends = event.ends_at.astimezone(zone) if event.ends_at else None
        if event.all_day:
            entry.add("dtstart", starts.date())
            last_day = ends.date() if ends else starts.date()
            entry.add("dtend", last_day + dt.timedelta(days=1))
        else:
            entry.add("dtstart", starts)
            entry.add("dtend", ends or starts + dt.timedelta(hours=1))
        if event.location:
            entry.add("location", event.location)
        text = "\n\n".join(part for part in (event.description, event.participants) if part)
        if text:
            entry.add("description", text)
        entry.add("url", url_for(event))
        entry.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
        entry.add("class", "PUBLIC")
        calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()
