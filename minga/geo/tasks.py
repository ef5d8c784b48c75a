"""Background jobs of the geovisor. The dotted paths of these functions are the names queued
jobs are stored under: they stay here."""

from __future__ import annotations

from django_tasks import task

from minga.core.tenancy.models import Government
from minga.core.tenancy.scoping import government_scope

from . import importing
from .models import LayerImport


@task()
def import_queued(import_id: int) -> str:
    """Import the file of a queued layer import (``importing.run_queued``)."""
    government_id = LayerImport._base_manager.filter(pk=import_id).values_list("government_id", flat=True).first()
    if government_id is None:
        return "gone"  # the layer was deleted meanwhile
    government = Government.objects.get(pk=government_id)
    with government_scope(government):
        found = importing.run_queued(government=government, import_id=import_id)
    return found.status if found is not None else "not queued"
