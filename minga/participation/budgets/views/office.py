"""Back office of participatory budgets (participacion/gestion/presupuestos/…): viewers see
budgets, projects, batches and results; editors create and edit budgets and projects, enter,
confirm and discard paper batches, count, publish and decide overrides. Each view validates
its form and makes one service call."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from minga.core import registry
from minga.core.access import requires
from minga.core.crud import apply_validation_error, confirm_delete_context

from ... import territories as territory_sources
from .. import counting, paper, selectors, services, tallying
from ..forms import BatchForm, BudgetForm, ConfirmForm, OverrideForm, ProjectForm
from ..models import Budget, PaperBatch, Project, ProjectLink

VIEW = "participation.view_backoffice"
EDIT = "participation.edit"


def _posted(request):
    return request.POST if request.method == "POST" else None


def _budget(request, pk) -> Budget:
    budget = selectors.office_budget(request.government, pk)
    if budget is None:
        from django.http import Http404

        raise Http404
    return budget


def _back(budget) -> str:
    return reverse("participation:office_budget", kwargs={"pk": budget.pk})


@requires(VIEW)
def budget_list(request):
    government = request.government
    context = {
        "budgets": selectors.office_budgets(government),
        "can_edit": request.user.has_perm(EDIT, government),
    }
    return render(request, "participation/budgets/office/budget_list.html", context)


@requires(VIEW)
def budget_detail(request, pk):
    government = request.government
    budget = _budget(request, pk)
    now = timezone.now()
    result = selectors.result_of(government, budget)
    count = counting.count_progress(government, budget)
    context = {
        "budget": budget,
        "count": count if count is not None and count.state != count.State.SUCCEEDED else None,
        "counting": count is not None and count.is_running,
        "projects": selectors.projects_of(government, budget),
        "batches": selectors.batches_of(government, budget),
        "turnout": selectors.turnout(government, budget),
        "result": result,
        "view": selectors.result_view(government, budget, result, with_links=False) if result else None,
        "tally_refusal": tallying.tally_refusal(government, budget, now),
        "locked": services.locked(budget.process, now),
        "can_edit": request.user.has_perm(EDIT, government),
    }
    return render(request, "participation/budgets/office/budget_detail.html", context)


def _territories(government, process) -> list[tuple[str, str]]:
    if process is not None and process.territories:
        return [(t["code"], t.get("name") or t["code"]) for t in process.territories]
    return [(t.code, t.name) for t in territory_sources.available(government)]


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def budget_edit(request, pk=None):
    government = request.government
    now = timezone.now()
    budget = _budget(request, pk) if pk else None
    processes = selectors.pb_processes(government)
    process = budget.process if budget else None
    if process is None and request.method == "POST":
        process = processes.filter(pk=request.POST.get("process") or 0).first()
    form = BudgetForm(
        _posted(request),
        instance=budget,
        government=government,
        processes=processes,
        territories=_territories(government, process),
        locked=bool(budget and services.locked(budget.process, now)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            if budget is None:
                saved = services.budget_create(
                    actor=request.user,
                    government=government,
                    process=form.cleaned_data["process"],
                    now=now,
                    **form.service_fields(),
                )
            else:
                saved = services.budget_update(
                    actor=request.user, government=government, budget=budget, now=now, **form.service_fields()
                )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The budget “%(title)s” was saved.") % {"title": saved.title})
            return redirect("participation:office_budget", pk=saved.pk)
    return render(request, "participation/budgets/office/budget_form.html", {"form": form, "budget": budget})


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def budget_delete(request, pk):
    government = request.government
    budget = _budget(request, pk)
    now = timezone.now()
    refusal = (
        _("Voting has opened in this process: its budgets cannot be deleted.")
        if services.locked(budget.process, now)
        else ""
    )
    form = ConfirmForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_delete(actor=request.user, government=government, budget=budget, now=now)
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            messages.success(request, _("The budget was deleted."))
            return redirect("participation:office_budgets")
    context = confirm_delete_context(
        obj=budget,
        form=form,
        cancel_url=_back(budget),
        consequence=_("The budget and its projects leave the portal; the audit log keeps a record."),
        refusal=refusal,
    )
    return render(
        request, "core/confirm_delete.html", context, status=409 if refusal and request.method == "POST" else 200
    )


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def project_edit(request, pk=None, project=None):
    government = request.government
    now = timezone.now()
    instance = None
    if project is not None:
        instance = get_object_or_404(
            Project.objects.filter(government=government).select_related("budget__process").prefetch_related("links"),
            pk=project,
        )
        budget = _budget(request, instance.budget_id)
    else:
        budget = _budget(request, pk)
    form = ProjectForm(
        _posted(request), instance=instance, government=government, locked=services.locked(budget.process, now)
    )
    searching = request.method == "POST" and SEARCH_BUTTON in request.POST
    if request.method == "POST" and not searching and form.is_valid():
        try:
            if instance is None:
                saved = services.project_create(
                    actor=request.user,
                    government=government,
                    budget=budget,
                    links=form.service_links(),
                    now=now,
                    **form.service_fields(),
                )
            else:
                saved = services.project_update(
                    actor=request.user,
                    government=government,
                    project=instance,
                    links=form.service_links(),
                    now=now,
                    **form.service_fields(),
                )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The project “%(title)s” was saved.") % {"title": saved.title})
            return redirect("participation:office_budget", pk=budget.pk)
    context = {"form": form, "budget": budget, "project": instance, **_link_picker(request, form, searching)}
    return render(request, "participation/budgets/office/project_form.html", context)


SEARCH_BUTTON = "buscar_vinculos"


def _link_picker(request, form: ProjectForm, searching: bool) -> dict:
    """What the project form shows to pick links: the records its keys name now (a key no
    published record answers is named as such), and the candidates of a search."""
    government = request.government
    chosen = form.chosen_keys()
    linked = []
    for kind, label in ProjectLink.Kind.choices:
        keys = chosen.get(kind, [])
        found = registry.resolve_links(government, kind, keys) if keys else {}
        linked.extend({"kind": label, "key": key, "record": found.get(key)} for key in keys)
    kind = request.POST.get("buscar_tipo", "") if searching else ""
    kind = kind if kind in ProjectLink.Kind.values else ProjectLink.Kind.PROPOSAL
    query = request.POST.get("buscar", "").strip()[:100] if searching else ""
    candidates = []
    if searching:
        taken = set(chosen.get(kind, []))
        candidates = [r for r in registry.search_links(government, kind, query, 20) if r.key not in taken]
    return {
        "linked": linked,
        "link_kinds": ProjectLink.Kind.choices,
        "search_kind": kind,
        "search_query": query,
        "searched": searching,
        "candidates": candidates,
        "search_button": SEARCH_BUTTON,
        "pick_name": ProjectForm.PICK,
    }


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def project_delete(request, project):
    government = request.government
    instance = get_object_or_404(
        Project.objects.filter(government=government).select_related("budget__process"), pk=project
    )
    now = timezone.now()
    refusal = (
        _("Voting has opened in this process: its projects cannot be deleted.")
        if services.locked(instance.budget.process, now)
        else ""
    )
    form = ConfirmForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.project_delete(actor=request.user, government=government, project=instance, now=now)
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            messages.success(request, _("The project was deleted."))
            return redirect("participation:office_budget", pk=instance.budget_id)
    context = confirm_delete_context(
        obj=instance,
        form=form,
        cancel_url=_back(instance.budget),
        consequence=_("The project leaves the ballot; the audit log keeps a record."),
        refusal=refusal,
    )
    return render(
        request, "core/confirm_delete.html", context, status=409 if refusal and request.method == "POST" else 200
    )


# Paper batches ----------------------------------------------------------------------------------


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def batch_enter(request, pk):
    government = request.government
    budget = _budget(request, pk)
    form = BatchForm(_posted(request))
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            batch = paper.batch_enter(
                actor=request.user,
                government=government,
                budget=budget,
                place=form.cleaned_data["place"],
                voted_on=form.cleaned_data["voted_on"],
                text=form.cleaned_data["ballots"],
            )
        except paper.BatchRefused as error:
            problems = error.problems
            form.add_error(None, error.messages)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The batch was entered: review it and confirm it."))
            return redirect("participation:office_batch", batch=batch.pk)
    numbers = [(n, p) for n, p in enumerate(selectors.projects_of(government, budget), start=1)]
    context = {"form": form, "budget": budget, "problems": problems, "numbers": numbers}
    return render(request, "participation/budgets/office/batch_form.html", context, status=400 if problems else 200)


def _batch(request, pk) -> PaperBatch:
    return get_object_or_404(
        PaperBatch.objects.filter(government=request.government).select_related("budget__process", "entered_by"), pk=pk
    )


@requires(VIEW)
def batch_detail(request, batch):
    government = request.government
    found = _batch(request, batch)
    context = {
        "batch": found,
        "budget": found.budget,
        "totals": paper.batch_totals(government, found) if found.status == PaperBatch.Status.REVIEW else [],
        "can_edit": request.user.has_perm(EDIT, government),
        "problems": [],
    }
    return render(request, "participation/budgets/office/batch_detail.html", context)


@requires(EDIT)
@require_POST
def batch_confirm(request, batch):
    government = request.government
    found = _batch(request, batch)
    try:
        paper.batch_confirm(actor=request.user, government=government, batch=found)
    except paper.BatchRefused as error:
        context = {
            "batch": found,
            "budget": found.budget,
            "totals": paper.batch_totals(government, found),
            "can_edit": True,
            "problems": error.problems,
            "error": error.messages[0],
        }
        return render(request, "participation/budgets/office/batch_detail.html", context, status=409)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("participation:office_batch", batch=found.pk)
    messages.success(request, _("The batch was confirmed: its ballots are counted."))
    return redirect("participation:office_budget", pk=found.budget_id)


def _act(request, service, *, success, **objects) -> None:
    """Run a one-button service as the official, saying what happened or why it was refused."""
    try:
        service(actor=request.user, government=request.government, **objects)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)


@requires(EDIT)
@require_POST
def batch_discard(request, batch):
    found = _batch(request, batch)
    _act(request, paper.batch_discard, batch=found, success=_("The batch was discarded."))
    return redirect("participation:office_budget", pk=found.budget_id)


# Count, publication, overrides ------------------------------------------------------------------


@requires(EDIT)
@require_POST
def budget_tally(request, pk):
    budget = _budget(request, pk)
    _act(
        request,
        counting.count_queue,
        budget=budget,
        success=_("The count has started: this page shows how it goes, then the result to check before publishing."),
    )
    return redirect("participation:office_budget", pk=budget.pk)


@requires(EDIT)
@require_POST
def result_publish(request, pk):
    budget = _budget(request, pk)
    _act(request, tallying.result_publish, budget=budget, success=_("The result is published."))
    return redirect("participation:office_budget", pk=budget.pk)


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def override_add(request, pk):
    government = request.government
    budget = _budget(request, pk)
    projects = Project.objects.filter(government=government, budget=budget).order_by("position", "title")
    form = OverrideForm(_posted(request), projects=projects)
    if request.method == "POST" and form.is_valid():
        try:
            tallying.override_add(
                actor=request.user,
                government=government,
                budget=budget,
                project=form.cleaned_data["project"],
                action=form.cleaned_data["action"],
                justification=form.cleaned_data["justification"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The override was recorded and is published with the result."))
            return redirect("participation:office_budget", pk=budget.pk)
    return render(request, "participation/budgets/office/override_form.html", {"form": form, "budget": budget})
