"""Back-office screens (institucion/gestion/…): viewers see the lists, editors create, edit
and delete. Each view validates the form and makes one service call."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from minga.core.access import requires
from minga.core.crud import apply_validation_error, confirm_delete_context

from .. import selectors, services
from ..forms import AgendaEventForm, AuthorityForm, ConfirmForm, DeclarationLinkForm, UnitForm
from ..models import AgendaEvent, Authority, DeclarationLink, Unit

VIEW = "institution.view_backoffice"
EDIT = "institution.edit"
PAGE_SIZE = 50


def _posted(request):
    """The submitted data on POST (even when empty, so required fields report errors)."""
    return request.POST if request.method == "POST" else None


def _page(request, items):
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("pagina"))


def _can_edit(request) -> bool:
    return request.user.has_perm(EDIT, request.government)


@requires(VIEW)
def office_home(request):
    government = request.government
    context = {
        "unit_count": selectors.office_units(government).count(),
        "authority_count": selectors.office_authorities(government).count(),
        "event_count": selectors.office_events(government).count(),
        "can_edit": _can_edit(request),
    }
    return render(request, "institution/office/home.html", context)


# Units ---------------------------------------------------------------------------------


@requires(VIEW)
def unit_list(request):
    kind = request.GET.get("tipo", "")
    query = request.GET.get("q", "").strip()[:100]
    units = selectors.office_units(request.government, kind=kind, query=query)
    context = {
        "page": _page(request, units),
        "kinds": Unit.Kind.choices,
        "kind": kind,
        "q": query,
        "can_edit": _can_edit(request),
    }
    return render(request, "institution/office/unit_list.html", context)


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def unit_edit(request, pk=None):
    government = request.government
    unit = get_object_or_404(Unit.objects.filter(government=government), pk=pk) if pk else None
    form = UnitForm(_posted(request), instance=unit, government=government)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if unit is None:
                saved = services.unit_create(actor=request.user, government=government, **fields)
            else:
                saved = services.unit_update(actor=request.user, government=government, unit=unit, **fields)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The unit “%(name)s” was saved.") % {"name": saved.name})
            return redirect("institution:office_units")
    return render(request, "institution/office/unit_form.html", {"form": form, "unit": unit})


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def unit_delete(request, pk):
    government = request.government
    unit = get_object_or_404(Unit.objects.filter(government=government), pk=pk)
    refusal = services.unit_delete_refusal(unit=unit)
    form = ConfirmForm(_posted(request))
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            services.unit_delete(actor=request.user, government=government, unit=unit)
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            messages.success(request, _("The unit “%(name)s” was deleted.") % {"name": unit.name})
            return redirect("institution:office_units")
    context = confirm_delete_context(
        obj=unit, form=form, cancel_url=reverse("institution:office_units"), refusal=refusal
    )
    return render(
        request,
        "core/confirm_delete.html",
        context,
        status=409 if refusal and request.method == "POST" else 200,
    )


# Authorities ---------------------------------------------------------------------------


@requires(VIEW)
def authority_list(request):
    status = request.GET.get("estado", "")
    query = request.GET.get("q", "").strip()[:100]
    today = timezone.localdate()
    authorities = selectors.office_authorities(request.government, status=status, query=query, today=today)
    context = {
        "page": _page(request, authorities),
        "status": status,
        "statuses": [("vigentes", _("In office")), ("publicadas", _("Published")), ("borradores", _("Not published"))],
        "q": query,
        "today": today,
        "can_edit": _can_edit(request),
    }
    return render(request, "institution/office/authority_list.html", context)


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def authority_edit(request, pk=None):
    government = request.government
    authority = get_object_or_404(Authority.objects.filter(government=government), pk=pk) if pk else None
    form = AuthorityForm(_posted(request), request.FILES or None, instance=authority, government=government)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        photo = form.cleaned_data.get("photo")
        try:
            if authority is None:
                saved = services.authority_create(actor=request.user, government=government, photo=photo, **fields)
            else:
                saved = services.authority_update(
                    actor=request.user,
                    government=government,
                    authority=authority,
                    photo=photo,
                    remove_photo=form.cleaned_data.get("remove_photo", False),
                    **fields,
                )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("“%(name)s” was saved.") % {"name": saved.name})
            return redirect("institution:office_authorities")
    context = {"form": form, "authority": authority}
    return render(request, "institution/office/authority_form.html", context)


@requires(EDIT)
@require_POST
def authority_publish(request, pk):
    government = request.government
    authority = get_object_or_404(Authority.objects.filter(government=government), pk=pk)
    publish = request.POST.get("publicar") == "1"
    services.authority_set_published(
        actor=request.user, government=government, authority=authority, is_published=publish
    )
    if publish:
        messages.success(request, _("“%(name)s” is now published.") % {"name": authority.name})
    else:
        messages.success(request, _("“%(name)s” is no longer published.") % {"name": authority.name})
    return redirect("institution:office_authorities")


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def authority_delete(request, pk):
    government = request.government
    authority = get_object_or_404(Authority.objects.filter(government=government), pk=pk)
    form = ConfirmForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        services.authority_delete(actor=request.user, government=government, authority=authority)
        messages.success(request, _("“%(name)s” was deleted.") % {"name": authority.name})
        return redirect("institution:office_authorities")
    context = confirm_delete_context(obj=authority, form=form, cancel_url=reverse("institution:office_authorities"))
    return render(request, "core/confirm_delete.html", context)


# Declaration links -----------------------------------------------------------------------


@requires(VIEW)
@require_http_methods(["GET", "POST"])
def declaration_list(request, authority_pk):
    """The declarations of one authority, with the form to add another (editors only)."""
    government = request.government
    authority = get_object_or_404(Authority.objects.filter(government=government), pk=authority_pk)
    can_edit = _can_edit(request)
    form = DeclarationLinkForm(_posted(request), government=government, authority=authority) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.declaration_create(
                    actor=request.user, government=government, authority=authority, **form.cleaned_data
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("The declaration link was added."))
                return redirect("institution:office_declarations", authority_pk=authority.pk)
    context = {
        "authority": authority,
        "declarations": selectors.authority_declarations(authority),
        "form": form,
        "can_edit": can_edit,
    }
    return render(request, "institution/office/declaration_list.html", context)


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def declaration_edit(request, pk):
    government = request.government
    declaration = get_object_or_404(
        DeclarationLink.objects.filter(government=government).select_related("authority"), pk=pk
    )
    form = DeclarationLinkForm(
        _posted(request), instance=declaration, government=government, authority=declaration.authority
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.declaration_update(
                actor=request.user, government=government, declaration=declaration, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The declaration link was saved."))
            return redirect("institution:office_declarations", authority_pk=declaration.authority_id)
    return render(request, "institution/office/declaration_form.html", {"form": form, "declaration": declaration})


@requires(EDIT)
@require_POST
def declaration_delete(request, pk):
    government = request.government
    declaration = get_object_or_404(DeclarationLink.objects.filter(government=government), pk=pk)
    authority_pk = declaration.authority_id
    services.declaration_delete(actor=request.user, government=government, declaration=declaration)
    messages.success(request, _("The declaration link was deleted."))
    return redirect("institution:office_declarations", authority_pk=authority_pk)


# Agenda --------------------------------------------------------------------------------


@requires(VIEW)
def event_list(request):
    visibility = request.GET.get("visibilidad", "")
    status = request.GET.get("estado", "")
    query = request.GET.get("q", "").strip()[:100]
    events = selectors.office_events(request.government, visibility=visibility, status=status, query=query)
    context = {
        "page": _page(request, events),
        "visibility": visibility,
        "visibilities": AgendaEvent.Visibility.choices,
        "status": status,
        "statuses": AgendaEvent.Status.choices,
        "q": query,
        "can_edit": _can_edit(request),
    }
    return render(request, "institution/office/event_list.html", context)


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def event_edit(request, pk=None):
    government = request.government
    event = get_object_or_404(AgendaEvent.objects.filter(government=government), pk=pk) if pk else None
    form = AgendaEventForm(_posted(request), instance=event, government=government)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields if name != "authorities"}
        authorities = list(form.cleaned_data["authorities"])
        try:
            if event is None:
                saved = services.event_create(
                    actor=request.user, government=government, authorities=authorities, **fields
                )
            else:
                saved = services.event_update(
                    actor=request.user, government=government, event=event, authorities=authorities, **fields
                )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The event “%(title)s” was saved.") % {"title": saved.title})
            return redirect("institution:office_events")
    return render(request, "institution/office/event_form.html", {"form": form, "event": event})


@requires(EDIT)
@require_POST
def event_cancel(request, pk):
    government = request.government
    event = get_object_or_404(AgendaEvent.objects.filter(government=government), pk=pk)
    services.event_cancel(actor=request.user, government=government, event=event)
    messages.success(request, _("The event “%(title)s” is now marked as cancelled.") % {"title": event.title})
    return redirect("institution:office_events")


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def event_delete(request, pk):
    government = request.government
    event = get_object_or_404(AgendaEvent.objects.filter(government=government), pk=pk)
    form = ConfirmForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        services.event_delete(actor=request.user, government=government, event=event)
        messages.success(request, _("The event “%(title)s” was deleted.") % {"title": event.title})
        return redirect("institution:office_events")
    context = confirm_delete_context(obj=event, form=form, cancel_url=reverse("institution:office_events"))
    return render(request, "core/confirm_delete.html", context)
