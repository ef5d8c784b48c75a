"""Read-only public API of the contracting module (/api/v1/contratacion/…): the search with
the same filters as the page and its facet counts, one process with its red flags and
compiled release, suppliers and buyers."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.exceptions import ValidationError

from minga.core.api.params import yes_no
from minga.core.api.views import MingaApiMixin
from minga.core.permissions import PUBLIC

from .. import flags, selectors
from .serializers import (
    BuyerSerializer,
    ProcessDetailSerializer,
    ProcessSearchPageSerializer,
    ProcessSerializer,
    SupplierDetailSerializer,
    SupplierSerializer,
)

TAG = "procurement"
# What the search reads as a year or an id: up to nine digits (selectors.ProcessQuery).
ID = {"type": "integer", "minimum": 0, "maximum": 999_999_999}

FILTERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description=_("Words in the title, description, items or suppliers.")),
    OpenApiParameter("comprador", ID, description=_("Buyer id.")),
    OpenApiParameter("procedimiento", OpenApiTypes.STR, description=_("Procedure type code (e.g. subasta-inversa).")),
    OpenApiParameter("estado", OpenApiTypes.STR, description=_("Status: planning, tender, award, contract, …")),
    OpenApiParameter("anio", ID, description=_("Year of the process.")),
    OpenApiParameter("proveedor", ID, description=_("Supplier id.")),
    OpenApiParameter("categoria", OpenApiTypes.STR, description=_("Item classification code or its first digits.")),
    OpenApiParameter("monto_min", OpenApiTypes.NUMBER, description=_("Lowest amount (USD).")),
    OpenApiParameter("monto_max", OpenApiTypes.NUMBER, description=_("Highest amount (USD).")),
    OpenApiParameter("desde", OpenApiTypes.DATE, description=_("Latest release on or after this day.")),
    OpenApiParameter("hasta", OpenApiTypes.DATE, description=_("Latest release on or before this day.")),
    OpenApiParameter("adjudicado_desde", OpenApiTypes.DATE, description=_("Awarded on or after this day.")),
    OpenApiParameter("adjudicado_hasta", OpenApiTypes.DATE, description=_("Awarded on or before this day.")),
    OpenApiParameter(
        "alerta",
        OpenApiTypes.STR,
        enum=[*flags.BY_CODE, "any"],
        description=_("A red flag code (R018, FRAC…) or `any`."),
    ),
    OpenApiParameter(
        "orden", OpenApiTypes.STR, description=_("recientes, antiguos, monto-mayor, monto-menor, alertas.")
    ),
    OpenApiParameter("facetas", OpenApiTypes.BOOL, description=_("0 to leave out the facet counts.")),
]


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary=_("Search contracting processes"),
        description=_("The processes matching the filters, with facet counts (procedure, status, year, buyer)."),
        parameters=FILTERS,
        responses=ProcessSearchPageSerializer,
    )
)
class ProcessListView(MingaApiMixin, generics.ListAPIView):
    permission_required = PUBLIC
    serializer_class = ProcessSerializer

    def _query(self) -> selectors.ProcessQuery:
        if not hasattr(self, "_process_query"):
            self._process_query = selectors.ProcessQuery.from_params(self.request.query_params)
            if self._process_query.errors:
                raise ValidationError({"detail": self._process_query.errors})
        return self._process_query

    def get_queryset(self):
        # list() pages through selectors.search; this is what the schema describes.
        return selectors.processes(self.request.government).select_related("buyer", "procedure")

    def list(self, request, *args, **kwargs):
        # The total comes with the facet counts from one grouped query.
        results, facets = selectors.search(request.government, self._query())
        page = self.paginate_queryset(results)
        response = self.get_paginated_response(self.get_serializer(page, many=True).data)
        if yes_no(request.query_params, "facetas", default=True):
            response.data["facets"] = [
                {
                    "param": facet.param,
                    "label": facet.label,
                    "options": [{"value": o.value, "label": o.label, "count": o.count} for o in facet.options],
                }
                for facet in facets
            ]
        return response


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary=_("One contracting process"),
        description=_("A process by its OCID, with every red flag's state and reason and the compiled release."),
    )
)
class ProcessDetailView(MingaApiMixin, generics.RetrieveAPIView):
    permission_required = PUBLIC
    serializer_class = ProcessDetailSerializer
    lookup_field = "ocid"

    def get_queryset(self):
        return selectors.processes(self.request.government).select_related("buyer", "procedure")


@extend_schema_view(
    get=extend_schema(tags=[TAG], summary=_("Suppliers"), description=_("Suppliers awarded by the government."))
)
class SupplierListView(MingaApiMixin, generics.ListAPIView):
    permission_required = PUBLIC
    serializer_class = SupplierSerializer

    def get_queryset(self):
        return selectors.suppliers(self.request.government).order_by("name", "pk")


@extend_schema_view(
    get=extend_schema(tags=[TAG], summary=_("One supplier"), description=_("A supplier with its totals by year."))
)
class SupplierDetailView(MingaApiMixin, generics.RetrieveAPIView):
    permission_required = PUBLIC
    serializer_class = SupplierDetailSerializer

    def get_queryset(self):
        return selectors.suppliers(self.request.government)


@extend_schema_view(get=extend_schema(tags=[TAG], summary=_("Buyers"), description=_("The buying entities.")))
class BuyerListView(MingaApiMixin, generics.ListAPIView):
    permission_required = PUBLIC
    serializer_class = BuyerSerializer

    def get_queryset(self):
        return selectors.buyers(self.request.government).order_by("name", "pk")


@extend_schema_view(get=extend_schema(tags=[TAG], summary=_("One buyer"), description=_("A buying entity.")))
class BuyerDetailView(MingaApiMixin, generics.RetrieveAPIView):
    permission_required = PUBLIC
    serializer_class = BuyerSerializer

    def get_queryset(self):
        return selectors.buyers(self.request.government)
