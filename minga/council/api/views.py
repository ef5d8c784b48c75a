"""Views of the council API: lists (paginated, newest first) and single records by their Open
Civic Data uuid. Read-only, public, the request's government only."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.response import Response

from minga.core.api.views import MingaApiMixin
from minga.core.permissions import PUBLIC

from . import data
from .serializers import (
    CouncilBillSerializer,
    CouncilBillSummarySerializer,
    CouncilEventSerializer,
    CouncilOrganizationSerializer,
    CouncilPersonSerializer,
    CouncilVoteEventSerializer,
)

TAG = "council"


class _CouncilView(MingaApiMixin, generics.GenericAPIView):
    permission_required = PUBLIC
    lookup_field = "uid"

    def rows(self):
        raise NotImplementedError

    def build(self, rows) -> list[dict]:
        raise NotImplementedError

    def get_queryset(self):
        return self.rows()


class _ListView(_CouncilView, generics.ListAPIView):
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(self.build(list(page)), many=True).data)


class _DetailView(_CouncilView, generics.RetrieveAPIView):
    def retrieve(self, request, *args, **kwargs):
        found = self.get_queryset().filter(uid=kwargs["uid"]).first()
        if found is None:
            raise Http404
        return Response(self.get_serializer(self.build([found])[0]).data)


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary=_("Council acts"),
        description=_(
            "Public ordinance projects, resolutions and agreements (Open Civic Data bills) with their sponsors and "
            "stage, the most recent first."
        ),
    )
)
class BillListView(_ListView):
    serializer_class = CouncilBillSummarySerializer

    def rows(self):
        return data.bills(self.request.government)

    def build(self, rows):
        return data.bill_dicts(self.request.government, rows, self.request, full=False)


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary=_("One council act"),
        description=_("A public act by the uuid of its ocd-bill identifier, with its actions and versions."),
    )
)
class BillDetailView(_DetailView):
    serializer_class = CouncilBillSerializer

    def rows(self):
        return data.bills(self.request.government)

    def build(self, rows):
        return data.bill_dicts(self.request.government, rows, self.request, full=True)


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary=_("Council members"),
        description=_("Who sits or sat in the council (Open Civic Data people) with their memberships."),
    )
)
class PersonListView(_ListView):
    serializer_class = CouncilPersonSerializer

    def rows(self):
        return data.people(self.request.government)

    def build(self, rows):
        return data.person_dicts(self.request.government, rows, self.request)


@extend_schema_view(
    get=extend_schema(
        tags=[TAG], summary=_("One council member"), description=_("A member by the uuid of their ocd-person id.")
    )
)
class PersonDetailView(_DetailView):
    serializer_class = CouncilPersonSerializer

    def rows(self):
        return data.people(self.request.government)

    def build(self, rows):
        return data.person_dicts(self.request.government, rows, self.request)


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary=_("Council and committees"),
        description=_("The council and its committees (Open Civic Data organizations)."),
    )
)
class OrganizationListView(_ListView):
    serializer_class = CouncilOrganizationSerializer
    pagination_class = None

    def rows(self):
        return data.organizations(self.request.government)

    def list(self, request, *args, **kwargs):
        return Response(self.get_serializer(data.organization_dicts(self.rows(), request), many=True).data)


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary=_("Council sessions"),
        description=_(
            "Convened and later sessions of the council and its committees (Open Civic Data events) with their "
            "agenda, the most recent first."
        ),
    )
)
class EventListView(_ListView):
    serializer_class = CouncilEventSerializer

    def rows(self):
        return data.sessions(self.request.government)

    def build(self, rows):
        return data.event_dicts(self.request.government, rows, self.request)


@extend_schema_view(
    get=extend_schema(
        tags=[TAG], summary=_("One council session"), description=_("A session by the uuid of its ocd-event id.")
    )
)
class EventDetailView(_DetailView):
    serializer_class = CouncilEventSerializer

    def rows(self):
        return data.sessions(self.request.government)

    def build(self, rows):
        return data.event_dicts(self.request.government, rows, self.request)


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary=_("Council votes"),
        description=_(
            "Votes of the sessions (Open Civic Data vote events) with their counts and each member's vote, the "
            "most recent first."
        ),
    )
)
class VoteEventListView(_ListView):
    serializer_class = CouncilVoteEventSerializer

    def rows(self):
        return data.vote_events(self.request.government)

    def build(self, rows):
        return data.vote_event_dicts(self.request.government, rows, self.request)


@extend_schema_view(
    get=extend_schema(
        tags=[TAG], summary=_("One council vote"), description=_("A vote by the uuid of its ocd-vote id.")
    )
)
class VoteEventDetailView(_DetailView):
    serializer_class = CouncilVoteEventSerializer

    def rows(self):
        return data.vote_events(self.request.government)

    def build(self, rows):
        return data.vote_event_dicts(self.request.government, rows, self.request)
