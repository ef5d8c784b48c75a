"""How other modules see a budget line ("budget.line", key "<year>:<partida>"): its title,
its public page and the figures of its latest published cut-off."""

from __future__ import annotations

from minga.core.registry import LinkedRecord
from minga.core.tenancy.paths import government_path

from . import selectors

KIND = "budget.line"


def line_record(execution) -> LinkedRecord:
    line, stages = execution.line, execution.stages
    return LinkedRecord(
        kind=KIND,
        key=line.key,
        title=f"{line.partida} · {line.description}",
        url=government_path("budget:line", year=line.budget_year.year, partida=line.partida),
        module="budget",
        facts={
            "asignado": stages.asignado,
            "codificado": stages.codificado,
            "certificado": stages.certificado,
            "comprometido": stages.comprometido,
            "devengado": stages.devengado,
            "pagado": stages.pagado,
            "description": line.description,
            "cutoff": execution.cutoff.key,
        },
    )


def resolve_lines(government, keys: list[str]) -> dict[str, LinkedRecord]:
    return {key: line_record(execution) for key, execution in selectors.lines_by_keys(government, keys).items()}
