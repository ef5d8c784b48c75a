"""Demo survey: the open consultation "Consulta sobre movilidad" gets a survey of seven
questions of every kind (one shown only to bus users), built through the services as an
official would have built it before voting opened, and a few hundred responses written in
bulk (participations and responses apart, as the service writes them)."""

from __future__ import annotations

import datetime as dt
import random
import uuid

from django.utils import timezone

from ..processes.models import Process
from . import services
from .models import Answer, Participation, Question, Response, Survey

PROCESS_SLUG = "consulta-movilidad"
SURVEY_SLUG = "prioridades-de-movilidad"
RESPONSES = 320

INTRODUCTION = """Queremos saber cómo se mueve y qué debería mejorar primero. La encuesta toma unos
cinco minutos. Quién participó y qué respondió se guardan por separado: nadie puede saber qué
respondió usted."""

QUESTIONS = [
    {
        "kind": "single",
        "title": "¿Cómo se moviliza normalmente?",
        "options": ["Bus urbano", "Bicicleta", "A pie", "Auto propio", "Moto o taxi"],
    },
    {
        "kind": "single",
        "title": "¿Cómo califica el servicio de bus urbano?",
        "options": ["Muy bueno", "Bueno", "Regular", "Malo"],
        "condition": (0, [0]),
    },
    {
        "kind": "multiple",
        "title": "¿Cuáles son sus dos prioridades de movilidad?",
        "options": [
            "Transporte público",
            "Ciclovías",
            "Veredas seguras",
            "Ordenamiento del tránsito en el centro",
            "Estacionamientos",
        ],
        "max_choices": 2,
    },
    {
        "kind": "ranking",
        "title": "Ordene estos aspectos según su importancia",
        "options": ["Seguridad vial", "Tiempo de viaje", "Costo", "Accesibilidad"],
    },
    {
        "kind": "matrix",
        "title": "¿Qué tan de acuerdo está con estas medidas?",
        "options": ["De acuerdo", "Neutral", "En desacuerdo"],
        "rows": [
            "Peatonalizar el centro los domingos",
            "Carriles exclusivos para buses",
            "Más ciclovías aunque se pierdan estacionamientos",
        ],
    },
    {"kind": "short_text", "title": "¿En qué barrio o parroquia vive?", "required": False},
    {"kind": "long_text", "title": "¿Algo más que quiera decirnos?", "required": False},
]

NEIGHBOURHOODS = ["Centro", "Los Esteros", "Tarqui", "San Pablo", "La Pradera", "Jocay", "Santa Martha"]
COMMENTS = [
    "Más buses en la noche, por favor.",
    "Las veredas del centro están rotas y no hay rampas.",
    "Una ciclovía segura hasta el malecón.",
    "Semáforos peatonales en las escuelas.",
    "El bus tarda mucho en las horas pico.",
]


def _answers(rng: random.Random, questions: list[Question]) -> dict[int, object]:
    q = questions
    how = rng.choices(range(5), weights=[45, 10, 20, 15, 10])[0]
    answers: dict[int, object] = {q[0].pk: [how]}
    if how == 0:
        answers[q[1].pk] = [rng.choices(range(4), weights=[10, 30, 40, 20])[0]]
    first = rng.choices(range(5), weights=[40, 15, 25, 15, 5])[0]
    second = rng.choice([n for n in range(5) if n != first])
    answers[q[2].pk] = sorted({first, second} if rng.random() < 0.8 else {first})
    ranking = [0, 1, 2, 3]
    rng.shuffle(ranking)
    if rng.random() < 0.5:
        ranking.remove(0)
        ranking.insert(0, 0)
    answers[q[3].pk] = ranking
    answers[q[4].pk] = [rng.choices(range(3), weights=w)[0] for w in ([50, 20, 30], [60, 25, 15], [35, 25, 40])]
    if rng.random() < 0.6:
        answers[q[5].pk] = rng.choice(NEIGHBOURHOODS)
    if rng.random() < 0.2:
        answers[q[6].pk] = rng.choice(COMMENTS)
    return answers


def seed(government, *, now: dt.datetime, stdout=None) -> None:
    """Create (once) the consultation's survey and its responses. Runs in the government's scope."""
    process = Process.objects.filter(government=government, slug=PROCESS_SLUG).first()
    if process is None or Survey.objects.filter(government=government, process=process, slug=SURVEY_SLUG).exists():
        return
    built_at = process.starts_at + dt.timedelta(hours=1)  # before voting opened
    survey = services.survey_create(
        actor=None,
        government=government,
        process=process,
        title="Prioridades de movilidad",
        slug=SURVEY_SLUG,
        introduction=INTRODUCTION,
        mode=Survey.Mode.VERIFIED,
        is_published=True,
        now=built_at,
    )
    questions: list[Question] = []
    for spec in QUESTIONS:
        spec = dict(spec)
        condition = spec.pop("condition", None)
        if condition is not None:
            spec["condition_question"] = questions[condition[0]]
            spec["condition_values"] = condition[1]
        questions.append(
            services.question_create(actor=None, government=government, survey=survey, now=built_at, **spec)
        )
    rng = random.Random(f"{government.slug}:{SURVEY_SLUG}")
    vote_start = max((p.starts_at for p in process.phases.all() if p.has_feature("vote")), default=now)
    days = max(1, (timezone.localdate(now) - timezone.localdate(vote_start)).days + 1)
    participations, responses, answers = [], [], []
    by_pk = {q.pk: q for q in questions}
    for _n in range(RESPONSES):
        day = timezone.localdate(vote_start) + dt.timedelta(days=rng.randrange(days))
        voter = services.voter_hash(survey, "demo", uuid.UUID(int=rng.getrandbits(128)))
        participations.append(Participation(government=government, survey=survey, voter=voter, created_on=day))
        response = Response(
            id=uuid.UUID(int=rng.getrandbits(128)), government=government, survey=survey, submitted_on=day
        )
        responses.append(response)
        for pk, value in _answers(rng, questions).items():
            text = by_pk[pk].is_text
            answers.append(
                Answer(
                    id=uuid.UUID(int=rng.getrandbits(128)),
                    government=government,
                    response=response,
                    question_id=pk,
                    choices=[] if text else value,
                    text=value if text else "",
                )
            )
    rng.shuffle(participations)
    Participation.objects.bulk_create(participations, batch_size=500)
    Response.objects.bulk_create(sorted(responses, key=lambda r: r.id), batch_size=500)
    Answer.objects.bulk_create(answers, batch_size=1000)
    if stdout is not None:
        stdout.write(f"  participation · {government.slug}: survey with {RESPONSES} responses")
