"""Demonstration proposals: 60 proposals across the demo participatory budgets (this year's,
now gathering supports, and last year's, finished), with realistic titles for Manabí's
parishes, supports from demo neighbours (accounts created in bulk, without a password), a few
evaluated, one merged and some comments. Written in bulk so `minga demo` stays quick; a process
that already has proposals is left as it is."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError

from minga.core.comments import services as comments
from minga.core.notifications.models import Follow

from ..processes.models import Process
from . import rules, services
from .models import Proposal, Status, Support
from .registry import COMMENT_TARGET, FOLLOW_KIND

NEIGHBOURS = 150
# (title, category, body): {lugar} is the parish or a place of the territory.
IDEAS = [
    (
        "Alumbrado público en el malecón de {lugar}",
        "Espacio público y áreas verdes",
        "El malecón queda a oscuras desde las siete de la noche y las familias dejan de usarlo. Proponemos luminarias LED y mantenimiento de las existentes.",
    ),
    (
        "Asfaltado del camino vecinal {lugar} – El Aromo",
        "Vías y movilidad",
        "En invierno el camino se vuelve intransitable y los productores no pueden sacar la cosecha. Se propone lastrado y asfaltado de 3 km con cunetas.",
    ),
    (
        "Agua potable para la comunidad de {lugar}",
        "Agua potable y saneamiento",
        "Las familias compran agua de tanquero a precios altos. Proponemos extender la red de agua potable desde la planta más cercana.",
    ),
    (
        "Cancha de uso múltiple en {lugar}",
        "Deporte y recreación",
        "Los jóvenes no tienen dónde hacer deporte. Una cancha cubierta serviría también para asambleas y ferias.",
    ),
    (
        "Centro de acopio de cacao en {lugar}",
        "Desarrollo productivo",
        "Los pequeños productores venden a intermediarios a bajo precio. Un centro de acopio con secadora permitiría vender en conjunto.",
    ),
    (
        "Muro de contención en la quebrada de {lugar}",
        "Ambiente y riesgos",
        "Cada invierno la quebrada se desborda y afecta a las viviendas cercanas. Se propone un muro de gaviones y limpieza del cauce.",
    ),
    (
        "Alcantarillado sanitario para el barrio central de {lugar}",
        "Agua potable y saneamiento",
        "Las aguas servidas corren por las calles. Proponemos completar el alcantarillado y conectar las viviendas.",
    ),
    (
        "Parque infantil en {lugar}",
        "Espacio público y áreas verdes",
        "No hay un espacio seguro para los niños. Proponemos juegos infantiles, bancas y árboles de sombra en el terreno comunal.",
    ),
    (
        "Puente peatonal sobre el estero de {lugar}",
        "Vías y movilidad",
        "Los estudiantes cruzan el estero por una tabla. Un puente peatonal seguro evitaría accidentes en época de lluvias.",
    ),
    (
        "Dispensario médico con atención los fines de semana en {lugar}",
        "Salud",
        "El subcentro cierra los fines de semana y las emergencias deben ir a la cabecera cantonal. Proponemos ampliar el horario.",
    ),
    (
        "Biblioteca comunitaria y aula de computación en {lugar}",
        "Educación y cultura",
        "Los estudiantes no tienen internet en casa. Un aula con computadoras y libros ayudaría a hacer tareas y a aprender oficios.",
    ),
    (
        "Reforestación de la ribera del río en {lugar}",
        "Ambiente y riesgos",
        "La ribera se erosiona y el río se lleva los terrenos. Proponemos sembrar guadúa y especies nativas con la comunidad.",
    ),
    (
        "Cámaras de videovigilancia y alarmas comunitarias en {lugar}",
        "Seguridad ciudadana",
        "Han aumentado los robos. Proponemos alarmas comunitarias y cámaras conectadas con el ECU 911.",
    ),
    (
        "Casa del adulto mayor en {lugar}",
        "Atención a grupos prioritarios",
        "Los adultos mayores no tienen un lugar de encuentro. Proponemos adecuar la casa comunal con rampas y baños accesibles.",
    ),
    (
        "Mercado artesanal de pescadores en {lugar}",
        "Desarrollo productivo",
        "Los pescadores venden en la playa sin frío ni higiene. Un mercado con cuarto frío mejoraría sus ingresos.",
    ),
    (
        "Ciclovía entre {lugar} y la cabecera cantonal",
        "Vías y movilidad",
        "Muchas personas se mueven en bicicleta por la vía principal sin protección. Proponemos una ciclovía separada.",
    ),
    (
        "Sistema de riego para los agricultores de {lugar}",
        "Desarrollo productivo",
        "En verano se pierden los cultivos por falta de agua. Se propone un sistema de riego por goteo con reservorio.",
    ),
    (
        "Aceras y rampas accesibles en el centro de {lugar}",
        "Atención a grupos prioritarios",
        "Las personas con discapacidad no pueden circular por el centro. Proponemos aceras continuas y rampas en las esquinas.",
    ),
    (
        "Recolección de basura dos veces por semana en {lugar}",
        "Ambiente y riesgos",
        "El recolector pasa cada quince días y la basura se quema. Proponemos aumentar la frecuencia y poner contenedores.",
    ),
    (
        "Escuela de música y danza para jóvenes de {lugar}",
        "Educación y cultura",
        "Hay mucho talento y ningún espacio. Proponemos talleres de marimba, amorfino y danza en la casa comunal.",
    ),
]
PLACES = [
    ("Portoviejo", -1.0546, -80.4545),
    ("Manta", -0.9677, -80.7089),
    ("Chone", -0.6983, -80.0936),
    ("Jipijapa", -1.3486, -80.5786),
    ("Montecristi", -1.0458, -80.6585),
    ("Rocafuerte", -0.9226, -80.4486),
    ("Calceta", -0.8458, -80.1667),
    ("San Vicente", -0.5998, -80.4097),
    ("Jama", -0.2004, -80.2626),
    ("Puerto López", -1.5592, -80.8117),
    ("Santa Ana", -1.2064, -80.3708),
    ("Crucita", -0.8733, -80.5389),
]
COMMENTS = [
    (1, "Apoyo esta propuesta: en mi barrio pasa lo mismo desde hace años."),
    (1, "Sería bueno que se haga con mano de obra de la misma comunidad."),
    (-1, "Creo que hay prioridades más urgentes, como el agua potable."),
    (0, "¿Alguien sabe si el terreno es comunal o privado?"),
    (1, "Los niños de la escuela lo necesitan, cuenten con nosotros para la minga."),
]
ANSWERS = {
    Status.FEASIBLE: "Viable. Es competencia del gobierno provincial, el terreno es público y el costo cabe en el techo presupuestario de la parroquia. Pasa a la votación.",
    Status.NOT_FEASIBLE: "No viable por ahora: la obra es competencia del municipio del cantón, al que se remitió la propuesta con los apoyos recibidos.",
}


def _neighbours(government, now) -> list:
    User = get_user_model()
    domain = f"{government.slug}.demo.minga.ec"
    emails = [f"vecino{number}@{domain}" for number in range(1, NEIGHBOURS + 1)]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    unusable = make_password(None)
    User.objects.bulk_create(
        [
            User(
                email=email,
                full_name=f"Vecina o vecino {index}",
                date_joined=now,
                email_verified_at=now,
                password=unusable,
            )
            for index, email in enumerate(emails, start=1)
            if email not in existing
        ]
    )
    return list(User.objects.filter(email__in=emails).order_by("pk"))


def _phase_with(process, feature):
    return next((phase for phase in process.phases.order_by("position") if phase.has_feature(feature)), None)


def _proposals(government, process, people, rng, count, now) -> list[Proposal]:
    territories = rules.territory_choices(process) or [("", "")]
    propose = _phase_with(process, "propose")
    start = propose.starts_at if propose else process.starts_at
    end = min(propose.ends_at if propose else now, now)
    span = max(1, int((end - start).total_seconds()))
    rows = []
    ideas = rng.sample(IDEAS * 3, count)
    for index, (title, category, body) in enumerate(ideas):
        code, name = territories[index % len(territories)]
        place, lat, lon = PLACES[index % len(PLACES)]
        located = index % 3 != 2
        rows.append(
            Proposal(
                government=government,
                process=process,
                author=people[index % len(people)],
                title=title.format(lugar=name or place)[:150],
                body=body,
                category=category,
                territory_code=code,
                territory_name=name,
                latitude=Decimal(f"{lat + rng.uniform(-0.03, 0.03):.6f}") if located else None,
                longitude=Decimal(f"{lon + rng.uniform(-0.03, 0.03):.6f}") if located else None,
                created_at=start + dt.timedelta(seconds=rng.randrange(span)),
            )
        )
    return Proposal.objects.for_government(government).bulk_create(rows)


def _supports(government, process, proposals, people, rng, now) -> None:
    phase = _phase_with(process, "support")
    start = phase.starts_at if phase else process.starts_at
    end = min(phase.ends_at if phase else now, now)
    span = max(1, int((end - start).total_seconds()))
    threshold = rules.threshold(process)
    rows = []
    for proposal in proposals:
        # A few popular proposals, most with a handful of supports.
        wanted = min(len(people) - 1, int(rng.paretovariate(1.3) * 6))
        backers = [p for p in rng.sample(people, wanted + 1) if p.pk != proposal.author_id][:wanted]
        for person in backers:
            rows.append(
                Support(
                    government=government,
                    proposal=proposal,
                    process=process,
                    user=person,
                    created_at=start + dt.timedelta(seconds=rng.randrange(span)),
                )
            )
        proposal.supports_count = len(backers)
        if threshold and proposal.supports_count >= threshold:
            proposal.status = Status.EVALUATING
    Support.objects.for_government(government).bulk_create(rows)
    Proposal.objects.for_government(government).bulk_update(proposals, ["supports_count", "status"])


def _follows(government, proposals, now) -> None:
    Follow.objects.for_government(government).bulk_create(
        [
            Follow(government=government, user_id=p.author_id, kind=FOLLOW_KIND, object_id=p.pk, created_at=now)
            for p in proposals
        ],
        ignore_conflicts=True,
    )


def seed(government, *, now: dt.datetime, stdout=None) -> None:
    """Runs inside the government's scope (the demo command's)."""
    rng = random.Random(f"proposals-{government.slug}")
    budgets = Process.objects.filter(government=government, kind=Process.Kind.PARTICIPATORY_BUDGET, is_published=True)
    processes = [
        p
        for p in budgets.prefetch_related("phases").order_by("-starts_at")
        if any(phase.has_feature("propose") for phase in p.phases.all())
    ][:2]
    if not processes or Proposal.objects.filter(government=government, process__in=processes).exists():
        return
    people = _neighbours(government, now)
    created = 0
    for index, process in enumerate(processes):
        count = 45 if index == 0 else 60 - 45
        proposals = _proposals(government, process, people, rng, count, now)
        _supports(government, process, proposals, people, rng, now)
        _follows(government, proposals, now)
        created += len(proposals)
        ranked = sorted(proposals, key=lambda p: -p.supports_count)
        evaluated = ranked[:4] if index == 1 else ranked[:2]
        for number, proposal in enumerate(evaluated):
            status = Status.NOT_FEASIBLE if number % 3 == 2 else Status.FEASIBLE
            services.proposal_evaluate(
                actor=None,
                government=government,
                proposal=proposal,
                feasible=status == Status.FEASIBLE,
                cost_estimate=Decimal(rng.randrange(15_000, 240_000)),
                answer=ANSWERS[status],
                now=now,
            )
        if index == 0:
            duplicate, original = ranked[-1], ranked[len(ranked) // 2]
            services.proposal_merge(actor=None, government=government, source=duplicate, target=original, now=now)
            _comments(government, ranked[2:7], people, rng, now)
    if stdout is not None:
        stdout.write(f"  participation · {government.slug}: {created} proposals")


def _comments(government, proposals, people, rng, now) -> None:
    for proposal in proposals:
        for alignment, body in rng.sample(COMMENTS, 2):
            author = rng.choice(people)
            try:
                comments.comment_create(
                    actor=author,
                    government=government,
                    target_key=COMMENT_TARGET,
                    obj=proposal,
                    body=body,
                    alignment=alignment,
                    now=now,
                )
            except ValidationError:  # comments closed in this process's phase: the demo goes on without
                return
