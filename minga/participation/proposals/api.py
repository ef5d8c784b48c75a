"""Read-only public API of a process's proposals (/api/v1/participacion/procesos/<slug>/propuestas/):
the same filters and sorts as the public list (except the random order), the counts kept on
each proposal and the published evaluation. No personal data (no author)."""

from __future__ import annotations

from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError

from minga.core.api.views import MingaApiMixin
from minga.core.permissions import PUBLIC

from ..processes import selectors as process_selectors
from . import selectors
from .models import Proposal

TAG = "participation"


class ProposalSerializer(serializers.ModelSerializer):
    status = serializers.CharField(help_text="published, evaluating, feasible, not_feasible, withdrawn or merged.")
    territory = serializers.SerializerMethodField(help_text="{code, name} of the parish or neighbourhood, or null.")
    location = serializers.SerializerMethodField(help_text="{latitude, longitude} in WGS 84, or null.")
    merged_into = serializers.IntegerField(
        source="merged_into_id", allow_null=True, help_text="Id of the proposal it was merged into."
    )
    url = serializers.SerializerMethodField(help_text="Address of the proposal's page.")

    class Meta:
        model = Proposal
        fields = [
            "id",
            "title",
            "body",
            "category",
            "territory",
            "location",
            "status",
            "supports_count",
            "comments_count",
            "cost_estimate",
            "evaluation_answer",
            "evaluated_at",
            "withdrawn_reason",
            "merged_into",
            "created_at",
            "url",
        ]

    def get_territory(self, proposal) -> dict | None:
        if not proposal.territory_code:
            return None
        return {"code": proposal.territory_code, "name": proposal.territory_name}

    def get_location(self, proposal) -> dict | None:
        if proposal.latitude is None:
            return None
        return {"latitude": float(proposal.latitude), "longitude": float(proposal.longitude)}

    def get_url(self, proposal) -> str:
        page = reverse(
            "participation:proposal_detail", kwargs={"slug": self.context["process"].slug, "pk": proposal.pk}
        )
        request = self.context.get("request")
        return request.build_absolute_uri(page) if request is not None else page


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary=_("Proposals of a process"),
        description=_(
            "The proposals of a published process that moderation has not hidden, with their supports and the "
            "published evaluation; the same filters and orders as the public list (no random order)."
        ),
        parameters=[
            OpenApiParameter("categoria", OpenApiTypes.STR, description=_("Only this category.")),
            OpenApiParameter("territorio", OpenApiTypes.STR, description=_("Only this territory's code.")),
            OpenApiParameter(
                "estado", OpenApiTypes.STR, enum=list(selectors.STATUS_PARAMS), description=_("Only this status.")
            ),
            OpenApiParameter("q", OpenApiTypes.STR, description=_("Words of the title.")),
            OpenApiParameter(
                "orden",
                OpenApiTypes.STR,
                enum=["mas-apoyadas", "recientes", "mas-comentadas"],
                description=_("Order: most supported (default), newest, most commented."),
            ),
        ],
    )
)
class ProposalListView(MingaApiMixin, generics.ListAPIView):
    permission_required = PUBLIC
    serializer_class = ProposalSerializer

    def _process(self):
        process = process_selectors.public_process(self.request.government, self.kwargs["slug"])
        if process is None:
            raise Http404
        return process

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "process": self._process()}

    def get_queryset(self):
        process = self._process()
        query = selectors.ProposalQuery.from_params(self.request.query_params, process)
        if query.errors:
            raise ValidationError(query.errors)
        if query.sort == "aleatorio":
            raise ValidationError({"orden": [str(_("The API has no random order."))]})
        return query.order(query.filter(selectors.public_proposals(self.request.government, process)))


urlpatterns = [path("procesos/<slug:slug>/propuestas/", ProposalListView.as_view(), name="proposals")]
