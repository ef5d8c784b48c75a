"""Builders for the proposals' tests: processes in a given phase and proposals made through
the services, as in production."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from minga.core.tenancy.scoping import government_scope
from minga.core.testing import UserFactory

from ...tests import factories as process_factories
from .. import services

DAY = dt.timedelta(days=1)


def now():
    return timezone.now().replace(second=0, microsecond=0)


def proposing_process(government, **fields):
    """A participatory budget in its proposals phase (propose, comment)."""
    return process_factories.process(government, start=now() - 5 * DAY, **fields)


def supporting_process(government, **fields):
    """A participatory budget in its supports phase."""
    return process_factories.process(government, start=now() - 15 * DAY, **fields)


def values(**changes) -> dict:
    found = {
        "title": "Alumbrado público en el malecón de San Jacinto",
        "body": "Instalar luminarias LED en los 800 metros del malecón, que hoy está a oscuras por la noche.",
        "category": "Espacio público y áreas verdes",
        "territory_code": "",
        "latitude": None,
        "longitude": None,
    }
    found.update(changes)
    return found


def proposal(government, process, *, author=None, **changes):
    """A proposal in ``process`` written while its propose phase was on (the service is called
    with a moment inside that phase)."""
    author = author or UserFactory()
    with government_scope(government):
        phases = list(process.phases.order_by("position"))
        moment = next(p for p in phases if "propose" in p.features).starts_at + dt.timedelta(hours=1)
        return services.proposal_create(
            actor=author, government=government, process=process, values=values(**changes), now=moment
        )
