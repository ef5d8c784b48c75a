"""Background jobs of the procurement module."""

from __future__ import annotations

from django_tasks import task

from minga.core.search import services as search
from minga.core.tenancy.models import Government
from minga.core.tenancy.scoping import government_scope

from . import importing
from .models import Buyer, ImportRun, Supplier


@task()
def import_queued(run_id: int) -> str:
    """Import the file of a queued run uploaded in the back office (``importing.run_queued``)."""
    run = ImportRun._base_manager.filter(pk=run_id).first()
    if run is None:
        return "gone"
    government = Government.objects.get(pk=run.government_id)
    with government_scope(government):
        run = importing.run_queued(government=government, run_id=run_id)
    return run.status if run is not None else "not queued"


@task()
def index_organisations(government_id: int, buyer_ids: list[int], supplier_ids: list[int]) -> int:
    """Bring new buyers and suppliers into the portal-wide search."""
    government = Government.objects.filter(pk=government_id).first()
    if government is None:
        return 0
    count = 0
    with government_scope(government):
        for kind, model, ids in (
            ("procurement.buyer", Buyer, buyer_ids),
            ("procurement.supplier", Supplier, supplier_ids),
        ):
            for obj in model.objects.filter(government=government, pk__in=ids):
                search.index_object(kind=kind, obj=obj)
                count += 1
    return count
