"""The procedure as it applies to one government: its level's default stages with its own
rules laid over them, and what an act's recorded actions mean against them."""

from __future__ import annotations

import datetime as dt

from .models import StageRule
from .stages import Overdue, Stage, Tacit, apply_rules, default_stages, overdue_steps, tacit_steps


def stages_for(government) -> dict[str, Stage]:
    return apply_rules(default_stages(government.level), StageRule.objects.for_government(government))


def stage_dates(actions) -> dict[str, dt.date]:
    """The latest date each stage was recorded on."""
    dates: dict[str, dt.date] = {}
    for action in actions:
        if action.stage not in dates or action.date > dates[action.stage]:
            dates[action.stage] = action.date
    return dates


def overdue_for(government, actions, today: dt.date, stages: dict[str, Stage] | None = None) -> list[Overdue]:
    return overdue_steps(stages or stages_for(government), stage_dates(actions), today)


def tacit_for(government, actions, today: dt.date, stages: dict[str, Stage] | None = None) -> list[Tacit]:
    """What the law holds done because a deadline passed unanswered (tacit sanction)."""
    return tacit_steps(stages or stages_for(government), stage_dates(actions), today)
