"""The secretariat's pages of the silla vacía (concejo/gestion/silla-vacia/…): viewers see the
requests per session with the answers due (overdue ones flagged), each request with its
designation document, and each item's accredited people; editors accredit or deny with
reasons, record the consensus of an item with several accredited people and the seat's vote
in a vote event, and set the council's rules."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from minga.core import storage
from minga.core.access import requires
from minga.core.crud import submit

from ...apps import EDIT, VIEW_BACKOFFICE
from ...sessions.models import AgendaItem, VoteEvent
from .. import selectors, services
from ..forms import NO_CONSENSUS, ConsensusForm, DecisionForm, RulesForm, VoteForm
from ..models import SeatRequest


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _seat(request, pk) -> SeatRequest:
    seat = selectors.office_request(request.government, pk)
    if seat is None:
        raise Http404
    return seat


def _item(request, item_pk) -> AgendaItem:
    return get_object_or_404(
        AgendaItem.objects.filter(government=request.government).select_related("session"), pk=item_pk
    )


@requires(VIEW_BACKOFFICE)
def request_list(request):
    government = request.government
    now = timezone.now()
    session_id = _int(request.GET.get("sesion"))
    status = request.GET.get("estado", "")[:12]
    context = {
        "requests": list(selectors.office_requests(government, session_id=session_id, status=status)[:500]),
        "sessions": selectors.office_sessions(government),
        "statuses": SeatRequest.Status.choices,
        "session_id": session_id,
        "status": status,
        "overdue": selectors.overdue_count(government, now),
        "now": now,
        "rules": selectors.rules_of(government),
        "rules_default": selectors.rules_are_default(government),
        "can_edit": request.user.has_perm(EDIT, government),
    }
    return render(request, "council/seat/office/list.html", context)


def _request_context(request, seat, *, form=None) -> dict:
    return {
        "seat": seat,
        "now": timezone.now(),
        "form": form or DecisionForm(),
        "can_edit": request.user.has_perm(EDIT, request.government),
    }


@requires(VIEW_BACKOFFICE)
def request_detail(request, pk):
    seat = _seat(request, pk)
    return render(request, "council/seat/office/request.html", _request_context(request, seat))


@requires(EDIT)
@require_POST
def decide(request, pk):
    seat = _seat(request, pk)
    form = DecisionForm(request.POST)

    def save():
        data = form.cleaned_data
        return services.request_decide(
            actor=request.user,
            government=request.government,
            seat=seat,
            accredit=data["decision"] == "accredit",
            reasons=data["reasons"],
        )

    if done := submit(form, save):
        if done.value.status == SeatRequest.Status.ACCREDITED:
            messages.success(request, _("%(name)s was accredited.") % {"name": seat.public_name})
        else:
            messages.success(request, _("The request of %(name)s was denied.") % {"name": seat.public_name})
        return redirect("council:office_chair_request", pk=seat.pk)
    seat.refresh_from_db()
    return render(request, "council/seat/office/request.html", _request_context(request, seat, form=form), status=400)


@requires(VIEW_BACKOFFICE)
def document(request, pk):
    seat = _seat(request, pk)
    return storage.download_response(
        seat.document, filename=f"designacion-silla-vacia-{seat.pk}.pdf", content_type="application/pdf"
    )


def _item_context(request, item, *, consensus_form=None, vote_form=None, vote_event=None) -> dict:
    state = selectors.seat_state(item)
    consensus = state["consensus"]
    initial = None
    if consensus is not None:
        initial = {"chosen": str(consensus.chosen_id) if consensus.chosen_id else NO_CONSENSUS, "note": consensus.note}
    return {
        "item": item,
        "session": item.session,
        "requests": list(selectors.office_requests(request.government).filter(item=item)),
        **state,
        "consensus_form": consensus_form or ConsensusForm(initial=initial, accredited=state["accredited"]),
        "events": selectors.vote_events_of(item),
        "vote_form": vote_form or VoteForm(),
        "vote_event": vote_event,
        "can_edit": request.user.has_perm(EDIT, request.government),
    }


@requires(VIEW_BACKOFFICE)
def item_detail(request, item_pk):
    item = _item(request, item_pk)
    return render(request, "council/seat/office/item.html", _item_context(request, item))


@requires(EDIT)
@require_POST
def consensus(request, item_pk):
    item = _item(request, item_pk)
    form = ConsensusForm(request.POST, accredited=list(selectors.accredited(item)))

    def save():
        return services.consensus_record(
            actor=request.user,
            government=request.government,
            item=item,
            chosen=form.chosen_request(),
            note=form.cleaned_data["note"],
        )

    if submit(form, save):
        messages.success(request, _("The consensus was recorded."))
        return redirect("council:office_chair_item", item_pk=item.pk)
    return render(
        request, "council/seat/office/item.html", _item_context(request, item, consensus_form=form), status=400
    )


@requires(EDIT)
@require_POST
def vote(request, event_pk):
    event = get_object_or_404(
        VoteEvent.objects.filter(government=request.government).select_related("item__session"), pk=event_pk
    )
    form = VoteForm(request.POST)

    def save():
        return services.vote_record(
            actor=request.user, government=request.government, event=event, option=form.cleaned_data["option"]
        )

    if submit(form, save):
        messages.success(request, _("The vote of the silla vacía was recorded."))
        return redirect("council:office_chair_item", item_pk=event.item_id)
    context = _item_context(request, event.item, vote_form=form, vote_event=event)
    return render(request, "council/seat/office/item.html", context, status=400)


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def rules_edit(request):
    government = request.government
    rules = selectors.rules_of(government)
    initial = {name: getattr(rules, name) for name in services.RULE_FIELDS}
    form = RulesForm(request.POST if request.method == "POST" else None, initial=initial)

    def save():
        return services.rules_save(actor=request.user, government=government, fields=form.cleaned_data)

    if submit(form, save):
        messages.success(request, _("The rules of the silla vacía were saved."))
        return redirect("council:office_chair_list")
    return render(request, "council/office/form.html", {"form": form, "heading": _("Rules of the silla vacía")})
