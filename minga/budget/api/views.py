"""Read-only public API of the budget (/api/v1/presupuesto/…): the published years, the lines
of a cut-off with filters, one line with its history, and sums by classifier level,
programme, unit, territory or funding source. Only published cut-offs are visible."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from minga.core.api.views import MingaApiMixin
from minga.core.permissions import PUBLIC

from .. import selectors
from .serializers import (
    AggregateRowSerializer,
    AggregateSerializer,
    LineDetailSerializer,
    LineSerializer,
    StagesSerializer,
    YearSerializer,
)

TAG = "budget"
CUTOFF = OpenApiParameter(
    "corte", OpenApiTypes.STR, description=_("Cut-off as YYYY-MM (default: the latest published one).")
)
LINE_PARAMETERS = [
    CUTOFF,
    OpenApiParameter("lado", OpenApiTypes.STR, enum=["expense", "income"], description=_("Only one cédula.")),
    OpenApiParameter("grupo", OpenApiTypes.STR, description=_("Classifier group (2 digits).")),
    OpenApiParameter("subgrupo", OpenApiTypes.STR, description=_("Classifier subgroup (4 digits).")),
    OpenApiParameter("item", OpenApiTypes.STR, description=_("Classifier item (6 digits).")),
    OpenApiParameter("programa", OpenApiTypes.STR, description=_("Programme code.")),
    OpenApiParameter("unidad", OpenApiTypes.STR, description=_("Executing unit, exactly as published.")),
    OpenApiParameter("fuente", OpenApiTypes.STR, description=_("Funding source code.")),
    OpenApiParameter("dpa", OpenApiTypes.STR, description=_("DPA code of the territory.")),
    OpenApiParameter("q", OpenApiTypes.STR, description=_("Text in the partida code or description.")),
]
BY = {
    "grupo": "group",
    "subgrupo": "subgroup",
    "item": "item",
    "programa": "programme",
    "unidad": "unit",
    "territorio": "territory",
    "fuente": "funding",
}


def _line_url(line) -> str:
    return reverse("budget:line", kwargs={"year": line.budget_year.year, "partida": line.partida})


class YearListView(MingaApiMixin, generics.GenericAPIView):
    permission_required = PUBLIC
    serializer_class = YearSerializer
    # Every published year in one answer (a government publishes a handful): a plain list,
    # and the schema says so.
    pagination_class = None

    @extend_schema(
        tags=[TAG],
        summary=_("Budget years"),
        description=_("Each year with published cut-offs, newest first, with its totals at the latest cut-off."),
        responses=YearSerializer(many=True),
    )
    def get(self, request):
        items = []
        for budget_year in selectors.published_years(request.government):
            cutoffs = list(selectors.published_cutoffs(budget_year))
            latest = cutoffs[-1]
            items.append(
                {
                    "year": budget_year.year,
                    "notes": budget_year.notes,
                    "cutoffs": [c.key for c in cutoffs],
                    "latest_cutoff": latest.key,
                    "expense": StagesSerializer(selectors.totals(latest, "expense")).data,
                    "income": StagesSerializer(selectors.totals(latest, "income")).data,
                    "url": request.build_absolute_uri(reverse("budget:year", kwargs={"year": budget_year.year})),
                }
            )
        return Response(items)


class _CutoffMixin:
    def cutoff(self):
        budget_year = selectors.published_year(self.request.government, self.kwargs["year"])
        return selectors.cutoff_for(budget_year, str(self.request.query_params.get("corte", ""))[:7])


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary=_("Lines of a budget year"),
        description=_("The partidas at one cut-off with their classification, stages, balances and rates."),
        parameters=LINE_PARAMETERS,
    )
)
class LineListView(_CutoffMixin, MingaApiMixin, generics.ListAPIView):
    permission_required = PUBLIC
    serializer_class = LineSerializer

    def get_queryset(self):
        self._cutoff = self.cutoff()
        executions, _applied = selectors.line_executions(self._cutoff, self.request.query_params)
        return executions

    def get_serializer_context(self):
        context = {**super().get_serializer_context(), "line_url": _line_url}
        if hasattr(self, "_cutoff"):
            context["cutoff_key"] = self._cutoff.key
        return context


class LineDetailView(MingaApiMixin, generics.GenericAPIView):
    permission_required = PUBLIC
    serializer_class = LineDetailSerializer

    @extend_schema(
        tags=[TAG],
        summary=_("One budget line"),
        description=_("A partida at its latest published cut-off, with its figures at every earlier cut-off."),
    )
    def get(self, request, year: int, partida: str):
        budget_year = selectors.published_year(request.government, year)
        line = selectors.public_line(budget_year, partida)
        history = list(selectors.line_history(line))
        context = {"request": request, "line_url": _line_url}
        data = LineSerializer(history[-1], context=context).data
        data["history"] = [{"cutoff": e.cutoff.key, "stages": StagesSerializer(e.stages).data} for e in history]
        return Response(data)


class ExecutionView(_CutoffMixin, MingaApiMixin, APIView):
    permission_required = PUBLIC

    @extend_schema(
        tags=[TAG],
        summary=_("Execution by dimension"),
        description=_(
            "Sums of one cédula at a cut-off grouped by classifier group, subgroup or item, programme, "
            "executing unit, territory or funding source, largest codificado first."
        ),
        parameters=[
            CUTOFF,
            OpenApiParameter("lado", OpenApiTypes.STR, enum=["expense", "income"], description=_("Default: expense.")),
            OpenApiParameter("por", OpenApiTypes.STR, enum=list(BY), description=_("Default: grupo.")),
            OpenApiParameter(
                "padre", OpenApiTypes.STR, description=_("For subgrupo: the group; for item: the subgroup.")
            ),
        ],
        responses=AggregateSerializer,
    )
    def get(self, request, year: int):
        side = request.query_params.get("lado", "expense")
        by = request.query_params.get("por", "grupo")
        if side not in selectors.SIDES:
            raise ValidationError({"lado": _("Use expense or income.")})
        if by not in BY:
            raise ValidationError({"por": _("Use one of: %(values)s.") % {"values": ", ".join(BY)}})
        parent = str(request.query_params.get("padre", ""))[:6]
        cutoff = self.cutoff()
        rows = selectors.breakdown(cutoff, side=side, by=BY[by], parent=parent)
        return Response(
            {
                "year": year,
                "cutoff": cutoff.key,
                "side": side,
                "by": by,
                "parent": parent,
                "totals": StagesSerializer(selectors.totals(cutoff, side)).data,
                # Through the serializer, so the share is a decimal string like every amount and
                # rate (as the schema says), not a JSON number.
                "rows": AggregateRowSerializer(
                    [{"code": r.code, "name": r.name, "share": r.share, "stages": r.stages} for r in rows], many=True
                ).data,
            }
        )
