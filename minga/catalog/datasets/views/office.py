"""Back-office screens (datos/gestion/…): viewers see the lists and the dataset pages;
editors create, edit, publish and delete datasets, add and replace resources, manage themes
and licences and answer data requests. Each view validates the form and makes one service
call."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from minga.core.access import requires
from minga.core.crud import apply_validation_error, confirm_delete_context

from ...quality import freshness
from ...refresh import services as refresh
from ...tables import selectors as table_selectors
from ...tables import services as table_services
from ...tables import versions
from ...tables.models import ResourceLoad
from ...view_helpers import EDIT, VIEW, can_edit, posted
from .. import publishers, selectors, services
from ..forms import ColumnDictionaryForm, ConfirmForm, DatasetForm, LicenceForm, ResourceForm, ThemeForm, split_words
from ..models import Dataset, Licence, Resource, Theme

PAGE_SIZE = 50
# The services check a resource's file as "file"; the form uploads it as "upload".
RESOURCE_FIELD_MAP = {"file": "upload"}


def _datasets(government):
    return Dataset.objects.filter(government=government)


# Datasets --------------------------------------------------------------------------------


@requires(VIEW)
def dataset_list(request):
    status = request.GET.get("estado", "")
    query = request.GET.get("q", "").strip()[:100]
    datasets = selectors.office_datasets(request.government, status=status, query=query)
    context = {
        "page": Paginator(datasets, PAGE_SIZE).get_page(request.GET.get("pagina")),
        "status": status,
        "statuses": [("publicados", _("Published")), ("borradores", _("Not published"))],
        "q": query,
        "today": timezone.localdate(),
        "can_edit": can_edit(request),
    }
    return render(request, "catalog/office/dataset_list.html", context)


@requires(VIEW)
def dataset_detail(request, pk):
    dataset = get_object_or_404(_datasets(request.government).select_related("licence"), pk=pk)
    resources = list(selectors.dataset_resources(dataset))
    loads = table_selectors.last_loads(resources)
    for resource in resources:
        resource.last_load = loads.get(resource.pk)
    context = {
        "dataset": dataset,
        "resources": resources,
        "versions": selectors.version_history(dataset, limit=50),
        "overdue": freshness.is_overdue(dataset, today=timezone.localdate()),
        "can_edit": can_edit(request),
        "publisher": publishers.Directory().of(dataset, request.government),
    }
    return render(request, "catalog/office/dataset_detail.html", context)


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def dataset_edit(request, pk=None):
    government = request.government
    dataset = get_object_or_404(_datasets(government), pk=pk) if pk else None
    if dataset is None:
        services.licences_ensure_defaults(actor=request.user, government=government)
    form = DatasetForm(posted(request), instance=dataset, government=government)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        themes = list(form.cleaned_data["themes"])
        tags = split_words(form.cleaned_data.get("tag_names", ""))
        try:
            if dataset is None:
                saved = services.dataset_create(
                    actor=request.user, government=government, themes=themes, tags=tags, **fields
                )
            else:
                saved = services.dataset_update(
                    actor=request.user,
                    government=government,
                    dataset=dataset,
                    themes=themes,
                    tags=tags,
                    **fields,
                )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The dataset “%(title)s” was saved.") % {"title": saved.title})
            return redirect("catalog:office_dataset", pk=saved.pk)
    return render(request, "catalog/office/dataset_form.html", {"form": form, "dataset": dataset})


@requires(EDIT)
@require_POST
def dataset_publish(request, pk):
    government = request.government
    dataset = get_object_or_404(_datasets(government), pk=pk)
    publish = request.POST.get("publicar") == "1"
    try:
        services.dataset_set_published(actor=request.user, government=government, dataset=dataset, is_published=publish)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if publish:
            messages.success(request, _("“%(title)s” is now published.") % {"title": dataset.title})
        else:
            messages.success(request, _("“%(title)s” is no longer published.") % {"title": dataset.title})
    if request.POST.get("volver") == "detalle":
        return redirect("catalog:office_dataset", pk=dataset.pk)
    return redirect("catalog:office_datasets")


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def dataset_delete(request, pk):
    government = request.government
    dataset = get_object_or_404(_datasets(government), pk=pk)
    form = ConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        services.dataset_delete(actor=request.user, government=government, dataset=dataset)
        messages.success(request, _("The dataset “%(title)s” was deleted.") % {"title": dataset.title})
        return redirect("catalog:office_datasets")
    context = confirm_delete_context(obj=dataset, form=form, cancel_url=reverse("catalog:office_datasets"))
    return render(request, "core/confirm_delete.html", context)


# Resources -------------------------------------------------------------------------------


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def resource_edit(request, pk=None, dataset_pk=None):
    government = request.government
    if pk:
        resource = get_object_or_404(Resource.objects.filter(government=government).select_related("dataset"), pk=pk)
        dataset = resource.dataset
    else:
        resource = None
        dataset = get_object_or_404(_datasets(government), pk=dataset_pk)
    was_upload = resource is not None and resource.kind == Resource.Kind.UPLOAD
    form = ResourceForm(
        posted(request), request.FILES or None, instance=resource, government=government, dataset=dataset
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        upload = form.cleaned_data.get("upload")
        try:
            if resource is None:
                saved = services.resource_add(
                    actor=request.user,
                    government=government,
                    dataset=dataset,
                    file=upload,
                    **fields,
                )
            else:
                saved = services.resource_update(
                    actor=request.user,
                    government=government,
                    resource=resource,
                    file=upload,
                    **fields,
                )
        except ValidationError as error:
            apply_validation_error(form, error, field_map=RESOURCE_FIELD_MAP)
        else:
            messages.success(request, _("The resource “%(title)s” was saved.") % {"title": saved.title})
            if refresh.is_remote(saved) and saved.next_check_at and saved.next_check_at <= timezone.now():
                # A new source kept current: fetch it now rather than at the next scheduler pass.
                refresh.refresh_requested(actor=request.user, government=government, resource=saved)
                messages.info(request, _("The data will be fetched from its source now; the result is on this page."))
                return redirect("catalog:office_resource", pk=saved.pk)
            if upload or (was_upload and saved.kind != Resource.Kind.UPLOAD):
                load = table_services.resource_data_changed(actor=request.user, government=government, resource=saved)
                if load is not None:
                    messages.info(request, _("The file will be loaded as a table; its report is on this page."))
                    return redirect("catalog:office_resource", pk=saved.pk)
            return redirect("catalog:office_dataset", pk=dataset.pk)
    context = {"form": form, "resource": resource, "dataset": dataset}
    return render(request, "catalog/office/resource_form.html", context)


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def resource_delete(request, pk):
    government = request.government
    resource = get_object_or_404(Resource.objects.filter(government=government), pk=pk)
    form = ConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        dataset_pk = resource.dataset_id
        services.resource_remove(actor=request.user, government=government, resource=resource)
        messages.success(request, _("The resource “%(title)s” was removed.") % {"title": resource.title})
        return redirect("catalog:office_dataset", pk=dataset_pk)
    context = confirm_delete_context(obj=resource, form=form, cancel_url=reverse("catalog:office_datasets"))
    return render(request, "core/confirm_delete.html", context)


@requires(VIEW)
def resource_detail(request, pk):
    """The resource as the datastore sees it: the last load in plain words, the columns with
    their types and statistics, and the button to load the file again."""
    government = request.government
    resource = get_object_or_404(Resource.objects.filter(government=government).select_related("dataset"), pk=pk)
    load = table_selectors.last_load(resource)
    table = table_selectors.resource_table(resource)
    context = {
        "resource": resource,
        "dataset": resource.dataset,
        "load": load,
        "progress": table_services.load_progress(load),
        "report": table_selectors.describe_report(load),
        "loads": table_selectors.resource_loads(resource),
        "table": table,
        "columns": table_selectors.columns_for(table, table_selectors.column_dictionary(resource)) if table else [],
        "tabular": table_services.resource_is_tabular(resource),
        "can_edit": can_edit(request),
        "remote": refresh.is_remote(resource),
        "versions": versions.versions(resource, limit=20),
    }
    return render(request, "catalog/office/resource_detail.html", context)


@requires(EDIT)
@require_POST
def resource_load(request, pk):
    government = request.government
    resource = get_object_or_404(Resource.objects.filter(government=government), pk=pk)
    try:
        table_services.resource_load_requested(
            actor=request.user, government=government, resource=resource, trigger=ResourceLoad.Trigger.MANUAL
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The file will be loaded again; the current table stays available meanwhile."))
    return redirect("catalog:office_resource", pk=resource.pk)


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def resource_dictionary(request, pk):
    """Label, description and unit per column; type and statistics come from the loaded table."""
    government = request.government
    resource = get_object_or_404(Resource.objects.filter(government=government).select_related("dataset"), pk=pk)
    table = table_selectors.resource_table(resource)
    if table is None:
        messages.error(request, _("Load the file as a table before describing its columns."))
        return redirect("catalog:office_resource", pk=resource.pk)
    dictionary = table_selectors.column_dictionary(resource)
    columns = table_selectors.columns_for(table, dictionary)
    form = ColumnDictionaryForm(posted(request), columns=columns, dictionary=dictionary)
    if request.method == "POST" and form.is_valid():
        try:
            services.column_dictionary_update(
                actor=request.user, government=government, resource=resource, entries=form.entries()
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The data dictionary was saved."))
            return redirect("catalog:office_resource", pk=resource.pk)
    context = {"resource": resource, "dataset": resource.dataset, "form": form, "table": table}
    return render(request, "catalog/office/resource_dictionary.html", context)


# Themes and licences ---------------------------------------------------------------------


@requires(VIEW)
def vocabularies(request):
    government = request.government
    context = {
        "themes": selectors.themes(government),
        "licences": selectors.licences(government),
        "can_edit": can_edit(request),
    }
    return render(request, "catalog/office/vocabularies.html", context)


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def theme_edit(request, pk=None):
    government = request.government
    theme = get_object_or_404(Theme.objects.filter(government=government), pk=pk) if pk else None
    form = ThemeForm(posted(request), instance=theme, government=government)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if theme is None:
                saved = services.theme_create(actor=request.user, government=government, **fields)
            else:
                saved = services.theme_update(actor=request.user, government=government, theme=theme, **fields)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The theme “%(name)s” was saved.") % {"name": saved.name})
            return redirect("catalog:office_vocabularies")
    context = {"form": form, "object": theme, "heading": _("Theme")}
    return render(request, "catalog/office/simple_form.html", context)


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def theme_delete(request, pk):
    government = request.government
    theme = get_object_or_404(Theme.objects.filter(government=government), pk=pk)
    form = ConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        services.theme_delete(actor=request.user, government=government, theme=theme)
        messages.success(request, _("The theme “%(name)s” was deleted.") % {"name": theme.name})
        return redirect("catalog:office_vocabularies")
    context = confirm_delete_context(obj=theme, form=form, cancel_url=reverse("catalog:office_vocabularies"))
    return render(request, "core/confirm_delete.html", context)


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def licence_edit(request, pk=None):
    government = request.government
    licence = get_object_or_404(Licence.objects.filter(government=government), pk=pk) if pk else None
    form = LicenceForm(posted(request), instance=licence, government=government)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if licence is None:
                saved = services.licence_create(actor=request.user, government=government, **fields)
            else:
                saved = services.licence_update(actor=request.user, government=government, licence=licence, **fields)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The licence “%(name)s” was saved.") % {"name": saved.name})
            return redirect("catalog:office_vocabularies")
    context = {"form": form, "object": licence, "heading": _("Licence")}
    return render(request, "catalog/office/simple_form.html", context)


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def licence_delete(request, pk):
    government = request.government
    licence = get_object_or_404(Licence.objects.filter(government=government), pk=pk)
    refusal = services.licence_delete_refusal(licence=licence)
    form = ConfirmForm(posted(request))
    if request.method == "POST" and not refusal and form.is_valid():
        services.licence_delete(actor=request.user, government=government, licence=licence)
        messages.success(request, _("The licence “%(name)s” was deleted.") % {"name": licence.name})
        return redirect("catalog:office_vocabularies")
    context = confirm_delete_context(
        obj=licence, form=form, cancel_url=reverse("catalog:office_vocabularies"), refusal=refusal
    )
    status = 409 if refusal and request.method == "POST" else 200
    return render(request, "core/confirm_delete.html", context, status=status)
