"""Public pages of proposals (participacion/<process>/propuestas/…): the list with filters and
sort, the map and its GeoJSON, a proposal's page, and the citizen's actions (propose, edit
until the first support, withdraw, support and take a support back). Pages that depend on
the person (their supports, the random order of their session) are not cached."""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from minga.core.access import public
from minga.core.crud import apply_validation_error
from minga.core.ui import maps
from minga.core.ui.page_cache import public_page
from minga.core.verification import selectors as verification

from ...features import PROPOSE, SUPPORT
from ...processes import selectors as process_selectors
from .. import rules, selectors, services
from ..forms import ProposalForm, WithdrawForm
from ..models import Status

PAGE_SIZE = 20
MAP_LIMIT = 2000
SEED_KEY = "participation_proposals_seed"


def _process(request, slug):
    process = process_selectors.public_process(request.government, slug)
    if process is None:
        raise Http404
    return process


def _proposal(request, process, pk):
    proposal = selectors.public_proposal(request.government, process, pk)
    if proposal is None:
        raise Http404
    return proposal


def _url(proposal, process=None) -> str:
    slug = (process or proposal.process).slug
    return reverse("participation:proposal_detail", kwargs={"slug": slug, "pk": proposal.pk})


def _seed(request) -> int:
    seed = request.session.get(SEED_KEY)
    if not isinstance(seed, int):
        seed = secrets.randbelow(1_000_000) + 1
        request.session[SEED_KEY] = seed
    return seed


def _propose_state(request, process, now) -> dict:
    """Whether the propose button shows, and what the person still needs."""
    on = process_selectors.feature_on(process, PROPOSE, now)
    check = None
    if on:
        check = verification.check_action(
            request.user,
            request.government,
            services.PROPOSE_ACTION,
            level=rules.propose_level(process),
            next_path=request.get_full_path(),
        )
    return {"propose_on": on, "propose_check": check}


@public
def proposal_list(request, slug):
    government = request.government
    process = _process(request, slug)
    now = timezone.now()
    query = selectors.ProposalQuery.from_params(request.GET, process)
    seed = _seed(request) if query.sort == "aleatorio" else 1
    found = selectors.listing(government, process, query, seed=seed)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("pagina"))
    context = {
        "process": process,
        "page": page,
        "filters": query,
        "filter_errors": list(query.errors.values()),
        "query": urlencode(query.as_query()),
        "categories": rules.categories(process),
        "territories": rules.territory_choices(process),
        "statuses": selectors.status_labels(),
        "status_param": query.as_query().get("estado", ""),
        "sorts": selectors.sort_labels(),
        "threshold": rules.threshold(process),
        "supported": selectors.supported_ids(government, process, request.user),
        "support_on": process_selectors.feature_on(process, SUPPORT, now),
        "hide_counts": _hide_counts(process, now),
        **_propose_state(request, process, now),
    }
    return render(request, "participation/proposals/list.html", context)


def _hide_counts(process, now) -> bool:
    """The current phase counts supports without showing them (phase setting)."""
    phase = process_selectors.current_phase(process, now)
    return bool(phase and (phase.settings or {}).get("hide_support_counts"))


@public_page
def proposal_map(request, slug):
    government = request.government
    process = _process(request, slug)
    query = selectors.ProposalQuery.from_params(request.GET, process)
    located = list(selectors.located(government, process, query).order_by("-supports_count", "pk")[:MAP_LIMIT])
    drawing = None
    if located:
        features = [selectors.feature(p, "") for p in located]
        drawing = maps.draw(maps.parse_geojson(_json({"type": "FeatureCollection", "features": features})))
        for shape in drawing["shapes"]:
            shape["proposal"] = located[shape["index"]]
    context = {
        "process": process,
        "located": located,
        "drawing": drawing,
        "filters": query,
        "query": urlencode(query.as_query(with_sort=False)),
        "categories": rules.categories(process),
        "territories": rules.territory_choices(process),
        "statuses": selectors.status_labels(),
        "status_param": query.as_query().get("estado", ""),
    }
    return render(request, "participation/proposals/map.html", context)


def _json(data) -> bytes:
    import json

    return json.dumps(data).encode()


@public_page
def proposals_geojson(request, slug):
    government = request.government
    process = _process(request, slug)
    query = selectors.ProposalQuery.from_params(request.GET, process)
    located = selectors.located(government, process, query).order_by("-supports_count", "pk")
    features = [selectors.feature(p, _url(p, process)) for p in located[:MAP_LIMIT]]
    response = JsonResponse({"type": "FeatureCollection", "features": features}, content_type="application/geo+json")
    response["Content-Disposition"] = 'inline; filename="propuestas.geojson"'
    return response


@public
def proposal_detail(request, slug, pk):
    government = request.government
    process = _process(request, slug)
    proposal = _proposal(request, process, pk)
    now = timezone.now()
    threshold = rules.threshold(process)
    support_on = process_selectors.feature_on(process, SUPPORT, now)
    supported = proposal.pk in selectors.supported_ids(government, process, request.user)
    support_check = None
    if support_on and proposal.is_open and not supported:
        support_check = verification.check_action(
            request.user,
            government,
            services.SUPPORT_ACTION,
            level=rules.support_level(process),
            next_path=request.get_full_path(),
        )
    hide_counts = _hide_counts(process, now)
    context = {
        "process": process,
        "proposal": proposal,
        "threshold": threshold,
        "progress": min(100, round(100 * proposal.supports_count / threshold)) if threshold else None,
        "support_on": support_on,
        "supported": supported,
        "support_check": support_check,
        "hide_counts": hide_counts,
        "is_author": request.user.is_authenticated and proposal.author_id == request.user.pk,
        "edit_refusal": services.editable_refusal(proposal, request.user),
        "backlinks": selectors.backlinks(government, proposal) if not proposal.is_hidden else [],
        "merged_from": selectors.merged_from(government, proposal),
        "Status": Status,
    }
    return render(request, "participation/proposals/detail.html", context)


def _login(request):
    return redirect_to_login(request.get_full_path(), reverse("core:login"))


@public
@require_http_methods(["GET", "POST"])
def proposal_create(request, slug):
    government = request.government
    process = _process(request, slug)
    if not request.user.is_authenticated:
        return _login(request)
    now = timezone.now()
    form = ProposalForm(request.POST or None, request.FILES or None, process=process)
    refusal = ""
    if not process_selectors.feature_on(process, PROPOSE, now):
        refusal = _("Proposals are not being received in this process right now.")
    if request.method == "POST" and form.is_valid() and not refusal:
        try:
            proposal = services.proposal_create(
                actor=request.user,
                government=government,
                process=process,
                values=form.values(),
                photo=form.cleaned_data.get("photo"),
                now=now,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your proposal was published. You follow it: we tell you of every change."))
            return redirect(_url(proposal))
    elif request.method == "POST" and refusal:
        form.add_error(None, refusal)
    context = {
        "process": process,
        "form": form,
        "refusal": refusal,
        "proposal": None,
        **_propose_state(request, process, now),
    }
    return render(request, "participation/proposals/form.html", context, status=400 if form.errors else 200)


@public
@require_http_methods(["GET", "POST"])
def proposal_edit(request, slug, pk):
    government = request.government
    process = _process(request, slug)
    proposal = _proposal(request, process, pk)
    if not request.user.is_authenticated:
        return _login(request)
    if proposal.author_id != request.user.pk:
        raise Http404
    initial = {
        "title": proposal.title,
        "body": proposal.body,
        "category": proposal.category,
        "territory_code": proposal.territory_code,
        "latitude": proposal.latitude if proposal.latitude is not None else "",
        "longitude": proposal.longitude if proposal.longitude is not None else "",
    }
    form = ProposalForm(
        request.POST or None, request.FILES or None, process=process, initial=initial, has_photo=bool(proposal.photo)
    )
    refusal = services.editable_refusal(proposal, request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_update(
                actor=request.user,
                government=government,
                proposal=proposal,
                values=form.values(),
                photo=form.cleaned_data.get("photo"),
                remove_photo=form.cleaned_data.get("remove_photo", False),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The proposal was saved."))
            return redirect(_url(proposal))
    context = {"process": process, "form": form, "refusal": refusal, "proposal": proposal}
    return render(request, "participation/proposals/form.html", context, status=400 if form.errors else 200)


@public
@require_http_methods(["GET", "POST"])
def proposal_withdraw(request, slug, pk):
    government = request.government
    process = _process(request, slug)
    proposal = _proposal(request, process, pk)
    if not request.user.is_authenticated:
        return _login(request)
    if proposal.author_id != request.user.pk:
        raise Http404
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_withdraw(
                actor=request.user, government=government, proposal=proposal, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The proposal was withdrawn; it stays visible as withdrawn."))
            return redirect(_url(proposal))
    context = {"process": process, "proposal": proposal, "form": form}
    return render(request, "participation/proposals/withdraw.html", context, status=400 if form.errors else 200)


@public
@require_POST
def proposal_support(request, slug, pk):
    government = request.government
    process = _process(request, slug)
    proposal = _proposal(request, process, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(_url(proposal), reverse("core:login"))
    try:
        if request.POST.get("accion") == "retirar":
            if services.support_withdraw(actor=request.user, government=government, proposal=proposal):
                messages.success(request, _("Your support was withdrawn."))
        else:
            services.support_add(actor=request.user, government=government, proposal=proposal)
            messages.success(request, _("Thank you: your support counts."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    back = request.POST.get("volver", "")
    if back.startswith("/") and not back.startswith("//"):
        return redirect(back)
    return redirect(_url(proposal) + "#apoyos")
