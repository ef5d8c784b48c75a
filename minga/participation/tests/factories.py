"""Small builders for the module's tests: every process goes through the services, as in
production, inside the government's scope."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from minga.core.tenancy.scoping import government_scope

from ..processes import services

_numbers = itertools.count(1)
DAY = dt.timedelta(days=1)


def phase(title, starts_at, ends_at, features=(), **settings) -> dict:
    return {
        "title": title,
        "description": "",
        "starts_at": starts_at,
        "ends_at": ends_at,
        "features": list(features),
        "settings": settings,
    }


def budget_phases(start: dt.datetime) -> list[dict]:
    """Propose (10 days), support (10), vote (10), results (10) from ``start``."""
    return [
        phase("Propuestas", start, start + 10 * DAY, ["propose", "comment"]),
        phase("Apoyos", start + 10 * DAY, start + 20 * DAY, ["support"]),
        phase("Votación", start + 20 * DAY, start + 30 * DAY, ["vote"]),
        phase("Resultados", start + 30 * DAY, start + 40 * DAY, ["show_results"]),
    ]


def process(government, *, start: dt.datetime | None = None, phases=None, **fields):
    """A published participatory budget of 40 days from ``start`` (default: 15 days ago, so
    it is in its support phase and voting opens in 5 days)."""
    number = next(_numbers)
    start = start or timezone.now().replace(second=0, microsecond=0) - 15 * DAY
    values = {
        "title": f"Presupuesto participativo de prueba {number}",
        "slug": f"proceso-{number}",
        "summary": "Decide en qué se invierte.",
        "description": "Un proceso de **prueba**.",
        "kind": "participatory_budget",
        "starts_at": start,
        "ends_at": start + 40 * DAY,
        "is_published": True,
        "phases": budget_phases(start) if phases is None else phases,
    }
    values.update(fields)
    with government_scope(government):
        return services.process_create(actor=None, government=government, **values)


def items_of(process) -> list[dict]:
    """The stored phases of a process as the update service takes them back."""
    with government_scope(process.government):
        phases = list(process.phases.order_by("position"))
    return [
        {
            "id": p.pk,
            "title": p.title,
            "description": p.description,
            "starts_at": p.starts_at,
            "ends_at": p.ends_at,
            "features": list(p.features),
            "settings": dict(p.settings),
        }
        for p in phases
    ]
