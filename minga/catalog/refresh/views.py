"""Remote sources: an official's "check now", and the demo's own remote sources (served only
for demo governments) that the demo resources are refreshed from."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minga.core.access import public, requires

from .. import demo_sources
from ..datasets.models import Resource
from . import services as refresh

EDIT = "catalog.edit"


@requires(EDIT)
@require_POST
def resource_check(request, pk):
    government = request.government
    resource = get_object_or_404(Resource.objects.filter(government=government), pk=pk)
    if not refresh.is_remote(resource):
        messages.error(request, _("Only links and queries are fetched from their source."))
    else:
        force = request.POST.get("force") == "1"
        refresh.refresh_requested(actor=request.user, government=government, resource=resource, force=force)
        messages.success(
            request,
            _(
                "The source will be checked now; the current version stays available meanwhile. Reload this page to see the result."
            ),
        )
    return redirect("catalog:office_resource", pk=resource.pk)


@public
def demo_source(request, name):
    if not request.government.is_demo:
        raise Http404
    doc = demo_sources.document(request.government, name)
    if doc is None:
        raise Http404
    if request.headers.get("If-None-Match") == doc.etag:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(doc.body, content_type="text/csv; charset=utf-8")
    response["ETag"] = doc.etag
    response["Last-Modified"] = doc.last_modified
    response["Cache-Control"] = "no-cache"
    return response
