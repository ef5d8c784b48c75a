"""Back office of results (participacion/gestion/resultados/…): viewers see each process's
tree; editors create, edit and delete results, add timeline entries, link records (picked
through the registry's search), take a linked work's progress, and import a CSV."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from minga.core import registry
from minga.core.access import requires
from minga.core.crud import confirm_delete_context, submit

from ...processes.models import Process
from .. import catalog, imports, selectors, services
from ..forms import ConfirmForm, ImportForm, LinkForm, ResultForm, TimelineForm
from ..models import Result, ResultLink, TimelineEntry

VIEW = "participation.view_backoffice"
EDIT = "participation.edit"


def _posted(request):
    return request.POST if request.method == "POST" else None


def _process(request, pk) -> Process:
    return get_object_or_404(Process.objects.filter(government=request.government), pk=pk)


def _result(request, pk) -> Result:
    return get_object_or_404(
        Result.objects.filter(government=request.government).select_related("process", "parent"), pk=pk
    )


@requires(VIEW)
def process_list(request):
    processes = (
        Process.objects.filter(government=request.government)
        .annotate(result_count=Count("results"))
        .order_by("-starts_at", "title")
    )
    return render(request, "participation/results/office/process_list.html", {"processes": processes})


@requires(VIEW)
def process_results(request, pk):
    government = request.government
    process = _process(request, pk)
    tree = selectors.build_tree(government, selectors.office_results(government, process))
    context = {
        "process": process,
        "nodes": selectors.flatten(tree),
        "overall": selectors.overall_progress(tree),
        "can_edit": request.user.has_perm(EDIT, government),
    }
    return render(request, "participation/results/office/process_results.html", context)


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def result_create(request, pk):
    government = request.government
    process = _process(request, pk)
    parents = selectors.flatten(selectors.build_tree(government, selectors.office_results(government, process)))
    initial = {"weight": 1, "parent": request.GET.get("padre") or None}
    form = ResultForm(_posted(request), initial=initial, government=government, process=process, parents=parents)
    done = submit(
        form,
        lambda: services.result_create(
            actor=request.user,
            government=government,
            process=process,
            values=form.values(),
            parent=_parent(government, process, form.cleaned_data.get("parent")),
        ),
    )
    if done:
        messages.success(request, _("The result “%(title)s” was saved.") % {"title": done.value.title})
        return redirect("participation:office_result_edit", pk=done.value.pk)
    return render(request, "participation/results/office/result_form.html", {"form": form, "process": process})


def _parent(government, process, pk):
    if not pk:
        return None
    return get_object_or_404(Result.objects.filter(government=government, process=process), pk=pk)


def _result_page(request, result, *, form=None, timeline_form=None, link_form=None, status=200):
    government = request.government
    process = result.process
    parents = selectors.flatten(selectors.build_tree(government, selectors.office_results(government, process)))
    if form is None:
        initial = {name: getattr(result, name) for name in services.FIELDS}
        initial["parent"] = result.parent_id
        form = ResultForm(initial=initial, government=government, process=process, result=result, parents=parents)
    links = selectors.linked(government, result, with_missing=True)
    kind = request.GET.get("tipo", "")
    query = request.GET.get("buscar", "").strip()[:100]
    found = registry.search_links(government, kind, query, 20) if kind in catalog.LINK_KIND_MAP else []
    stored = {link.pk: link for link in ResultLink.objects.filter(government=government, result=result)}
    context = {
        "process": process,
        "result": result,
        "form": form,
        "timeline_form": timeline_form or TimelineForm(),
        "link_form": link_form or LinkForm(initial={"kind": kind or catalog.WORKS_KIND}),
        "timeline": selectors.timeline_of(government, result),
        "links": links,
        "stored_links": sorted(stored.values(), key=lambda link: (link.kind, link.key)),
        "works": selectors.work_progress(links),
        "link_kinds": catalog.LINK_KINDS,
        "search_kind": kind,
        "search_query": query,
        "search_found": found,
        "searched": kind in catalog.LINK_KIND_MAP,
        "has_children": result.children.exists(),
    }
    return render(request, "participation/results/office/result_edit.html", context, status=status)


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def result_edit(request, pk):
    government = request.government
    result = _result(request, pk)
    if request.method != "POST":
        return _result_page(request, result)
    parents = selectors.flatten(selectors.build_tree(government, selectors.office_results(government, result.process)))
    form = ResultForm(request.POST, government=government, process=result.process, result=result, parents=parents)
    done = submit(
        form,
        lambda: services.result_update(
            actor=request.user,
            government=government,
            result=result,
            values=form.values(),
            parent=_parent(government, result.process, form.cleaned_data.get("parent")),
        ),
    )
    if done:
        messages.success(request, _("The result “%(title)s” was saved.") % {"title": done.value.title})
        return redirect("participation:office_result_edit", pk=done.value.pk)
    return _result_page(request, result, form=form)


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def result_delete(request, pk):
    result = _result(request, pk)
    form = ConfirmForm(_posted(request))
    back = reverse("participation:office_process_results", kwargs={"pk": result.process_id})
    if request.method == "POST" and form.is_valid():
        services.result_delete(actor=request.user, government=request.government, result=result)
        messages.success(request, _("The result “%(title)s” was deleted.") % {"title": result.title})
        return redirect(back)
    context = confirm_delete_context(
        obj=result,
        form=form,
        cancel_url=reverse("participation:office_result_edit", kwargs={"pk": result.pk}),
        consequence=_(
            "The result, its sub-results, its timeline and its links leave the portal and the API; the audit log keeps a record."
        ),
    )
    return render(request, "core/confirm_delete.html", context)


@requires(EDIT)
@require_POST
def timeline_add(request, pk):
    result = _result(request, pk)
    form = TimelineForm(request.POST)
    if submit(
        form,
        lambda: services.timeline_add(
            actor=request.user, government=request.government, result=result, **form.cleaned_data
        ),
    ):
        messages.success(request, _("The step was added to the timeline."))
        return redirect("participation:office_result_edit", pk=result.pk)
    return _result_page(request, result, timeline_form=form, status=400)


@requires(EDIT)
@require_POST
def timeline_delete(request, pk):
    entry = get_object_or_404(TimelineEntry.objects.filter(government=request.government), pk=pk)
    services.timeline_delete(actor=request.user, government=request.government, entry=entry)
    messages.success(request, _("The step was removed from the timeline."))
    return redirect("participation:office_result_edit", pk=entry.result_id)


@requires(EDIT)
@require_POST
def link_add(request, pk):
    result = _result(request, pk)
    form = LinkForm(request.POST)
    if submit(
        form,
        lambda: services.link_add(
            actor=request.user, government=request.government, result=result, **form.cleaned_data
        ),
    ):
        messages.success(request, _("The link was added."))
        return redirect("participation:office_result_edit", pk=result.pk)
    return _result_page(request, result, link_form=form, status=400)


@requires(EDIT)
@require_POST
def link_remove(request, pk):
    link = get_object_or_404(ResultLink.objects.filter(government=request.government), pk=pk)
    services.link_remove(actor=request.user, government=request.government, link=link)
    messages.success(request, _("The link was removed."))
    return redirect("participation:office_result_edit", pk=link.result_id)


@requires(EDIT)
@require_POST
def use_work_progress(request, pk):
    result = _result(request, pk)
    try:
        services.use_work_progress(
            actor=request.user, government=request.government, result=result, key=request.POST.get("obra", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The result now shows the work's physical progress."))
    return redirect("participation:office_result_edit", pk=result.pk)


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def results_import(request, pk):
    government = request.government
    process = _process(request, pk)
    form = ImportForm(_posted(request), request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            report = imports.import_results(
                actor=request.user, government=government, process=process, content=form.cleaned_data["file"].read()
            )
        except imports.ImportRefused as error:
            problems = error.problems
        else:
            messages.success(
                request,
                _("Import done: %(created)s results created, %(updated)s updated.")
                % {"created": report.created, "updated": report.updated},
            )
            return redirect("participation:office_process_results", pk=process.pk)
    context = {"form": form, "process": process, "problems": problems, "columns": imports.COLUMNS}
    return render(request, "participation/results/office/import.html", context, status=400 if problems else 200)
