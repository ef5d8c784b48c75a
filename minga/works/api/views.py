"""Read-only public API of the works module (/api/v1/obras/…): published projects with the
same filters as the map page, their GeoJSON and their progress timeline."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from minga.core.api.views import MingaApiMixin
from minga.core.permissions import PUBLIC

from .. import drawings, indicators, oc4ids, selectors
from ..links import feature
from .serializers import ProgressSerializer, ProjectSerializer

TAG = "works"
AMOUNT = {"type": "number", "minimum": 0}
FILTERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description=_("Words in the title, description, contractor or code.")),
    OpenApiParameter("sector", OpenApiTypes.STR, description=_("Sector code (roads, water, irrigation…).")),
    OpenApiParameter("estado", OpenApiTypes.STR, description=_("Status code (preparation, implementation…).")),
    OpenApiParameter(
        "territorio", OpenApiTypes.STR, description=_("DPA code (2, 4 or 6 digits); includes the places inside.")
    ),
    OpenApiParameter("monto_min", AMOUNT, description=_("Smallest planned amount (USD).")),
    OpenApiParameter("monto_max", AMOUNT, description=_("Largest planned amount (USD).")),
    OpenApiParameter(
        "alerta",
        OpenApiTypes.STR,
        many=True,
        description=_("Flags: sin-actualizacion, brecha, atrasada, sobrecosto (repeat for several)."),
    ),
    OpenApiParameter("objetivo", OpenApiTypes.STR, description=_("A PDOT objective, exactly as written.")),
]


class _Filtered:
    def filtered(self):
        government = self.request.government
        params = self.request.query_params
        filters = selectors.ProjectFilters.from_params(params)
        # The map page ignores an amount it cannot read; the API says so (the schema promises
        # a number).
        unreadable = {
            name: [_("Use an amount in USD, for example 150000.50.")]
            for name, value in (("monto_min", filters.min_amount), ("monto_max", filters.max_amount))
            if str(params.get(name, "")).strip() and value is None
        }
        if unreadable:
            raise ValidationError(unreadable)
        queryset = selectors.public_projects(government).prefetch_related("links")
        return selectors.filtered_projects(government, filters, today=timezone.localdate(), queryset=queryset)


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary=_("Public works"),
        description=_("Published projects with amounts, progress, indicators and links, filtered like the map page."),
        parameters=FILTERS,
    )
)
class ProjectListView(_Filtered, MingaApiMixin, generics.ListAPIView):
    permission_required = PUBLIC
    serializer_class = ProjectSerializer

    def get_queryset(self):
        return self.filtered()


@extend_schema_view(
    get=extend_schema(tags=[TAG], summary=_("One public work"), description=_("A project by its slug."))
)
class ProjectDetailView(MingaApiMixin, generics.RetrieveAPIView):
    permission_required = PUBLIC
    serializer_class = ProjectSerializer

    def get_object(self):
        government = self.request.government
        project = (
            selectors.public_projects(government).prefetch_related("links").filter(slug=self.kwargs["slug"]).first()
        )
        if project is None:
            raise Http404
        indicators.attach([project], government=government, today=timezone.localdate())
        return project


@extend_schema_view(
    get=extend_schema(
        tags=[TAG], summary=_("Progress of a work"), description=_("The dated progress updates, newest first.")
    )
)
class ProgressListView(MingaApiMixin, generics.ListAPIView):
    permission_required = PUBLIC
    serializer_class = ProgressSerializer

    def get_queryset(self):
        project = selectors.public_projects(self.request.government).filter(slug=self.kwargs["slug"]).first()
        if project is None:
            raise Http404
        return selectors.project_timeline(project)


class ProjectGeoJSONView(_Filtered, MingaApiMixin, APIView):
    permission_required = PUBLIC

    @extend_schema(
        tags=[TAG],
        summary=_("Public works as GeoJSON"),
        description=_("A FeatureCollection (WGS 84) of the located projects, with the same filters as the list."),
        parameters=FILTERS,
        responses={(200, "application/geo+json"): OpenApiTypes.OBJECT},
    )
    def get(self, request):
        return Response(drawings.feature_collection(self.filtered(), feature), content_type="application/geo+json")


def _oc4ids_package(request, projects):
    government = request.government
    updates = selectors.updates_by_project(government, [p.pk for p in projects])
    items = [
        (p, updates.get(p.pk, []), request.build_absolute_uri(reverse("works:project_detail", kwargs={"slug": p.slug})))
        for p in projects
    ]
    return oc4ids.package(
        items,
        government=government,
        uri=request.build_absolute_uri(),
        published=timezone.now(),
        absolute=request.build_absolute_uri,
    )


class OC4IDSPackageView(MingaApiMixin, APIView):
    permission_required = PUBLIC

    @extend_schema(
        tags=[TAG],
        summary=_("Public works as an OC4IDS project package"),
        description=_(
            "Every published project in the Open Contracting for Infrastructure Data Standard (0.9): period, "
            "sector, location, budget with its partidas, parties, progress metrics and documents, OCIDs, completion."
        ),
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        projects = list(selectors.public_projects(request.government).prefetch_related("links").order_by("slug"))
        return Response(_oc4ids_package(request, projects))


class OC4IDSProjectView(MingaApiMixin, APIView):
    permission_required = PUBLIC

    @extend_schema(
        tags=[TAG],
        summary=_("One public work as an OC4IDS project package"),
        description=_("The project package of one published project."),
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request, slug):
        project = selectors.public_projects(request.government).prefetch_related("links").filter(slug=slug).first()
        if project is None:
            raise Http404
        return Response(_oc4ids_package(request, [project]))
