"""Small builders for the tests of events and committees."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from minga.core.tenancy.scoping import government_scope

from .. import services
from ..models import EventType

_numbers = itertools.count(1)


def event(government, *, days: float = 10, hours: float = 2, **fields):
    """A published event ``days`` from now (negative: past), through the service."""
    number = next(_numbers)
    with government_scope(government):
        services.ensure_types(government)
        starts = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(days=days)
        values = {
            "title": f"Asamblea de prueba {number}",
            "event_type": EventType.objects.for_government(government).get(key="asamblea-local"),
            "purpose": "Deliberar sobre el plan.",
            "agenda": ["Bienvenida", "Diálogo"],
            "address": "Casa comunal",
            "starts_at": starts,
            "ends_at": starts + dt.timedelta(hours=hours),
            "is_published": True,
        }
        values.update(fields)
        return services.event_create(actor=None, government=government, **values)
