"""Data requests: the public list, a request's page (with core's follow button), asking for
data and supporting a request (signed-in citizens with a confirmed e-mail), and the back
office's list and answer."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from minga.core.access import public, requires
from minga.core.crud import apply_validation_error
from minga.core.permissions import OWN_ACCOUNT
from minga.core.ui.page_cache import public_page

from ..view_helpers import EDIT, VIEW, can_edit, posted, requests_enabled
from . import selectors, services
from .forms import AnswerForm, DataRequestForm
from .models import DataRequest

PUBLIC_PAGE_SIZE = 20
OFFICE_PAGE_SIZE = 50


# Data requests ---------------------------------------------------------------------------


@public_page
def request_list(request):
    government = request.government
    status = request.GET.get(selectors.REQUEST_STATUS_PARAM, "")
    requests = selectors.request_list(government, status=status)
    context = {
        "page": Paginator(requests, PUBLIC_PAGE_SIZE).get_page(request.GET.get("pagina")),
        "status": status if status in DataRequest.Status.values else "",
        "statuses": DataRequest.Status.choices,
        "query": f"estado={status}" if status in DataRequest.Status.values else "",
        "requests_enabled": requests_enabled(government),
    }
    return render(request, "catalog/request_list.html", context)


@public
def request_detail(request, pk):
    """Uncached: the support and follow buttons show the person's own state."""
    government = request.government
    data_request = get_object_or_404(selectors.public_requests(government), pk=pk)
    user = request.user
    context = {
        "data_request": data_request,
        "supported": selectors.user_supports(user, data_request),
        "can_request": services.can_request(user),
        "requests_enabled": requests_enabled(government),
    }
    return render(request, "catalog/request_detail.html", context)


@requires(OWN_ACCOUNT)
@require_http_methods(["GET", "POST"])
def request_create(request):
    government = request.government
    if not requests_enabled(government):
        raise Http404
    verified = services.can_request(request.user)
    # The statistics page links here with the words of a search that found nothing.
    initial = {"title": request.GET.get("titulo", "")[:200]}
    form = DataRequestForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and verified and form.is_valid():
        try:
            created = services.request_create(actor=request.user, government=government, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your request was published. You will get an e-mail when it is answered."))
            return redirect("catalog:request_detail", pk=created.pk)
    status = 403 if request.method == "POST" and not verified else 200
    return render(request, "catalog/request_form.html", {"form": form, "verified": verified}, status=status)


@requires(OWN_ACCOUNT)
@require_POST
def request_support(request, pk):
    government = request.government
    data_request = get_object_or_404(selectors.public_requests(government), pk=pk)
    if not requests_enabled(government):
        raise PermissionDenied
    try:
        added = services.request_support(actor=request.user, government=government, data_request=data_request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if added:
            messages.success(request, _("Thank you: your support was counted and you now follow this request."))
        else:
            messages.info(request, _("You already support this request."))
    return redirect("catalog:request_detail", pk=data_request.pk)


# Back office: data requests -------------------------------------------------------------


@requires(VIEW)
def office_request_list(request):
    status = request.GET.get("estado", "")
    requests = selectors.office_requests(request.government, status=status)
    context = {
        "page": Paginator(requests, OFFICE_PAGE_SIZE).get_page(request.GET.get("pagina")),
        "status": status,
        "statuses": DataRequest.Status.choices,
        "can_edit": can_edit(request),
    }
    return render(request, "catalog/office/request_list.html", context)


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def office_request_answer(request, pk):
    government = request.government
    data_request = get_object_or_404(DataRequest.objects.filter(government=government), pk=pk)
    initial = {
        "status": data_request.status if data_request.status != "open" else "answered",
        "answer": data_request.answer,
    }
    if data_request.fulfilled_by_id:
        initial["fulfilled_by"] = data_request.fulfilled_by_id
    form = AnswerForm(posted(request), initial=initial, government=government)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_answer(
                actor=request.user,
                government=government,
                data_request=data_request,
                status=form.cleaned_data["status"],
                answer=form.cleaned_data["answer"],
                fulfilled_by=form.cleaned_data.get("fulfilled_by"),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The answer was published and the followers were told."))
            return redirect("catalog:office_requests")
    return render(request, "catalog/office/request_answer.html", {"form": form, "data_request": data_request})
