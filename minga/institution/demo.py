"""Demonstration content: an org chart for the government's level, fictional authorities with
drawn portraits (initials on a coloured background, never photographs) and three months of
agenda. Everything is derived from a random generator seeded with the government's slug, and
every record has a stable identifier, so running the seed again creates nothing new."""

from __future__ import annotations

import datetime as dt
import io
import random
import uuid
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

from . import services
from .demo_data import (
    CANTON_PARISH_PLACES,
    CANTON_PLACES,
    CANTON_UNITS,
    CURRENT_TERM,
    FEMALE_NAMES,
    MALE_NAMES,
    PALETTE,
    PARISH_UNITS,
    PAST_TERM,
    PROFESSIONS,
    PROVINCE_PLACES,
    PROVINCE_UNITS,
    SURNAMES,
    UID_NAMESPACE,
)
from .models import AgendaEvent, Authority, Unit


def seed(government, *, now: dt.datetime, stdout=None) -> None:
    """Create (once) the demo org chart, authorities and agenda of one government. Runs inside
    the government's scope."""
    rng = random.Random(f"institution:{government.slug}")  # noqa: S311 - demo data, not security
    units = _seed_units(government)
    authorities = _seed_authorities(government, rng, units)
    created = _seed_events(government, rng, units, authorities, now=now)
    if stdout is not None:
        stdout.write(
            f"  institution · {government.slug}: {len(units)} units, {len(authorities)} authorities, "
            f"{created} new events"
        )


def _unit_specs(government):
    return {"province": PROVINCE_UNITS, "canton": CANTON_UNITS}.get(government.level, PARISH_UNITS)


def _seed_units(government) -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for order, (key, name, acronym, kind, parent_key, description) in enumerate(_unit_specs(government)):
        unit = Unit.objects.filter(government=government, slug=key).first()
        if unit is None:
            unit = services.unit_create(
                actor=None,
                government=government,
                name=name,
                slug=key,
                acronym=acronym,
                kind=kind,
                parent=units.get(parent_key),
                description=description,
                functions=_functions_for(name, kind),
                email=f"{key}@{government.slug}.demo.minga.ec",
                phone=f"(05) 000-{1000 + order * 7:04d}",
                address=f"{government.address or government.short_name} · Edificio institucional, piso {1 + order % 4}",
                order=order,
            )
        units[key] = unit
    return units


COUNCIL_FUNCTIONS = (
    "Expedir ordenanzas, acuerdos y resoluciones.",
    "Aprobar el plan de desarrollo y ordenamiento territorial y el presupuesto.",
    "Fiscalizar la gestión del ejecutivo.",
    "Conformar las comisiones permanentes y especiales.",
    "Sesionar en público, con la silla vacía abierta a la ciudadanía.",
)
EXECUTIVE_FUNCTIONS = (
    "Dirigir la administración y representar legalmente al gobierno.",
    "Presentar al órgano legislativo el plan de desarrollo y el presupuesto.",
    "Ejecutar las ordenanzas y resoluciones aprobadas.",
    "Informar sobre su gestión para la rendición de cuentas.",
)

DEPUTY_FUNCTIONS = (
    "Subrogar a la autoridad ejecutiva en su ausencia.",
    "Cumplir las funciones que la autoridad ejecutiva le delegue.",
    "Informar sobre su gestión para la rendición de cuentas.",
)


def _functions_for(name: str, kind: str = "") -> str:
    """What a unit does: the law's duties of the council and of the executive; for the other
    units, the usual duties of a directorate over its own area."""
    if kind == "council":
        return "\n".join(COUNCIL_FUNCTIONS)
    if kind == "executive" and name.startswith("Vice"):
        return "\n".join(DEPUTY_FUNCTIONS)
    if kind == "executive" and " de " not in name:
        return "\n".join(EXECUTIVE_FUNCTIONS)
    area = name.split(" de ", 1)[-1] if " de " in name else name
    return "\n".join(
        [
            f"Planificar y ejecutar las actividades de {area.lower()} según el plan de desarrollo.",
            "Elaborar y ejecutar el plan operativo anual y su presupuesto.",
            "Atender los requerimientos de la ciudadanía en su ámbito.",
            "Publicar la información de su gestión en formatos abiertos.",
            "Informar sobre su gestión para la rendición de cuentas.",
        ]
    )


def _person(rng: random.Random) -> tuple[str, bool]:
    female = rng.random() < 0.5
    first = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
    second = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
    while second == first:
        second = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
    surname, second_surname = rng.sample(SURNAMES, 2)
    return f"{first} {second} {surname} {second_surname}", female


def _authority_specs(government):
    """(unit key, female title, male title, term, heads the unit)"""
    if government.level == "province":
        top = [
            ("prefectura", "Prefecta provincial", "Prefecto provincial"),
            ("viceprefectura", "Viceprefecta", "Viceprefecto"),
        ]
        council = [("consejo", "Consejera provincial", "Consejero provincial")] * 4
    elif government.level == "canton":
        top = [("alcaldia", "Alcaldesa", "Alcalde"), ("vicealcaldia", "Vicealcaldesa", "Vicealcalde")]
        council = [("concejo", "Concejala", "Concejal")] * 5
    else:
        top = [
            ("presidencia", "Presidenta de la junta", "Presidente de la junta"),
            ("vicepresidencia", "Vicepresidenta", "Vicepresidente"),
        ]
        council = [("junta", "Vocal", "Vocal")] * 3
    directors = [
        ("procuraduria", "Procuradora síndica", "Procurador síndico"),
        ("secretaria", "Secretaria general", "Secretario general"),
        ("financiera", "Directora financiera", "Director financiero"),
        ("planificacion", "Directora de planificación", "Director de planificación"),
        ("obras", "Directora de obras públicas", "Director de obras públicas"),
        ("ambiente", "Directora de gestión ambiental", "Director de gestión ambiental"),
    ]
    specs = [(*spec, CURRENT_TERM, True) for spec in top]
    specs += [(*spec, CURRENT_TERM, False) for spec in council]
    specs += [(*spec, (dt.date(2023, 6, 1), None), True) for spec in directors]
    specs += [(top[0][0], top[0][1], top[0][2], PAST_TERM, False)]
    specs += [
        (
            "obras",
            "Directora de obras públicas",
            "Director de obras públicas",
            (dt.date(2021, 2, 1), dt.date(2023, 5, 31)),
            False,
        )
    ]
    return specs


def _seed_authorities(government, rng: random.Random, units: dict[str, Unit]) -> list[Authority]:
    authorities = []
    for number, (unit_key, female_title, male_title, term, heads) in enumerate(_authority_specs(government)):
        name, female = _person(rng)
        profession, area = rng.choice(PROFESSIONS)
        colour = rng.choice(PALETTE)
        slug = f"autoridad-{number + 1:02d}"
        unit = units.get(unit_key)
        if unit is None:
            continue
        authority = Authority.objects.filter(government=government, slug=slug).first()
        if authority is None:
            position = female_title if female else male_title
            authority = services.authority_create(
                actor=None,
                government=government,
                name=name,
                slug=slug,
                position=position,
                unit=unit,
                term_start=term[0],
                term_end=term[1],
                biography=_biography(name, position, government, profession, area, rng),
                email=f"{slug}@{government.slug}.demo.minga.ec",
                phone=f"(05) 000-{2000 + number * 11:04d}",
                order=number,
                is_published=True,
                photo=portrait(name, colour),
            )
            if term == CURRENT_TERM and heads:
                services.declaration_create(
                    actor=None,
                    government=government,
                    authority=authority,
                    title="Declaración patrimonial juramentada de inicio de gestión",
                    url="https://www.contraloria.gob.ec/",
                    year=term[0].year,
                )
        if heads and unit.head_id is None:
            unit = services.unit_update(actor=None, government=government, unit=unit, head=authority)
            units[unit_key] = unit
        authorities.append(authority)
    return authorities


def _biography(name, position, government, profession, area, rng) -> str:
    years = rng.randint(6, 25)
    return (
        f"{name} es {position.lower()} del {government.name}. Profesional en {profession}, con {years} años de "
        f"experiencia en {area}.\n\n"
        "Ha trabajado en proyectos comunitarios y en la administración pública local. "
        "Perfil ficticio generado para la demostración de la plataforma."
    )


def portrait(name: str, colour: str, size: int = 480) -> ContentFile:
    """An abstract avatar: a silhouette and the person's initials on a coloured background."""
    image = Image.new("RGB", (size, size), colour)
    draw = ImageDraw.Draw(image)
    light = "#f2f5f6"
    draw.ellipse((size * 0.3, size * 0.14, size * 0.7, size * 0.54), fill=light)
    draw.pieslice((size * 0.12, size * 0.6, size * 0.88, size * 1.36), 180, 360, fill=light)
    initials = "".join(part[0] for part in name.split()[::2][:2]).upper()
    try:
        font = ImageFont.load_default(size=int(size * 0.16))
    except TypeError:  # Pillow built without FreeType
        font = ImageFont.load_default()
    draw.text((size / 2, size * 0.34), initials, fill=colour, font=font, anchor="mm")
    output = io.BytesIO()
    image.save(output, format="PNG")
    return ContentFile(output.getvalue(), name="retrato.png")


# Agenda ----------------------------------------------------------------------------------


def _event_kinds(government):
    if government.level == "province":
        council, places = "Sesión ordinaria del Consejo Provincial", PROVINCE_PLACES
    elif government.level == "canton":
        places = CANTON_PLACES + CANTON_PARISH_PLACES.get(government.dpa_code, [])
        council = "Sesión ordinaria del Concejo Municipal"
    else:
        council, places = "Sesión ordinaria de la Junta Parroquial", CANTON_PLACES
    return council, places


# Days without public events: national holidays with a fixed date, Christmas Eve and New
# Year's Eve.
NO_EVENT_DAYS = {(1, 1), (5, 1), (5, 24), (8, 10), (10, 9), (11, 2), (11, 3), (12, 24), (12, 25), (12, 31)}


def _hearing_title(day: dt.date, rng: random.Random) -> str:
    """The month's public hearing: the yearly account to the citizens in April (the law's
    season for it), once; an assembly or a hearing on the plan in the other months."""
    if day.month == 4:
        return "Audiencia pública de rendición de cuentas"
    return rng.choice(
        ["Asamblea ciudadana de presupuesto participativo", "Audiencia pública sobre el plan de desarrollo"]
    )


def _first_of_month(day: dt.date, delta: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + delta
    return dt.date(index // 12, index % 12 + 1, 1)


def _seed_events(government, rng, units, authorities, *, now: dt.datetime) -> int:
    zone = ZoneInfo(settings.TIME_ZONE)
    today = now.astimezone(zone).date()
    start, end = _first_of_month(today, -1), _first_of_month(today, 3)
    council_title, places = _event_kinds(government)
    current = [a for a in authorities if a.term_end is None or a.term_end >= today]
    leader = current[0] if current else None
    by_unit = {a.unit_id: a for a in current}
    created = 0

    def add(key: str, day: dt.date, hour: int, title: str, **fields) -> None:
        nonlocal created
        uid = uuid.uuid5(UID_NAMESPACE, f"{government.slug}:{day.isoformat()}:{key}")
        if AgendaEvent.objects.filter(uid=uid).exists():
            return
        starts = dt.datetime.combine(day, dt.time(hour, 0), tzinfo=zone)
        duration = fields.pop("hours", 2)
        people = fields.pop("people", [])
        services.event_create(
            actor=None,
            government=government,
            uid=uid,
            title=title,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=duration),
            authorities=[p for p in people if p is not None],
            **fields,
        )
        created += 1

    day, week = start, 0
    while day < end:
        if (day.month, day.day) in NO_EVENT_DAYS:
            week += day.weekday() == 6
            day += dt.timedelta(days=1)
            continue
        if day.weekday() == 3 and week % 2 == 0:  # every other Thursday
            add(
                "sesion",
                day,
                10,
                council_title,
                location="Salón de sesiones, edificio institucional",
                participants="Integrantes del órgano legislativo; silla vacía abierta a la ciudadanía.",
                description="Orden del día: aprobación de actas, informes de comisiones y proyectos de ordenanza.",
                unit=units[_unit_specs(government)[0][0]],
                people=[leader],
                minutes_url="https://actas.example.org/sesiones" if day < today else "",
            )
        if day.weekday() == 1:  # Tuesdays: inspections of works
            place = rng.choice(places)
            add(
                "inspeccion",
                day,
                8,
                f"Inspección de obras en {place}",
                hours=4,
                location=place,
                participants="Equipo técnico de obras públicas y fiscalización; dirigentes comunitarios.",
                description="Recorrido para verificar el avance y la calidad de los trabajos en ejecución.",
                unit=units.get("obras"),
                people=[leader, by_unit.get(units["obras"].pk) if "obras" in units else None],
            )
        if day.weekday() == 2:  # Wednesdays: working meetings
            place = rng.choice(places)
            topic = rng.choice(
                [
                    "Mesa técnica de planificación",
                    "Reunión con asociaciones de productores",
                    "Reunión de coordinación con gobiernos parroquiales",
                    "Mesa de trabajo sobre gestión de riesgos",
                ]
            )
            add(
                "reunion",
                day,
                15,
                f"{topic} ({place})",
                location=f"{place}, sala de reuniones",
                participants="Autoridades, personal técnico y representantes de la sociedad civil.",
                description="Seguimiento de compromisos y acuerdos de la mesa de trabajo.",
                unit=units.get("planificacion"),
                people=[by_unit.get(units["planificacion"].pk)] if "planificacion" in units else [],
            )
        if day.weekday() == 0 and week % 3 == 1:  # private internal meetings
            add(
                "interna",
                day,
                9,
                "Reunión interna de coordinación del gabinete",
                visibility=AgendaEvent.Visibility.PRIVATE,
                location="Despacho principal",
                people=[leader],
            )
        if day.day == 20:  # one public hearing a month
            add(
                "audiencia",
                day,
                17,
                _hearing_title(day, rng),
                hours=3,
                location=f"Coliseo de {rng.choice(places)}",
                participants="Ciudadanía, organizaciones sociales y autoridades.",
                description="Espacio abierto a toda la ciudadanía. Habrá intérprete de lengua de señas.",
                unit=units.get("participacion") or units.get("planificacion"),
                people=[leader],
            )
        if day == _first_of_month(today, 1) + dt.timedelta(days=4):  # one cancelled event
            add(
                "cancelado",
                day,
                11,
                "Entrega de maquinaria a comunidades rurales",
                status=AgendaEvent.Status.CANCELLED,
                location=rng.choice(places),
                description="Evento suspendido por condiciones climáticas; se anunciará la nueva fecha.",
                people=[leader],
            )
        if day.weekday() == 6:
            week += 1
        day += dt.timedelta(days=1)
    return created
