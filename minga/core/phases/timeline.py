"""Reads over an ordered list of phases (anything with ``title``, ``starts_at``, ``ends_at``,
``position`` and ``features``: saved rows or phases about to be saved). A phase is on from its
start (included) to its end (excluded). No clock is read here: callers pass ``now``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .models import CURRENT, PAST, UPCOMING, feature_problem

MAX_PHASES = 20


def ordered(phases: Iterable[Any]) -> list[Any]:
    """By position, then by start (phases not placed yet last)."""
    latest = dt.datetime.max.replace(tzinfo=dt.UTC)
    return sorted(phases, key=lambda p: (p.position is None, p.position or 0, p.starts_at or latest))


def state(phase: Any, now: dt.datetime) -> str:
    if now < phase.starts_at:
        return UPCOMING
    if now < phase.ends_at:
        return CURRENT
    return PAST


def current_phase(phases: Iterable[Any], now: dt.datetime) -> Any | None:
    """The phase on at ``now``, or None (before the first, between two, after the last)."""
    return next((phase for phase in ordered(phases) if phase.starts_at <= now < phase.ends_at), None)


def next_phase(phases: Iterable[Any], now: dt.datetime) -> Any | None:
    """The first phase that has not started at ``now``."""
    return next((phase for phase in ordered(phases) if phase.starts_at > now), None)


def features_on(phases: Iterable[Any], now: dt.datetime) -> tuple[str, ...]:
    """The features switched on at ``now`` (those of the current phase)."""
    phase = current_phase(phases, now)
    return tuple(phase.features or ()) if phase is not None else ()


def feature_on(phases: Iterable[Any], key: str, now: dt.datetime) -> bool:
    return key in features_on(phases, now)


def feature_started(phases: Iterable[Any], key: str, now: dt.datetime) -> bool:
    """Whether a phase with ``key`` has started by ``now`` (and maybe ended)."""
    return any(key in (phase.features or ()) and phase.starts_at <= now for phase in phases)


def _when(moment: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _name(phase: Any, number: int) -> str:
    return phase.title or _("phase %(n)d") % {"n": number}


def phase_errors(
    phases: Sequence[Any], *, starts_at: dt.datetime | None, ends_at: dt.datetime | None, module: str
) -> dict[int, dict[str, list[str]]]:
    """What is wrong with each phase of the list, as {index in ``phases``: {field: [message]}};
    {} when the list is acceptable. The list must be ordered (by position, each phase starting
    once the one before it has ended), every phase must end after it starts and lie inside the
    parent's dates, and its features must be the module's."""
    errors: dict[int, dict[str, list[str]]] = {}

    def add(index: int, field: str, message: str) -> None:
        errors.setdefault(index, {}).setdefault(field, []).append(message)

    if len(phases) > MAX_PHASES:
        add(len(phases) - 1, "__all__", _("A process has at most %(n)d phases.") % {"n": MAX_PHASES})
    positions = [phase.position for phase in phases]
    for index, phase in enumerate(phases):
        if not (phase.title or "").strip():
            add(index, "title", _("Give the phase a name."))
        if phase.starts_at is None:
            add(index, "starts_at", _("Say when the phase starts."))
        if phase.ends_at is None:
            add(index, "ends_at", _("Say when the phase ends."))
        problem = feature_problem(module, phase.features)
        if problem:
            add(index, "features", problem)
        if positions.count(phase.position) > 1:
            add(index, "__all__", _("Two phases have the same position."))
        if phase.starts_at is None or phase.ends_at is None:
            continue
        if phase.ends_at <= phase.starts_at:
            add(index, "ends_at", _("A phase must end after it starts."))
        if starts_at is not None and phase.starts_at < starts_at:
            add(
                index,
                "starts_at",
                _("The phase starts before the process (%(when)s).") % {"when": _when(starts_at)},
            )
        if ends_at is not None and phase.ends_at > ends_at:
            add(index, "ends_at", _("The phase ends after the process (%(when)s).") % {"when": _when(ends_at)})
    dated = [(index, phase) for index, phase in enumerate(phases) if phase.starts_at and phase.ends_at]
    dated.sort(key=lambda item: (item[1].position or 0, item[1].starts_at))
    for (before_index, before), (index, after) in zip(dated, dated[1:], strict=False):
        if after.starts_at < before.ends_at:
            add(
                index,
                "starts_at",
                _("It starts before “%(previous)s” ends (%(when)s): phases follow each other without overlapping.")
                % {"previous": _name(before, before_index + 1), "when": _when(before.ends_at)},
            )
    return errors


def validate_phases(
    phases: Sequence[Any], *, starts_at: dt.datetime | None, ends_at: dt.datetime | None, module: str
) -> None:
    """Raise `PhaseListError` (a ValidationError whose ``by_phase`` holds `phase_errors`) when
    the list is not acceptable."""
    errors = phase_errors(phases, starts_at=starts_at, ends_at=ends_at, module=module)
    if errors:
        raise PhaseListError(errors, phases)


class PhaseListError(ValidationError):
    """The phases' errors, by phase (``by_phase``: {index: {field: [message]}}), and as one
    list of messages naming each phase (for a page that shows them together)."""

    def __init__(self, by_phase: dict[int, dict[str, list[str]]], phases: Sequence[Any] = ()):
        self.by_phase = by_phase
        messages = []
        for index in sorted(by_phase):
            name = _name(phases[index], index + 1) if index < len(phases) else str(index + 1)
            for field_messages in by_phase[index].values():
                messages.extend(f"{name}: {message}" for message in field_messages)
        super().__init__({"phases": messages})
