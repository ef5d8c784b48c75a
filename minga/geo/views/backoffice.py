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
from ..models import Choropleth, Layer

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
    government = request.government
    form = NewLayerForm(_posted(request), _files(request), government=government)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            data = read_upload(form.cleaned_data["file"])
            layer, report = services.layer_create(
                actor=request.user,
                government=government,
                file_name=form.cleaned_data["file"].name,
                data=data,
                declared_crs=form.cleaned_data["crs"],
                **form.service_fields(),
            )
        except services.ImportRefused as refused:
            context.update(_report_context(refused.report))
            form.add_error("file", _("The file was not imported: see the report above. Nothing was saved."))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("The layer “%(title)s” was created with %(count)s features.")
                % {"title": layer.title, "count": report.feature_count},
            )
            return render(request, "geo/office/import_done.html", {"layer": layer, **_report_context(report)})
    return render(request, "geo/office/layer_form.html", context)


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
    government = request.government
    layer = _layer(request, pk)
    form = UploadForm(_posted(request), _files(request))
    context = {"form": form, "layer": layer}
    if request.method == "POST" and form.is_valid():
        try:
            data = read_upload(form.cleaned_data["file"])
            report = importing.layer_import_tracked(
                actor=request.user,
                government=government,
                layer=layer,
                file_name=form.cleaned_data["file"].name,
                data=data,
                declared_crs=form.cleaned_data["crs"],
            )
        except services.ImportRefused as refused:
            context.update(_report_context(refused.report))
            form.add_error(
                "file", _("The file was not imported: see the report above. The previous version stays live.")
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            layer.refresh_from_db()
            messages.success(
                request,
                _("Version %(version)s of “%(title)s” is live with %(count)s features.")
                % {"version": layer.version, "title": layer.title, "count": report.feature_count},
            )
            return render(request, "geo/office/import_done.html", {"layer": layer, **_report_context(report)})
    context["progress"] = importing.latest_progress(layer)
    return render(request, "geo/office/upload_form.html", context)


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
