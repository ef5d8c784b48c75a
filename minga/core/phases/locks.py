"""Rules that freeze once they are in use. A feature that ``locks_rules`` (the vote) fixes,
from the moment a phase with it starts (or the module says it opened, e.g. with the first
ballot), the dates and features of every phase that has it, which phases have it, and every
setting marked ``locked_by`` it. `locked_changes` lists what a proposed change would alter of
those; the module refuses the change and records the attempt."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from .features import feature_map, locking_keys
from .settings import SettingField
from .timeline import feature_started


@dataclass(frozen=True)
class LockedChange:
    field: str  # what would change: "settings.max_votes", "phase:12.starts_at", "phase:12"
    label: str  # the same, for people
    before: Any
    after: Any


def locked_features(phases: Iterable[Any], *, module: str, now: dt.datetime, opened: Iterable[str] = ()) -> set[str]:
    """The rule-locking features in use at ``now``: a phase with it has started, or the module
    says it opened."""
    phases = list(phases)
    opened = set(opened)
    return {key for key in locking_keys(module) if key in opened or feature_started(phases, key, now)}


def _settings_changes(
    fields: Iterable[SettingField], locked: set[str], before: Mapping[str, Any], after: Mapping[str, Any], prefix: str
) -> list[tuple[str, Any, Any, Any]]:
    found = []
    for spec in fields:
        if spec.locked_by in locked and before.get(spec.key, spec.default) != after.get(spec.key, spec.default):
            found.append((f"{prefix}settings.{spec.key}", spec.label, before.get(spec.key), after.get(spec.key)))
    return found


def locked_changes(
    *,
    module: str,
    now: dt.datetime,
    before_phases: Sequence[Any],
    after_phases: Sequence[Any],
    settings_fields: Iterable[SettingField] = (),
    before_settings: Mapping[str, Any] | None = None,
    after_settings: Mapping[str, Any] | None = None,
    phase_settings_fields: Iterable[SettingField] = (),
    opened: Iterable[str] = (),
) -> list[LockedChange]:
    """What the change from ``before_*`` to ``after_*`` alters of the locked rules ([] when
    nothing, or when no rule is locked yet). Phases are matched by ``pk`` (a phase of
    ``after_phases`` without one is new)."""
    locked = locked_features(before_phases, module=module, now=now, opened=opened)
    if not locked:
        return []
    labels = feature_map(module)
    phase_settings_fields = list(phase_settings_fields)
    changes: list[LockedChange] = []
    for field, label, old, new in _settings_changes(
        settings_fields, locked, before_settings or {}, after_settings or {}, ""
    ):
        changes.append(LockedChange(field, _("Setting “%(label)s”") % {"label": label}, old, new))
    after_by_pk = {phase.pk: phase for phase in after_phases if phase.pk is not None}
    locked_pks = set()
    for phase in before_phases:
        keys = locked & set(phase.features or ())
        if not keys:
            continue
        locked_pks.add(phase.pk)
        name = phase.title
        new = after_by_pk.get(phase.pk)
        if new is None:
            changes.append(
                LockedChange(f"phase:{phase.pk}", _("Phase “%(name)s” (removed)") % {"name": name}, name, None)
            )
            continue
        for attribute, label in (("starts_at", _("start")), ("ends_at", _("end"))):
            if getattr(phase, attribute) != getattr(new, attribute):
                changes.append(
                    LockedChange(
                        f"phase:{phase.pk}.{attribute}",
                        _("Phase “%(name)s”: %(what)s") % {"name": name, "what": label},
                        getattr(phase, attribute),
                        getattr(new, attribute),
                    )
                )
        if set(phase.features or ()) != set(new.features or ()):
            changes.append(
                LockedChange(
                    f"phase:{phase.pk}.features",
                    _("Phase “%(name)s”: features") % {"name": name},
                    sorted(phase.features or ()),
                    sorted(new.features or ()),
                )
            )
        for field, label, old, value in _settings_changes(
            phase_settings_fields, locked, phase.settings or {}, new.settings or {}, f"phase:{phase.pk}."
        ):
            changes.append(
                LockedChange(field, _("Phase “%(name)s”: %(what)s") % {"name": name, "what": label}, old, value)
            )
    for phase in after_phases:
        if phase.pk in locked_pks and phase.pk is not None:
            continue
        added = sorted(locked & set(phase.features or ()))
        if added:
            what = ", ".join(str(labels[key].label) for key in added if key in labels)
            changes.append(
                LockedChange(
                    f"phase:{phase.pk or 'new'}.features",
                    _("Phase “%(name)s”: adds %(what)s") % {"name": phase.title, "what": what},
                    None,
                    added,
                )
            )
    return changes
