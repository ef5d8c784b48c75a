"""Demonstration results: the tree of last cycle's finished participatory budget, about ten
results with sub-results, statuses, timeline entries and links to the demo's works and budget
lines (found through the registry, so nothing is linked when those modules are off). Bulk
inserts; running it again creates nothing new."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from minga.core import registry

from ..processes.models import Process
from . import selectors
from .models import Result, ResultLink, TimelineEntry

# (reference, parent, title, status, progress, weight, link kind)
TREE = [
    ("R1", None, "Vialidad parroquial", "ejecucion", None, 3, None),
    ("R1.1", "R1", "Asfaltado de la vía principal", "ejecucion", 65, 2, "works.project"),
    ("R1.2", "R1", "Aceras y bordillos del centro parroquial", "terminado", 100, 1, "works.project"),
    ("R1.3", "R1", "Señalización vial", "planificacion", 10, 1, "budget.line"),
    ("R2", None, "Agua y saneamiento", "ejecucion", None, 2, None),
    ("R2.1", "R2", "Ampliación de la red de agua potable", "ejecucion", 40, 2, "works.project"),
    ("R2.2", "R2", "Alcantarillado del barrio norte", "no-iniciado", 0, 1, "budget.line"),
    ("R3", None, "Espacios públicos y deporte", "terminado", None, 1, None),
    ("R3.1", "R3", "Cancha de uso múltiple", "terminado", 100, 1, "works.project"),
    ("R3.1.1", "R3.1", "Cubierta de la cancha", "terminado", 100, 1, None),
    ("R4", None, "Casa comunal de la parroquia rural", "cancelado", 0, 1, "budget.line"),
]

# Who answers for each branch (the first unit of the directory whose name holds one of the
# words), and what its linked work or budget line is about (searched by these words; nothing
# is linked when no record of that kind is found: a road result never points at a dam).
UNIT_WORDS = {
    "R1": ("vialidad", "obras públicas"),
    "R2": ("gestión ambiental", "agua", "obras públicas"),
    "R3": ("obras públicas",),
    "R4": ("participación ciudadana", "planificación"),
}
LINK_WORDS = {
    "R1.1": ("vía",),
    "R1.2": ("acera", "bordillo"),
    "R1.3": ("vial", "vía", "transporte"),
    "R2.1": ("agua potable", "red de agua", "sistema de agua"),
    "R2.2": ("alcantarillado", "saneamiento"),
    "R3.1": ("cancha", "deport"),
    "R4": ("comunal", "edific"),
}

DESCRIPTION = (
    "Proyecto priorizado por la ciudadanía en el presupuesto participativo. "
    "La unidad responsable informa aquí su avance; cada paso queda en la cronología."
)


def seed(government, *, now: dt.datetime, stdout=None) -> None:
    year = timezone.localtime(now).year
    process = Process.objects.filter(government=government, slug=f"presupuesto-participativo-{year - 1}").first()
    if process is None or Result.objects.filter(government=government, process=process).exists():
        return
    units = registry.directory_units(government)
    today = timezone.localtime(now).date()
    start = today - dt.timedelta(days=330)
    created: dict[str, Result] = {}
    positions: dict[str | None, int] = {}
    for index, (reference, parent, title, status, progress, weight, _kind) in enumerate(TREE):
        positions[parent] = positions.get(parent, 0) + 1
        unit = _unit(units, reference)
        created[reference] = Result(
            government=government,
            process=process,
            reference=reference,
            title=title,
            description=DESCRIPTION,
            status=status,
            progress=Decimal(progress or 0),
            weight=Decimal(weight),
            start_date=start + dt.timedelta(days=15 * index),
            end_date=start + dt.timedelta(days=300 + 10 * index),
            unit_key=unit.key if unit else "",
            unit_name=unit.name if unit else "Dirección de Obras Públicas",
            is_published=True,
            position=positions[parent],
        )
    # Parents first, so each child has its parent's id.
    for depth in (1, 2, 3):
        level = [(ref, parent) for ref, parent, *_ in TREE if _depth(ref) == depth]
        for ref, parent in level:
            created[ref].parent = created[parent] if parent else None
        Result.objects.bulk_create([created[ref] for ref, _ in level])
    links, entries, used = [], [], set()
    for reference, _parent, _title, _status, progress, _weight, kind in TREE:
        result = created[reference]
        record = _record(government, kind, LINK_WORDS.get(reference, ()), used) if kind else None
        if record is not None:
            used.add((kind, record.key))
            links.append(ResultLink(government=government, result=result, kind=kind, key=record.key))
        entries.append(
            TimelineEntry(
                government=government,
                result=result,
                date=start + dt.timedelta(days=20),
                text="Proyecto incorporado al presupuesto del año.",
                progress=Decimal(0),
            )
        )
        if progress:
            entries.append(
                TimelineEntry(
                    government=government,
                    result=result,
                    date=today - dt.timedelta(days=30),
                    text="Informe de avance de la unidad responsable."
                    if progress < 100
                    else "Obra recibida por la comunidad.",
                    progress=Decimal(progress),
                )
            )
    ResultLink.objects.bulk_create(links)
    TimelineEntry.objects.bulk_create(entries)
    # The parents follow their sub-results, deepest first.
    for depth in (2, 1):
        for ref, _parent, *_ in TREE:
            result = created[ref]
            if _depth(ref) == depth:
                children = [created[r] for r, p, *_ in TREE if p == ref]
                if children:
                    result.progress = selectors.rolled_up([(c.weight, c.progress) for c in children])
                    result.save(update_fields=["progress"])
    if stdout is not None:
        stdout.write(f"  participation · {government.slug}: {len(TREE)} results, {len(links)} links")


def _depth(reference: str) -> int:
    return reference.count(".") + 1


def _unit(units, reference: str):
    """The unit whose name holds the branch's words (a sub-result answers to its branch's unit)."""
    words = UNIT_WORDS.get(reference.split(".")[0], ())
    for word in words:
        found = next((unit for unit in units if word in unit.name.casefold()), None)
        if found is not None:
            return found
    return None


def _record(government, kind: str, words, used):
    for word in words:
        for record in registry.search_links(government, kind, word, 20):
            if (kind, record.key) not in used:
                return record
    return None
