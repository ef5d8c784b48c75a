"""The effectiveness review: the public page (concejo/efectividad/) and the back office's
(gestion/efectividad/), where editors set the portal's launch date and the citizens who
attended each session."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minga.core.access import requires
from minga.core.crud import submit
from minga.core.ui.page_cache import public_page

from ..apps import EDIT, VIEW_BACKOFFICE
from ..members.selectors import council_of
from ..sessions.models import Session
from . import counting, selectors, services
from .chart import monthly_chart
from .forms import AttendanceForm, LaunchForm

RECENT_SESSIONS = 30


def _context(request):
    government = request.government
    found = selectors.review(government, today=timezone.localdate())
    return {
        "council": council_of(government),
        "review": found,
        "chart": monthly_chart(found.months),
        "comparison_rows": [(row, _metric_label(row.metric)) for row in found.comparisons],
    }


def _metric_label(metric: str) -> str:
    return {
        "visits": _("Visits"),
        "followers": _("New follows"),
        "comments": _("Comments"),
        "seat_accepted": _("Silla vacía: accredited"),
        "seat_denied": _("Silla vacía: denied"),
        "attendance": _("Citizens attending"),
    }[metric]


@counting.counted
@public_page
def effectiveness(request):
    return counting.visit(render(request, "council/effectiveness.html", _context(request)), counting.PAGE)


def _held_sessions(government):
    return (
        Session.objects.for_government(government)
        .filter(status__in=[Session.Status.HELD, Session.Status.CLOSED], starts_at__lte=timezone.now())
        .order_by("-starts_at")[:RECENT_SESSIONS]
    )


def _office(request, *, launch_form=None, attendance_forms=None, posted_session=None, status=200):
    government = request.government
    context = _context(request)
    council = context["council"]
    sessions = list(_held_sessions(government))
    if posted_session is not None and posted_session not in sessions:
        sessions.insert(0, posted_session)  # refused: shown with its reason, even if not held
    attendance_forms = attendance_forms or {}
    context.update(
        can_edit=request.user.has_perm(EDIT, government),
        launch_form=launch_form or LaunchForm(initial={"launched_on": council.launched_on if council else None}),
        sessions=[
            (
                session,
                attendance_forms.get(session.pk)
                or AttendanceForm(initial={"attendance": session.public_attendance}, prefix=f"s{session.pk}"),
            )
            for session in sessions
        ],
    )
    return render(request, "council/office/effectiveness.html", context, status=status)


@requires(VIEW_BACKOFFICE)
def office_effectiveness(request):
    return _office(request)


@requires(EDIT)
@require_POST
def office_launch(request):
    form = LaunchForm(request.POST)

    def save():
        return services.launch_save(
            actor=request.user, government=request.government, launched_on=form.cleaned_data["launched_on"]
        )

    if submit(form, save):
        messages.success(request, _("The launch date was saved."))
        return redirect("council:office_effectiveness")
    return _office(request, launch_form=form, status=400)


@requires(EDIT)
@require_POST
def office_attendance(request, pk):
    session = get_object_or_404(Session.objects.filter(government=request.government), pk=pk)
    form = AttendanceForm(request.POST, prefix=f"s{session.pk}")

    def save():
        return services.attendance_save(
            actor=request.user,
            government=request.government,
            session_pk=session.pk,
            attendance=form.cleaned_data["attendance"],
        )

    if submit(form, save):
        messages.success(request, _("The attendance of “%(title)s” was saved.") % {"title": session.title})
        return redirect("council:office_effectiveness")
    return _office(request, attendance_forms={session.pk: form}, posted_session=session, status=400)
