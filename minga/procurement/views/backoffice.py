"""Back office (contratacion/gestion/…): viewers see imports, their reports, procedure types
and red-flag coverage; editors import files, edit procedure types and PIE years, and
recompute the red flags."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from minga.core.access import requires
from minga.core.crud import apply_validation_error, confirm_delete_context

from .. import importing, selectors, services
from ..apps import EDIT, VIEW_BACKOFFICE
from ..forms import BudgetYearForm, ConfirmForm, ImportForm, ProcedureForm
from ..models import BudgetYear, ProcedureType

PAGE_SIZE = 50


def _can_edit(request) -> bool:
    return request.user.has_perm(EDIT, request.government)


def _posted(request):
    return request.POST if request.method == "POST" else None


@requires(VIEW_BACKOFFICE)
@require_http_methods(["GET", "POST"])
def import_list(request):
    government = request.government
    form = ImportForm(_posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST":
        if not _can_edit(request):
            raise PermissionDenied
        if form.is_valid():
            run = importing.import_requested(
                actor=request.user, government=government, upload=form.cleaned_data["file"]
            )
            messages.success(
                request,
                _("%(name)s was received and is being imported; this page shows how it goes.") % {"name": run.filename},
            )
            return redirect("procurement:office_import_detail", pk=run.pk)
    runs = selectors.import_runs(government)
    context = {
        "form": form,
        "page": Paginator(runs, PAGE_SIZE).get_page(request.GET.get("pagina")),
        "can_edit": _can_edit(request),
        "process_count": selectors.processes(government).count(),
        "running": importing.running_imports(government),
    }
    return render(request, "procurement/office/import_list.html", context, status=400 if form.errors else 200)


@requires(VIEW_BACKOFFICE)
def import_detail(request, pk):
    run = get_object_or_404(selectors.import_runs(request.government), pk=pk)
    context = {"run": run, "progress": importing.progress_of(run)}
    response = render(request, "procurement/office/import_detail.html", context)
    if run.is_waiting:
        response["Cache-Control"] = "no-store"  # reloaded to follow the import
    return response


@requires(VIEW_BACKOFFICE)
@require_http_methods(["GET", "POST"])
def procedure_list(request):
    government = request.government
    services.ensure_procedure_types(government=government)
    form = BudgetYearForm(_posted(request))
    if request.method == "POST":
        if not _can_edit(request):
            raise PermissionDenied
        if form.is_valid():
            try:
                saved = services.budget_year_save(actor=request.user, government=government, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("The PIE of %(year)s was saved.") % {"year": saved.year})
                return redirect("procurement:office_procedures")
    context = {
        "procedures": ProcedureType.objects.filter(government=government).order_by("order", "name"),
        "years": BudgetYear.objects.filter(government=government),
        "form": form,
        "can_edit": _can_edit(request),
    }
    return render(request, "procurement/office/procedure_list.html", context, status=400 if form.errors else 200)


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def procedure_edit(request, pk=None):
    government = request.government
    procedure = get_object_or_404(ProcedureType.objects.filter(government=government), pk=pk) if pk else None
    form = ProcedureForm(_posted(request), instance=procedure)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in ProcedureForm.Meta.fields}
        try:
            saved = services.procedure_save(actor=request.user, government=government, procedure=procedure, **fields)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("The procedure type “%(name)s” was saved. Recompute the red flags to apply it to imported processes.")
                % {"name": saved.name},
            )
            return redirect("procurement:office_procedures")
    return render(request, "procurement/office/procedure_form.html", {"form": form, "procedure": procedure})


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def budget_year_delete(request, pk):
    government = request.government
    budget_year = get_object_or_404(BudgetYear.objects.filter(government=government), pk=pk)
    form = ConfirmForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        services.budget_year_delete(actor=request.user, government=government, budget_year=budget_year)
        messages.success(request, _("The PIE of %(year)s was deleted.") % {"year": budget_year.year})
        return redirect("procurement:office_procedures")
    context = confirm_delete_context(
        obj=budget_year,
        form=form,
        cancel_url=reverse("procurement:office_procedures"),
        heading=_("Delete the PIE of %(name)s?") % {"name": budget_year},
        consequence=_("Thresholds of that year can no longer be computed until it is entered again."),
    )
    return render(request, "core/confirm_delete.html", context)


@requires(VIEW_BACKOFFICE)
@require_http_methods(["GET", "POST"])
def flags_office(request):
    government = request.government
    form = ConfirmForm(_posted(request))
    if request.method == "POST":
        if not _can_edit(request):
            raise PermissionDenied
        if form.is_valid():
            changed = services.flags_recompute(actor=request.user, government=government)
            messages.success(request, _("Red flags recomputed: %(count)s processes changed.") % {"count": changed})
            return redirect("procurement:office_flags")
    coverage = selectors.coverage(government)
    context = {
        "coverage": coverage,
        "newsup": next((row for row in coverage if row["code"] == "NEWSUP"), None),
        "form": form,
        "can_edit": _can_edit(request),
    }
    return render(request, "procurement/office/flags.html", context, status=400 if form.errors else 200)
