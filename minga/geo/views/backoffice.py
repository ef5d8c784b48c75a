"""Back-office screens (geovisor/gestion/…): viewers see the layers, editors upload, edit and
delete them and their choropleths. A refused upload shows the report of every problem, keeps
what was typed in the form, and leaves the previous version of the layer live."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from minga.core.access import requires
from minga.core.crud import apply_validation_error, confirm_delete_context

from .. import importing, selectors, services
from ..apps import EDIT, VIEW_BACKOFFICE
from ..forms import ChoroplethForm, ConfirmForm, LayerForm, NewLayerForm, UploadForm, read_upload
from ..models import Choropleth, Layer, LayerImport

REPORT_LIMIT = 200


def _posted(request):
    return request.POST if request.method == "POST" else None


def _files(request):
    return request.FILES if request.method == "POST" else None


def _delete_context(obj, form) -> dict:
    consequence = _(
        "This removes it from the map, the downloads, the API and OGC API – Features. "
        "The audit log keeps a record of the deletion."
    )
    return confirm_delete_context(obj=obj, form=form, cancel_url=reverse("geo:office_layers"), consequence=consequence)


def _layer(request, pk) -> Layer:
    return get_object_or_404(Layer.objects.filter(government=request.government), pk=pk)


def _report_context(report) -> dict:
    return {
        "report": report,
        "problems": report.problems[:REPORT_LIMIT],
        "problems_hidden": max(0, len(report.problems) - REPORT_LIMIT),
        "repaired": report.repaired[:REPORT_LIMIT],
        "repaired_hidden": max(0, len(report.repaired) - REPORT_LIMIT),
    }


@requires(VIEW_BACKOFFICE)
def layer_list(request):
    government = request.government
    query = request.GET.get("q", "").strip()[:100]
    context = {
        "layers": selectors.office_layers(government, query=query),
        "choropleths": selectors.office_choropleths(government),
        "q": query,
        "can_edit": request.user.has_perm(EDIT, government),
    }
    return render(request, "geo/office/layer_list.html", context)


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def layer_create(request):
    """The layer's details and its first file: the layer is saved at once (not public until it
    has features) and a background job imports the file; its page shows how it goes."""
    government = request.government
    form = NewLayerForm(_posted(request), _files(request), government=government)
    if request.method == "POST" and form.is_valid():
        try:
            found = importing.layer_create_requested(
                actor=request.user,
                government=government,
                upload=form.cleaned_data["file"],
                declared_crs=form.cleaned_data["crs"],
                **form.service_fields(),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("The layer “%(title)s” was created; its file is being imported.") % {"title": found.layer.title},
            )
            return redirect("geo:office_layer_import", pk=found.pk)
    return render(request, "geo/office/layer_form.html", {"form": form})


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def layer_edit(request, pk):
    government = request.government
    layer = _layer(request, pk)
    form = LayerForm(_posted(request), instance=layer, government=government)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.layer_update(
                actor=request.user, government=government, layer=layer, **form.service_fields()
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The layer “%(title)s” was saved.") % {"title": saved.title})
            return redirect("geo:office_layers")
    return render(request, "geo/office/layer_form.html", {"form": form, "layer": layer})


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def layer_upload(request, pk):
    """A new version of the layer's features: the file is stored and a background job imports
    it; the version before stays live until the new one is stored whole."""
    government = request.government
    layer = _layer(request, pk)
    form = UploadForm(_posted(request), _files(request))
    if request.method == "POST" and form.is_valid():
        found = importing.import_requested(
            actor=request.user,
            government=government,
            layer=layer,
            upload=form.cleaned_data["file"],
            declared_crs=form.cleaned_data["crs"],
        )
        messages.success(request, _("%(name)s was received and is being imported.") % {"name": found.file_name})
        return redirect("geo:office_layer_import", pk=found.pk)
    latest = importing.latest_import(layer)
    context = {"form": form, "layer": layer, "latest": latest, "progress": importing.latest_progress(layer)}
    return render(request, "geo/office/upload_form.html", context)


@requires(VIEW_BACKOFFICE)
def layer_import(request, pk):
    """How an import of a layer's file goes: its progress while a job works on it (polled by
    htmx, or reloaded), then the report of what was read, repaired or refused."""
    found = get_object_or_404(LayerImport.objects.filter(government=request.government).select_related("layer"), pk=pk)
    report = found.report or {}
    context = {
        "found": found,
        "layer": found.layer,
        "progress": importing.progress_of(found),
        "can_edit": request.user.has_perm(EDIT, request.government),
        **_report_context(_Report(report)),
    }
    response = render(request, "geo/office/import_detail.html", context)
    if found.is_waiting:
        response["Cache-Control"] = "no-store"  # reloaded to follow the import
    return response


class _Report(dict):
    """A stored report read like ``services.ImportReport`` by the report template."""

    def __getattr__(self, name):
        return self.get(name, [] if name in ("problems", "repaired", "notes") else "")


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def layer_delete(request, pk):
    layer = _layer(request, pk)
    form = ConfirmForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        services.layer_delete(actor=request.user, government=request.government, layer=layer)
        messages.success(request, _("The layer “%(title)s” was deleted.") % {"title": layer.title})
        return redirect("geo:office_layers")
    return render(request, "core/confirm_delete.html", _delete_context(layer, form))


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def choropleth_create(request):
    government = request.government
    form = ChoroplethForm(_posted(request), _files(request), government=government)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            choropleth, report = services.choropleth_create(
                actor=request.user,
                government=government,
                layer=data["layer"],
                title=data["title"],
                join_property=data["join_property"],
                value_label=data["value_label"],
                value_column=data["value_column"],
                code_column=data["code_column"],
                is_public=data["is_public"],
                file_name=data["file"].name,
                data=read_upload(data["file"]),
            )
        except services.ImportRefused as refused:
            context.update(_report_context(refused.report))
            form.add_error("file", _("The table was not imported: see the report above. Nothing was saved."))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            text = _("The choropleth “%(title)s” colours %(count)s areas.") % {
                "title": choropleth.title,
                "count": report.feature_count,
            }
            if report.unmatched_codes:
                text += " " + _("%(count)s codes of the table match no area: %(codes)s.") % {
                    "count": len(report.unmatched_codes),
                    "codes": ", ".join(report.unmatched_codes[:20]),
                }
            messages.success(request, text)
            return redirect("geo:office_layers")
    return render(request, "geo/office/choropleth_form.html", context)


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def choropleth_delete(request, pk):
    choropleth = get_object_or_404(Choropleth.objects.filter(government=request.government), pk=pk)
    form = ConfirmForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        services.choropleth_delete(actor=request.user, government=request.government, choropleth=choropleth)
        messages.success(request, _("The choropleth “%(title)s” was deleted.") % {"title": choropleth.title})
        return redirect("geo:office_layers")
    return render(request, "core/confirm_delete.html", _delete_context(choropleth, form))
