"""The organisation chart as other modules see it (``ModuleManifest.unit_directory``): the
public units with their page and contact e-mail. The catalog names the publishing unit of a
dataset with these, without importing this module. Hidden units are left out: their pages
answer 404, and their names are not public."""

from __future__ import annotations

from minga.core.registry import DirectoryUnit
from minga.core.tenancy.paths import government_path

from . import selectors

MODULE = "institution"


def unit_directory(government) -> list[DirectoryUnit]:
    units = (
        selectors.public_units(government)
        .select_related(None)
        .order_by("name", "pk")
        .only("pk", "name", "slug", "email")
    )
    return [
        DirectoryUnit(
            key=str(unit.pk),
            name=unit.name,
            slug=unit.slug,
            url=government_path("institution:unit_detail", slug=unit.slug),
            email=unit.email,
            module=MODULE,
        )
        for unit in units
    ]
