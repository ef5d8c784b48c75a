"""Back-office screens (obras/gestion/…): viewers see the lists; editors create and edit
projects and post progress (citizens' comments are moderated and answered in core's
moderation queue, /gestion/comentarios/). Each view validates its form and makes one
service call."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from minga.core import registry
from minga.core.access import requires
from minga.core.comments import selectors as comment_selectors
from minga.core.crud import apply_validation_error, confirm_delete_context

from .. import imports, indicators, selectors, services
from ..apps import EDIT, MODERATE, VIEW_BACKOFFICE
from ..comments import KINDS as COMMENT_KINDS
from ..comments import TARGET as COMMENT_TARGET
from ..forms import ConfirmForm, ImportForm, LinkSearchForm, ProgressForm, ProjectForm
from ..models import ProgressUpdate, Project, Status

PAGE_SIZE = 50
PICKER_LIMIT = 20
# The picker's kind (as in its address) -> the project form field its keys go to.
PICKER_FIELDS = {"partida": "budget_lines", "proceso": "ocids"}


def _posted(request):
    return request.POST if request.method == "POST" else None


def _projects(request):
    return Project.objects.filter(government=request.government)


@requires(VIEW_BACKOFFICE)
def project_list(request):
    query = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("estado", "")
    projects = selectors.office_projects(request.government, query=query, status=status)
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("pagina"))
    indicators.attach(page.object_list, government=request.government, today=timezone.localdate())
    context = {
        "page": page,
        "q": query,
        "status": status,
        "statuses": Status.choices,
        "can_edit": request.user.has_perm(EDIT, request.government),
    }
    return render(request, "works/office/project_list.html", context)


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def project_edit(request, pk=None):
    government = request.government
    project = get_object_or_404(_projects(request), pk=pk) if pk else None
    form = ProjectForm(_posted(request), instance=project, government=government)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        try:
            if project is None:
                saved = services.project_create(
                    actor=request.user,
                    government=government,
                    location=form.cleaned_data["location"],
                    links=form.service_links(),
                    **fields,
                )
            else:
                saved = services.project_update(
                    actor=request.user,
                    government=government,
                    project=project,
                    location=form.cleaned_data["location"],
                    links=form.service_links(),
                    **fields,
                )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The project “%(title)s” was saved.") % {"title": saved.title})
            return redirect("works:office_project", pk=saved.pk)
    return render(request, "works/office/project_form.html", {"form": form, "project": project})


@requires(VIEW_BACKOFFICE)
def project_office_detail(request, pk):
    project = get_object_or_404(_projects(request).prefetch_related("links"), pk=pk)
    indicators.attach([project], government=request.government, today=timezone.localdate())
    comments = list(comment_selectors.object_comments(request.government, COMMENT_TARGET, project.pk))
    for comment in comments:
        comment.kind_label = dict(COMMENT_KINDS).get(comment.kind, "")
    context = {
        "project": project,
        "timeline": selectors.project_timeline(project),
        "comments": comments,
        "can_edit": request.user.has_perm(EDIT, request.government),
        "can_moderate": request.user.has_perm(MODERATE, request.government),
    }
    return render(request, "works/office/project_detail.html", context)


@requires(EDIT)
@require_POST
def project_publish(request, pk):
    project = get_object_or_404(_projects(request), pk=pk)
    published = request.POST.get("publicar") == "1"
    services.project_publish(actor=request.user, government=request.government, project=project, published=published)
    if published:
        messages.success(request, _("The project is public."))
    else:
        messages.info(request, _("The project is no longer public."))
    return redirect("works:office_project", pk=project.pk)


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def project_delete(request, pk):
    project = get_object_or_404(_projects(request), pk=pk)
    form = ConfirmForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        services.project_delete(actor=request.user, government=request.government, project=project)
        messages.success(request, _("The project “%(title)s” was deleted.") % {"title": project.title})
        return redirect("works:office_projects")
    context = confirm_delete_context(
        obj=project,
        form=form,
        cancel_url=reverse("works:office_project", kwargs={"pk": project.pk}),
        heading=_("Delete “%(title)s”?") % {"title": project.title},
        consequence=_(
            "Its progress timeline, photos and citizen comments are deleted with it. "
            "To take it off the public pages only, unpublish it instead."
        ),
        title=project.title,
    )
    return render(request, "core/confirm_delete.html", context)


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def progress_create(request, pk):
    government = request.government
    project = get_object_or_404(_projects(request), pk=pk)
    form = ProgressForm(_posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.progress_post(
                actor=request.user,
                government=government,
                project=project,
                reported_on=data["reported_on"],
                physical_progress=data["physical_progress"],
                financial_progress=data["financial_progress"],
                amount_paid=data["amount_paid"],
                note=data["note"],
                photos=data["photos"],
                caption=data["caption"],
                keep_position=data["keep_position"],
                documents=data["documents"],
                document_files=data["document_files"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The progress update was published."))
            return redirect("works:office_project", pk=project.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "works/office/progress_form.html", {"form": form, "project": project}, status=status)


@requires(EDIT)
@require_POST
def progress_delete(request, pk):
    update = get_object_or_404(ProgressUpdate.objects.filter(government=request.government), pk=pk)
    project = services.progress_delete(actor=request.user, government=request.government, update=update)
    messages.success(request, _("The progress update was withdrawn."))
    return redirect("works:office_project", pk=project.pk)


@requires(MODERATE)
@require_GET
def comment_queue(request):
    return redirect(reverse("core:comment_queue") + f"?tipo={COMMENT_TARGET}&estado=sin-respuesta")


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def project_import(request):
    """Load works from a GeoJSON file: all or nothing, with a report of every problem."""
    form = ImportForm(_posted(request), request.FILES or None)
    result, problems = None, []
    if request.method == "POST" and form.is_valid():
        try:
            result = imports.projects_import(
                actor=request.user,
                government=request.government,
                raw=form.cleaned_data["file"].read(),
                declared_crs=form.cleaned_data["crs"],
            )
        except imports.ImportRefused as refused:
            problems = refused.problems
    status = 400 if problems or (request.method == "POST" and not form.is_valid()) else 200
    context = {"form": form, "result": result, "problems": problems}
    return render(request, "works/office/import.html", context, status=status)


def _htmx(request) -> bool:
    # A history restore asks for the whole page again.
    return request.headers.get("HX-Request") == "true" and "HX-History-Restore-Request" not in request.headers


@requires(EDIT)
@require_GET
def link_search(request):
    """Budget lines and contracting processes to link, found through the registry: a page of
    its own without JavaScript (the project form opens it beside itself), only the results
    with an "add" button for htmx inside the project form."""
    form = LinkSearchForm({"tipo": request.GET.get("tipo", "partida"), "q": request.GET.get("q", "")[:100]})
    results, tipo = [], ""
    if form.is_valid():
        tipo = form.cleaned_data["tipo"]
        kind = LinkSearchForm.KINDS[tipo]
        results = registry.search_links(request.government, kind, form.cleaned_data["q"], PICKER_LIMIT)
    context = {
        "form": form,
        "results": results,
        "tipo": tipo,
        "field": PICKER_FIELDS.get(tipo, ""),
        "query": form.cleaned_data.get("q", "") if form.is_valid() else "",
        "in_form": _htmx(request),
    }
    template = "works/office/includes/link_results.html" if _htmx(request) else "works/office/link_search.html"
    response = render(request, template, context, status=200 if form.is_valid() else 400)
    patch_vary_headers(response, ["HX-Request", "HX-History-Restore-Request"])
    return response


@requires(EDIT)
@require_GET
def link_add(request):
    """The project form's list of keys with one more (for htmx: the picker's "add" button sends
    the list as typed so far and swaps in the answer). Nothing is saved: the form's own
    submission validates and saves the links."""
    tipo = request.GET.get("tipo", "partida")
    tipo = tipo if tipo in PICKER_FIELDS else "partida"
    field = PICKER_FIELDS[tipo]
    keys = [line.strip() for line in request.GET.get(field, "")[:20_000].splitlines() if line.strip()]
    key = request.GET.get("clave", "").strip()[:120]
    record = registry.resolve_links(request.government, LinkSearchForm.KINDS[tipo], [key]).get(key) if key else None
    if record is not None and key not in keys:
        keys.append(key)
    form = ProjectForm(initial={field: "\n".join(keys)}, government=request.government)
    context = {"field": form[field], "record": record, "key": key}
    return render(request, "works/office/includes/link_field.html", context)
