"""Back office of sessions (concejo/gestion/sesiones/…): viewers see the sessions; editors
prepare one (data and agenda), convene it, mark it held, record attendance, votes, outcomes,
documents and minutes (by hand or importing the votes from a CSV), close or cancel it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from minga.core.access import requires
from minga.core.crud import apply_validation_error, submit

from ...acts.models import Act
from ...apps import EDIT, VIEW_BACKOFFICE
from ...members import selectors as member_selectors
from .. import imports, selectors, services
from ..forms import AttendanceForm, DocumentForm, ImportForm, ItemForm, MinutesForm, OutcomeForm, SessionForm, VoteForm
from ..models import AgendaItem, Session, SessionDocument, VoteEvent

TEMPLATE = "council/sessions/office/"


def _posted(request):
    return request.POST if request.method == "POST" else None


def _session(request, pk) -> Session:
    session = selectors.office_session(request.government, pk)
    if session is None:
        raise Http404
    return session


def _item(request, session, item_pk) -> AgendaItem:
    return get_object_or_404(AgendaItem.objects.filter(government=request.government, session=session), pk=item_pk)


def _items(request, session):
    return AgendaItem.objects.filter(government=request.government, session=session).order_by("position")


def _acts(request):
    return Act.objects.filter(government=request.government).order_by("identifier")


def _form_page(request, session, form, heading, *, multipart=False, status=200, intro=""):
    context = {"session": session, "form": form, "heading": heading, "multipart": multipart, "intro": intro}
    return render(request, TEMPLATE + "form.html", context, status=status)


@requires(VIEW_BACKOFFICE)
def session_list(request):
    context = {
        "sessions": selectors.office_sessions(request.government)[:300],
        "can_edit": request.user.has_perm(EDIT, request.government),
    }
    return render(request, TEMPLATE + "list.html", context)


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def session_edit(request, pk=None):
    government = request.government
    session = _session(request, pk) if pk else None
    initial = None
    if session is not None:
        initial = {name: getattr(session, name) for name in services.SESSION_FIELDS}
        initial["starts_at"] = timezone.localtime(session.starts_at)
    form = SessionForm(
        _posted(request), initial=initial, committees=member_selectors.committees(government, active_only=True)
    )

    def save():
        return services.session_save(
            actor=request.user, government=government, session=session, fields=form.cleaned_data
        )

    if done := submit(form, save):
        messages.success(request, _("The session was saved."))
        return redirect("council:office_session", pk=done.value.pk)
    return _form_page(request, session, form, str(session) if session else _("New session"))


def _manage_context(request, session, *, item_form=None, document_form=None) -> dict:
    items = selectors.items_of(session)
    return {
        "session": session,
        "items": items,
        "documents": selectors.session_documents(session),
        "attendance": selectors.attendance_of(session),
        "notice": services.notice_hours(session.council, session.kind),
        "can_edit": request.user.has_perm(EDIT, request.government),
        "item_form": item_form or ItemForm(acts=_acts(request)),
        "document_form": document_form or DocumentForm(items=_items(request, session)),
    }


@requires(VIEW_BACKOFFICE)
def session_manage(request, pk):
    session = _session(request, pk)
    return render(request, TEMPLATE + "manage.html", _manage_context(request, session))


def _manage_refused(request, session, **forms):
    return render(request, TEMPLATE + "manage.html", _manage_context(request, session, **forms), status=400)


@requires(EDIT)
@require_POST
def item_add(request, pk):
    session = _session(request, pk)
    form = ItemForm(request.POST, acts=_acts(request))

    def save():
        return services.item_save(
            actor=request.user, government=request.government, session=session, item=None, fields=form.cleaned_data
        )

    if submit(form, save):
        messages.success(request, _("The item was added to the agenda."))
        return redirect("council:office_session", pk=session.pk)
    return _manage_refused(request, session, item_form=form)


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def item_edit(request, pk, item_pk):
    session = _session(request, pk)
    item = _item(request, session, item_pk)
    initial = {name: getattr(item, name) for name in services.ITEM_FIELDS}
    form = ItemForm(_posted(request), initial=initial, acts=_acts(request))

    def save():
        return services.item_save(
            actor=request.user, government=request.government, session=session, item=item, fields=form.cleaned_data
        )

    if submit(form, save):
        messages.success(request, _("The item was saved."))
        return redirect("council:office_session", pk=session.pk)
    return _form_page(request, session, form, str(item))


def _run(request, session, call) -> bool:
    """Run a write with no form; a refusal goes to the messages."""
    try:
        call()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    return True


@requires(EDIT)
@require_POST
def item_move(request, pk, item_pk):
    session = _session(request, pk)
    item = _item(request, session, item_pk)
    step = -1 if request.POST.get("step") == "up" else 1
    _run(
        request,
        session,
        lambda: services.item_move(actor=request.user, government=request.government, item=item, step=step),
    )
    return redirect("council:office_session", pk=session.pk)


@requires(EDIT)
@require_POST
def item_delete(request, pk, item_pk):
    session = _session(request, pk)
    item = _item(request, session, item_pk)
    if _run(
        request, session, lambda: services.item_delete(actor=request.user, government=request.government, item=item)
    ):
        messages.success(request, _("The item was removed from the agenda."))
    return redirect("council:office_session", pk=session.pk)


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def item_outcome(request, pk, item_pk):
    session = _session(request, pk)
    item = _item(request, session, item_pk)
    form = OutcomeForm(_posted(request), initial={"outcome": item.outcome, "note": item.outcome_note})

    def save():
        return services.outcome_record(
            actor=request.user, government=request.government, item=item, **form.cleaned_data
        )

    if submit(form, save):
        messages.success(request, _("The outcome was recorded."))
        return redirect("council:office_session", pk=session.pk)
    return _form_page(request, session, form, _("Outcome of item %(n)s") % {"n": item.position})


STATUS_ACTIONS = {
    "convocar": (services.session_convene, True, gettext_lazy("The convocation was published.")),
    "realizada": (services.session_mark_held, True, gettext_lazy("The session is marked as held.")),
    "cancelar": (services.session_cancel, False, gettext_lazy("The session was cancelled.")),
    "cerrar": (services.session_close, False, gettext_lazy("The session was closed.")),
}


@requires(EDIT)
@require_POST
def session_status(request, pk, action):
    session = _session(request, pk)
    if action not in STATUS_ACTIONS:
        raise Http404
    write, needs_now, done = STATUS_ACTIONS[action]
    extra = {"now": timezone.now()} if needs_now else {}
    if _run(
        request, session, lambda: write(actor=request.user, government=request.government, session=session, **extra)
    ):
        messages.success(request, done)
    return redirect("council:office_session", pk=session.pk)


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def attendance(request, pk):
    session = _session(request, pk)
    people = services.members_on(session)
    recorded = {row.person_id: row.status for row in selectors.attendance_of(session)}
    form = AttendanceForm(
        _posted(request), people=people, initial_values=recorded, alternates=services.alternates_on(session)
    )

    def save():
        entries = {person: (status, "") for person, status in form.person_values()}
        return services.attendance_record(
            actor=request.user, government=request.government, session=session, entries=entries
        )

    if submit(form, save):
        messages.success(request, _("The attendance was recorded."))
        return redirect("council:office_session", pk=session.pk)
    return _form_page(request, session, form, _("Attendance"), intro=_("Every member on the day of the session."))


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def vote_add(request, pk):
    session = _session(request, pk)
    people = services.members_on(session)
    attendance = {row.person_id: row.status for row in selectors.attendance_of(session)}
    alternates = services.alternates_on(session)
    initial_values = {pk: "absent" for pk, status in attendance.items() if status != "present"}
    initial_values.update({pk: "yes" for pk in alternates if attendance.get(pk) == "present"})
    form = VoteForm(
        _posted(request),
        people=people,
        alternates=alternates,
        items=_items(request, session),
        initial_values=initial_values,
        initial={"item": request.GET.get("punto")},
    )

    def save():
        data = form.cleaned_data
        return services.vote_event_record(
            actor=request.user,
            government=request.government,
            item=data["item"],
            motion=data["motion"],
            votes=form.person_values(),
            result=data["result"],
            empty_chair_option=data["empty_chair_option"],
            empty_chair_name=data["empty_chair_name"],
        )

    if done := submit(form, save):
        messages.success(request, _("The vote on “%(motion)s” was recorded.") % {"motion": done.value.motion})
        return redirect("council:office_session", pk=session.pk)
    return _form_page(request, session, form, _("Record a vote"), intro=_("One vote per member on the day."))


@requires(EDIT)
@require_POST
def vote_delete(request, pk, event_pk):
    session = _session(request, pk)
    event = get_object_or_404(
        VoteEvent.objects.filter(government=request.government, item__session=session).select_related("item__session"),
        pk=event_pk,
    )
    if _run(
        request,
        session,
        lambda: services.vote_event_delete(actor=request.user, government=request.government, event=event),
    ):
        messages.success(request, _("The vote was deleted."))
    return redirect("council:office_session", pk=session.pk)


@requires(EDIT)
@require_POST
def document_add(request, pk):
    session = _session(request, pk)
    form = DocumentForm(request.POST, request.FILES, items=_items(request, session))

    def save():
        data = form.cleaned_data
        return services.document_add(
            actor=request.user,
            government=request.government,
            session=session,
            kind=data["kind"],
            title=data["title"],
            upload=data["file"],
            item=data["item"],
        )

    if submit(form, save):
        messages.success(request, _("The document was added."))
        return redirect("council:office_session", pk=session.pk)
    return _manage_refused(request, session, document_form=form)


@requires(EDIT)
@require_POST
def document_delete(request, pk, document_pk):
    session = _session(request, pk)
    document = get_object_or_404(
        SessionDocument.objects.filter(government=request.government, session=session), pk=document_pk
    )
    if _run(
        request,
        session,
        lambda: services.document_delete(actor=request.user, government=request.government, document=document),
    ):
        messages.success(request, _("The document was deleted."))
    return redirect("council:office_session", pk=session.pk)


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def minutes(request, pk):
    session = _session(request, pk)
    form = MinutesForm(_posted(request), request.FILES or None, initial={"summary": session.minutes_summary})

    def save():
        return services.minutes_save(
            actor=request.user,
            government=request.government,
            session=session,
            summary=form.cleaned_data["summary"],
            upload=form.cleaned_data["file"],
        )

    if submit(form, save):
        messages.success(request, _("The minutes were saved."))
        return redirect("council:office_session", pk=session.pk)
    status = 400 if form.is_bound else 200
    return _form_page(request, session, form, _("Minutes"), multipart=True, status=status)


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def votes_import(request, pk):
    session = _session(request, pk)
    form = ImportForm(_posted(request), request.FILES or None)
    outcome = None
    if form.is_bound and form.is_valid():
        try:
            outcome = imports.import_votes(
                actor=request.user,
                government=request.government,
                session=session,
                data=form.cleaned_data["file"].read(),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if not outcome.errors:
                messages.success(
                    request,
                    _("%(events)s votes with %(votes)s member votes were imported.")
                    % {"events": len(outcome.events), "votes": outcome.votes},
                )
                return redirect("council:office_session", pk=session.pk)
    context = {"session": session, "form": form, "outcome": outcome, "columns": imports.COLUMNS}
    status = 400 if form.is_bound else 200
    return render(request, TEMPLATE + "import.html", context, status=status)
