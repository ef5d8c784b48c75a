"""Back office of proposals (participacion/gestion/propuestas/…): viewers see the list and a
proposal; editors evaluate it (feasible or not, cost, published answer), hide it or show it
again with a published reason, and merge a duplicate into another proposal. Each write is one
audited service call; a refused form is shown again with what was typed."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minga.core.access import requires
from minga.core.crud import apply_validation_error

from ...processes.models import Process
from .. import selectors, services
from ..forms import EvaluationForm, HideForm, MergeForm
from ..models import Status

VIEW = "participation.view_backoffice"
EDIT = "participation.edit"
MODERATE = "participation.moderate"
PAGE_SIZE = 50


def _get(request, pk):
    from django.http import Http404

    proposal = selectors.office_proposal(request.government, pk)
    if proposal is None:
        raise Http404
    return proposal


@requires(VIEW)
def proposal_list(request):
    government = request.government
    process_id = request.GET.get("proceso", "")
    process_id = int(process_id) if process_id.isdigit() else None
    status = request.GET.get("estado", "")
    hidden = request.GET.get("oculta", "")
    text = request.GET.get("q", "").strip()[:100]
    found = selectors.office_proposals(government, process_id=process_id, status=status, text=text, hidden=hidden)
    query = {"proceso": process_id or "", "estado": status, "oculta": hidden, "q": text}
    context = {
        "page": Paginator(found, PAGE_SIZE).get_page(request.GET.get("pagina")),
        "processes": Process.objects.for_government(government).order_by("-starts_at").only("pk", "title"),
        "process_id": process_id,
        "statuses": Status.choices,
        "status": status,
        "hidden": hidden,
        "q": text,
        "query": urlencode({key: value for key, value in query.items() if value}),
    }
    return render(request, "participation/proposals/office/list.html", context)


def _detail(request, proposal, *, evaluation=None, hide=None, merge=None, status=200):
    can_edit = request.user.has_perm(EDIT, request.government)
    initial = {
        "feasible": "0" if proposal.status == Status.NOT_FEASIBLE else "1",
        "cost_estimate": proposal.cost_estimate,
        "answer": proposal.evaluation_answer,
    }
    context = {
        "proposal": proposal,
        "can_edit": can_edit,
        "evaluation_form": evaluation or EvaluationForm(initial=initial),
        "hide_form": hide or HideForm(initial={"reason": proposal.hidden_reason}),
        "merge_form": merge or MergeForm(candidates=selectors.merge_candidates(request.government, proposal)),
        "public_url": reverse(
            "participation:proposal_detail", kwargs={"slug": proposal.process.slug, "pk": proposal.pk}
        ),
        "Status": Status,
    }
    return render(request, "participation/proposals/office/detail.html", context, status=status)


@requires(VIEW)
def proposal_detail(request, pk):
    return _detail(request, _get(request, pk))


def _back(proposal):
    return redirect("participation:office_proposal", pk=proposal.pk)


@requires(EDIT)
@require_POST
def proposal_evaluate(request, pk):
    proposal = _get(request, pk)
    form = EvaluationForm(request.POST)
    if form.is_valid():
        try:
            services.proposal_evaluate(
                actor=request.user,
                government=request.government,
                proposal=proposal,
                feasible=form.cleaned_data["feasible"],
                cost_estimate=form.cleaned_data["cost_estimate"],
                answer=form.cleaned_data["answer"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The evaluation was published and the followers were told."))
            return _back(proposal)
    return _detail(request, proposal, evaluation=form, status=400)


@requires(MODERATE)
@require_POST
def proposal_moderate(request, pk):
    proposal = _get(request, pk)
    form = HideForm(request.POST)
    hide = request.POST.get("ocultar") == "1"
    if form.is_valid():
        try:
            services.proposal_set_hidden(
                actor=request.user,
                government=request.government,
                proposal=proposal,
                hidden=hide,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The proposal is hidden.") if hide else _("The proposal is shown again."))
            return _back(proposal)
    return _detail(request, proposal, hide=form, status=400)


@requires(EDIT)
@require_POST
def proposal_merge(request, pk):
    government = request.government
    proposal = _get(request, pk)
    candidates = selectors.merge_candidates(government, proposal)
    form = MergeForm(request.POST, candidates=candidates)
    if form.is_valid():
        target = selectors.office_proposal(government, form.cleaned_data["target"])
        try:
            services.proposal_merge(actor=request.user, government=government, source=proposal, target=target)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The proposal was merged; its supports and followers moved."))
            return _back(proposal)
    return _detail(request, proposal, merge=form, status=400)
