"""Demonstration content: a participatory budget for next year going through its phases (now
gathering supports), an open consultation whose voting has started (so its voting rules are
fixed), last cycle's finished participatory budget, and a draft the public does not see. Dates
are counted from the day of the seed; every process has a fixed slug, so running the seed
again creates nothing new."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from . import territories as territory_sources
from .budgets import demo as budgets_demo
from .committees import demo as committees_demo
from .events import demo as events_demo
from .features import COMMENT, EVALUATE, PROPOSE, SHOW_RESULTS, SUPPORT, VOTE
from .processes import services
from .processes.models import Process
from .proposals import demo as proposals_demo
from .results import demo as results_demo
from .surveys import demo as survey_demo  # surveys

PB_TEXT = """El Presupuesto participativo {year} decide, junto con la ciudadanía, en qué se invierte
una parte del presupuesto de inversión de {name} del próximo año.

## Cómo funciona

1. **Propuestas**: cualquier persona propone obras o proyectos para su parroquia o barrio.
2. **Apoyos**: las propuestas que reúnen suficientes apoyos pasan a la evaluación técnica.
3. **Evaluación técnica**: el equipo técnico revisa costo, competencia y viabilidad, y publica sus razones.
4. **Votación**: la ciudadanía vota entre los proyectos viables.
5. **Resultados y seguimiento**: los proyectos ganadores entran en el presupuesto y se informa su avance.

Más información en las asambleas parroquiales y en la ventanilla de participación ciudadana.
"""

CONSULTATION_TEXT = """¿Cómo queremos movernos? {name} consulta a la ciudadanía sobre las prioridades de
movilidad: transporte público, ciclovías, veredas seguras y ordenamiento del tránsito en el centro.

El resultado de la consulta orienta el plan de movilidad; no es vinculante, y la respuesta del
gobierno a cada prioridad se publicará en esta página.
"""


def _day(now: dt.datetime, days: int, hour: int = 0) -> dt.datetime:
    local = timezone.localtime(now).replace(hour=hour, minute=0, second=0, microsecond=0)
    return local + dt.timedelta(days=days)


def _phase(title: str, description: str, starts: dt.datetime, ends: dt.datetime, features, **settings) -> dict:
    return {
        "title": title,
        "description": description,
        "starts_at": starts,
        "ends_at": ends,
        "features": list(features),
        "settings": settings,
    }


def _budget(now: dt.datetime, year: int, offset: int) -> list[dict]:
    """The five phases of a participatory budget, the first starting ``offset`` days from today."""
    days = [offset, offset + 33, offset + 54, offset + 75, offset + 89, offset + 195]
    at = [_day(now, d) for d in days]
    return [
        _phase(
            "Diagnóstico y propuestas",
            "Asambleas parroquiales y propuestas en línea: cualquier persona propone obras para su territorio.",
            at[0],
            at[1],
            [PROPOSE, COMMENT],
            announcement="Presente su propuesta en línea o en la asamblea de su parroquia.",
        ),
        _phase(
            "Apoyos ciudadanos",
            "Las propuestas que reúnan los apoyos necesarios pasan a la evaluación técnica.",
            at[1],
            at[2],
            [SUPPORT, COMMENT],
            announcement="Apoye las propuestas que quiere que avancen.",
        ),
        _phase(
            "Evaluación técnica",
            "El equipo técnico revisa costo, competencia y viabilidad de cada propuesta, y publica sus razones.",
            at[2],
            at[3],
            [EVALUATE, COMMENT],
        ),
        _phase(
            "Votación de proyectos",
            "Vote por los proyectos viables de su territorio. Las reglas de votación no cambian una vez abierta.",
            at[3],
            at[4],
            [VOTE],
        ),
        _phase(
            f"Resultados y seguimiento {year}",
            "Los proyectos ganadores entran en el presupuesto; aquí se informa su avance.",
            at[4],
            at[5],
            [SHOW_RESULTS],
        ),
    ]


def _specs(government, now: dt.datetime) -> list[dict]:
    name = government.short_name or government.name
    year = timezone.localtime(now).year
    parishes = [t.code for t in territory_sources.available(government) if t.level == "parish"][:4]
    return [
        {
            "slug": f"presupuesto-participativo-{year + 1}",
            "title": f"Presupuesto participativo {year + 1}",
            "summary": f"Decida en qué obras de su parroquia se invierte parte del presupuesto {year + 1} de {name}.",
            "description": PB_TEXT.format(year=year + 1, name=name),
            "kind": Process.Kind.PARTICIPATORY_BUDGET,
            "starts_at": _day(now, -45),
            "ends_at": _day(now, 150),
            "territories": parishes,
            "phases": _budget(now, year + 1, -45),
            "settings": {
                "support_threshold": 50,
                "max_supports_per_person": 5,
                "proposals_per_person": 3,
                "max_votes_per_person": 3,
                "verification_vote": "census",
            },
            "is_published": True,
        },
        {
            "slug": "consulta-movilidad",
            "title": "Consulta sobre movilidad",
            "summary": "¿Transporte público, ciclovías o veredas seguras? Vote las prioridades de movilidad.",
            "description": CONSULTATION_TEXT.format(name=name),
            "kind": Process.Kind.CONSULTATION,
            "starts_at": _day(now, -20),
            "ends_at": _day(now, 40),
            "territories": [],
            "phases": [
                _phase(
                    "Información y diálogo",
                    "Conversatorios en los barrios y preguntas al equipo de movilidad.",
                    _day(now, -20),
                    _day(now, -5),
                    [COMMENT],
                ),
                _phase(
                    "Votación",
                    "Elija hasta dos prioridades. Se vota con la cédula validada.",
                    _day(now, -5),
                    _day(now, 10),
                    [VOTE, COMMENT],
                    announcement="La votación está abierta hasta el cierre de esta fase.",
                ),
                _phase(
                    "Resultados",
                    "Resultados de la consulta y respuesta del gobierno a cada prioridad.",
                    _day(now, 10),
                    _day(now, 40),
                    [SHOW_RESULTS, COMMENT],
                ),
            ],
            "settings": {"max_votes_per_person": 2, "verification_vote": "cedula"},
            "is_published": True,
        },
        {
            "slug": f"presupuesto-participativo-{year - 1}",
            "title": f"Presupuesto participativo {year - 1}",
            "summary": f"El ciclo anterior: propuestas, votación y proyectos ganadores del presupuesto {year - 1}.",
            "description": PB_TEXT.format(year=year - 1, name=name),
            "kind": Process.Kind.PARTICIPATORY_BUDGET,
            "starts_at": _day(now, -600),
            "ends_at": _day(now, -360),
            "territories": parishes[:3],
            "phases": _budget(now, year - 1, -600)[:4]
            + [
                _phase(
                    "Resultados",
                    "Proyectos ganadores y su incorporación al presupuesto.",
                    _day(now, -511),
                    _day(now, -360),
                    [SHOW_RESULTS],
                )
            ],
            "settings": {"support_threshold": 30, "max_votes_per_person": 3},
            "is_published": True,
        },
        {
            "slug": "plan-de-desarrollo-borrador",
            "title": "Actualización participativa del plan de desarrollo (borrador)",
            "summary": "Mesas territoriales para actualizar el plan de desarrollo y ordenamiento territorial.",
            "description": "Borrador interno: fechas y mesas por confirmar.",
            "kind": Process.Kind.PLANNING,
            "starts_at": _day(now, 60),
            "ends_at": _day(now, 180),
            "territories": [],
            "phases": [
                _phase(
                    "Mesas territoriales", "Mesas por parroquia.", _day(now, 60), _day(now, 120), [PROPOSE, COMMENT]
                ),
                _phase(
                    "Devolución", "Presentación del plan actualizado.", _day(now, 120), _day(now, 180), [SHOW_RESULTS]
                ),
            ],
            "settings": {},
            "is_published": False,
        },
    ]


def seed(government, *, now: dt.datetime, stdout=None) -> None:
    """Create (once) the demo processes of one government. Runs inside the government's scope."""
    created = 0
    for spec in _specs(government, now):
        if Process.objects.filter(government=government, slug=spec["slug"]).exists():
            continue
        services.process_create(actor=None, government=government, now=now, **spec)
        created += 1
    if stdout is not None:
        stdout.write(f"  participation · {government.slug}: {created} new processes")
    results_demo.seed(government, now=now, stdout=stdout)
    # Events and oversight committees
    events_demo.seed(government, now=now, stdout=stdout)
    committees_demo.seed(government, now=now, stdout=stdout)
    survey_demo.seed(government, now=now, stdout=stdout)  # surveys
    proposals_demo.seed(government, now=now, stdout=stdout)
    budgets_demo.seed(government, now=now, stdout=stdout)
