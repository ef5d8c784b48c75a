"""The features a module's phases can switch on or off (propose, support, comment, vote…).

A module declares them in its manifest (`ModuleManifest.phase_features`), so core lists them
without importing the module. A feature that ``locks_rules`` freezes the rules of its phases
once one of them has started: their dates, their features and the settings marked as locked
by it (see `locks`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import registry


@dataclass(frozen=True)
class PhaseFeature:
    key: str  # stable, stored in phases: "vote"
    label: Any  # a lazy translation: _("Vote")
    help_text: Any = ""  # what a citizen can do while it is on
    # Once a phase with this feature has started, its dates and features and the settings
    # locked by this feature can no longer change (the voting rules of a process).
    locks_rules: bool = False


def features(module: str) -> tuple[PhaseFeature, ...]:
    """The features ``module`` declares, in its order; () for an unknown module."""
    found = registry.manifest(module)
    return tuple(found.phase_features) if found is not None else ()


def feature_map(module: str) -> dict[str, PhaseFeature]:
    return {feature.key: feature for feature in features(module)}


def feature_choices(module: str) -> list[tuple[str, Any]]:
    return [(feature.key, feature.label) for feature in features(module)]


def locking_keys(module: str) -> set[str]:
    """Keys of the features whose start freezes the rules (the vote)."""
    return {feature.key for feature in features(module) if feature.locks_rules}
