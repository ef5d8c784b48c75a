"""Read-only API of results: the published results of a published process, as a tree."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response

from minga.core.api.views import MingaApiMixin
from minga.core.permissions import PUBLIC

from ..processes import selectors as processes
from . import selectors


def _decimal(value) -> float:
    return float(value)


def node_data(request, government, node) -> dict:
    result = node.result
    links = selectors.link_keys(government, result)
    return {
        "id": result.pk,
        "reference": result.reference,
        "title": result.title,
        "description": result.description,
        "status": result.status,
        "status_name": node.status_name,
        "progress": _decimal(result.progress),
        "progress_rolled_up": node.rolled_up,
        "weight": _decimal(result.weight),
        "start_date": result.start_date.isoformat() if result.start_date else None,
        "end_date": result.end_date.isoformat() if result.end_date else None,
        "unit": {"key": result.unit_key, "name": result.unit_name} if result.unit_name else None,
        "links": [{"kind": kind, "key": key} for kind, keys in sorted(links.items()) for key in keys],
        "url": request.build_absolute_uri(
            reverse("participation:result_detail", kwargs={"slug": result.process.slug, "pk": result.pk})
        ),
        "timeline": [
            {
                "date": entry.date.isoformat(),
                "text": entry.text,
                "progress": None if entry.progress is None else _decimal(entry.progress),
            }
            for entry in selectors.timeline_of(government, result)
        ],
        "children": [node_data(request, government, child) for child in node.children],
    }


class ProcessResultsView(MingaApiMixin, generics.GenericAPIView):
    permission_required = PUBLIC

    @extend_schema(
        tags=["participation"],
        summary=_("Results of a participatory process"),
        description=_(
            "The published results of a published process as a tree: status, progress (rolled up from the "
            "sub-results unless set by hand), dates, responsible unit, links by kind and key, timeline."
        ),
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request, slug):
        government = request.government
        process = processes.public_process(government, slug)
        if process is None:
            raise Http404
        tree = selectors.build_tree(government, selectors.public_results(government, process).select_related("process"))
        return Response(
            {
                "process": process.slug,
                "overall_progress": _decimal(selectors.overall_progress(tree)),
                "results": [node_data(request, government, node) for node in tree],
            }
        )
