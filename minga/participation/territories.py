"""The parts of a government's territory a process can be limited to: the parishes (or
cantons) the platform knows by DPA code (`core.tenancy.territories`) and the neighbourhoods
and communities the government lists in the module's settings, one per line as "code name"
(neighbourhoods have no DPA code; the government chooses theirs)."""

from __future__ import annotations

import re

from minga.core.registry import module_settings
from minga.core.tenancy.territories import Territory, government_territories

from .features import MODULE

NEIGHBOURHOOD_LINE = re.compile(r"^(?P<code>[0-9A-Za-z][0-9A-Za-z._-]{0,29})\s+(?P<name>\S.{0,119})$")


def neighbourhoods(government) -> tuple[list[Territory], list[str]]:
    """The neighbourhoods of the module's setting, and the lines that could not be read."""
    found, unreadable = [], []
    for line in module_settings(government, MODULE).get("neighbourhoods") or []:
        match = NEIGHBOURHOOD_LINE.match(str(line).strip())
        if match is None:
            unreadable.append(str(line))
            continue
        found.append(Territory(match["code"], match["name"].strip(), "neighbourhood", ""))
    return found, unreadable


def available(government) -> list[Territory]:
    """Every territory a process of ``government`` may cover: parishes first, by code, then the
    neighbourhoods in the order the setting lists them (a code already known is not repeated)."""
    known = government_territories(government)
    codes = {territory.code for territory in known}
    for territory in neighbourhoods(government)[0]:
        if territory.code not in codes:
            known.append(territory)
            codes.add(territory.code)
    return known


def territory_map(government) -> dict[str, Territory]:
    return {territory.code: territory for territory in available(government)}
