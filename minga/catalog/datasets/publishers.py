"""Who publishes a dataset. A dataset names a unit of the government's organisation chart
(`publisher_unit`, a key of core's unit directory, which the institution module provides)
and keeps the unit's name as text (`publisher`). Without a unit, or when the directory no
longer lists it (the unit is hidden or gone, the institution module is switched off), the
text is all there is: pages show it unlinked and the panels group by it, as before units
could be picked.

Reads only; one directory query per government, whatever the number of datasets."""

from __future__ import annotations

from dataclasses import dataclass

from minga.core import registry
from minga.core.registry import DirectoryUnit

# Panels' `?unidad=` values: "u:<key>" for a unit, the label itself for a text publisher.
UNIT_PREFIX = "u:"


@dataclass(frozen=True)
class Publisher:
    key: str  # what the panels group by and filter on
    name: str
    url: str = ""  # the unit's public page (current request's links), or ""
    email: str = ""  # the unit's contact e-mail
    unit_key: str = ""
    unit_slug: str = ""  # set while the directory lists the unit

    @property
    def is_unit(self) -> bool:
        return bool(self.unit_key)


class Directory:
    """The unit directories of the governments a list touches, read once each."""

    def __init__(self) -> None:
        self._units: dict[int, dict[str, DirectoryUnit]] = {}

    def units(self, government) -> dict[str, DirectoryUnit]:
        if government.pk not in self._units:
            self._units[government.pk] = registry.directory_unit_map(government)
        return self._units[government.pk]

    def unit(self, dataset, government=None) -> DirectoryUnit | None:
        if not dataset.publisher_unit:
            return None
        return self.units(government or dataset.government).get(dataset.publisher_unit)

    def of(self, dataset, government=None) -> Publisher:
        unit = self.unit(dataset, government)
        if dataset.publisher_unit:
            # Grouped by the stored key even when the directory no longer lists the unit,
            # so its datasets stay together under their last known name.
            return Publisher(
                key=UNIT_PREFIX + dataset.publisher_unit,
                name=unit.name if unit else dataset.publisher,
                url=unit.url if unit else "",
                email=unit.email if unit else "",
                unit_key=dataset.publisher_unit,
                unit_slug=unit.slug if unit else "",
            )
        return Publisher(key=dataset.publisher, name=dataset.publisher)

    def notice_address(self, dataset, government=None) -> str:
        """Where late notices go: the dataset's publisher e-mail, else its unit's contact
        e-mail, else the dataset's contact e-mail."""
        if dataset.publisher_email:
            return dataset.publisher_email.strip()
        unit = self.unit(dataset, government)
        if unit is not None and unit.email:
            return unit.email.strip()
        return (dataset.contact_email or "").strip()


def unit_choices(government) -> list[tuple[str, str]]:
    """(key, name) of the government's units, for the dataset form; [] without a directory."""
    return [(unit.key, unit.name) for unit in registry.directory_units(government)]


def unit_keys_by_name(government) -> dict[str, str]:
    """{unit name, case-insensitively: key}: for the demo, whose datasets name their units."""
    return {unit.name.casefold(): unit.key for unit in registry.directory_units(government)}
