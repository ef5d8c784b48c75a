"""Demonstration budgets: last cycle's finished participatory budget gets three budgets (its
parishes, or the whole territory when it has fewer), 40 projects, about 3,000 online ballots
and one confirmed paper batch, counted with the Method of Equal Shares and published; a
winning project is linked to a demo public work of the same kind in the same territory, where
one exists. Rows are written with bulk_create (the budgets are past their voting, so the services would rightly
refuse to add them); the count and the publication go through the services."""

from __future__ import annotations

import datetime as dt
import hashlib
import random

from django.utils import timezone
from django.utils.text import slugify

from minga.core import registry

from .. import territories as territory_sources
from ..processes.models import Process
from . import tallying
from .models import Ballot, Budget, BudgetVoter, Channel, PaperBatch, Project, ProjectLink

PROJECT_NAMES = [
    "Alumbrado público en la calle principal",
    "Cancha de uso múltiple",
    "Adoquinado de vía al centro poblado",
    "Parque infantil inclusivo",
    "Casa comunal: techo y baterías sanitarias",
    "Sistema de agua segura para la comunidad",
    "Aceras accesibles junto a la escuela",
    "Huertos comunitarios y riego por goteo",
    "Centro de cuidado para personas mayores",
    "Reforestación de la ribera del río",
    "Paradas de bus con cubierta",
    "Puente peatonal sobre el estero",
    "Mercado parroquial: mejoras de cubierta",
    "Escuela de fútbol y equipamiento deportivo",
]
VOTERS = (1250, 1000, 750)
PAPER_BALLOTS = 60


def _hash(government, budget_index: int, number: int) -> str:
    return hashlib.sha256(f"minga-demo-voter:{government.pk}:{budget_index}:{number}".encode()).hexdigest()


def _choices(rng: random.Random, ids: list[str], weights: list[float]) -> dict[str, int]:
    count = rng.choice((1, 2, 2, 3, 3, 4))
    chosen = set()
    while len(chosen) < min(count, len(ids)):
        chosen.add(rng.choices(ids, weights)[0])
    return dict.fromkeys(sorted(chosen), 1)


def seed(government, *, now: dt.datetime, stdout=None) -> None:
    year = timezone.localtime(now).year
    process = Process.objects.filter(government=government, slug=f"presupuesto-participativo-{year - 1}").first()
    if process is None or Budget.objects.filter(government=government, process=process).exists():
        return
    rng = random.Random(f"{government.slug}-{year}")
    territories = [(t["code"], t.get("name") or t["code"]) for t in process.territories][:3]
    if not process.territories:  # a process of the whole territory: its cantons or parishes
        territories = [(t.code, t.name) for t in territory_sources.available(government)][:3]
    while len(territories) < 3:
        territories.append(("", "Todo el territorio" if len(territories) == 2 else f"Zona {len(territories) + 1}"))
    amounts = (180_000, 150_000, 120_000)
    budgets = Budget.objects.bulk_create(
        [
            Budget(
                government=government,
                process=process,
                slug=slugify(f"territorio-{code}") if code else f"presupuesto-{n}",
                title=name,
                description="Proyectos votados por la ciudadanía en el ciclo anterior.",
                territory_code=code,
                territory_name=name if code else "",
                amount=amounts[n - 1],
                ballot_kind="approval",
                min_projects=1,
                max_projects=4,
                method="equal_shares",
                position=n,
            )
            for n, (code, name) in enumerate(territories, start=1)
        ]
    )
    sizes = (14, 13, 13)
    projects: list[Project] = []
    for index, budget in enumerate(budgets):
        for n in range(sizes[index]):
            cost = rng.randrange(12, 70) * 1000
            projects.append(
                Project(
                    government=government,
                    budget=budget,
                    slug=f"pp{year - 1}-{index + 1}-{n + 1}-{government.slug}"[:90],
                    title=f"{PROJECT_NAMES[n % len(PROJECT_NAMES)]} ({budget.territory_name or 'cantonal'})",
                    description="Proyecto propuesto en la asamblea y evaluado como viable por el equipo técnico.",
                    cost=cost,
                    position=n + 1,
                )
            )
    Project.objects.bulk_create(projects)
    voted_on = timezone.localtime(process.starts_at).date() + dt.timedelta(days=80)
    official_day = timezone.localtime(process.starts_at) + dt.timedelta(days=95)
    voters, ballots = [], []
    for index, budget in enumerate(budgets):
        own = [p for p in projects if p.budget_id == budget.pk]
        ids = [p.tally_id for p in own]
        weights = [rng.uniform(0.3, 3.0) for _ in ids]
        for number in range(VOTERS[index]):
            voters.append(
                BudgetVoter(
                    government=government,
                    budget=budget,
                    process=process,
                    voter_hash=_hash(government, index, number),
                    slot=1,
                    channel=Channel.ONLINE,
                    voted_on=voted_on,
                )
            )
            ballots.append(
                Ballot(government=government, budget=budget, channel=Channel.ONLINE, points=_choices(rng, ids, weights))
            )
        if index == 0:
            batch = PaperBatch.objects.create(
                government=government,
                budget=budget,
                place="Unidad educativa de la cabecera parroquial",
                voted_on=voted_on,
                status=PaperBatch.Status.CONFIRMED,
                ballot_count=PAPER_BALLOTS,
                created_at=official_day,
                confirmed_at=official_day,
            )
            for number in range(PAPER_BALLOTS):
                voters.append(
                    BudgetVoter(
                        government=government,
                        budget=budget,
                        process=process,
                        voter_hash=_hash(government, index, 100_000 + number),
                        slot=1,
                        channel=Channel.PAPER,
                        batch=batch,
                        voted_on=voted_on,
                    )
                )
                ballots.append(
                    Ballot(
                        government=government, budget=budget, channel=Channel.PAPER, points=_choices(rng, ids, weights)
                    )
                )
    BudgetVoter.objects.bulk_create(voters, batch_size=1000)
    rng.shuffle(ballots)
    Ballot.objects.bulk_create(ballots, batch_size=1000)
    links, used = [], set()
    for budget in budgets:
        result = tallying.budget_tally(actor=None, government=government, budget=budget, now=official_day)
        tallying.result_publish(actor=None, government=government, budget=budget, now=official_day)
        # A winner is linked to a demo work only where one builds the same thing in the same
        # territory (a care centre for the elderly of Portoviejo, not a dam in another canton).
        nearby = (
            registry.search_links(government, "works.project", budget.territory_name, 50)
            if budget.territory_name
            else []
        )
        titles = {project.pk: project.title for project in projects if project.budget_id == budget.pk}
        for pid in result.outcome["selected"]:
            work = _same_kind(titles.get(int(pid), ""), [w for w in nearby if w.key not in used])
            if work is not None:
                used.add(work.key)
                links.append(
                    ProjectLink(government=government, project_id=int(pid), kind=ProjectLink.Kind.WORK, key=work.key)
                )
    ProjectLink.objects.bulk_create(links)
    if stdout is not None:
        stdout.write(
            f"  participation · {government.slug}: {len(budgets)} budgets, {len(projects)} projects, "
            f"{len(ballots)} ballots counted"
        )


# What a project's name and a work's title say when they are the same kind of thing.
SAME_KIND = (
    ("personas mayores", "adulto mayor"),
    ("vía", "vía"),
    ("puente", "puente"),
    ("agua", "agua"),
    ("cancha", "cancha"),
    ("parque", "parque"),
    ("alumbrado", "alumbrado"),
    ("casa comunal", "casa comunal"),
    ("aceras", "aceras"),
)


def _same_kind(project_title: str, works: list):
    title = project_title.casefold()
    for in_project, in_work in SAME_KIND:
        if in_project in title:
            return next((work for work in works if in_work in work.title.casefold()), None)
    return None
