"""The process's rules as the proposals read them: categories, limits, threshold and the
verification each action needs (the process's settings, `processes/settings.py` and the
component's own fields in component.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from minga.core.phases.settings import SettingField

from ..features import PROPOSE, SUPPORT
from ..processes.settings import verification_key

# The categories of a process that lists none: what Manabí's parishes ask for most.
DEFAULT_CATEGORIES = (
    "Vías y movilidad",
    "Agua potable y saneamiento",
    "Espacio público y áreas verdes",
    "Educación y cultura",
    "Salud",
    "Deporte y recreación",
    "Seguridad ciudadana",
    "Ambiente y riesgos",
    "Desarrollo productivo",
    "Atención a grupos prioritarios",
    "Otros",
)

CATEGORIES = "proposal_categories"

PROCESS_SETTINGS = (
    SettingField(
        CATEGORIES,
        _("Proposal categories"),
        "text",
        "",
        _("One per line. Empty: the usual list (roads, water, public space, education, health…)."),
        max_length=1500,
    ),
)


def _value(process, key, default):
    return (process.settings or {}).get(key, default)


def categories(process) -> list[str]:
    raw = str(_value(process, CATEGORIES, "") or "")
    found = []
    for line in raw.replace(";", "\n").splitlines():
        name = line.strip()[:80]
        if name and name not in found:
            found.append(name)
    return found or list(DEFAULT_CATEGORIES)


def threshold(process) -> int:
    return int(_value(process, "support_threshold", 0) or 0)


def proposals_per_person(process) -> int:
    return int(_value(process, "proposals_per_person", 0) or 0)


def supports_per_person(process) -> int:
    return int(_value(process, "max_supports_per_person", 0) or 0)


def propose_level(process):
    return _value(process, verification_key(PROPOSE), "email")


def support_level(process):
    return _value(process, verification_key(SUPPORT), "email")


def territory_choices(process) -> list[tuple[str, str]]:
    """(code, name) a proposal may take: the process's territories; none listed, the whole
    territory (an empty code)."""
    return [(item.get("code", ""), item.get("name") or item.get("code", "")) for item in process.territories or []]
