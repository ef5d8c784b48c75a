"""Read-only public API of the institution module (/api/v1/institucion/…). Only public data:
public units, published authorities and public events."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
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


def _date_param(params, name: str) -> dt.date | None:
    value = params.get(name)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise ValidationError({name: _("Use a date in the form YYYY-MM-DD.")}) from None


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary=_("Public agenda"),
        description=_("Public events of the institutional agenda (private events never appear), by start time."),
        parameters=[
            OpenApiParameter("desde", OpenApiTypes.DATE, description=_("Events that end on or after this day.")),
            OpenApiParameter("hasta", OpenApiTypes.DATE, description=_("Events that start on or before this day.")),
            OpenApiParameter("autoridad", OpenApiTypes.STR, description=_("Slug of an authority taking part.")),
            OpenApiParameter("unidad", OpenApiTypes.STR, description=_("Slug of the organising unit.")),
        ],
    )
)
class EventListView(MingaApiMixin, generics.ListAPIView):
    permission_required = PUBLIC
    serializer_class = EventSerializer

    def get_queryset(self):
        government = self.request.government
        params = self.request.query_params
        events = selectors.public_events(government).order_by("starts_at", "pk")
        since, until = _date_param(params, "desde"), _date_param(params, "hasta")
        if since:
            start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
            events = events.filter(Q(starts_at__gte=start) | Q(ends_at__gte=start))
        if until:
            events = events.filter(starts_at__lt=timezone.make_aware(dt.datetime.combine(until, dt.time.max)))
        for name in selectors.AGENDA_FILTER_PARAMS:
            if params.get(name):
                filters = selectors.agenda_filters(government, {name: params[name]})
                if filters.authority is None and filters.unit is None:
                    return events.none()
                events = filters.apply(events)
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
