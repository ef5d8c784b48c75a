"""Indicators of a project computed from its figures and the date: the physical–financial
gap, the schedule delay, the cost overrun and the days since the last progress update, with
the flags they raise. Thresholds are per-government module settings; `today` is passed in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from minga.core.registry import module_settings

from .models import ACTIVE_STATUSES, Project, Sector, Status

FLAG_STALE = "sin-actualizacion"
FLAG_GAP = "brecha"
FLAG_DELAYED = "atrasada"
FLAG_OVERRUN = "sobrecosto"
FLAG_LABELS = {
    FLAG_STALE: _("No update (sin actualización)"),
    FLAG_GAP: _("Paid ahead of the works"),
    FLAG_DELAYED: _("Behind schedule"),
    FLAG_OVERRUN: _("Cost overrun"),
}


@dataclass(frozen=True)
class Thresholds:
    stale_after_days: int = 90
    gap_points: int = 20
    overrun_percent: int = 10

    @classmethod
    def of(cls, government) -> Thresholds:
        values = module_settings(government, "works")

        def number(key, default, low, high):
            try:
                return max(low, min(int(values.get(key, default)), high))
            except (TypeError, ValueError):
                return default

        return cls(
            stale_after_days=number("stale_after_days", 90, 1, 3650),
            gap_points=number("gap_points", 20, 1, 100),
            overrun_percent=number("overrun_percent", 10, 0, 1000),
        )


@dataclass
class Indicators:
    gap: Decimal  # financial minus physical, in percentage points (positive: paid ahead)
    delay_days: int | None  # days past the planned end (None: no planned end or not late)
    overrun_percent: Decimal | None  # current cost against the planned amount
    days_since_update: int | None
    flags: list[str] = field(default_factory=list)

    @property
    def flag_labels(self) -> list:
        return [FLAG_LABELS[flag] for flag in self.flags]


def compute(project: Project, *, today: dt.date, thresholds: Thresholds) -> Indicators:
    gap = (project.financial_progress - project.physical_progress).quantize(Decimal("0.01"))
    delay = None
    if project.planned_end:
        finished = project.actual_end
        if finished and finished > project.planned_end:
            delay = (finished - project.planned_end).days
        elif not finished and project.status in ACTIVE_STATUSES and today > project.planned_end:
            delay = (today - project.planned_end).days
    overrun = None
    current = max(project.amount_contracted, project.amount_paid)
    if project.amount_planned > 0 and current > project.amount_planned:
        overrun = ((current - project.amount_planned) / project.amount_planned * 100).quantize(Decimal("0.1"))
    since = project.last_progress_on or (project.actual_start if project.status in ACTIVE_STATUSES else None)
    days_since = (today - since).days if since else None
    flags = []
    if project.status in ACTIVE_STATUSES and (days_since is None or days_since > thresholds.stale_after_days):
        flags.append(FLAG_STALE)
    if gap > thresholds.gap_points:
        flags.append(FLAG_GAP)
    if delay:
        flags.append(FLAG_DELAYED)
    if overrun is not None and overrun > thresholds.overrun_percent:
        flags.append(FLAG_OVERRUN)
    return Indicators(gap=gap, delay_days=delay, overrun_percent=overrun, days_since_update=days_since, flags=flags)


def attach(projects, *, government, today: dt.date) -> list[Project]:
    """The projects with `.indicators` set (one settings read for the lot), and their status
    and sector labels: get_FOO_display() hashes the lazy choices on every call, which costs
    more than the rest of a map page's rows together."""
    thresholds = Thresholds.of(government)
    status_labels = {value: str(label) for value, label in Status.choices}
    sector_labels = {value: str(label) for value, label in Sector.choices}
    projects = list(projects)
    for project in projects:
        project.indicators = compute(project, today=today, thresholds=thresholds)
        project.status_label = status_labels.get(project.status, project.status)
        project.sector_label = sector_labels.get(project.sector, project.sector)
    return projects


def is_finished(project: Project) -> bool:
    return project.status in (Status.COMPLETED, Status.CANCELLED)
