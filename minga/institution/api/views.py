"""Read-only public API of the institution module (/api/v1/institucion/…). Only public data:
public units, published authorities and public events."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.exceptions import ValidationError

from minga.core.api.params import yes_no
from minga.core.api.views import MingaApiMixin
from minga.core.permissions import PUBLIC

from .. import selectors
from .serializers import AuthoritySerializer, EventSerializer, UnitSerializer

TAG = "institution"


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary=_("Units of the organisation chart"),
        description=_("Every public unit, ordered as in the chart; `parent` links each unit to the one above."),
    )
)
class UnitListView(MingaApiMixin, generics.ListAPIView):
    permission_required = PUBLIC
    serializer_class = UnitSerializer

    def get_queryset(self):
        return selectors.public_units(self.request.government).order_by("order", "name")


@extend_schema_view(get=extend_schema(tags=[TAG], summary=_("One unit"), description=_("A public unit by its slug.")))
class UnitDetailView(MingaApiMixin, generics.RetrieveAPIView):
    permission_required = PUBLIC
    serializer_class = UnitSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.public_units(self.request.government)


class _AuthorityMixin:
    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary=_("Authorities"),
        description=_("Published authorities with their terms, biographies and declarations."),
        parameters=[
            OpenApiParameter(
                "vigentes",
                OpenApiTypes.BOOL,
                description=_("1: only the authorities whose term covers today."),
            )
        ],
    )
)
class AuthorityListView(_AuthorityMixin, MingaApiMixin, generics.ListAPIView):
    permission_required = PUBLIC
    serializer_class = AuthoritySerializer

    def get_queryset(self):
        authorities = selectors.published_authorities(self.request.government)
        if yes_no(self.request.query_params, "vigentes", default=False):
            authorities = authorities.current(timezone.localdate())
        return authorities.order_by("order", "name")


@extend_schema_view(
    get=extend_schema(tags=[TAG], summary=_("One authority"), description=_("A published authority by its slug."))
)
class AuthorityDetailView(_AuthorityMixin, MingaApiMixin, generics.RetrieveAPIView):
    permission_required = PUBLIC
    serializer_class = AuthoritySerializer
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.published_authorities(self.request.government)


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary=_("Public agenda"),
        description=_("Public events of the institutional agenda (private events never appear), by start time."),
        parameters=[
            OpenApiParameter("desde", OpenApiTypes.DATE, description=_("Events that end on or after this day.")),
            OpenApiParameter("hasta", OpenApiTypes.DATE, description=_("Events that start on or before this day.")),
            OpenApiParameter(
                "mes",
                OpenApiTypes.STR,
                pattern=r"^\d{4}-\d{2}$",
                description=_("A month (YYYY-MM): its events, as on the agenda's month page."),
            ),
            OpenApiParameter(
                "autoridad",
                OpenApiTypes.STR,
                description=_("Slug of an authority taking part (one that is not published: no events)."),
            ),
            OpenApiParameter(
                "unidad",
                OpenApiTypes.STR,
                description=_("Slug of the organising unit (one that is not public: no events)."),
            ),
        ],
    )
)
class EventListView(MingaApiMixin, generics.ListAPIView):
    permission_required = PUBLIC
    serializer_class = EventSerializer

    def get_queryset(self):
        # The agenda pages' own query: the same parameters give the same events.
        filters = selectors.agenda_filters(self.request.government, self.request.query_params)
        unreadable = {name: message for name, message in filters.errors.items() if name not in filters.unknown}
        if unreadable:
            raise ValidationError(unreadable)
        events = filters.apply(selectors.public_events(self.request.government).order_by("starts_at", "pk"))
        return events.distinct()


@extend_schema_view(
    get=extend_schema(tags=[TAG], summary=_("One event"), description=_("A public event by its identifier (uid)."))
)
class EventDetailView(MingaApiMixin, generics.RetrieveAPIView):
    permission_required = PUBLIC
    serializer_class = EventSerializer
    lookup_field = "uid"

    def get_queryset(self):
        return selectors.public_events(self.request.government)
