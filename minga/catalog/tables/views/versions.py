"""The public version history of a tabular resource: each loaded version with its date, what
started it, its rows and what changed against the previous one, and a download of the data it
was loaded from. Published datasets only; other governments' resources answer 404."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from minga.core import storage
from minga.core.access import public
from minga.core.ui.page_cache import public_page

from .. import selectors as table_selectors
from .. import versions
from ..models import ResourceLoad


def _resource(request, pk):
    return get_object_or_404(table_selectors.public_table_resources(request.government).select_related("dataset"), pk=pk)


@public_page
def resource_versions(request, pk):
    resource = _resource(request, pk)
    history = versions.versions(resource)
    if not history:
        raise Http404
    context = {"resource": resource, "dataset": resource.dataset, "versions": history}
    return render(request, "catalog/resource_versions.html", context)


@public
def resource_version_download(request, pk, load_pk):
    resource = _resource(request, pk)
    load = get_object_or_404(
        ResourceLoad.objects.filter(
            government=request.government, resource=resource, status=ResourceLoad.Status.SUCCEEDED
        ).exclude(source_file=""),
        pk=load_pk,
    )
    filename = versions.snapshot_name(resource, load, extension=_extension(load.source_file.name))
    return storage.download_response(load.source_file, filename=filename, content_type=versions.content_type_for(load))


def _extension(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower()[:10] if dot > name.rfind("/") else ""
