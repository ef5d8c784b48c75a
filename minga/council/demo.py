"""Demonstration content: a provincial council of nine members (the prefect presiding, the
vice-prefect and seven councillors, one with an alternate), three standing committees with
chairs, and twenty-five acts in every stage of the procedure, most with two or three versions
of their text. Dates count back from the day of the seed; running it again creates nothing new."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from .acts import services as act_services
from .acts.parser import render
from .debate import demo as debate_demo
from .demo_text import (
    LEVEL_WORDS,
    fill_text,
    fill_units,
    ordinance_units,
    resolution_units,
    second_version,
    third_version,
)
from .effectiveness import demo as effectiveness_demo
from .follows import demo as follows_demo
from .members import services as member_services
from .members.models import Council
from .seat import demo as seat_demo
from .sessions import demo as session_demo

# level -> (kind of council, its name before the government's, who presides, the vice)
LEVELS = {
    "province": ("provincial", "Consejo Provincial de", "Prefecta", "Viceprefecto"),
    "canton": ("municipal", "Concejo Municipal de", "Alcaldesa", "Vicealcalde"),
    "parish": ("parish", "Junta Parroquial de", "Presidenta", "Vicepresidente"),
}
PEOPLE = (
    ("Leonor Cedeño Vera", "Movimiento Provincia Unida", "president", "Prefecta"),
    ("Ramiro Zambrano Loor", "Movimiento Provincia Unida", "vice", "Viceprefecto"),
    ("Patricia Mendoza Alcívar", "Alianza Costa Verde", "member", "Consejera por Portoviejo"),
    ("Jorge Intriago Mera", "Movimiento Provincia Unida", "member", "Consejero por Manta"),
    ("Gabriela Vélez Bravo", "Frente Ciudadano", "member", "Consejera por Chone"),
    ("Luis Macías Palma", "Alianza Costa Verde", "member", "Consejero por Jipijapa"),
    ("Carmen Moreira Solórzano", "Frente Ciudadano", "member", "Consejera por Sucre"),
    ("Andrés Pinargote Cevallos", "Movimiento Provincia Unida", "member", "Consejero parroquial rural"),
    ("Rosa Quijije Anchundia", "Alianza Costa Verde", "member", "Consejera parroquial rural"),
)
ALTERNATE = ("Mario Delgado Zambrano", "Alianza Costa Verde")  # alternate of Patricia Mendoza

COMMITTEES = (
    ("Comisión de Planificación y Presupuesto", "Planificación, presupuesto y finanzas {adjs}.", (2, 3, 5)),
    ("Comisión de Ambiente y Recursos Hídricos", "Gestión ambiental, cuencas y riego.", (4, 6, 8)),
    ("Comisión de Vialidad y Producción", "Vialidad rural, fomento productivo y turismo.", (3, 7, 1)),
)

# The committee each subject goes to (an index in COMMITTEES).
COMMITTEE_OF = {"Presupuesto": 0, "Transparencia": 0, "Participación": 0, "Ambiente": 1, "Riego": 1, "Riesgos": 1}
PATH = ("presented", "qualified", "committee_assigned", "committee_report", "first_debate", "second_debate", "approved")
# (number, kind, title, topic, subject, sponsors, steps, days of the first step before today)
ACTS = (
    (
        "PO-2026-001",
        "ordinance",
        "Ordenanza de gestión integral de cuencas hidrográficas",
        "la gestión integral de las cuencas hidrográficas",
        "Ambiente",
        (4, 6),
        (*PATH, "sanctioned", "published"),
        200,
    ),
    (
        "PO-2026-002",
        "ordinance",
        "Ordenanza de fomento del turismo comunitario",
        "el fomento del turismo comunitario",
        "Turismo",
        (7,),
        (*PATH, "objected", "published"),
        180,
    ),
    (
        "PO-2026-003",
        "ordinance",
        "Ordenanza de mantenimiento vial rural con participación comunitaria",
        "el mantenimiento de la vialidad rural con mingas comunitarias",
        "Vialidad",
        (1, 7),
        PATH,
        120,
    ),
    (
        "PO-2026-004",
        "ordinance",
        "Ordenanza de riego parcelario",
        "la gestión del riego parcelario",
        "Riego",
        (6,),
        PATH[:6],
        90,
    ),
    (
        "PO-2026-005",
        "ordinance",
        "Ordenanza de transparencia y datos abiertos {adjs}",
        "la publicación de información pública y datos abiertos",
        "Transparencia",
        (0, 2),
        PATH[:5],
        80,
    ),
    (
        "PO-2026-006",
        "ordinance",
        "Ordenanza de protección de manglares",
        "la protección y recuperación de los manglares",
        "Ambiente",
        (8,),
        PATH[:3],
        75,
    ),
    (
        "PO-2026-007",
        "ordinance",
        "Ordenanza de apoyo a la economía popular y solidaria",
        "el apoyo a la economía popular y solidaria",
        "Producción",
        (3,),
        PATH[:2],
        6,
    ),
    (
        "PO-2026-008",
        "ordinance",
        "Ordenanza de tasas por servicios técnicos",
        "las tasas por servicios técnicos {adjs}",
        "Presupuesto",
        (5,),
        (*PATH[:5], "rejected"),
        150,
    ),
    (
        "RES-2026-001",
        "resolution",
        "Resolución de aprobación del plan de movilidad rural",
        "el plan de movilidad rural 2026–2030",
        "Vialidad",
        (1,),
        PATH[:5] + ("approved",),
        60,
    ),
    (
        "ACU-2026-001",
        "agreement",
        "Acuerdo de hermanamiento con {peer}",
        "el convenio de hermanamiento con {peer}",
        "Cooperación",
        (0,),
        ("presented", "qualified", "archived"),
        100,
    ),
    # More of the council's year, so that every stage holds several acts.
    (
        "PO-2025-011",
        "ordinance",
        "Ordenanza de gestión de riesgos y emergencias",
        "la gestión de riesgos, la prevención y la respuesta a emergencias",
        "Riesgos",
        (0, 4),
        (*PATH, "sanctioned", "published"),
        330,
    ),
    (
        "PO-2025-012",
        "ordinance",
        "Ordenanza de cooperación internacional no reembolsable",
        "la gestión de la cooperación internacional no reembolsable",
        "Cooperación",
        (2,),
        (*PATH, "sanctioned", "published"),
        300,
    ),
    (
        "PO-2025-013",
        "ordinance",
        "Ordenanza de fomento de la producción de cacao fino de aroma",
        "el fomento de la producción y comercialización del cacao fino de aroma",
        "Producción",
        (3, 5),
        (*PATH, "sanctioned", "published"),
        280,
    ),
    (
        "PO-2026-009",
        "ordinance",
        "Ordenanza de igualdad y prevención de la violencia de género",
        "la igualdad y la prevención de la violencia de género",
        "Igualdad",
        (4, 6, 8),
        (*PATH, "sanctioned"),
        110,
    ),
    (
        "PO-2026-010",
        "ordinance",
        "Ordenanza de gestión de áridos y pétreos",
        "la regulación de la explotación de áridos y pétreos",
        "Ambiente",
        (5,),
        PATH,
        70,
    ),
    (
        "PO-2026-011",
        "ordinance",
        "Ordenanza de seguridad alimentaria y ferias agroecológicas",
        "la seguridad alimentaria y las ferias agroecológicas",
        "Producción",
        (7, 8),
        PATH[:6],
        65,
    ),
    (
        "PO-2026-012",
        "ordinance",
        "Ordenanza del sistema {adj} de participación ciudadana",
        "el sistema de participación ciudadana y control social",
        "Participación",
        (2, 4),
        PATH[:5],
        55,
    ),
    (
        "PO-2026-013",
        "ordinance",
        "Ordenanza de protección de fuentes de agua",
        "la protección de fuentes y zonas de recarga hídrica",
        "Riego",
        (6, 8),
        PATH[:4],
        45,
    ),
    (
        "PO-2026-014",
        "ordinance",
        "Ordenanza de bienestar animal",
        "el bienestar y la tenencia responsable de animales",
        "Ambiente",
        (4,),
        PATH[:3],
        20,
    ),
    (
        "PO-2026-015",
        "ordinance",
        "Ordenanza de conectividad digital rural",
        "la conectividad digital de las parroquias rurales",
        "Vialidad",
        (1, 3),
        PATH[:2],
        10,
    ),
    (
        "PO-2026-016",
        "ordinance",
        "Ordenanza de fomento del deporte comunitario",
        "el fomento del deporte comunitario y la recreación",
        "Deporte",
        (7,),
        PATH[:1],
        3,
    ),
    (
        "RES-2026-002",
        "resolution",
        "Resolución de aprobación de la reforma presupuestaria",
        "la primera reforma al presupuesto {adj} del ejercicio",
        "Presupuesto",
        (0,),
        PATH[:5] + ("approved",),
        40,
    ),
    (
        "RES-2026-003",
        "resolution",
        "Resolución de declaratoria de emergencia vial",
        "la declaratoria de emergencia de la red vial rural por lluvias",
        "Vialidad",
        (1,),
        PATH[:4],
        15,
    ),
    (
        "ACU-2026-002",
        "agreement",
        "Acuerdo de reconocimiento a las mingas comunitarias",
        "el reconocimiento a las organizaciones que sostienen las mingas comunitarias",
        "Participación",
        (8,),
        PATH[:5] + ("approved",),
        35,
    ),
    (
        "ACU-2026-003",
        "agreement",
        "Acuerdo de rechazo a la explotación minera en zonas de recarga hídrica",
        "el rechazo a la explotación minera en zonas de recarga hídrica",
        "Ambiente",
        (6,),
        (*PATH[:5], "rejected"),
        95,
    ),
)


def seed(government, *, now: dt.datetime, stdout=None) -> None:
    if Council.objects.for_government(government).exists():
        return
    today = timezone.localtime(now).date()
    term = dt.date(today.year - 2, 5, 14)
    kind, prefix, president, vice = LEVELS.get(government.level, LEVELS["province"])
    words = LEVEL_WORDS.get(government.level, LEVEL_WORDS["province"])
    body = f"{prefix} {government.short_name}"
    council = member_services.council_save(
        actor=None,
        government=government,
        fields={
            "name": body,
            "kind": kind,
            "description": "Órgano de legislación y fiscalización. Sus sesiones son públicas.",
            "seat": f"Edificio del {words['government']}, salón de sesiones",
            "contact_email": "",
        },
    )
    people = []
    for name, party, role, label in PEOPLE:
        label = {"president": president, "vice": vice}.get(role, label)
        person = member_services.person_save(
            actor=None, government=government, person=None, fields={"name": name, "party": party}
        )
        member_services.membership_save(
            actor=None,
            government=government,
            council=council,
            membership=None,
            fields={"person": person, "role": role, "label": label, "starts_on": term},
        )
        people.append(person)
    alternate = member_services.person_save(
        actor=None, government=government, person=None, fields={"name": ALTERNATE[0], "party": ALTERNATE[1]}
    )
    member_services.membership_save(
        actor=None,
        government=government,
        council=council,
        membership=None,
        fields={"person": alternate, "role": "alternate", "alternate_of": people[2], "starts_on": term},
    )
    # A past composition: the councillor of the previous term.
    former = member_services.person_save(
        actor=None,
        government=government,
        person=None,
        fields={"name": "Julio Bermello Ponce", "party": "Frente Ciudadano"},
    )
    member_services.membership_save(
        actor=None,
        government=government,
        council=council,
        membership=None,
        fields={
            "person": former,
            "role": "member",
            "label": "Consejero por Chone",
            "starts_on": dt.date(term.year - 4, 5, 14),
            "ends_on": term - dt.timedelta(days=1),
        },
    )
    committees = []
    for name, remit, members in COMMITTEES:
        committee = member_services.committee_save(
            actor=None,
            government=government,
            council=council,
            committee=None,
            fields={"name": name, "kind": "standing", "description": fill_text(remit, words), "is_active": True},
        )
        for index, member in enumerate(members):
            member_services.committee_membership_save(
                actor=None,
                government=government,
                committee=committee,
                membership=None,
                fields={"person": people[member], "role": "chair" if index == 0 else "member", "starts_on": term},
            )
        committees.append(committee)
    for spec in ACTS:
        _act(government, today, people, committees, body, words, *spec)
    sessions = session_demo.seed(government, now=now)
    effectiveness_demo.seed(government, today=today)
    seat_demo.seed(government, now=now, stdout=stdout)
    debate_demo.seed(government, now=now, stdout=stdout)
    follows_demo.seed(government, now=now)
    if stdout is not None:
        stdout.write(
            f"  concejo: {len(people) + 2} miembros, {len(committees)} comisiones, {len(ACTS)} actos, "
            f"{sessions} sesiones\n"
        )


def _act(
    government, today, people, committees, body, words, number, kind, title, topic, subject_name, sponsors, steps, start
):
    title, topic = fill_text(title, words), fill_text(topic, words)
    subject = act_services.subject_get_or_create(actor=None, government=government, name=subject_name)
    act = act_services.act_save(
        actor=None,
        government=government,
        act=None,
        fields={"identifier": number, "kind": kind, "title": title, "summary": f"Regula {topic}.", "is_public": True},
        subjects=[subject],
        sponsors=[people[i] for i in sponsors],
        primary=people[sponsors[0]],
    )
    units = (
        ordinance_units(topic, subject_name, government.short_name, body)
        if kind == "ordinance"
        else resolution_units(topic, body)
    )
    day = today - dt.timedelta(days=start)
    gap = max(1, start // (len(steps) + 1))
    committee = committees[COMMITTEE_OF.get(subject_name, 2)]
    texts = {"presented": ("Texto presentado", units)}
    if kind == "ordinance":
        texts["first_debate"] = ("Texto para segundo debate", second_version(units))
        texts["second_debate"] = ("Texto aprobado en segundo debate", third_version(second_version(units)))
    else:
        texts["first_debate"] = ("Texto aprobado", second_version(units))
    for step in steps:
        version = None
        if step in texts:
            label, text_units = texts[step]
            version = act_services.version_add(
                actor=None,
                government=government,
                act=act,
                label=label,
                dated=day,
                text=render(fill_units(text_units, words)),
            )
        act_services.action_record(
            actor=None,
            government=government,
            act=act,
            stage=step,
            date=day,
            committee=committee if step == "committee_assigned" else None,
            version=version,
            today=today,
        )
        day = min(today, day + dt.timedelta(days=gap))
