"""Back office of identity verification: the census rolls (upload, report, publish, history), the
desk, and the people verified here (with revocation). Viewers of the area "verification" see;
its editors (and the government's administrators) act. Every action is audited by its service."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ...access import requires
from ...crud import apply_validation_error
from ...progress import selectors as progress_selectors
from .. import census, rolls, selectors, services
from ..forms import CensusPublishForm, CensusUploadForm, DeskVerificationForm, RevokeForm, VerificationFilterForm
from ..models import CensusRoll

VIEW = "verification.view_backoffice"
MANAGE = "verification.manage"


def _can_manage(request) -> bool:
    return request.user.has_perm(MANAGE, request.government)


@requires(VIEW)
@require_GET
def overview(request):
    government = request.government
    context = {"summary": selectors.summary(government), "can_manage": _can_manage(request)}
    return render(request, "core/verification/office/overview.html", context)


@requires(VIEW)
@require_GET
def roll_list(request):
    page = Paginator(selectors.census_rolls(request.government), 25).get_page(request.GET.get("pagina"))
    return render(request, "core/verification/office/rolls.html", {"page": page, "can_manage": _can_manage(request)})


@requires(MANAGE)
@require_http_methods(["GET", "POST"])
def roll_upload(request):
    form = CensusUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            roll = rolls.roll_upload(
                actor=request.user,
                government=request.government,
                file=form.cleaned_data["file"],
                label=form.cleaned_data["label"],
                now=timezone.now(),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if roll.status == CensusRoll.Status.FAILED:
                messages.error(request, roll.failure)
            else:
                messages.success(
                    request, _("The file was checked and is being loaded. Nothing changes until you publish it.")
                )
            return redirect("core:census_roll", pk=roll.pk)
    return render(request, "core/verification/office/upload.html", {"form": form})


def _roll_or_404(request, pk: int) -> CensusRoll:
    roll = selectors.census_roll_get(request.government, pk)
    if roll is None:
        raise Http404
    return roll


def _roll_page(request, roll: CensusRoll, *, publish_form=None, error: str = "", status: int = 200):
    report = [{"line": line, "reason": census.reason_text(code, detail)} for line, code, detail in (roll.report or [])]
    context = {
        "roll": roll,
        "report": report,
        "report_cut": roll.rows_bad > len(report),
        "territories": sorted((roll.territory_counts or {}).items()),
        "progress": progress_selectors.latest_for(government=request.government, obj=roll),
        "publish_form": publish_form or CensusPublishForm(),
        "can_manage": _can_manage(request),
        "live": selectors.live_roll(request.government),
        "error": error,
    }
    response = render(request, "core/verification/office/roll.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@requires(VIEW)
@require_GET
def roll_detail(request, pk: int):
    return _roll_page(request, _roll_or_404(request, pk))


@requires(MANAGE)
@require_POST
def roll_publish(request, pk: int):
    roll = _roll_or_404(request, pk)
    form = CensusPublishForm(request.POST)
    form.is_valid()
    try:
        rolls.roll_publish(
            actor=request.user,
            government=request.government,
            roll=roll,
            accept_left_out=bool(form.cleaned_data.get("accept_left_out")),
            now=timezone.now(),
        )
    except ValidationError as error:
        apply_validation_error(form, error)
        return _roll_page(request, roll, publish_form=form, status=409)
    messages.success(request, _("The roll “%(label)s” is now live.") % {"label": roll.label})
    return redirect("core:census_roll", pk=roll.pk)


@requires(MANAGE)
@require_POST
def roll_discard(request, pk: int):
    roll = _roll_or_404(request, pk)
    try:
        rolls.roll_discard(actor=request.user, government=request.government, roll=roll, now=timezone.now())
    except ValidationError as error:
        return _roll_page(request, roll, error=" ".join(error.messages), status=409)
    messages.success(request, _("The roll “%(label)s” was discarded.") % {"label": roll.label})
    return redirect("core:census_rolls")


@requires(MANAGE)
@require_http_methods(["GET", "POST"])
def desk(request):
    """Verify a person who shows their cédula at a desk."""
    form = DeskVerificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = get_user_model().objects.filter(email__iexact=form.cleaned_data["email"].strip(), is_active=True).first()
        if user is None:
            form.add_error("email", _("There is no active account with this e-mail. Help the person sign up first."))
        else:
            try:
                verification = services.desk_verify(
                    actor=request.user,
                    government=request.government,
                    user=user,
                    number=form.cleaned_data["cedula"],
                    place=form.cleaned_data["place"],
                    territory_code=form.cleaned_data["territory_code"],
                    note=form.cleaned_data["note"],
                    relink=form.cleaned_data["relink"],
                    now=timezone.now(),
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("%(email)s is verified at the desk level.") % {"email": user.email})
                # A fresh form for the next person, keeping the desk's name.
                return HttpResponseRedirect(
                    f"{reverse('core:verification_desk')}?{urlencode({'lugar': verification.place})}"
                )
    elif request.method == "GET" and request.GET.get("lugar"):
        form = DeskVerificationForm(initial={"place": request.GET["lugar"][:200]})
    return render(
        request, "core/verification/office/desk.html", {"form": form, "roll": selectors.live_roll(request.government)}
    )


@requires(VIEW)
@require_GET
def people(request):
    form = VerificationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.verification_list(
        request.government,
        level=filters.get("level"),
        state=filters.get("state") or "active",
        email=filters.get("email") or "",
    )
    page = Paginator(rows, 50).get_page(request.GET.get("pagina"))
    query = urlencode({key: value for key, value in request.GET.items() if key != "pagina" and value})
    context = {"form": form, "page": page, "query": query, "can_manage": _can_manage(request)}
    return render(request, "core/verification/office/people.html", context)


@requires(MANAGE)
@require_http_methods(["GET", "POST"])
def revoke(request, pk: int):
    verification = selectors.verification_get(request.government, pk)
    if verification is None:
        raise Http404
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.verification_revoke(
                actor=request.user,
                government=request.government,
                verification=verification,
                reason=form.cleaned_data["reason"],
                now=timezone.now(),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The verification was revoked."))
            return redirect("core:verification_people")
    return render(request, "core/verification/office/revoke.html", {"form": form, "verification": verification})
