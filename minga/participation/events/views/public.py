"""Public pages of participatory events: the calendar (upcoming and past, filters by type,
territory, process and month), an event's page (convocation, registration, minutes,
attendance, agreements), iCal feeds (all events, a process's events, one event) and the
registration links of the e-mails (confirm, cancel)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from minga.core import ratelimit
from minga.core.access import public
from minga.core.accounts.throttle import client_ip
from minga.core.registry import calendar_entries, find_backlinks
from minga.core.ui.page_cache import public_page

from ...processes import selectors as process_selectors
from .. import emails, selectors, services
from ..forms import GuestRegistrationForm
from ..ical import build_calendar
from ..models import Registration
from ..registry import AGREEMENT

REGISTRATIONS_PER_HOUR = 10
FEED_PAST_DAYS = 365


@public_page
def calendar(request):
    government = request.government
    now = timezone.now()
    filters = selectors.calendar_filters(request.GET)
    found = selectors.calendar(government, now=now, filters=filters)
    context = {
        "calendar": found,
        "filters": filters,
        "filter_errors": list(filters.errors.values()),
        "filter_query": urlencode(filters.as_query()),
        "types": selectors.event_types(government),
        "territories": selectors.territory_choices(government),
        "processes": selectors.process_choices(government),
        "months": selectors.month_choices(government),
        "now": now,
        # Other modules' upcoming public entries (the council's sessions), on the unfiltered calendar
        "other_entries": [] if filters.as_query() else calendar_entries(government, now),
    }
    return render(request, "participation/events/calendar.html", context)


def _event_or_404(request, slug):
    event = selectors.public_event(request.government, slug)
    if event is None:
        raise Http404
    return event


def _detail_context(request, event, *, form=None) -> dict:
    now = timezone.now()
    counts = selectors.registration_counts(event)
    today = timezone.localdate()
    agreements = selectors.agreements_of(event)
    for agreement in agreements:
        agreement.overdue = agreement.is_overdue(today)
        agreement.links = find_backlinks(request.government, AGREEMENT, agreement.key)
    return {
        "event": event,
        "is_past": event.is_past(now),
        "registration": selectors.registration_of(event, request.user),
        "counts": counts,
        "places_left": services.places_left(event),
        "registration_open": event.registration_enabled and event.starts_at > now,
        "form": form or GuestRegistrationForm(),
        "agreements": agreements,
    }


@public
def event_detail(request, slug):
    event = _event_or_404(request, slug)
    return render(request, "participation/events/event_detail.html", _detail_context(request, event))


def _over_limit(request) -> str:
    who = f"u{request.user.pk}" if request.user.is_authenticated else f"ip{client_ip(request)}"
    decision = ratelimit.hit(f"events:register:{who}", limit=REGISTRATIONS_PER_HOUR, window=3600)
    if decision.allowed:
        return ""
    minutes = max(1, (decision.retry_after + 59) // 60)
    return _("You asked for many registrations in a short time. Wait %(minutes)d minutes and try again.") % {
        "minutes": minutes
    }


@public
@require_POST
def register(request, slug):
    event = _event_or_404(request, slug)
    form = GuestRegistrationForm(None if request.user.is_authenticated else request.POST)
    refusal = _over_limit(request)
    if not refusal and (request.user.is_authenticated or form.is_valid()):
        try:
            if request.user.is_authenticated:
                registration = services.register_user(event=event, user=request.user)
            else:
                registration = services.register_guest(
                    event=event, name=form.cleaned_data["name"], email=form.cleaned_data["email"]
                )
        except services.RegistrationRefused as error:
            if hasattr(error, "error_dict") and not request.user.is_authenticated:
                for field, problems in error.error_dict.items():
                    form.add_error(field, problems)
            else:
                refusal = " ".join(error.messages)
        else:
            if registration.status == Registration.Status.UNCONFIRMED:
                messages.success(
                    request,
                    _("We sent a link to %(email)s: open it to confirm your place.") % {"email": registration.email},
                )
            elif registration.status == Registration.Status.WAITING:
                messages.success(request, _("The event is full: you are on the waiting list."))
            else:
                messages.success(request, _("You are registered. We sent the details to your e-mail."))
            return redirect("participation:event_detail", slug=event.slug)
    if refusal:
        messages.error(request, refusal)
    context = _detail_context(request, event, form=form if not request.user.is_authenticated else None)
    return render(
        request, "participation/events/event_detail.html", context, status=400 if refusal or form.errors else 200
    )


@public
def registration_confirm(request, token):
    data = emails.read_confirmation_token(token)
    registration = None
    if data is not None:
        registration = selectors.registration_by_token(request.government, str(data.get("t", "")))
        if registration is not None and registration.pk != data.get("r"):
            registration = None
    if registration is None or not registration.event.is_published:
        return render(request, "participation/events/registration_link.html", {"invalid": True}, status=400)
    try:
        registration = services.confirm_guest(registration=registration)
    except services.RegistrationRefused as error:
        return render(
            request,
            "participation/events/registration_link.html",
            {"refusal": " ".join(error.messages), "event": registration.event},
            status=400,
        )
    return render(
        request,
        "participation/events/registration_link.html",
        {"registration": registration, "event": registration.event},
    )


@public
@require_http_methods(["GET", "POST"])
def registration_cancel(request, token):
    registration = selectors.registration_by_token(request.government, token)
    if registration is None:
        raise Http404
    event = registration.event
    if request.method == "POST" and registration.status != Registration.Status.CANCELLED:
        services.cancel(registration=registration)
        messages.success(request, _("Your registration was cancelled. Thank you for freeing your place."))
        return redirect("participation:event_detail", slug=event.slug)
    return render(
        request,
        "participation/events/registration_cancel.html",
        {"registration": registration, "event": event},
    )


@public
@require_POST
def cancel_mine(request, slug):
    event = _event_or_404(request, slug)
    registration = selectors.registration_of(event, request.user)
    if registration is not None:
        services.cancel(registration=registration)
        messages.success(request, _("Your registration was cancelled. Thank you for freeing your place."))
    return redirect("participation:event_detail", slug=event.slug)


# iCal ------------------------------------------------------------------------------------


def _ics(request, events, *, name: str, description: str, filename: str, others=()) -> HttpResponse:
    def url_for(event):
        return request.build_absolute_uri(reverse("participation:event_detail", kwargs={"slug": event.slug}))

    body = build_calendar(
        events,
        name=name,
        description=description,
        url_for=url_for,
        now=timezone.now(),
        others=others,
        absolute=request.build_absolute_uri,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "public, max-age=900"
    return response


def _feed_events(events):
    since = timezone.now() - dt.timedelta(days=FEED_PAST_DAYS)
    return events.filter(ends_at__gte=since)


@public
def calendar_ics(request):
    government = request.government
    name = government.short_name or government.name
    return _ics(
        request,
        _feed_events(selectors.public_events(government)),
        name=_("Participatory events of %(name)s") % {"name": name},
        description=_("Assemblies, hearings, workshops and participatory budget meetings."),
        filename="eventos-participacion.ics",
        others=calendar_entries(government, timezone.now() - dt.timedelta(days=FEED_PAST_DAYS)),
    )


@public
def process_ics(request, slug):
    process = process_selectors.public_process(request.government, slug)
    if process is None:
        raise Http404
    return _ics(
        request,
        _feed_events(selectors.process_events(process)),
        name=process.title,
        description=_("Events of the participatory process “%(title)s”.") % {"title": process.title},
        filename=f"eventos-{process.slug}.ics",
    )


@public
def event_ics(request, slug):
    event = get_object_or_404(selectors.public_events(request.government), slug=slug)
    response = _ics(request, [event], name=event.title, description=event.title, filename=f"{event.slug}.ics")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response
