"""Public pages: the org chart, unit pages, the authorities gallery, the agenda (month and
list), event pages and the iCalendar feeds. Only public rows ever reach these views."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.translation import gettext as _

from minga.core.registry import module_settings
from minga.core.ui.page_cache import public_page

from .. import selectors
from ..ical import build_calendar
from ..orgchart import layout as orgchart_layout


def _settings(government) -> dict:
    return module_settings(government, "institution")


def _months_shown(government) -> int:
    try:
        return max(1, min(int(_settings(government).get("agenda_months_shown", 3)), 24))
    except (TypeError, ValueError):
        return 3


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _subscribe_links(request, path: str) -> dict:
    https = request.build_absolute_uri(path)
    webcal = re.sub(r"^https?://", "webcal://", https)
    return {"subscribe_url": https, "webcal_url": webcal}


# Org chart and units -----------------------------------------------------------------------


@public_page
def orgchart(request):
    government = request.government
    tree = selectors.unit_tree(government)
    return render(request, "institution/orgchart.html", {"tree": tree, "chart": orgchart_layout(tree)})


@public_page
def unit_detail(request, slug):
    government = request.government
    unit = get_object_or_404(selectors.public_units(government), slug=slug)
    now = timezone.now()
    filters = selectors.AgendaFilters(unit=unit)
    context = {
        "unit": unit,
        "ancestors": selectors.public_unit_ancestors(unit),
        "children": selectors.public_unit_children(unit),
        "head": unit.head if unit.head_id and unit.head.is_published else None,
        "authorities": selectors.public_unit_authorities(unit, today=timezone.localdate()),
        "events": selectors.upcoming_public_events(government, now=now, filters=filters)[:10],
        "agenda_query": urlencode(filters.as_query()),
    }
    return render(request, "institution/unit_detail.html", context)


# Authorities -------------------------------------------------------------------------------


@public_page
def authorities(request):
    government = request.government
    today = timezone.localdate()
    show_past = bool(_settings(government).get("show_past_authorities", True))
    context = {
        "current": selectors.current_authorities(government, today=today),
        "past": selectors.past_authorities(government, today=today) if show_past else [],
        "show_past": show_past,
    }
    return render(request, "institution/authorities.html", context)


@public_page
def authority_detail(request, slug):
    government = request.government
    authority = get_object_or_404(selectors.published_authorities(government), slug=slug)
    today = timezone.localdate()
    filters = selectors.AgendaFilters(authority=authority)
    context = {
        "authority": authority,
        "is_current": authority.is_current(today),
        "unit": authority.unit if authority.unit_id and authority.unit.is_public else None,
        "declarations": selectors.authority_declarations(authority),
        "events": selectors.upcoming_public_events(government, now=timezone.now(), filters=filters)[:10],
        "agenda_query": urlencode(filters.as_query()),
        **_subscribe_links(request, reverse("institution:authority_ics", kwargs={"slug": authority.slug})),
    }
    return render(request, "institution/authority_detail.html", context)


# Agenda ------------------------------------------------------------------------------------


def _agenda_context(request, filters) -> dict:
    if filters.authority is not None:
        feed = reverse("institution:authority_ics", kwargs={"slug": filters.authority.slug})
    else:
        feed = reverse("institution:agenda_ics")
    government = request.government
    return {
        "filters": filters,
        "filter_errors": list(filters.errors.values()),
        "filter_query": urlencode(filters.as_query()),
        "authority_choices": selectors.published_authorities(government).order_by("name"),
        "unit_choices": selectors.public_units(government).order_by("name"),
        **_subscribe_links(request, feed),
    }


@public_page
def agenda(request):
    """Month view: an accessible calendar table, one row per week."""
    government = request.government
    today = timezone.localdate()
    filters = selectors.agenda_filters(government, request.GET)
    year, month = filters.month or (today.year, today.month)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    start, end = _local_midnight(weeks[0][0]), _local_midnight(weeks[-1][-1] + dt.timedelta(days=1))
    by_day: dict[dt.date, list] = {}
    for event in filters.apply(selectors.events_between(government, start=start, end=end), window=False):
        first = timezone.localtime(event.starts_at).date()
        last = timezone.localtime(event.ends_at).date() if event.ends_at else first
        day = max(first, weeks[0][0])
        while day <= min(last, weeks[-1][-1]):
            by_day.setdefault(day, []).append(event)
            day += dt.timedelta(days=1)
    grid = [
        [
            {"date": day, "in_month": day.month == month, "is_today": day == today, "events": by_day.get(day, [])}
            for day in week
        ]
        for week in weeks
    ]
    previous, following = _add_months(year, month, -1), _add_months(year, month, 1)
    query = filters.as_query()
    context = {
        "month_start": dt.date(year, month, 1),
        "weeks": grid,
        "weekdays": [(WEEKDAYS[i], WEEKDAYS_ABBR[i]) for i in range(7)],
        "previous_query": urlencode({**query, "mes": f"{previous[0]:04d}-{previous[1]:02d}"}),
        "next_query": urlencode({**query, "mes": f"{following[0]:04d}-{following[1]:02d}"}),
        "month_has_events": bool(by_day),
        **_agenda_context(request, filters),
    }
    return render(request, "institution/agenda_month.html", context)


@public_page
def agenda_list(request):
    """List view: upcoming events first, then the past ones of the same window."""
    government = request.government
    now = timezone.now()
    months = _months_shown(government)
    filters = selectors.agenda_filters(government, request.GET)
    horizon = now + dt.timedelta(days=31 * months)
    upcoming = filters.apply(selectors.upcoming_public_events(government, now=now)).filter(starts_at__lt=horizon)
    past = filters.apply(selectors.past_public_events(government, now=now)).filter(
        starts_at__gte=now - dt.timedelta(days=31 * months)
    )
    context = {"upcoming": upcoming, "past": past[:100], "months": months, **_agenda_context(request, filters)}
    return render(request, "institution/agenda_list.html", context)


@public_page
def event_detail(request, uid):
    government = request.government
    event = get_object_or_404(selectors.public_events(government), uid=uid)
    return render(
        request,
        "institution/event_detail.html",
        {"event": event, "is_past": (event.ends_at or event.starts_at) < timezone.now()},
    )


def _feed_events(government, now: dt.datetime):
    since = now - dt.timedelta(days=31 * max(_months_shown(government), 3))
    return selectors.public_events(government).filter(starts_at__gte=since).order_by("starts_at")


def _ics_response(request, events, *, name: str, description: str, filename: str) -> HttpResponse:
    def url_for(event):
        return request.build_absolute_uri(reverse("institution:event_detail", kwargs={"uid": event.uid}))

    body = build_calendar(events, name=name, description=description, url_for=url_for, now=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "public, max-age=900"
    return response


@public_page
def agenda_ics(request):
    government = request.government
    return _ics_response(
        request,
        _feed_events(government, timezone.now()),
        name=_("Agenda of %(government)s") % {"government": government.short_name},
        description=_("Public institutional agenda of %(government)s.") % {"government": government.name},
        filename="agenda.ics",
    )


@public_page
def authority_ics(request, slug):
    government = request.government
    authority = get_object_or_404(selectors.published_authorities(government), slug=slug)
    events = _feed_events(government, timezone.now()).filter(authorities=authority)
    return _ics_response(
        request,
        events,
        name=_("Agenda of %(name)s") % {"name": authority.name},
        description=_("Public agenda of %(name)s, %(position)s.")
        % {"name": authority.name, "position": authority.position},
        filename=f"agenda-{authority.slug}.ics",
    )
