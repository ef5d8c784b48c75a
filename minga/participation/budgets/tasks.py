"""Background jobs of participatory budgets (each finds its budget by id and makes one call to
``counting``). The dotted paths of these functions are the names queued jobs are stored under:
they stay here."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django_tasks import task

from minga.core.tenancy.models import Government
from minga.core.tenancy.scoping import government_scope

from . import counting
from .models import Budget


@task()
def count_budget(budget_id: int, actor_id: int | None = None) -> str:
    """Count a budget whose count an official asked for (``counting.count_queued``)."""
    found = Budget._base_manager.filter(pk=budget_id).values_list("government_id", flat=True).first()
    if found is None:
        return "gone"
    government = Government.objects.get(pk=found)
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    with government_scope(government):
        return counting.count_queued(government=government, budget_id=budget_id, actor=actor)
