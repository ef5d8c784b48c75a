"""“Verify my identity”, in the person's account: where they stand (platform-wide and in the
government whose portal they are on) and the next step: confirm the e-mail, register the
cédula, confirm the census roll with a code, or go to a desk. Pages that need a level link
here with ?next= so the person comes back to what they were doing."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from ...access import requires
from ...accounts.views import safe_next
from ...crud import apply_validation_error
from ...permissions import OWN_ACCOUNT
from .. import selectors, services
from ..forms import CedulaForm, CensusCodeForm
from ..levels import Level


def _identity_url(next_url: str) -> str:
    url = reverse("core:identity")
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _page(request, *, status: int = 200, **forms):
    user = request.user
    government = getattr(request, "government", None)
    next_url = safe_next(request)
    identity = selectors.identity_of(user)
    context = {
        "identity": identity,
        "next_url": next_url,
        "cedula_form": forms.get("cedula_form") or CedulaForm(),
        "code_form": forms.get("code_form") or CensusCodeForm(),
        "census_error": forms.get("census_error", ""),
        "verifications": selectors.verifications_of(user),
        "levels": [level for level in Level if level],
        "code_minutes": settings.CENSUS_CODE_MINUTES,
    }
    if government is not None:
        level = selectors.level_of(user, government)
        here = [v for v in context["verifications"] if v.government_id == government.pk]
        context.update(
            level=level,
            census_done=level >= Level.CENSUS,
            here_census=[v for v in here if v.level == Level.CENSUS],
            here_desk=[v for v in here if v.level == Level.ASSISTED],
            roll=selectors.live_roll(government),
            pending_code=selectors.pending_code(user, government, now=timezone.now()),
            can_ask_code=level < Level.CENSUS and identity is not None and user.is_email_verified,
        )
    else:
        context["level"] = selectors.level_of(user)
    response = render(request, "core/verification/identity.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@requires(OWN_ACCOUNT)
@never_cache
@require_http_methods(["GET", "POST"])
def identity(request):
    """The person's verification page; a POST registers their cédula."""
    form = CedulaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.identity_claim(user=request.user, number=form.cleaned_data["cedula"], now=timezone.now())
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your cédula is registered to your account."))
            return HttpResponseRedirect(_identity_url(safe_next(request)))
    return _page(request, cedula_form=form)


@requires(OWN_ACCOUNT)
@require_POST
def census_send(request):
    """E-mail a census code to the person (this government's roll)."""
    try:
        services.census_code_send(user=request.user, government=request.government, now=timezone.now())
    except ValidationError as error:
        return _page(request, census_error=" ".join(error.messages), status=409)
    messages.success(
        request,
        _("We sent a code to %(email)s. It works for %(minutes)d minutes.")
        % {"email": request.user.email, "minutes": settings.CENSUS_CODE_MINUTES},
    )
    return HttpResponseRedirect(_identity_url(safe_next(request)) + "#padron")


@requires(OWN_ACCOUNT)
@require_POST
def census_confirm(request):
    """Check the census code the person typed."""
    form = CensusCodeForm(request.POST)
    if form.is_valid():
        try:
            services.census_code_check(
                user=request.user, government=request.government, code=form.cleaned_data["code"], now=timezone.now()
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("Done: you are verified on the census roll of %(government)s.")
                % {"government": request.government.name},
            )
            return HttpResponseRedirect(safe_next(request) or _identity_url(""))
    return _page(request, code_form=form)
