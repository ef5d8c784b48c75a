"""Builders for the surveys' tests: a consultation whose voting phase is on (or not yet), a
survey with one question of each kind and a conditional one, all through the services."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from minga.core.tenancy.scoping import government_scope

from ...tests import factories
from .. import services

DAY = dt.timedelta(days=1)


def now() -> dt.datetime:
    return timezone.now().replace(second=0, microsecond=0)


def consultation(government, *, vote_in_days: int = -2, results_now: bool = False, **fields):
    """A published consultation: information (before the vote), vote (from ``vote_in_days``
    for 10 days) and results; with ``results_now`` the results phase is on now instead."""
    start = now() - 20 * DAY
    vote_start = now() + vote_in_days * DAY
    if results_now:
        vote_start = now() - 12 * DAY
    phases = [
        factories.phase("Información", start, vote_start, ["comment"]),
        factories.phase("Votación", vote_start, vote_start + 10 * DAY, ["vote"]),
        factories.phase("Resultados", vote_start + 10 * DAY, vote_start + 40 * DAY, ["show_results"]),
    ]
    values = {"kind": "consultation", "start": start, "phases": phases, "ends_at": vote_start + 40 * DAY}
    values.update(fields)
    return factories.process(government, **values)


def survey_with_questions(government, process, *, mode="anonymous", title="Prioridades de movilidad", at=None):
    """Questions: 1 single, 2 multiple (max 2), 3 ranking, 4 short text, 5 long text
    (optional), 6 matrix, 7 single shown only if 1 is "Bus"."""
    at = at or (process.starts_at + dt.timedelta(hours=1))
    with government_scope(government):
        survey = services.survey_create(
            actor=None, government=government, process=process, title=title, mode=mode, is_published=True, now=at
        )
        q = {}
        add = lambda **f: services.question_create(actor=None, government=government, survey=survey, now=at, **f)  # noqa: E731
        q["single"] = add(kind="single", title="¿Cómo se mueve?", options=["Bus", "Bicicleta", "A pie"])
        q["multiple"] = add(
            kind="multiple",
            title="¿Qué mejorar?",
            options=["Veredas", "Ciclovías", "Buses", "Semáforos"],
            max_choices=2,
        )
        q["ranking"] = add(kind="ranking", title="Ordene", options=["Seguridad", "Rapidez", "Costo"])
        q["short"] = add(kind="short_text", title="Su barrio")
        q["long"] = add(kind="long_text", title="Comentarios", required=False)
        q["matrix"] = add(kind="matrix", title="Califique", options=["Bueno", "Malo"], rows=["Buses", "Veredas"])
        q["conditional"] = add(
            kind="single",
            title="¿Qué línea usa?",
            options=["Línea 1", "Línea 2"],
            condition_question=q["single"],
            condition_values=[0],
        )
    return survey, q


def full_answers(q) -> dict:
    return {
        q["single"].pk: 0,
        q["multiple"].pk: [0, 2],
        q["ranking"].pk: [2, 0, 1],
        q["short"].pk: "Centro",
        q["long"].pk: "",
        q["matrix"].pk: [0, 1],
        q["conditional"].pk: 1,
    }
