"""Read-only public API of the geovisor (/api/v1/geo/…): public layers only."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics

from minga.core.api.views import MingaApiMixin
from minga.core.permissions import PUBLIC

from .. import selectors
from .serializers import LayerSerializer

TAG = "geo"


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary=_("Map layers"),
        description=_("Every public layer of the geovisor with its metadata, extent and download addresses."),
    )
)
class LayerListView(MingaApiMixin, generics.ListAPIView):
    permission_required = PUBLIC
    serializer_class = LayerSerializer

    def get_queryset(self):
        return selectors.public_layers(self.request.government).order_by("title")


@extend_schema_view(
    get=extend_schema(tags=[TAG], summary=_("One map layer"), description=_("A public layer by its slug."))
)
class LayerDetailView(MingaApiMixin, generics.RetrieveAPIView):
    permission_required = PUBLIC
    serializer_class = LayerSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.public_layers(self.request.government)
