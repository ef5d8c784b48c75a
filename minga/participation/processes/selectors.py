"""Reads of participatory processes. Public selectors return published processes only; the
back office's return every process of the government. What a phase allows at a moment comes
from `core.phases.timeline` (a phase is on from its start, included, to its end, excluded);
the sub-apps ask here whether a feature is on (`feature_on`) rather than reading phases."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from minga.core.phases import timeline
from minga.core.phases.features import feature_map
from minga.core.phases.settings import display_value

from ..features import ACTIONS, MODULE
from .models import FINISHED, ONGOING, UPCOMING, Phase, Process
from .settings import process_settings_fields, verification_key

# Query parameters of the public list and the API (never passed to the ORM as lookups).
STATUS_PARAMS = {"en-curso": ONGOING, "proximos": UPCOMING, "finalizados": FINISHED}


def _with_phases(processes, government):
    return processes.prefetch_related(
        Prefetch("phases", queryset=Phase.objects.filter(government=government).order_by("position"))
    )


def public_processes(government):
    return _with_phases(Process.objects.filter(government=government).published(), government)


def public_process(government, slug: str) -> Process | None:
    return public_processes(government).filter(slug=slug).first()


def office_processes(government, *, status: str = "", kind: str = "", query: str = "", now: dt.datetime):
    processes = _with_phases(Process.objects.filter(government=government), government)
    processes = _by_status(processes, STATUS_PARAMS.get(status, ""), now)
    if status == "borradores":
        processes = processes.filter(is_published=False)
    if kind in Process.Kind.values:
        processes = processes.filter(kind=kind)
    if query:
        processes = processes.filter(Q(title__icontains=query) | Q(summary__icontains=query))
    return processes.order_by("-starts_at", "title")


def _by_status(processes, status: str, now: dt.datetime):
    if status == ONGOING:
        return processes.ongoing(now)
    if status == UPCOMING:
        return processes.upcoming(now)
    if status == FINISHED:
        return processes.finished(now)
    return processes


def phases_of(process: Process) -> list[Phase]:
    """The process's phases in order (prefetched when the process came from a selector)."""
    return timeline.ordered(process.phases.all())


def current_phase(process: Process, now: dt.datetime) -> Phase | None:
    return timeline.current_phase(phases_of(process), now)


def feature_on(process: Process, feature: str, now: dt.datetime) -> bool:
    """Whether ``feature`` ("propose", "vote"…) is on in the process at ``now``: the process is
    published and its current phase has it."""
    return process.is_published and timeline.feature_on(phases_of(process), feature, now)


# The public list ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ProcessFilters:
    """The list's query, as the public page and the API both read it (`process_filters`):
    ``estado`` (en-curso, proximos, finalizados), ``tipo`` (a kind) and ``territorio`` (a
    territory's code: the processes that cover it, and those of the whole territory)."""

    status: str = ""
    kind: str = ""
    territory: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    def apply(self, processes, now: dt.datetime) -> list[Process]:
        processes = _by_status(processes, self.status, now)
        if self.kind:
            processes = processes.filter(kind=self.kind)
        found = list(processes)
        if self.territory:
            # A government runs tens of processes: the territories (a JSON list) are read here.
            found = [p for p in found if p.covers_whole_territory or self.territory in p.territory_codes]
        return found

    def as_query(self) -> dict[str, str]:
        status = {value: key for key, value in STATUS_PARAMS.items()}.get(self.status, "")
        query = {"estado": status, "tipo": self.kind, "territorio": self.territory}
        return {key: value for key, value in query.items() if value}


def process_filters(params) -> ProcessFilters:
    """Read the list's query from query parameters; a value that is not one of the choices is
    left out and explained in ``errors``."""
    errors = {}
    raw_status = str(params.get("estado", "") or "")
    status = STATUS_PARAMS.get(raw_status, "")
    if raw_status and not status:
        errors["estado"] = _("Use en-curso, proximos or finalizados.")
    kind = str(params.get("tipo", "") or "")
    if kind and kind not in Process.Kind.values:
        errors["tipo"] = _("Unknown kind of process.")
        kind = ""
    territory = str(params.get("territorio", "") or "").strip()[:30]
    return ProcessFilters(status=status, kind=kind, territory=territory, errors=errors)


@dataclass
class Listing:
    ongoing: list[Process]
    upcoming: list[Process]
    finished: list[Process]


def listing(government, *, now: dt.datetime, filters: ProcessFilters | None = None) -> Listing:
    """The published processes in three groups: in progress (ending soonest first), upcoming
    (starting soonest first) and finished (most recent first)."""
    filters = filters or ProcessFilters()
    found = filters.apply(public_processes(government), now)
    return Listing(
        ongoing=sorted((p for p in found if p.status(now) == ONGOING), key=lambda p: (p.ends_at, p.title)),
        upcoming=sorted((p for p in found if p.status(now) == UPCOMING), key=lambda p: (p.starts_at, p.title)),
        finished=sorted((p for p in found if p.status(now) == FINISHED), key=lambda p: p.ends_at, reverse=True),
    )


@dataclass(frozen=True)
class Card:
    """A process as the list shows it: with its phase on now, or the next one."""

    process: Process
    status: str
    current: Phase | None
    next: Phase | None


def card(process: Process, now: dt.datetime) -> Card:
    phases = phases_of(process)
    return Card(process, process.status(now), timeline.current_phase(phases, now), timeline.next_phase(phases, now))


def territory_choices(government) -> list[tuple[str, str]]:
    """(code, name) of the territories the published processes cover, by name."""
    seen: dict[str, str] = {}
    for process in Process.objects.filter(government=government).published().only("territories"):
        for item in process.territories or []:
            seen.setdefault(item.get("code", ""), item.get("name") or item.get("code", ""))
    return sorted(((code, name) for code, name in seen.items() if code), key=lambda pair: pair[1])


# The process page --------------------------------------------------------------------------


@dataclass(frozen=True)
class PhaseView:
    phase: Phase
    number: int
    state: str  # "past", "current", "upcoming"
    features: list[Any]  # PhaseFeature of the phase, in the module's order


@dataclass(frozen=True)
class Action:
    """Something a citizen can do now, and the verification it needs."""

    key: str
    label: Any
    help_text: Any
    verification: str  # level key
    verification_label: Any


@dataclass(frozen=True)
class ProcessNow:
    status: str  # "upcoming", "ongoing", "finished"
    phases: list[PhaseView]
    current: PhaseView | None
    next: PhaseView | None
    actions: list[Action]  # what a citizen can do at this moment
    shown: list[Any]  # features on that are not actions (show results, evaluation)
    announcement: str


def process_now(process: Process, now: dt.datetime) -> ProcessNow:
    """The process at ``now``: its phases with their state, the current and next phase, what a
    citizen can do and with which verification."""
    phases = phases_of(process)
    known = feature_map(MODULE)
    views = [
        PhaseView(
            phase=phase,
            number=number,
            state=timeline.state(phase, now),
            features=[known[key] for key in known if key in (phase.features or [])],
        )
        for number, phase in enumerate(phases, start=1)
    ]
    current = next((view for view in views if view.state == "current"), None)
    upcoming = next((view for view in views if view.state == "upcoming"), None)
    settings = {spec.key: spec for spec in process_settings_fields()}
    actions, shown = [], []
    if current is not None:
        for feature in current.features:
            if feature.key in ACTIONS:
                spec = settings[verification_key(feature.key)]
                level = (process.settings or {}).get(spec.key, spec.default)
                actions.append(Action(feature.key, feature.label, feature.help_text, level, display_value(spec, level)))
            else:
                shown.append(feature)
    announcement = ((current.phase.settings or {}).get("announcement", "") if current else "") or ""
    return ProcessNow(
        status=process.status(now),
        phases=views,
        current=current,
        next=upcoming,
        actions=actions,
        shown=shown,
        announcement=announcement,
    )


# Settings whose 0 means "none asked": a bare 0 would read as "you may support nothing".
_ZERO_MEANS = {
    "support_threshold": lambda: _("No threshold"),
    "max_supports_per_person": lambda: _("No limit"),
    "proposals_per_person": lambda: _("No limit"),
}


# In a participatory budget each budget's ballot says how many projects a person chooses; a
# "votes per person" beside it would contradict it (the setting is enforced nowhere).
_BALLOT_SAYS = {"max_votes_per_person"}


def settings_display(process: Process) -> list[tuple[Any, Any]]:
    """(label, value) of the process's settings, as a person reads them. A limit of 0 is
    said as "no limit"; a text left empty (the default applies) is not listed."""
    values = process.settings or {}
    shown = []
    for spec in process_settings_fields():
        value = values.get(spec.key, spec.default)
        if spec.key in _BALLOT_SAYS and process.kind == "participatory_budget":
            continue
        if spec.key in _ZERO_MEANS and value == 0:
            shown.append((spec.label, _ZERO_MEANS[spec.key]()))
        elif value not in ("", None):
            shown.append((spec.label, display_value(spec, value)))
    return shown
