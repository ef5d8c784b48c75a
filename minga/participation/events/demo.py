"""Demo events: fifteen events across the demo processes and the event types, dated from the
day the demo runs. Past ones have minutes, attendance counts and agreements; upcoming ones
take registrations, and one is full with people on the waiting list. Written with
bulk_create, so the demo stays quick."""

from __future__ import annotations

import datetime as dt
import secrets

from .. import territories as territory_sources
from ..processes.models import Process
from . import services
from .models import Agreement, Event, EventType, Registration

PLACES = (
    "Salón de la ciudad, planta baja",
    "Casa comunal del barrio San Pablo",
    "Unidad educativa parroquial, auditorio",
    "Coliseo parroquial",
    "Centro de salud, sala de reuniones",
)
# (type key, title, process slug pattern or "", days from now, hours, capacity, registration)
SPECS = (
    ("presupuesto-participativo", "Asamblea de priorización de proyectos {last}", "pp-last", -420, 3, None, False),
    ("asamblea-local", "Asamblea local de rendición de cuentas", "", -200, 3, None, False),
    ("audiencia-publica", "Audiencia pública sobre el agua potable", "", -120, 2, None, False),
    ("cabildo-popular", "Cabildo popular sobre movilidad", "movilidad", -20, 3, 200, True),
    ("mesa-de-trabajo", "Mesa de trabajo de seguridad ciudadana", "", -45, 2, 40, True),
    ("taller", "Taller de formulación de propuestas", "pp-next", -10, 3, 30, True),
    ("consejo-de-planificacion", "Sesión del consejo de planificación local", "", -60, 2, None, False),
    ("asamblea-local", "Asamblea local de la parroquia rural", "", -90, 3, None, False),
    ("taller", "Taller de presupuesto participativo para jóvenes", "pp-next", 2, 2, 4, True),
    ("presupuesto-participativo", "Reunión de presupuesto participativo por parroquia", "pp-next", 1, 3, 60, True),
    ("audiencia-publica", "Audiencia pública de movilidad: resultados", "movilidad", 14, 2, 150, True),
    ("mesa-de-trabajo", "Mesa de trabajo de ambiente y residuos", "", 21, 2, 30, True),
    ("cabildo-popular", "Cabildo popular de inicio del presupuesto participativo", "pp-next", 30, 3, None, False),
    ("consejo-de-planificacion", "Consejo de planificación: plan de inversiones", "", 40, 2, None, False),
    ("taller", "Taller de veeduría ciudadana", "", 7, 3, 25, True),
)
AGREEMENTS = (
    ("Incluir la reparación de la vía principal en el plan de inversiones.", "Dirección de Obras Públicas", "done"),
    ("Publicar el informe de avance en el portal cada trimestre.", "Dirección de Planificación", "in_progress"),
    ("Convocar a una nueva mesa con los barrios afectados.", "Dirección de Participación Ciudadana", "pending"),
)
MINUTES = (
    "## Desarrollo\n\n- Se presentó la convocatoria y el orden del día.\n- Intervinieron las y los delegados de los "
    "barrios.\n- Se registraron las propuestas y se votó su priorización.\n\n## Cierre\n\nSe leyeron los acuerdos y "
    "se fijaron responsables y plazos."
)
PEOPLE = ("María Zambrano", "José Cedeño", "Ana Mendoza", "Luis Vera", "Carmen Loor", "Pedro Macías", "Rosa Intriago")


def _processes(government, now) -> dict[str, Process]:
    found = {}
    for process in Process.objects.for_government(government).filter(is_published=True):
        if "movilidad" in process.slug:
            found["movilidad"] = process
        elif process.kind == Process.Kind.PARTICIPATORY_BUDGET:
            found["pp-last" if process.ends_at < now else "pp-next"] = process
    return found


def seed(government, *, now: dt.datetime, stdout=None) -> None:
    if Event.objects.for_government(government).exists():
        return
    services.ensure_types(government)
    types = {t.key: t for t in EventType.objects.for_government(government)}
    processes = _processes(government, now)
    territories = territory_sources.available(government)[:3]
    start_day = now.replace(hour=15, minute=0, second=0, microsecond=0)
    events = []
    for index, (key, title, process_key, days, hours, capacity, registration) in enumerate(SPECS):
        starts = start_day + dt.timedelta(days=days)
        territory = territories[index % len(territories)] if territories and index % 3 == 1 else None
        past = days < 0
        events.append(
            Event(
                government=government,
                slug=f"demo-{index + 1:02d}-{key}"[:90],
                event_type=types[key],
                process=processes.get(process_key),
                title=title.format(last=now.year - 1),
                purpose=(
                    "Convocamos a la ciudadanía para informar, deliberar y acordar. Pueden participar todas las "
                    "personas del territorio; las organizaciones pueden acreditar delegados."
                ),
                agenda=[
                    "Bienvenida y constatación del quórum",
                    "Presentación del tema",
                    "Diálogo",
                    "Acuerdos y cierre",
                ],
                territory_code=territory.code if territory else "",
                territory_name=territory.name if territory else "",
                address=PLACES[index % len(PLACES)] if index % 5 != 4 else "",
                latitude=-1.054 + index * 0.001 if index % 2 == 0 else None,
                longitude=-80.454 - index * 0.001 if index % 2 == 0 else None,
                online_url="https://meet.example.org/participacion" if index % 5 in (3, 4) else "",
                accessibility=["ramp", "sign_language"] if index % 2 == 0 else ["ramp"],
                accessibility_notes="Traducción a lengua de señas bajo pedido." if index % 4 == 0 else "",
                starts_at=starts,
                ends_at=starts + dt.timedelta(hours=hours),
                registration_enabled=registration,
                capacity=capacity,
                is_published=True,
                minutes_text=MINUTES if past else "",
                minutes_published_at=starts + dt.timedelta(days=2) if past else None,
                attendance_total=(40 + index * 7) if past else None,
                attendance_women=(22 + index * 4) if past else None,
                attendance_men=(17 + index * 3) if past else None,
                attendance_other=1 if past else None,
            )
        )
    events = Event.objects.bulk_create(events)
    agreements, registrations = [], []
    for index, event in enumerate(events):
        if event.starts_at < now and index % 2 == 0:
            for number, (text, who, status) in enumerate(AGREEMENTS, start=1):
                agreements.append(
                    Agreement(
                        government=government,
                        event=event,
                        number=number,
                        text=text,
                        responsible=who,
                        due_on=(event.starts_at + dt.timedelta(days=60 * number)).date(),
                        status=status,
                    )
                )
        if event.registration_enabled and event.starts_at > now:
            # The taller for young people (capacity 4) is full with three people waiting.
            count = 7 if event.capacity == 4 else 3
            for number in range(count):
                person = PEOPLE[number % len(PEOPLE)]
                full = event.capacity is not None and number >= event.capacity
                registrations.append(
                    Registration(
                        government=government,
                        event=event,
                        name=person,
                        email=f"demo.{index}.{number}@example.org",
                        status=Registration.Status.WAITING if full else Registration.Status.CONFIRMED,
                        token=secrets.token_urlsafe(24),
                        queued_at=now - dt.timedelta(hours=count - number),
                    )
                )
    Agreement.objects.bulk_create(agreements)
    Registration.objects.bulk_create(registrations)
    if stdout is not None:
        stdout.write(f"  participation · {government.slug}: {len(events)} events, {len(agreements)} agreements")
