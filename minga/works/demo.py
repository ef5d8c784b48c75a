"""Demonstration works: for the province, 64 projects spread over Manabí's cantons; for a
canton, 24 spread over its parishes, each drawn inside the land of the canton or parish it
names (core's demonstration territory, the same the geovisor's demo layers show). Points (schools, health centres, wells), lines (roads, canals, pipes)
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
from dataclasses import dataclass
from decimal import Decimal

import shapely
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from minga.core import registry
from minga.core.comments import selectors as comment_selectors
from minga.core.comments import services as comments
from minga.core.tenancy import demo_territory as territory

from . import services
from .comments import TARGET as COMMENT_TARGET
from .demo_data import (
    BUILDERS,
    CANTON_KINDS,
    CANTON_OBJECTIVES,
    COMMENTS,
    COMMUNITIES,
    CONTRACTORS,
    PROVINCE_KINDS,
    PROVINCE_OBJECTIVES,
    SEATS,
    UNITS,
    WorkKind,
)
from .models import Project, ProjectLink, Sector, Status

PROVINCE_COUNT = 64
CANTON_COUNT = 24
STATUS_PLAN = (
    [Status.IMPLEMENTATION] * 9
    + [Status.COMPLETED] * 5
    + [Status.PREPARATION] * 3
    + [Status.SUSPENDED, Status.IDENTIFICATION, Status.CANCELLED]
)


@dataclass(frozen=True)
class Place:
    """Where a demonstration work is: the DPA code and name it claims, and the land it is
    drawn inside (the canton for the province's works, the parish for a canton's)."""

    dpa_code: str
    name: str
    area: shapely.Polygon
    urban: bool = False


def _places(government) -> list[Place]:
    """A canton's parishes (or the canton itself when the demo has no parishes for it); the
    cantons of Manabí for a province, or for a government outside the demo's territory."""
    code, cantons = government.dpa_code or "", territory.canton_areas()
    if government.level != "province" and code in cantons:
        parishes = territory.parish_areas(code)
        if parishes:
            return [Place(code, name, area, urban) for name, urban, area in parishes.values()]
        return [Place(code, territory.canton_name(code), cantons[code])]
    return [Place(dpa, territory.canton_name(dpa), area) for dpa, area in cantons.items()]


def _zone(place: Place, level: str) -> str:
    if level == "province":
        return territory.canton_zone(place.dpa_code) or "Zona centro"
    return "Zona urbana consolidada" if place.urban else "Zona rural"


def _geometry(rng: random.Random, kind: WorkKind, place: Place) -> dict:
    """A point, line or small area inside the place's land, sized for the kind of work but
    never larger than the place allows."""
    span = math.sqrt(place.area.area)
    if kind.shape == "point":
        shape = territory.point_inside(rng, place.area)
    elif kind.shape == "line":
        length = min(rng.uniform(*kind.size), span * 0.6)
        shape = territory.line_inside(rng, place.area, length=length)
    else:
        radius = min(rng.uniform(*kind.size), span * 0.2)
        shape = territory.patch_inside(rng, place.area, radius=radius)
    return territory.rounded(shape)


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


def _title(kind: WorkKind, place: Place, level: str, rng: random.Random) -> str:
    if level != "province":
        return kind.title.format(a=place.name)
    community = rng.choice(COMMUNITIES.get(place.dpa_code) or (place.name,))
    title = kind.title.format(a=community, b=SEATS.get(place.dpa_code, place.name))
    return title if "{b}" in kind.title else f"{title}, cantón {place.name}"


def _spec(government, number: int, rng: random.Random, today: dt.date, titles: set[str]) -> dict:
    """The fields of one demo work; ``titles`` (those drawn so far) keeps two works from
    sharing a title."""
    level = "province" if government.level == "province" else "canton"
    for _attempt in range(20):
        place = rng.choice(_places(government))
        kind = rng.choice(PROVINCE_KINDS if level == "province" else CANTON_KINDS)
        title = _title(kind, place, level, rng)
        if title not in titles:
            break
    titles.add(title)
    status = STATUS_PLAN[number % len(STATUS_PLAN)]
    duration = rng.randint(180, 600)
    if status == Status.COMPLETED:
        planned_start = today - dt.timedelta(days=duration + rng.randint(60, 500))
    elif status in (Status.IMPLEMENTATION, Status.SUSPENDED):
        planned_start = today - dt.timedelta(days=rng.randint(60, duration + 20))
    else:
        planned_start = today + dt.timedelta(days=rng.randint(30, 240))
    # Budgets are estimated to the hundred dollars, contracts to the cent.
    planned = Decimal(rng.randint(kind.cost[0] * 10, kind.cost[1] * 10) * 100)
    objectives = PROVINCE_OBJECTIVES if level == "province" else CANTON_OBJECTIVES
    spec = {
        "slug": f"demo-{number:03d}",
        "code": f"CUP-{government.dpa_code}-{2023 + number % 3}-{number:04d}",
        "title": title,
        "description": (
            f"Obra de demostración. {title}: incluye estudios, construcción y fiscalización. "
            "Los datos son generados para mostrar el portal; no describen una obra real."
        ),
        "sector": kind.sector,
        "status": status,
        "pdot_objectives": [objectives[kind.objective % len(objectives)]],
        "sdg_targets": list(kind.sdg_targets),
        "area_of_interest": _zone(place, level),
        "responsible_unit": UNITS.get(kind.sector, "Dirección de Obras Públicas"),
        "dpa_code": place.dpa_code,
        "territory_name": place.name,
        "beneficiaries": round(rng.randint(*kind.people), -1),
        "planned_start": planned_start,
        "planned_end": planned_start + dt.timedelta(days=duration),
        "amount_planned": planned,
        "is_published": number % 17 != 16,  # a few drafts for the back office
    }
    if status not in (Status.IDENTIFICATION, Status.PREPARATION):
        spec["contractor"] = rng.choice(CONTRACTORS.get(kind.sector, BUILDERS))
        spec["amount_contracted"] = (planned * Decimal(rng.uniform(0.88, 1.02))).quantize(Decimal("0.01"))
        spec["actual_start"] = planned_start + dt.timedelta(days=rng.randint(0, 45))
    if number % 11 == 3 and "amount_contracted" in spec:  # planted: over cost
        spec["amount_contracted"] = (planned * Decimal("1.32")).quantize(Decimal("0.01"))
    if status == Status.COMPLETED:
        spec["actual_end"] = min(
            today - dt.timedelta(days=5), spec["planned_end"] + dt.timedelta(days=rng.randint(-20, 90))
        )
        spec["actual_start"] = min(spec["actual_start"], spec["actual_end"] - dt.timedelta(days=60))
    return {"fields": spec, "kind": kind, "place": place}


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
    today = timezone.localtime(now).date()
    count = count or (PROVINCE_COUNT if government.level == "province" else CANTON_COUNT)
    existing = set(Project.objects.filter(government=government).values_list("slug", flat=True))
    candidates = _link_candidates(government)
    created, titles = 0, set()
    for number in range(count):
        spec = _spec(government, number, rng, today, titles)
        project_rng = random.Random(f"works-{government.slug}-{number}")
        fields = spec["fields"]
        if fields["slug"] in existing:
            continue
        geometry = _geometry(project_rng, spec["kind"], spec["place"])
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
