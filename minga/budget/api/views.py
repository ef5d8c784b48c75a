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
from ..queries import BREAKDOWN_BY, OLDER_LEVELS, SIDE_VALUES, BreakdownQuery, LineQuery
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
SIDE = OpenApiParameter(
    "lado",
    OpenApiTypes.STR,
    enum=list(SIDE_VALUES),
    description=_("Only one cédula: gastos or ingresos (expense and income, the older names, are read too)."),
)
LINE_PARAMETERS = [
    CUTOFF,
    SIDE,
    OpenApiParameter("grupo", OpenApiTypes.STR, description=_("Classifier group (2 digits).")),
    OpenApiParameter("subgrupo", OpenApiTypes.STR, description=_("Classifier subgroup (4 digits).")),
    OpenApiParameter("item", OpenApiTypes.STR, description=_("Classifier item (6 digits).")),
    OpenApiParameter("programa", OpenApiTypes.STR, description=_("Programme code.")),
    OpenApiParameter("unidad", OpenApiTypes.STR, description=_("Executing unit, exactly as published.")),
    OpenApiParameter("fuente", OpenApiTypes.STR, description=_("Funding source code.")),
    OpenApiParameter("dpa", OpenApiTypes.STR, description=_("DPA code of the territory.")),
    OpenApiParameter("q", OpenApiTypes.STR, description=_("Text in the partida code or description.")),
]
# What the rows are, in the answer's "by": the level the query resolved to.
BY_NAMES = {
    "group": "grupo",
    "subgroup": "subgrupo",
    "item": "item",
    "lines": "partida",
    "programme": "programa",
    "unit": "unidad",
    "territory": "territorio",
    "funding": "fuente",
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
        query = LineQuery.from_params(self.request.query_params)
        if query.errors:
            raise ValidationError({"lado": query.errors})
        return query.executions(self._cutoff)

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
            SIDE,
            OpenApiParameter(
                "por",
                OpenApiTypes.STR,
                enum=[*BREAKDOWN_BY, *(name for name in OLDER_LEVELS if name not in BREAKDOWN_BY)],
                description=_(
                    "What the rows are (default: clasificador, the classifier's groups; with grupo, its subgroups; "
                    "with subgrupo, its items; with item, its partidas), as on the drill-down pages. "
                    "grupo, subgrupo and item with padre, the older form, are read too."
                ),
            ),
            OpenApiParameter("grupo", OpenApiTypes.STR, description=_("Classifier group to go down into.")),
            OpenApiParameter("subgrupo", OpenApiTypes.STR, description=_("Classifier subgroup to go down into.")),
            OpenApiParameter("item", OpenApiTypes.STR, description=_("Classifier item whose partidas to list.")),
            OpenApiParameter(
                "padre",
                OpenApiTypes.STR,
                description=_("Older form: for por=subgrupo the group; for por=item the subgroup."),
            ),
        ],
        responses=AggregateSerializer,
    )
    def get(self, request, year: int):
        query = BreakdownQuery.from_params(request.query_params)
        if query.errors:
            raise ValidationError({"query": query.errors})
        cutoff = self.cutoff()
        level, parent, _trail = query.level()
        rows = query.rows(cutoff, selectors.classifier_names(request.government))
        side, by = query.side, BY_NAMES[level]
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
