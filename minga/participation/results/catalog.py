"""The fixed vocabulary of results: the statuses a government can choose from (a module
setting, one per line: a key, a space and the name) and the kinds of records a result can be
linked to through core's registry."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from minga.core.registry import SettingSpec, module_settings

from ..features import MODULE

KIND = "participation.result"
SETTING = "result_statuses"

DEFAULT_STATUSES = [
    "no-iniciado No iniciado",
    "planificacion En planificación",
    "ejecucion En ejecución",
    "terminado Terminado",
    "cancelado Cancelado",
]

SETTINGS = (
    SettingSpec(
        SETTING,
        _("Statuses of results"),
        DEFAULT_STATUSES,
        list,
        _(
            "The statuses a result of a process can have, in order, one per line: a short key, a space and the "
            "name, e.g. ejecucion En ejecución. A result keeps its key if a line is removed."
        ),
    ),
)


@dataclass(frozen=True)
class LinkKind:
    kind: str
    label: object  # plural, lazy
    module: str


# What a result can point to; kinds of modules switched off, or not built yet, resolve to nothing.
LINK_KINDS = (
    LinkKind("participation.proposal", _("Proposals"), "participation"),
    LinkKind("participation.project", _("Participatory-budget projects"), "participation"),
    LinkKind("participation.agreement", _("Agreements of participatory events"), "participation"),
    LinkKind("budget.line", _("Budget lines"), "budget"),
    LinkKind("procurement.process", _("Contracting processes"), "procurement"),
    LinkKind("works.project", _("Public works"), "works"),
)
LINK_KIND_MAP = {item.kind: item for item in LINK_KINDS}
WORKS_KIND = "works.project"


@dataclass(frozen=True)
class Status:
    key: str
    name: str


def statuses(government) -> list[Status]:
    """The government's statuses, in order; the defaults when the setting is empty or unreadable."""
    lines = module_settings(government, MODULE).get(SETTING) or []
    found: list[Status] = []
    for line in lines if isinstance(lines, list) else str(lines).splitlines():
        parts = str(line).strip().split(None, 1)
        if not parts:
            continue
        key = slugify(parts[0])[:40]
        if key and key not in {status.key for status in found}:
            found.append(Status(key, parts[1].strip() if len(parts) > 1 else parts[0]))
    if not found:
        found = [Status(*line.split(" ", 1)) for line in DEFAULT_STATUSES]
    return found


def status_names(government) -> dict[str, str]:
    return {status.key: status.name for status in statuses(government)}
