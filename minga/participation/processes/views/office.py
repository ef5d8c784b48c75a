"""Back office of participatory processes (participacion/gestion/…): viewers see the list,
editors create, edit (with the phases in the same form), publish and delete. Each view
validates the forms and makes one service call."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST

from minga.core.access import requires
from minga.core.crud import apply_validation_error, confirm_delete_context

from ...features import VOTE
from .. import selectors, services
from ..forms import ConfirmForm, ProcessForm, blank_phase_data, phase_formset_class, phase_initial, quiet
from ..models import Process

VIEW = "participation.view_backoffice"
EDIT = "participation.edit"
PAGE_SIZE = 50
PHASES_PREFIX = "fases"
ADD_PHASE = "mas_fases"
NEW_PROCESS_BLANK_PHASES = 3


def _posted(request):
    return request.POST if request.method == "POST" else None


def _can_edit(request) -> bool:
    return request.user.has_perm(EDIT, request.government)


@requires(VIEW)
def process_list(request):
    now = timezone.now()
    status = request.GET.get("estado", "")
    kind = request.GET.get("tipo", "")
    query = request.GET.get("q", "").strip()[:100]
    processes = selectors.office_processes(request.government, status=status, kind=kind, query=query, now=now)
    context = {
        "page": Paginator(processes, PAGE_SIZE).get_page(request.GET.get("pagina")),
        "statuses": [
            ("en-curso", pgettext("processes", "In progress")),
            ("proximos", pgettext("processes", "Upcoming")),
            ("finalizados", pgettext("processes", "Finished")),
            ("borradores", _("Not published")),
        ],
        "status": status,
        "kinds": Process.Kind.choices,
        "kind": kind,
        "q": query,
        "now": now,
        "can_edit": _can_edit(request),
    }
    return render(request, "participation/office/process_list.html", context)


def _locked_phases(process, now) -> frozenset:
    if process is None or not services.voting_locked(process, now=now):
        return frozenset()
    return frozenset(phase.pk for phase in selectors.phases_of(process) if phase.has_feature(VOTE))


def _phase_formset(request, process, locked_phases):
    phases = selectors.phases_of(process) if process is not None else []
    extra = 1 if phases else NEW_PROCESS_BLANK_PHASES
    data = _posted(request)
    if data is not None and ADD_PHASE in data:
        data = data.copy()
        total = f"{PHASES_PREFIX}-TOTAL_FORMS"
        count = int(data.get(total) or 0)
        data[total] = str(count + 1)
        data.update(blank_phase_data(f"{PHASES_PREFIX}-{count}"))
    formset_class = phase_formset_class(extra)
    return formset_class(data, prefix=PHASES_PREFIX, initial=phase_initial(phases), locked_phases=locked_phases)


def _show_errors(form, formset, error: ValidationError) -> None:
    """A service's errors: the process's on its form, each phase's on that phase's form."""
    by_phase = getattr(error, "by_phase", {})
    if hasattr(error, "error_dict"):
        rest = {key: value for key, value in error.error_dict.items() if key != "phases" or not by_phase}
        if rest:
            apply_validation_error(form, ValidationError(rest))
    else:
        apply_validation_error(form, error)
    _show_phase_errors(form, formset, by_phase)


def _show_phase_errors(form, formset, by_phase) -> None:
    for index, field_errors in by_phase.items():
        phase_form = formset.form_for_item(index)
        for field, field_messages in field_errors.items():
            if phase_form is None:
                form.add_error(None, field_messages)
            else:
                phase_form.add_error(field if field in phase_form.fields else None, field_messages)


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def process_edit(request, pk=None):
    government = request.government
    now = timezone.now()
    process = get_object_or_404(Process.objects.filter(government=government), pk=pk) if pk else None
    locked_phases = _locked_phases(process, now)
    locked = process is not None and services.voting_locked(process, now=now)
    form = ProcessForm(_posted(request), request.FILES or None, instance=process, government=government, locked=locked)
    formset = _phase_formset(request, process, locked_phases)
    if request.method == "POST" and ADD_PHASE in request.POST:
        quiet(form)
        quiet(formset)
    elif request.method == "POST":
        valid = form.is_valid()
        valid = formset.is_valid() and valid
        if not valid and formset.is_valid():
            # Show the phases' own problems (overlaps, dates outside the process) at once too.
            by_phase = services.phase_list_errors(
                government,
                process=process,
                items=formset.items(),
                starts_at=form.cleaned_data.get("starts_at"),
                ends_at=form.cleaned_data.get("ends_at"),
            )
            _show_phase_errors(form, formset, by_phase)
        if valid:
            arguments = {
                "actor": request.user,
                "government": government,
                "phases": formset.items(),
                "settings": form.process_settings(),
                "territories": form.cleaned_data["territories"],
                "image": form.cleaned_data.get("image") if request.FILES.get("image") else None,
                "now": now,
                **form.service_fields(),
            }
            try:
                if process is None:
                    saved = services.process_create(**arguments)
                else:
                    saved = services.process_update(
                        process=process, remove_image=form.cleaned_data.get("remove_image", False), **arguments
                    )
            except services.VotingRulesLocked as error:
                form.add_error(None, error.messages)
            except ValidationError as error:
                _show_errors(form, formset, error)
            else:
                messages.success(request, _("The process “%(title)s” was saved.") % {"title": saved.title})
                return redirect("participation:office_processes")
    context = {
        "form": form,
        "formset": formset,
        "process": process,
        "locked": locked,
        "add_phase": ADD_PHASE,
    }
    return render(request, "participation/office/process_form.html", context)


@requires(EDIT)
@require_POST
def process_publish(request, pk):
    government = request.government
    process = get_object_or_404(Process.objects.filter(government=government), pk=pk)
    publish = request.POST.get("publicar") == "1"
    services.process_set_published(actor=request.user, government=government, process=process, is_published=publish)
    if publish:
        messages.success(request, _("“%(title)s” is now published.") % {"title": process.title})
    else:
        messages.success(request, _("“%(title)s” is no longer published.") % {"title": process.title})
    return redirect("participation:office_processes")


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def process_delete(request, pk):
    government = request.government
    now = timezone.now()
    process = get_object_or_404(Process.objects.filter(government=government), pk=pk)
    refusal = services.process_delete_refusal(process=process, now=now)
    form = ConfirmForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.process_delete(actor=request.user, government=government, process=process, now=now)
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            messages.success(request, _("The process “%(title)s” was deleted.") % {"title": process.title})
            return redirect("participation:office_processes")
    context = confirm_delete_context(
        obj=process,
        form=form,
        cancel_url=reverse("participation:office_processes"),
        consequence=_(
            "The process and its phases leave the portal, the search and the API; the audit log keeps a record."
        ),
        refusal=refusal,
    )
    return render(
        request, "core/confirm_delete.html", context, status=409 if refusal and request.method == "POST" else 200
    )
