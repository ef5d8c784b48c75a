"""Back office of events (participacion/gestion/eventos/…): viewers see the list and the
registrations (with a CSV); editors convene, edit, publish and delete events, mark
attendance, write the minutes with the attendance counts, keep the agreements and the types."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from minga.core.access import requires
from minga.core.crud import confirm_delete_context, submit

from ...processes.forms import ConfirmForm
from .. import selectors, services
from ..forms import AgreementForm, EventForm, EventTypeForm, MinutesForm
from ..models import Agreement, Event, EventType

VIEW = "participation.view_backoffice"
EDIT = "participation.edit"
PAGE_SIZE = 50


def _posted(request):
    return request.POST if request.method == "POST" else None


def _event(request, pk) -> Event:
    return get_object_or_404(Event.objects.filter(government=request.government).select_related("event_type"), pk=pk)


@requires(VIEW)
def event_list(request):
    government = request.government
    services.ensure_types(government)
    query = request.GET.get("q", "").strip()[:100]
    kind = request.GET.get("tipo", "")[:60]
    when = request.GET.get("cuando", "")
    events = selectors.office_events(government, query=query, kind=kind, when=when, now=timezone.now())
    context = {
        "page": Paginator(events, PAGE_SIZE).get_page(request.GET.get("pagina")),
        "types": selectors.event_types(government),
        "q": query,
        "kind": kind,
        "when": when,
        "can_edit": request.user.has_perm(EDIT, government),
        "now": timezone.now(),
    }
    return render(request, "participation/events/office/event_list.html", context)


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def event_edit(request, pk=None):
    government = request.government
    services.ensure_types(government)
    event = _event(request, pk) if pk else None
    form = EventForm(_posted(request), government=government, event=event)

    def save():
        if event is None:
            return services.event_create(actor=request.user, government=government, **form.service_fields())
        return services.event_update(actor=request.user, government=government, event=event, **form.service_fields())

    if done := submit(form, save):
        messages.success(request, _("The event “%(title)s” was saved.") % {"title": done.value.title})
        return redirect("participation:office_events")
    return render(request, "participation/events/office/event_form.html", {"form": form, "event": event})


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def event_delete(request, pk):
    event = _event(request, pk)
    form = ConfirmForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        services.event_delete(actor=request.user, government=request.government, event=event)
        messages.success(request, _("The event “%(title)s” was deleted.") % {"title": event.title})
        return redirect("participation:office_events")
    context = confirm_delete_context(
        obj=event,
        form=form,
        cancel_url=reverse("participation:office_events"),
        consequence=_(
            "The event leaves the calendar with its registrations, minutes and agreements; the audit log keeps a record."
        ),
    )
    return render(request, "core/confirm_delete.html", context)


@requires(VIEW)
@require_http_methods(["GET", "POST"])
def registrations(request, pk):
    event = _event(request, pk)
    found = selectors.office_registrations(event)
    if request.method == "POST":
        if not request.user.has_perm(EDIT, request.government):
            return HttpResponse(status=403)
        count = services.mark_attendance(
            actor=request.user,
            government=request.government,
            event=event,
            attended_ids=[value for value in request.POST.getlist("asistio") if value.isdigit()],
        )
        messages.success(request, _("Attendance saved: %(count)d people.") % {"count": count})
        return redirect("participation:office_event_registrations", pk=event.pk)
    if request.GET.get("formato") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="inscripciones-{event.slug}.csv"'
        writer = csv.writer(response)
        writer.writerow([_("Name"), _("E-mail"), _("Status"), _("In line since"), _("Attended")])
        for item in found:
            writer.writerow(
                [
                    _csv_safe(item.name),
                    _csv_safe(item.email),
                    item.get_status_display(),
                    timezone.localtime(item.queued_at).strftime("%Y-%m-%d %H:%M"),
                    _("Yes") if item.attended else _("No"),
                ]
            )
        return response
    context = {
        "event": event,
        "registrations": found,
        "counts": selectors.registration_counts(event),
        "can_edit": request.user.has_perm(EDIT, request.government),
    }
    return render(request, "participation/events/office/registrations.html", context)


def _csv_safe(value: str) -> str:
    """No spreadsheet formula injection from a name typed by the public."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def minutes(request, pk):
    event = _event(request, pk)
    form = MinutesForm(_posted(request), request.FILES or None, initial=MinutesForm.initial_for(event))
    done = submit(
        form,
        lambda: services.minutes_save(
            actor=request.user,
            government=request.government,
            event=event,
            minutes_text=form.cleaned_data["minutes_text"],
            minutes_file=request.FILES.get("minutes_file"),
            remove_file=form.cleaned_data["remove_file"],
            publish=form.cleaned_data["publish"],
            attendance=form.attendance(),
        ),
    )
    if done:
        messages.success(request, _("The minutes of “%(title)s” were saved.") % {"title": event.title})
        return redirect("participation:office_events")
    return render(request, "participation/events/office/minutes_form.html", {"form": form, "event": event})


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def agreements(request, pk, agreement_pk=None):
    event = _event(request, pk)
    agreement = (
        get_object_or_404(Agreement.objects.filter(government=request.government, event=event), pk=agreement_pk)
        if agreement_pk
        else None
    )
    initial = (
        {name: getattr(agreement, name) for name in services.AGREEMENT_FIELDS} if agreement else {"status": "pending"}
    )
    form = AgreementForm(_posted(request), initial=initial)
    done = submit(
        form,
        lambda: services.agreement_save(
            actor=request.user,
            government=request.government,
            event=event,
            agreement=agreement,
            fields=form.cleaned_data,
        ),
    )
    if done:
        messages.success(request, _("The agreement was saved."))
        return redirect("participation:office_event_agreements", pk=event.pk)
    context = {"event": event, "agreement": agreement, "form": form, "agreements": selectors.agreements_of(event)}
    return render(request, "participation/events/office/agreements.html", context)


@requires(EDIT)
@require_POST
def agreement_delete(request, pk, agreement_pk):
    event = _event(request, pk)
    agreement = get_object_or_404(Agreement.objects.filter(government=request.government, event=event), pk=agreement_pk)
    services.agreement_delete(actor=request.user, government=request.government, agreement=agreement)
    messages.success(request, _("The agreement was deleted."))
    return redirect("participation:office_event_agreements", pk=event.pk)


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def event_types(request, type_pk=None):
    government = request.government
    services.ensure_types(government)
    event_type = get_object_or_404(EventType.objects.filter(government=government), pk=type_pk) if type_pk else None
    initial = (
        {name: getattr(event_type, name) for name in ("name", "key", "description", "position", "is_active")}
        if event_type
        else None
    )
    form = EventTypeForm(_posted(request), initial=initial)
    done = submit(
        form,
        lambda: services.type_save(
            actor=request.user, government=government, event_type=event_type, fields=form.cleaned_data
        ),
    )
    if done:
        messages.success(request, _("The event type was saved."))
        return redirect("participation:office_event_types")
    context = {"form": form, "event_type": event_type, "types": selectors.event_types(government)}
    return render(request, "participation/events/office/types.html", context)
