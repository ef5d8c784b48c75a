"""Citizens' pages of the silla vacía: the public registry of requests (accredited, denied,
pending and withdrawn, with reasons), what the silla vacía is and how to ask for it, the
request form of an agenda item, and the person's own requests (withdrawn before the answer)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from minga.core.access import public
from minga.core.crud import apply_validation_error
from minga.core.ui.page_cache import public_page
from minga.core.verification import selectors as verification

from ...apps import SEAT_ACTION
from ...members.selectors import council_of
from .. import selectors, services
from ..forms import RequestForm
from ..models import SeatRequest


def _year(value) -> int | None:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if 2000 <= year <= 2100 else None


@public_page
def registry(request):
    government = request.government
    status = request.GET.get("estado", "")[:12]
    status = status if status in SeatRequest.Status.values else ""
    year = _year(request.GET.get("anio"))
    session_slug = request.GET.get("sesion", "")[:90]
    rows = selectors.registry(government, status=status, year=year, session_slug=session_slug)
    shown = list(rows[:500])
    groups: list[dict] = []
    for seat in shown:
        session, item = seat.item.session, seat.item
        if not groups or groups[-1]["session"].pk != session.pk:
            groups.append({"session": session, "items": []})
        items = groups[-1]["items"]
        if not items or items[-1]["item"].pk != item.pk:
            items.append({"item": item, "requests": []})
        items[-1]["requests"].append(seat)
    voters = selectors.voters_by_item(government, {seat.item_id for seat in shown})
    for group in groups:
        for entry in group["items"]:
            entry["voter"] = voters.get(entry["item"].pk)
    context = {
        "council": council_of(government),
        "groups": groups,
        # Per status, within the year and session chosen (whatever status is shown).
        "counts": selectors.registry_counts(selectors.registry(government, year=year, session_slug=session_slug)),
        "statuses": SeatRequest.Status.choices,
        "years": selectors.registry_years(government),
        "sessions": selectors.registry_sessions(government),
        "status": status,
        "year": year,
        "session_slug": session_slug,
        "truncated": len(shown) == 500,
    }
    return render(request, "council/seat/registry.html", context)


@public_page
def about(request):
    government = request.government
    rules = selectors.rules_of(government)
    context = {
        "council": council_of(government),
        "rules": rules,
        "level": rules.get_verification_level_display(),
        # The "verify" mark is for the back office (as on the act pages).
        "legal_reference": rules.legal_reference.replace("(verify)", "").strip(),
    }
    return render(request, "council/seat/about.html", context)


def _item(request, session, position):
    item = selectors.public_item(request.government, session, position)
    if item is None:
        raise Http404
    return item


@public
@require_http_methods(["GET", "POST"])
def request_form(request, session, position):
    government = request.government
    item = _item(request, session, position)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("core:login"))
    now = timezone.now()
    rules = selectors.rules_of(government)
    form = RequestForm(request.POST or None, request.FILES or None)
    refusal = services.request_refusal(user=request.user, government=government, item=item, now=now)
    status = 200
    if request.method == "POST" and refusal:
        # Refused whatever was typed: the refusal is audited, nothing is saved.
        try:
            services.request_check(actor=request.user, government=government, item=item, now=now)
        except ValidationError:
            status = 400
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            seat = services.request_submit(
                actor=request.user,
                government=government,
                item=item,
                fields={name: data.get(name) for name in services.REQUEST_FIELDS},
                document=data["document"],
                now=now,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("Your request was received. The secretariat answers by %(due)s; we will tell you.")
                % {"due": services.when_text(seat.answer_due_at)},
            )
            return redirect(reverse("council:chair_mine") + f"#solicitud-{seat.pk}")
    if form.errors:
        status = 400
    check = verification.check_action(
        request.user, government, SEAT_ACTION, level=rules.verification_level, next_path=request.get_full_path()
    )
    context = {
        "council": council_of(government),
        "item": item,
        "session": item.session,
        "form": form,
        "refusal": refusal[1] if refusal else "",
        "refusal_code": refusal[0] if refusal else "",
        "check": check,
        "rules": rules,
        "deadline": selectors.deadline_of(item.session, rules),
    }
    return render(request, "council/seat/request_form.html", context, status=status)


@public
def mine(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("core:login"))
    government = request.government
    context = {
        "council": council_of(government),
        "requests": list(selectors.requests_of_user(government, request.user)),
        "now": timezone.now(),
    }
    return render(request, "council/seat/mine.html", context)


@public
@require_POST
def withdraw(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("council:chair_mine"), reverse("core:login"))
    government = request.government
    seat = selectors.requests_of_user(government, request.user).filter(pk=pk).first()
    if seat is None:
        raise Http404
    try:
        services.request_withdraw(actor=request.user, government=government, seat=seat)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your request was withdrawn."))
    return redirect(reverse("council:chair_mine") + f"#solicitud-{seat.pk}")
