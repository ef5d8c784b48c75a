"""The territories inside a government that the platform knows by DPA code: the governments
below it (a province's cantons, a canton's rural parishes, as the platform registers them)
and the areas its enabled modules publish as boundaries (the geovisor's parish layers, through
`registry.base_boundaries`). Modules that let officials limit something to part of the
territory offer these, and check a chosen code against them."""

from __future__ import annotations

from dataclasses import dataclass

from .. import registry
from .models import DPA_LENGTH_BY_LEVEL
from .selectors import child_governments

LEVEL_BY_LENGTH = {length: level for level, length in DPA_LENGTH_BY_LEVEL.items()}


@dataclass(frozen=True)
class Territory:
    code: str  # DPA code: 4 digits a canton, 6 a parish
    name: str
    level: str  # "canton" or "parish"
    source: str = ""  # where it is known from: a government of the platform, a layer's title


def government_territories(government) -> list[Territory]:
    """The cantons or parishes inside ``government`` known by DPA code, by code; one entry
    per code (a registered government's name wins over a layer's)."""
    prefix = government.dpa_code or ""
    found: dict[str, Territory] = {}
    for child in child_governments(government):
        found[child.dpa_code] = Territory(child.dpa_code, child.short_name or child.name, child.level, child.name)
    for area in registry.base_boundaries(government):
        code = area.code or ""
        if not code.isdigit() or len(code) not in LEVEL_BY_LENGTH or len(code) <= len(prefix):
            continue
        if code.startswith(prefix) and code not in found:
            found[code] = Territory(code, area.name or code, LEVEL_BY_LENGTH[len(code)], area.source)
    return [found[code] for code in sorted(found)]
