"""Read-only public API of participatory budgets (/api/v1/participacion/procesos/<slug>/
presupuestos/…): the budgets of a published process with their projects and, once published,
their results with the explanation of every project."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics

from minga.core.api.views import MingaApiMixin
from minga.core.permissions import PUBLIC

from ...processes import selectors as process_selectors
from ..models import Budget, BudgetResult, Override, Project
from .serializers import BudgetSerializer

TAG = "participation"


class _Budgets(MingaApiMixin):
    permission_required = PUBLIC
    serializer_class = BudgetSerializer

    def get_queryset(self):
        government = self.request.government
        process = process_selectors.public_process(government, self.kwargs["slug"])
        if process is None:
            raise Http404
        budgets = list(
            Budget.objects.filter(government=government, process=process)
            .select_related("process")
            .prefetch_related(
                Prefetch("projects", queryset=Project.objects.filter(government=government).prefetch_related("links")),
                Prefetch(
                    "overrides", queryset=Override.objects.filter(government=government).select_related("project")
                ),
            )
            .order_by("position", "title")
        )
        published = {
            r.budget_id: r
            for r in BudgetResult.objects.filter(government=government, budget__in=budgets, published_at__isnull=False)
        }
        for budget in budgets:
            budget.published = published.get(budget.pk)
        return budgets


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary=_("Participatory budgets of a process"),
        description=_("The budgets of a published process, with their projects and their published results."),
    )
)
class BudgetListView(_Budgets, generics.ListAPIView):
    pass


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary=_("One participatory budget"),
        description=_("A budget with its projects and, once published, its result explained."),
    )
)
class BudgetDetailView(_Budgets, generics.RetrieveAPIView):
    def get_object(self):
        found = next((b for b in self.get_queryset() if b.slug == self.kwargs["budget"]), None)
        if found is None:
            raise Http404
        return found
