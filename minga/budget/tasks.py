"""Background jobs of the budget module (each finds its import by id and makes one call to
``importing``). The dotted paths of these functions are the names queued jobs are stored under:
they stay here."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django_tasks import task

from minga.core.tenancy.models import Government
from minga.core.tenancy.scoping import government_scope

from . import importing
from .models import BudgetImport


def _government_of(import_id: int):
    found = BudgetImport._base_manager.filter(pk=import_id).values_list("government_id", flat=True).first()
    return Government.objects.get(pk=found) if found is not None else None


@task()
def read_queued(import_id: int) -> str:
    """Read and check an uploaded cédula (``importing.read_queued``)."""
    government = _government_of(import_id)
    if government is None:
        return "gone"
    with government_scope(government):
        found = importing.read_queued(government=government, import_id=import_id)
    return found.status if found is not None else "not waiting"


@task()
def publish_queued(import_id: int, actor_id: int | None = None) -> str:
    """Publish a checked cédula (``importing.publish_queued``)."""
    government = _government_of(import_id)
    if government is None:
        return "gone"
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    with government_scope(government):
        found = importing.publish_queued(government=government, import_id=import_id, actor=actor)
    return found.status if found is not None else "not waiting"
