"""The progress of one piece of long work, for the officials of the module that owns it: a
plain page (reload it to see where the work stands; no JavaScript needed) and the fragment
that htmx polls every two seconds while the work runs. When the work has ended, the fragment
asks htmx to reload the whole page (``HX-Refresh``), so the page that holds the panel shows the
outcome (the import's report, the new version) without a click."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..access import requires
from . import selectors


def _record_for(request, pk: int):
    record = selectors.progress_get(government=request.government, pk=pk)
    if record is None:
        raise Http404
    if not request.user.has_perm(f"{record.module}.view_backoffice", request.government):
        raise PermissionDenied
    return record


@requires("core.view_backoffice")
@require_GET
def progress_page(request, pk: int):
    record = _record_for(request, pk)
    response = render(request, "core/progress/page.html", {"progress": record})
    response["Cache-Control"] = "no-store"
    return response


@requires("core.view_backoffice")
@require_GET
def progress_fragment(request, pk: int):
    record = _record_for(request, pk)
    # The heading the page gave the panel, so that it stays the same after each refresh.
    heading = request.GET.get("encabezado", "")[:120]
    response = render(request, "core/progress/panel.html", {"progress": record, "heading": heading})
    response["Cache-Control"] = "no-store"
    if not record.is_running and request.headers.get("HX-Request") == "true":
        response["HX-Refresh"] = "true"
    return response
