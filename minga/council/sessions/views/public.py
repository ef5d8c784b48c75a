"""Public pages of sessions: the list (upcoming first, then past, filtered by kind, committee
and year), a session's page (convocation, agenda with documents, attendance, outcomes, every
vote with each member's vote, minutes), a member's voting record, and the Atom and iCalendar
feeds of the council's sessions."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as IcalEvent

from minga.core.ui.page_cache import public_page

from ...effectiveness.counting import SESSION, counted, visit
from ...members import selectors as member_selectors
from ...seat import selectors as seat_selectors
from .. import selectors
from ..models import Session, VoteEvent, VoteOption

RECORD_PAGE = 100


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@public_page
def session_list(request):
    government = request.government
    filters = {
        "kind": request.GET.get("tipo", "")[:20],
        "committee": request.GET.get("comision", "")[:90],
        "year": _int(request.GET.get("anio")),
    }
    upcoming, past = selectors.session_list(government, now=timezone.now(), **filters)
    context = {
        "council": member_selectors.council_of(government),
        "upcoming": upcoming,
        "past": past,
        "kinds": Session.Kind.choices,
        "committees": member_selectors.committees(government),
        "years": selectors.years(government),
        **filters,
    }
    return render(request, "council/sessions/list.html", context)


@counted
@public_page
def session_detail(request, slug):
    session = selectors.public_session(request.government, slug)
    if session is None:
        raise Http404
    items = selectors.items_of(session)
    # The silla vacía of each item: whether requests are taken now, and how many came.
    rules = seat_selectors.rules_of(request.government)
    counts = seat_selectors.counts_by_item([item.pk for item in items], government=request.government)
    now = timezone.now()
    for item in items:
        item.session = session
        item.seat_open = seat_selectors.request_open(item, rules, now)
        item.seat_counts = counts.get(item.pk, {})
    seat_deadline = seat_selectors.deadline_of(session, rules) if session.status == session.Status.CONVENED else None
    context = {
        "council": member_selectors.council_of(request.government),
        "session": session,
        "items": items,
        "documents": selectors.session_documents(session),
        "attendance": selectors.attendance_of(session),
        "options": VoteOption.choices,
        # While the session is convened: until when the silla vacía can be requested.
        "seat_deadline": seat_deadline,
        "seat_deadline_passed": seat_deadline is not None and now > seat_deadline,
    }
    return visit(render(request, "council/sessions/detail.html", context), SESSION, session)


@public_page
def member_votes(request, slug):
    person = member_selectors.person(request.government, slug)
    if person is None:
        raise Http404
    year = _int(request.GET.get("anio"))
    record = selectors.voting_record(person, year=year)
    page = Paginator(record.votes, RECORD_PAGE).get_page(request.GET.get("pagina"))
    context = {
        "rows": _record_rows(page.object_list),
        "council": member_selectors.council_of(request.government),
        "person": person,
        "record": record,
        "page": page,
        "year": year,
        "counts": [(label, record.counts[value]) for value, label in VoteOption.choices],
        "seat": seat_selectors.on_items_voted_by(person, year=year),
    }
    seats = seat_selectors.counts_by_item({row["item_id"] for row in context["rows"]}, government=request.government)
    for row in context["rows"]:
        row["seat"] = seats.get(row["item_id"], {})
    return render(request, "council/sessions/member_votes.html", context)


def _record_rows(votes) -> list[dict]:
    """The rows of a voting record with their addresses and labels worked out once per session,
    act and option (a long record renders in a few milliseconds)."""
    options, results = dict(VoteOption.choices), dict(VoteEvent.Result.choices)
    options = {key: str(label) for key, label in options.items()}
    results = {key: str(label) for key, label in results.items()}
    item_label = _("item %(n)s")
    sessions: dict[int, tuple[str, str, str]] = {}
    acts: dict[int, str] = {}
    rows = []
    for vote in votes:
        event = vote.event
        session = event.item.session
        if session.pk not in sessions:
            when = timezone.localtime(session.starts_at)
            sessions[session.pk] = (
                reverse("council:session_detail", kwargs={"slug": session.slug}),
                when.date().isoformat(),
                date_format(when, "SHORT_DATE_FORMAT"),
            )
        url, iso, shown = sessions[session.pk]
        act = event.act
        if act is not None and act.is_public and act.pk not in acts:
            acts[act.pk] = reverse("council:act_detail", kwargs={"slug": act.slug})
        rows.append(
            {
                "iso": iso,
                "date": shown,
                "url": f"{url}#punto-{event.item.position}",
                "session": session.title,
                "item": item_label % {"n": event.item.position},
                "act": act.identifier if act is not None and act.is_public else "",
                "act_url": acts.get(act.pk, "") if act is not None else "",
                "item_id": event.item_id,
                "motion": event.motion,
                "vote": options.get(vote.option, vote.option),
                "result": results.get(event.result, event.result),
            }
        )
    return rows


def _summary(session: Session) -> str:
    when = timezone.localtime(session.starts_at).strftime("%d/%m/%Y %H:%M")
    parts = [f"{session.get_kind_display()} · {session.get_status_display()} · {when}", session.place]
    if session.committee_id:
        parts.insert(1, session.committee.name)
    if session.minutes_summary:
        parts.append(session.minutes_summary)
    return "\n".join(part for part in parts if part)


@public_page
def sessions_atom(request):
    government = request.government
    council = member_selectors.council_of(government)
    name = council.name if council else government.short_name
    feed = Atom1Feed(
        title=_("Sessions of %(name)s") % {"name": name},
        link=request.build_absolute_uri(reverse("council:session_list")),
        description=_("Convocations, agendas, votes and minutes of the council's sessions."),
        language=request.LANGUAGE_CODE,
        feed_url=request.build_absolute_uri(),
    )
    for session in selectors.feed_sessions(government):
        url = request.build_absolute_uri(reverse("council:session_detail", kwargs={"slug": session.slug}))
        feed.add_item(
            title=session.title,
            link=url,
            description=_summary(session),
            pubdate=session.convened_at or session.created_at,
            updateddate=session.updated_at,
            unique_id=url,
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response


@public_page
def sessions_ics(request):
    government = request.government
    council = member_selectors.council_of(government)
    zone = ZoneInfo(settings.TIME_ZONE)
    calendar = Calendar()
    calendar.add("prodid", "-//Minga//Sesiones del concejo//ES")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add(
        "x-wr-calname", _("Sessions of %(name)s") % {"name": council.name if council else government.short_name}
    )
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now().astimezone(dt.UTC)
    for session in selectors.feed_sessions(government, limit=200):
        entry = IcalEvent()
        entry.add("uid", f"{session.uid}@sesiones.minga")
        entry.add("dtstamp", stamp)
        entry.add("last-modified", session.updated_at.astimezone(dt.UTC))
        entry.add("summary", session.title)
        entry.add("dtstart", session.starts_at.astimezone(zone))
        entry.add("dtend", (session.starts_at + dt.timedelta(hours=3)).astimezone(zone))
        if session.place:
            entry.add("location", session.place)
        entry.add("description", _summary(session))
        entry.add("url", request.build_absolute_uri(reverse("council:session_detail", kwargs={"slug": session.slug})))
        entry.add("status", "CANCELLED" if session.status == Session.Status.CANCELLED else "CONFIRMED")
        entry.add("class", "PUBLIC")
        calendar.add_component(entry)
    calendar.add_missing_timezones()
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="sesiones-concejo.ics"'
    return response
