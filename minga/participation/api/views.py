"""Read-only public API of participatory processes (/api/v1/participacion/…): published
processes with their phases."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.exceptions import ValidationError

from minga.core.api.views import MingaApiMixin
from minga.core.permissions import PUBLIC

from ..processes import selectors
from ..processes.models import Process
from .serializers import ParticipatoryProcessSerializer

TAG = "participation"


class _NowMixin:
    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary=_("Participatory processes"),
        description=_(
            "Published participatory processes with their phases, the most recent first; the same filters as the "
            "public list."
        ),
        parameters=[
            OpenApiParameter(
                "estado",
                OpenApiTypes.STR,
                enum=["en-curso", "proximos", "finalizados"],
                description=_("Only the processes in progress, upcoming or finished."),
            ),
            OpenApiParameter(
                "tipo", OpenApiTypes.STR, enum=list(Process.Kind.values), description=_("Only processes of this kind.")
            ),
            OpenApiParameter(
                "territorio",
                OpenApiTypes.STR,
                description=_("A territory's code: the processes that cover it and those of the whole territory."),
            ),
        ],
    )
)
class ProcessListView(_NowMixin, MingaApiMixin, generics.ListAPIView):
    permission_required = PUBLIC
    serializer_class = ParticipatoryProcessSerializer

    def get_queryset(self):
        filters = selectors.process_filters(self.request.query_params)
        if filters.errors:
            raise ValidationError(filters.errors)
        processes = selectors.public_processes(self.request.government).order_by("-starts_at", "title", "pk")
        return filters.apply(processes, timezone.now())


@extend_schema_view(
    get=extend_schema(
        tags=[TAG], summary=_("One participatory process"), description=_("A published process by its slug.")
    )
)
class ProcessDetailView(_NowMixin, MingaApiMixin, generics.RetrieveAPIView):
    permission_required = PUBLIC
    serializer_class = ParticipatoryProcessSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.public_processes(self.request.government)
