"""Back-office screens of the budget (presupuesto/gestion/…): viewers see years, cut-offs,
imports and their reports; editors upload a cédula, fix the column mapping, publish or discard
it, withdraw a cut-off, name classifier codes and write a year's notes. Each view validates
its form and makes one service call."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from minga.core.access import requires
from minga.core.crud import apply_validation_error
from minga.core.exports import csv_response

from .. import cedula, importing, selectors, services
from ..forms import ClassifierEntryForm, ConfirmForm, MappingForm, NotesForm, UploadForm
from ..models import BudgetImport, BudgetYear, ClassifierEntry, CutOff

VIEW = "budget.view_backoffice"
EDIT = "budget.import"
REPORT_SHOWN = 300


def _can_edit(request) -> bool:
    return request.user.has_perm(EDIT, request.government)


@requires(VIEW)
def office_home(request):
    government = request.government
    context = {
        "years": selectors.office_years(government),
        "imports": selectors.office_imports(government)[:20],
        "can_edit": _can_edit(request),
    }
    return render(request, "budget/office/home.html", context)


@requires(VIEW)
@require_http_methods(["GET", "POST"])
def year_detail(request, year: int):
    government = request.government
    budget_year = get_object_or_404(BudgetYear.objects.filter(government=government), year=year)
    form = NotesForm(request.POST if request.method == "POST" else None, initial={"notes": budget_year.notes})
    if request.method == "POST":
        if not _can_edit(request):
            raise PermissionDenied
        if form.is_valid():
            services.year_update_notes(
                actor=request.user, government=government, budget_year=budget_year, notes=form.cleaned_data["notes"]
            )
            messages.success(request, _("The notes were saved."))
            return redirect("budget:office_year", year=year)
    context = {
        "budget_year": budget_year,
        "cutoffs": selectors.office_cutoffs(budget_year),
        "form": form,
        "can_edit": _can_edit(request),
    }
    return render(request, "budget/office/year_detail.html", context)


@requires(EDIT)
@require_POST
def cutoff_withdraw(request, pk: int):
    government = request.government
    cutoff = get_object_or_404(CutOff.objects.filter(government=government).select_related("budget_year"), pk=pk)
    try:
        services.cutoff_withdraw(actor=request.user, government=government, cutoff=cutoff)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The cut-off %(key)s is no longer public.") % {"key": cutoff.key})
    return redirect("budget:office_year", year=cutoff.budget_year.year)


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def import_upload(request):
    government = request.government
    posted = request.method == "POST"
    form = UploadForm(request.POST if posted else None, request.FILES if posted else None, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        try:
            budget_import = importing.upload_requested(
                actor=request.user,
                government=government,
                year=form.cleaned_data["year"],
                month=form.cleaned_data["month"],
                scope=form.cleaned_data["scope"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s was received and is being read; this page shows how it goes.")
                % {"name": budget_import.filename},
            )
            return redirect("budget:office_import", pk=budget_import.pk)
    return render(request, "budget/office/upload.html", {"form": form})


def _import_context(request, budget_import: BudgetImport, mapping_form=None) -> dict:
    report = budget_import.report or {}
    errors = report.get("errors", [])
    described = [dict(problem, message=cedula.describe(problem)) for problem in errors[:REPORT_SHOWN]]
    warnings = [
        dict(problem, message=cedula.describe(problem)) for problem in report.get("warnings", [])[:REPORT_SHOWN]
    ]
    return {
        "budget_import": budget_import,
        "cutoff_key": f"{budget_import.year}-{budget_import.month:02d}",
        "progress": importing.latest_progress(budget_import),
        "report": report,
        "errors": described,
        "error_count": len(errors),
        "warnings": warnings,
        "warning_count": len(report.get("warnings", [])),
        "shown": REPORT_SHOWN,
        "mapping_form": mapping_form
        or MappingForm(headers=budget_import.headers, initial_mapping=budget_import.mapping),
        "preview_rows": budget_import.raw_rows[:5],
        "headers": budget_import.headers,
        "can_edit": _can_edit(request),
        "confirm_form": ConfirmForm(),
    }


@requires(VIEW)
@require_http_methods(["GET", "POST"])
def import_detail(request, pk: int):
    """The preview: what was read, the mapping (editable), every problem; POST re-checks the
    file with the columns chosen."""
    government = request.government
    budget_import = get_object_or_404(BudgetImport.objects.filter(government=government), pk=pk)
    mapping_form = None
    if request.method == "POST":
        if not _can_edit(request):
            raise PermissionDenied
        mapping_form = MappingForm(request.POST, headers=budget_import.headers, initial_mapping=budget_import.mapping)
        if mapping_form.is_valid():
            try:
                services.import_remap(
                    actor=request.user,
                    government=government,
                    budget_import=budget_import,
                    mapping=mapping_form.mapping(),
                    remember=mapping_form.cleaned_data["remember"],
                )
            except ValidationError as error:
                apply_validation_error(mapping_form, error)
            else:
                messages.success(request, _("The file was checked again with the columns you chose."))
                return redirect("budget:office_import", pk=pk)
    response = render(
        request, "budget/office/import_detail.html", _import_context(request, budget_import, mapping_form)
    )
    if budget_import.is_busy:
        response["Cache-Control"] = "no-store"  # reloaded to follow the job
    return response


@requires(EDIT)
@require_POST
def import_publish(request, pk: int):
    government = request.government
    budget_import = get_object_or_404(BudgetImport.objects.filter(government=government), pk=pk)
    try:
        importing.publish_requested(actor=request.user, government=government, budget_import=budget_import)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        budget_import.refresh_from_db()
        return render(request, "budget/office/import_detail.html", _import_context(request, budget_import), status=409)
    messages.success(
        request,
        _("The cut-off %(key)s is being published; this page shows how it goes.")
        % {"key": f"{budget_import.year}-{budget_import.month:02d}"},
    )
    return redirect("budget:office_import", pk=budget_import.pk)


@requires(EDIT)
@require_POST
def import_discard(request, pk: int):
    government = request.government
    budget_import = get_object_or_404(BudgetImport.objects.filter(government=government), pk=pk)
    try:
        services.import_discard(actor=request.user, government=government, budget_import=budget_import)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The import was discarded; nothing public changed."))
    return redirect("budget:office_home")


@requires(VIEW)
def import_report_csv(request, pk: int):
    government = request.government
    budget_import = get_object_or_404(BudgetImport.objects.filter(government=government), pk=pk)
    report = budget_import.report or {}
    rows = [
        [_("error") if kind == "errors" else _("warning"), p.get("row") or "", p.get("column", ""), cedula.describe(p)]
        for kind in ("errors", "warnings")
        for p in report.get(kind, [])
    ]
    return csv_response(
        f"informe-importacion-{budget_import.pk}.csv", [_("Kind"), _("Row"), _("Column"), _("Problem")], rows
    )


@requires(VIEW)
@require_http_methods(["GET", "POST"])
def classifier(request):
    government = request.government
    services.classifier_ensure_defaults(government=government)
    form = ClassifierEntryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not _can_edit(request):
            raise PermissionDenied
        if form.is_valid():
            try:
                entry = services.classifier_entry_save(actor=request.user, government=government, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("The name of %(code)s was saved.") % {"code": entry.code})
                return redirect("budget:office_classifier")
    level = request.GET.get("nivel", "")
    level = int(level) if level in ("1", "2", "4", "6") else None
    query = request.GET.get("q", "").strip()[:100]
    entries = selectors.classifier_entries(government, level=level, query=query)
    context = {
        "form": form,
        "page": Paginator(entries, 100).get_page(request.GET.get("pagina")),
        "levels": ClassifierEntry.Level.choices,
        "level": level,
        "q": query,
        "can_edit": _can_edit(request),
    }
    return render(request, "budget/office/classifier.html", context)
