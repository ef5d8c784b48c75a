"""Demonstration works: for the province, 64 projects spread over Manabí's cantons; for a
canton, 24 inside it. Points (schools, health centres, wells), lines (roads, canals, pipes)
and areas (parks, reforestation) with monthly progress histories, a few drawn photos
(never photographs) and citizen comments with answers. Some projects are planted to raise
each flag (no update, paid ahead of the works, late, over cost). Everything derives from a
random generator seeded with the government's slug, every record has a stable identifier,
and a second run creates nothing new."""

from __future__ import annotations

import datetime as dt
import io
import math
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from minga.core import registry
from minga.core.comments import selectors as comment_selectors
from minga.core.comments import services as comments

from . import services
from .comments import TARGET as COMMENT_TARGET
from .models import Project, ProjectLink, Sector, Status

PROVINCE_COUNT = 64
CANTON_COUNT = 24
# (DPA code, name, lon, lat): approximate centres of Manabí's cantons.
MANABI_CANTONS = [
    ("1301", "Portoviejo", -80.454, -1.054),
    ("1302", "Bolívar", -80.160, -0.845),
    ("1303", "Chone", -80.094, -0.698),
    ("1304", "El Carmen", -79.459, -0.271),
    ("1305", "Flavio Alfaro", -79.908, -0.402),
    ("1306", "Jipijapa", -80.578, -1.348),
    ("1307", "Junín", -80.206, -0.929),
    ("1308", "Manta", -80.720, -0.957),
    ("1309", "Montecristi", -80.658, -1.046),
    ("1310", "Paján", -80.425, -1.553),
    ("1311", "Pichincha", -79.830, -1.042),
    ("1312", "Rocafuerte", -80.449, -0.922),
    ("1313", "Santa Ana", -80.373, -1.206),
    ("1314", "Sucre", -80.424, -0.600),
    ("1315", "Tosagua", -80.234, -0.786),
    ("1316", "24 de Mayo", -80.270, -1.270),
    ("1317", "Pedernales", -80.052, 0.072),
    ("1318", "Olmedo", -80.209, -1.396),
    ("1319", "Puerto López", -80.810, -1.558),
    ("1320", "Jama", -80.263, -0.200),
    ("1321", "Jaramijó", -80.637, -0.947),
    ("1322", "San Vicente", -80.407, -0.604),
]
CANTON_SECTORS = {
    "1301": ["Andrés de Vera", "12 de Marzo", "Colón", "Picoazá", "San Pablo", "Francisco Pacheco", "Simón Bolívar"],
    "1308": ["Tarqui", "Los Esteros", "Eloy Alfaro", "San Mateo", "Santa Marianita", "Manta centro", "San Lorenzo"],
}
PROVINCE_OBJECTIVES = [
    "OE1 Conectividad vial rural para la producción",
    "OE2 Agua para riego y seguridad alimentaria",
    "OE3 Conservación de cuencas y gestión de riesgos",
    "OE4 Fomento productivo y turismo",
    "OE5 Inclusión social y atención a grupos prioritarios",
]
CANTON_OBJECTIVES = [
    "OE1 Agua potable y saneamiento para todos los barrios",
    "OE2 Movilidad segura y espacio público",
    "OE3 Ciudad resiliente ante inundaciones",
    "OE4 Equipamiento comunitario y deporte",
]
AREAS = {
    "province": ["Cuenca del río Portoviejo", "Cuenca del río Chone", "Corredor costero", "Zona norte", "Zona sur"],
    "canton": ["Zona urbana consolidada", "Zona de expansión", "Riberas del río", "Zona rural"],
}
# (sector, kind of location, title pattern, SDG targets, objective index)
TEMPLATES = {
    "province": [
        (Sector.ROADS, "line", "Asfaltado de la vía {a}–{b}", ["9.1", "11.2"], 0),
        (Sector.ROADS, "line", "Lastrado y drenaje del camino vecinal {a}", ["9.1"], 0),
        (Sector.ROADS, "point", "Puente sobre el estero {a}", ["9.1"], 0),
        (Sector.IRRIGATION, "line", "Canal de riego {a}", ["2.4", "6.4"], 1),
        (Sector.IRRIGATION, "point", "Albarrada comunitaria {a}", ["2.4", "6.4"], 1),
        (Sector.ENVIRONMENT, "area", "Reforestación de la microcuenca {a}", ["15.1", "13.1"], 2),
        (Sector.ENVIRONMENT, "line", "Muro de protección del río en {a}", ["11.5", "13.1"], 2),
        (Sector.PRODUCTION, "point", "Centro de acopio de cacao en {a}", ["8.3", "2.3"], 3),
        (Sector.PRODUCTION, "area", "Mirador y sendero turístico de {a}", ["8.9"], 3),
        (Sector.SOCIAL, "point", "Centro de atención al adulto mayor de {a}", ["10.2"], 4),
    ],
    "canton": [
        (Sector.WATER, "line", "Red de agua potable del sector {a}", ["6.1"], 0),
        (Sector.WATER, "line", "Alcantarillado sanitario de {a}", ["6.2"], 0),
        (Sector.ROADS, "line", "Regeneración de la calle principal de {a}", ["11.2"], 1),
        (Sector.PUBLIC_SPACE, "area", "Parque barrial de {a}", ["11.7"], 1),
        (Sector.ENVIRONMENT, "line", "Drenaje pluvial de {a}", ["11.5"], 2),
        (Sector.EDUCATION, "point", "Unidad educativa de {a}: aulas y cubierta", ["4.a"], 3),
        (Sector.HEALTH, "point", "Subcentro de salud de {a}", ["3.8"], 3),
        (Sector.SOCIAL, "area", "Complejo deportivo de {a}", ["11.7"], 3),
    ],
}
PLACES = ["La Pila", "El Aromo", "San Plácido", "Río Chico", "Calderón", "Alajuela", "Honorato Vásquez", "Ayacucho"]
PLACES += ["Membrillal", "Pueblo Nuevo", "La Unión", "San Isidro", "El Anegado", "Quimis", "Sancán", "Charapotó"]
CONTRACTORS = ["Constructora Manabita S.A.", "Consorcio Vial del Pacífico", "Ingeniería y Obras Loor Cía. Ltda."]
CONTRACTORS += ["Hidroriego del Litoral S.A.", "Consorcio Agua Limpia", "Construcciones Cedeño & Asociados"]
UNITS = ["Dirección de Obras Públicas", "Dirección de Riego y Drenaje", "Dirección de Gestión Ambiental"]
UNITS += ["Dirección de Fomento Productivo", "Dirección de Planificación"]
COMMENTS = [
    (
        "comment",
        "¿Cuándo se termina? Los vecinos esperamos desde hace meses.",
        "La fecha prevista de entrega está en la ficha; el contratista presentó un cronograma actualizado que publicaremos con el próximo avance.",
    ),
    (
        "observation",
        "Hoy no había trabajadores en la obra y el material está a la intemperie.",
        "Gracias por el aviso. La fiscalización visitó el sitio y notificó al contratista; el frente de trabajo se reanudó el lunes.",
    ),
    ("comment", "Muy buena obra, ya se nota la diferencia en invierno.", ""),
    (
        "observation",
        "La señalización de desvío no se ve de noche.",
        "Se solicitó al contratista colocar señalización reflectiva, según las especificaciones del contrato.",
    ),
]
STATUS_PLAN = (
    [Status.IMPLEMENTATION] * 9
    + [Status.COMPLETED] * 5
    + [Status.PREPARATION] * 3
    + [Status.SUSPENDED, Status.IDENTIFICATION, Status.CANCELLED]
)


def _places(government) -> list[tuple[str, str, float, float]]:
    if government.level == "province" or government.dpa_code not in CANTON_SECTORS:
        return MANABI_CANTONS
    centre = next((c for c in MANABI_CANTONS if c[0] == government.dpa_code), MANABI_CANTONS[0])
    return [(government.dpa_code, name, centre[2], centre[3]) for name in CANTON_SECTORS[government.dpa_code]]


def _geometry(rng: random.Random, kind: str, lon: float, lat: float, spread: float) -> dict:
    x, y = lon + rng.uniform(-spread, spread), lat + rng.uniform(-spread, spread)
    if kind == "point":
        return {"type": "Point", "coordinates": [round(x, 6), round(y, 6)]}
    if kind == "line":
        angle, steps, length = rng.uniform(0, math.pi), rng.randint(4, 8), rng.uniform(spread * 0.6, spread * 2)
        coords = []
        for step in range(steps):
            t = step / (steps - 1)
            wobble = rng.uniform(-0.08, 0.08) * length
            coords.append(
                [
                    round(x + math.cos(angle) * length * t + wobble * math.sin(angle), 6),
                    round(y + math.sin(angle) * length * t - wobble * math.cos(angle), 6),
                ]
            )
        return {"type": "LineString", "coordinates": coords}
    radius = spread * rng.uniform(0.08, 0.25)
    ring = [
        [
            round(x + math.cos(a) * radius * rng.uniform(0.8, 1.2), 6),
            round(y + math.sin(a) * radius * rng.uniform(0.8, 1.2), 6),
        ]
        for a in (i * 2 * math.pi / 7 for i in range(7))
    ]
    return {"type": "Polygon", "coordinates": [ring + [ring[0]]]}


def _photo(title: str, number: int, colour: str) -> SimpleUploadedFile:
    """A drawn picture (sky, ground, a machine's silhouette) labelled as a demonstration."""
    image = Image.new("RGB", (960, 640), "#9cc7dd")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 400, 960, 640), fill="#8d7a5b")
    draw.rectangle((120 + number * 40, 300, 420 + number * 40, 400), fill=colour)
    draw.rectangle((420 + number * 40, 250, 520 + number * 40, 400), fill=colour)
    draw.ellipse((150 + number * 40, 370, 230 + number * 40, 450), fill="#222222")
    draw.ellipse((400 + number * 40, 370, 480 + number * 40, 450), fill="#222222")
    draw.text((24, 24), f"Foto de demostración · {title[:60]}", fill="#102a33")
    output = io.BytesIO()
    image.save(output, format="JPEG", quality=80)
    return SimpleUploadedFile(f"demo-{number}.jpg", output.getvalue(), content_type="image/jpeg")


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    days, current = [], start
    while current <= end:
        days.append(current)
        year, month = divmod(current.month, 12)
        current = dt.date(current.year + year, month + 1, min(current.day, 28))
    return days


def _spec(government, number: int, rng: random.Random, today: dt.date) -> dict:
    level = "province" if government.level == "province" else "canton"
    code, name, lon, lat = rng.choice(_places(government))
    sector, kind, pattern, sdg, objective = rng.choice(TEMPLATES[level])
    other = rng.choice(PLACES)
    title = pattern.format(a=other if level == "province" else name, b=name)
    if level == "province" and "{b}" not in pattern:
        title = f"{title}, {name}"
    status = STATUS_PLAN[number % len(STATUS_PLAN)]
    duration = rng.randint(180, 600)
    if status == Status.COMPLETED:
        planned_start = today - dt.timedelta(days=duration + rng.randint(60, 500))
    elif status in (Status.IMPLEMENTATION, Status.SUSPENDED):
        planned_start = today - dt.timedelta(days=rng.randint(60, duration + 20))
    else:
        planned_start = today + dt.timedelta(days=rng.randint(30, 240))
    planned = Decimal(rng.randint(40, 4000) * 1000)
    objectives = PROVINCE_OBJECTIVES if level == "province" else CANTON_OBJECTIVES
    spec = {
        "slug": f"demo-{number:03d}",
        "code": f"CUP-{government.dpa_code}-{2023 + number % 3}-{number:04d}",
        "title": title,
        "description": (
            f"Obra de demostración. {title}: incluye estudios, construcción y fiscalización. "
            "Los datos son generados para mostrar el portal; no describen una obra real."
        ),
        "sector": sector,
        "status": status,
        "pdot_objectives": [objectives[objective % len(objectives)]],
        "sdg_targets": sdg,
        "area_of_interest": rng.choice(AREAS[level]),
        "responsible_unit": rng.choice(UNITS),
        "dpa_code": code,
        "territory_name": name,
        "beneficiaries": rng.randint(3, 400) * 50,
        "planned_start": planned_start,
        "planned_end": planned_start + dt.timedelta(days=duration),
        "amount_planned": planned,
        "is_published": number % 17 != 16,  # a few drafts for the back office
    }
    if status not in (Status.IDENTIFICATION, Status.PREPARATION):
        spec["contractor"] = rng.choice(CONTRACTORS)
        spec["amount_contracted"] = (planned * Decimal(rng.uniform(0.88, 1.02))).quantize(Decimal("1"))
        spec["actual_start"] = planned_start + dt.timedelta(days=rng.randint(0, 45))
    if number % 11 == 3 and "amount_contracted" in spec:  # planted: over cost
        spec["amount_contracted"] = (planned * Decimal("1.32")).quantize(Decimal("1"))
    if status == Status.COMPLETED:
        spec["actual_end"] = min(
            today - dt.timedelta(days=5), spec["planned_end"] + dt.timedelta(days=rng.randint(-20, 90))
        )
        spec["actual_start"] = min(spec["actual_start"], spec["actual_end"] - dt.timedelta(days=60))
    return {"fields": spec, "kind": kind, "lon": lon, "lat": lat, "spread": 0.07 if level == "province" else 0.012}


def _history(project: Project, rng: random.Random, today: dt.date, number: int) -> list[tuple]:
    if project.actual_start is None:
        return []
    end = project.actual_end or today
    if project.status == Status.SUSPENDED or number % 13 == 5:  # planted: no update for months
        end = min(end, today - dt.timedelta(days=rng.randint(120, 200)))
    months = _months(project.actual_start + dt.timedelta(days=20), end)
    if not months:
        return []
    ahead = number % 9 == 2 and project.status != Status.COMPLETED  # planted: paid ahead of the works
    planned_days = max((project.planned_end - project.actual_start).days, 30)
    rows, physical, financial = [], 0.0, 0.0
    for index, day in enumerate(months):
        pace = (day - project.actual_start).days / planned_days * rng.uniform(0.7, 1.05) * 100
        physical = min(55.0 if ahead else 100.0, max(physical, pace * (0.6 if ahead else 1)))
        if project.status == Status.COMPLETED and index == len(months) - 1 and not ahead:
            physical = 100.0
        financial = min(100.0, max(financial, physical + (rng.uniform(25, 40) if ahead else rng.uniform(-15, 3))))
        if index == 0:
            financial = max(financial, 20.0 if not ahead else 45.0)  # the advance payment (anticipo)
        rows.append((day, Decimal(f"{physical:.2f}"), Decimal(f"{min(financial, 100.0):.2f}")))
    return rows


def _comments(government, project: Project, rng: random.Random, now, actor) -> None:
    """Two citizens' comments or observations in core's thread, most with the government's
    answer; a neighbour's reply and vote; one comment hidden with its reason on some works."""
    citizens = list(
        get_user_model()
        .objects.filter(email__startswith="ciudadania", email__endswith="@demo.minga.ec")
        .order_by("email")
    )
    if not citizens or comment_selectors.object_comments(government, COMMENT_TARGET, project.pk).exists():
        return
    written = []
    for index, (kind, body, answer) in enumerate(rng.sample(COMMENTS, 2)):
        author = citizens[index % len(citizens)]
        comment = services.comment_create(
            actor=author, government=government, project=project, kind=kind, body=body, now=now
        )
        written.append(comment)
        if answer:
            comments.comment_answer(actor=actor, government=government, comment=comment, body=answer, now=now)
        neighbour = citizens[(index + 1) % len(citizens)]
        if neighbour != author:
            comments.comment_vote(actor=neighbour, government=government, comment=comment, value=1, now=now)
    if len(citizens) > 1:
        services.comment_create(
            actor=citizens[1],
            government=government,
            project=project,
            body="Confirmo lo que dice el vecino: pasé por ahí esta semana.",
            parent=written[0],
            now=now,
        )
    if project.slug.endswith("6"):  # demo-006, -016, …: among the works that get comments
        comments.comment_hide(
            actor=actor,
            government=government,
            comment=written[0],
            reason="Contenía datos personales de un vecino.",
            now=now,
        )


# Budget items (the classifier's description) that pay for each kind of work.
BUDGET_WORDS = {
    Sector.ROADS: "transporte y vías",
    Sector.WATER: "agua potable",
    Sector.IRRIGATION: "agua potable",
    Sector.PUBLIC_SPACE: "urbanización",
}


def _link_candidates(government) -> dict:
    """The demo budget lines and works contracts of the other modules (seeded before this
    one), found through the registry: the demo then shows the chain line → process → work.
    Empty where those modules are off."""
    lines = {
        sector: registry.search_links(government, "budget.line", words, 40) for sector, words in BUDGET_WORDS.items()
    }
    lines[None] = registry.search_links(government, "budget.line", "Construcciones", 40) or registry.search_links(
        government, "budget.line", "Obras", 40
    )
    return {"lines": lines, "processes": registry.search_links(government, "procurement.process", "Obras", 200)}


def _demo_links(government, number: int, fields: dict, candidates: dict) -> dict:
    lines = candidates["lines"].get(fields["sector"]) or candidates["lines"][None]
    processes = candidates["processes"]
    return {
        ProjectLink.Kind.BUDGET_LINE: [lines[number % len(lines)].key] if lines else [],
        ProjectLink.Kind.PROCESS: (
            [processes[number % len(processes)].key] if processes and fields.get("contractor") else []
        ),
    }


def seed(government, *, now, stdout, count: int | None = None) -> None:
    rng = random.Random(f"works-{government.slug}")
    today = now.date()
    count = count or (PROVINCE_COUNT if government.level == "province" else CANTON_COUNT)
    existing = set(Project.objects.filter(government=government).values_list("slug", flat=True))
    candidates = _link_candidates(government)
    created = 0
    for number in range(count):
        spec = _spec(government, number, rng, today)
        project_rng = random.Random(f"works-{government.slug}-{number}")
        fields = spec["fields"]
        if fields["slug"] in existing:
            continue
        geometry = _geometry(project_rng, spec["kind"], spec["lon"], spec["lat"], spec["spread"])
        links = _demo_links(government, number, fields, candidates)
        project = services.project_create(
            actor=None, government=government, location=geometry, links=links, now=now, **fields
        )
        history = _history(project, project_rng, today, number)
        for index, (day, physical, financial) in enumerate(history):
            last = index == len(history) - 1
            photos = [_photo(project.title, number % 5, "#d9a400")] if last and number % 4 == 0 else []
            services.progress_post(
                actor=None,
                government=government,
                project=project,
                reported_on=day,
                physical_progress=physical,
                financial_progress=financial,
                amount_paid=(project.amount_contracted * financial / 100).quantize(Decimal("0.01")),
                note="Avance verificado por fiscalización." if not last else "Informe mensual de fiscalización.",
                photos=photos,
                caption="Frente de obra (imagen de demostración)" if photos else "",
                now=now,
                notify=False,
            )
        if project.is_published and number % 5 == 1:
            _comments(government, project, project_rng, now, actor=None)
        created += 1
    stdout.write(f"  works: {created} demonstration projects for {government.slug}\n")
