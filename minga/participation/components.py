"""Process components: what the sub-apps of participation (proposals, surveys, participatory
budgets, events, oversight committees, results) add to a process, the Decidim component idea
inside one Django app. A sub-app registers one `ProcessComponent` when the app is ready (its
dotted path goes into ``COMPONENT_MODULES`` of apps.py); the process page then shows the
component's section, and the process and phase forms its settings, without either being
edited."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_registry: dict[str, ProcessComponent] = {}


@dataclass(frozen=True)
class ProcessComponent:
    key: str  # unique: "proposals"
    label: Any  # a lazy translation, the section's heading: _("Proposals")
    # Template (its name, or a Template) of the section on the public process page, rendered
    # with the page's context plus ``section`` (what ``context`` returned) and ``component``.
    template: Any
    # (request, process, now) -> dict for the template, or None to show no section for this
    # process (a proposals component in a process without a proposals phase, say).
    context: Callable[..., dict | None]
    order: int = 100  # sections are shown by order, then key
    # Process kinds it applies to (Process.Kind values); empty: every kind.
    kinds: tuple[str, ...] = ()
    # core.phases.settings.SettingField objects it adds to the process's and each phase's
    # settings (mark voting rules with locked_by="vote").
    process_settings: tuple[Any, ...] = ()
    phase_settings: tuple[Any, ...] = ()


def register(component: ProcessComponent) -> ProcessComponent:
    """Add (or replace, by key) a component; returns it, so a module can keep a handle."""
    _registry[component.key] = component
    return component


def unregister(key: str) -> None:
    _registry.pop(key, None)


def components() -> list[ProcessComponent]:
    return sorted(_registry.values(), key=lambda component: (component.order, component.key))


def sections(request, process, now) -> list[dict]:
    """The sections of the process page: [{component, section, template}] of each component
    that applies to the process's kind and has something to show."""
    found = []
    for component in components():
        if component.kinds and process.kind not in component.kinds:
            continue
        section = component.context(request, process, now)
        if section is not None:
            found.append({"component": component, "section": section, "template": component.template})
    return found
