"""The stages of the legislative procedure and the rules between them, as data.

An act's stage is not a field somebody edits: it is the stage of its latest dated action (as
in Open Civic Data, where a bill's status is derived from its last classified action). Each
stage names the stages that must come before it (``requires``; ``requires_any`` when one of
several will do). A required stage may be skipped only when it is not mandatory for the act's
kind, and then its own requirements still hold. Deadlines count days from the date of
another stage.

The defaults follow COOTAD arts. 318–324 as we read them and are marked "verify": two debates
for ordinances, a committee report before the first debate, the executive's eight days to
sanction or object after approval (art. 322), publication in the official gazette and the
website (art. 324). Each government can change mandatory stages and deadlines (StageRule)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from django.utils.translation import gettext_lazy as _

ORDINANCE, RESOLUTION, AGREEMENT = "ordinance", "resolution", "agreement"
ALL_KINDS = (ORDINANCE, RESOLUTION, AGREEMENT)


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    order: int  # position on the path; equal orders are alternatives (sanction / objection)
    requires: tuple[str, ...] = ()
    requires_any: tuple[str, ...] = ()
    mandatory_for: tuple[str, ...] = ALL_KINDS
    closes: bool = False  # no action may follow
    deadline_days: int | None = None
    deadline_from: str = ""
    legal_reference: str = ""  # shown to citizens beside a deadline: the article, nothing more
    verify: bool = True  # a default still to be checked against the law (the back office says so)
    # May be recorded again (a second assignment, a report before each debate); any other
    # stage is refused once recorded.
    repeatable: bool = False
    # When this stage's deadline passes with neither it nor an alternative recorded, the law
    # holds the act to have reached the stage named here (the executive's tacit sanction).
    tacit: str = ""


STAGES: tuple[Stage, ...] = (
    Stage("presented", _("Presented"), 10, legal_reference="COOTAD art. 318"),
    Stage(
        "qualified",
        _("Qualified by the secretariat"),
        20,
        requires=("presented",),
        deadline_days=8,
        deadline_from="presented",
        legal_reference="COOTAD art. 318",
    ),
    Stage(
        "committee_assigned",
        _("Assigned to committee"),
        30,
        requires=("qualified",),
        legal_reference="COOTAD art. 318",
        repeatable=True,  # sent to another committee, or back to it after the first debate
    ),
    Stage(
        "committee_report",
        _("Committee report"),
        40,
        requires=("committee_assigned",),
        deadline_days=30,
        deadline_from="committee_assigned",
        legal_reference=_("COOTAD art. 318; the council's own rules"),
        repeatable=True,  # one report for each debate (art. 322)
    ),
    Stage("first_debate", _("First debate"), 50, requires=("committee_report",), legal_reference="COOTAD art. 322"),
    Stage(
        "second_debate",
        _("Second debate"),
        60,
        requires=("first_debate",),
        mandatory_for=(ORDINANCE,),
        legal_reference="COOTAD art. 322",
    ),
    Stage("approved", _("Approved"), 70, requires=("second_debate",), legal_reference="COOTAD art. 322"),
    Stage("rejected", _("Rejected"), 70, requires=("first_debate",), closes=True, legal_reference="COOTAD art. 322"),
    Stage("archived", _("Archived"), 70, requires=("presented",), closes=True),
    Stage(
        "sanctioned",
        _("Sanctioned by the executive"),
        80,
        requires=("approved",),
        deadline_days=8,
        deadline_from="approved",
        mandatory_for=(ORDINANCE,),
        legal_reference="COOTAD art. 322",
        tacit="tacitly_sanctioned",
    ),
    Stage(
        "objected",
        _("Objected by the executive"),
        80,
        requires=("approved",),
        deadline_days=8,
        deadline_from="approved",
        mandatory_for=(),
        legal_reference="COOTAD art. 322",
    ),
    Stage(
        "tacitly_sanctioned",
        _("Tacit sanction"),
        80,
        requires=("approved",),
        mandatory_for=(),
        legal_reference="COOTAD art. 322",
    ),
    Stage(
        "published",
        _("Published"),
        90,
        requires=("approved",),
        requires_any=("sanctioned", "objected", "tacitly_sanctioned"),
        closes=True,
        legal_reference="COOTAD art. 324",
    ),
)
STAGE_CHOICES = [(stage.key, stage.label) for stage in STAGES]
STAGE_KEYS = tuple(stage.key for stage in STAGES)

# The same procedure for every level by default; a level's differences go here.
LEVEL_OVERRIDES: dict[str, dict[str, dict]] = {"province": {}, "canton": {}, "parish": {}}


def default_stages(level: str) -> dict[str, Stage]:
    overrides = LEVEL_OVERRIDES.get(level, {})
    return {stage.key: replace(stage, **overrides.get(stage.key, {})) for stage in STAGES}


def apply_rules(stages: dict[str, Stage], rules) -> dict[str, Stage]:
    """The defaults with a government's StageRule rows laid over them."""
    stages = dict(stages)
    for rule in rules:
        if rule.stage not in stages:
            continue
        stages[rule.stage] = replace(
            stages[rule.stage],
            mandatory_for=tuple(kind for kind in rule.mandatory_for if kind in ALL_KINDS),
            deadline_days=rule.deadline_days,
            deadline_from=rule.deadline_from or stages[rule.stage].deadline_from,
            legal_reference=rule.legal_reference or stages[rule.stage].legal_reference,
            verify=False,
        )
    return stages


def _satisfied(stages: dict[str, Stage], key: str, recorded: set[str], kind: str, seen=()) -> bool:
    """A stage is satisfied when it was recorded, or when it may be skipped for this kind of
    act and what it requires is satisfied in turn."""
    if key in recorded:
        return True
    stage = stages[key]
    if kind in stage.mandatory_for or key in seen:
        return False
    return _requirements_met(stages, stage, recorded, kind, (*seen, key))


def _requirements_met(stages, stage: Stage, recorded: set[str], kind: str, seen=()) -> bool:
    if not all(_satisfied(stages, key, recorded, kind, seen) for key in stage.requires):
        return False
    # One of the alternatives recorded, or none of them owed for this kind of act.
    alternatives = stage.requires_any
    return (
        not alternatives
        or any(key in recorded for key in alternatives)
        or all(_satisfied(stages, key, recorded, kind, seen) for key in alternatives)
    )


def missing_steps(stages: dict[str, Stage], key: str, recorded: set[str], kind: str) -> list[Stage]:
    """The mandatory stages that must be recorded before `key` can be (empty: allowed)."""
    stage = stages[key]
    if _requirements_met(stages, stage, recorded, kind):
        return []
    missing: list[Stage] = []

    def collect(required: str) -> None:
        if _satisfied(stages, required, recorded, kind):
            return
        for earlier in stages[required].requires:
            collect(earlier)
        if kind in stages[required].mandatory_for and stages[required] not in missing:
            missing.append(stages[required])

    for required in stage.requires:
        collect(required)
    if stage.requires_any and not _requirements_met(stages, replace(stage, requires=()), recorded, kind):
        for candidate in stage.requires_any:
            collect(candidate)
        if not missing:
            missing.append(stages[stage.requires_any[0]])
    missing.sort(key=lambda s: s.order)
    return missing


def already_recorded(stages: dict[str, Stage], key: str, recorded: set[str]) -> bool:
    """True when `key` was recorded and may not be recorded again."""
    return key in recorded and not stages[key].repeatable


def allowed_next(stages: dict[str, Stage], recorded: set[str], kind: str) -> list[Stage]:
    """The stages that may be recorded now (none once the act is closed; a stage already
    recorded only if it is repeatable)."""
    if any(stages[key].closes for key in recorded if key in stages):
        return []
    return [
        stage
        for stage in stages.values()
        if not already_recorded(stages, stage.key, recorded) and not missing_steps(stages, stage.key, recorded, kind)
    ]


@dataclass(frozen=True)
class Overdue:
    stage: Stage
    due_on: dt.date
    days_late: int


def _late(stages: dict[str, Stage], dates: dict[str, dt.date], today: dt.date) -> list[list[Overdue]]:
    """Stages whose deadline has passed without them (or a later stage) being recorded, in
    groups of alternatives (sanction or objection owe one answer, not two)."""
    if any(stages[key].closes for key in dates if key in stages):
        return []
    reached = max((stages[key].order for key in dates if key in stages), default=0)
    groups: dict[int, list[Overdue]] = {}
    for stage in stages.values():
        if stage.deadline_days is None or not stage.deadline_from or stage.key in dates:
            continue
        start = dates.get(stage.deadline_from)
        if start is None or reached >= stage.order:
            continue
        due = start + dt.timedelta(days=stage.deadline_days)
        if today > due:
            groups.setdefault(stage.order, []).append(Overdue(stage, due, (today - due).days))
    return [groups[order] for order in sorted(groups)]


def _tacit_source(stages: dict[str, Stage], group: list[Overdue]) -> Overdue | None:
    return next((item for item in group if item.stage.tacit in stages), None)


def overdue_steps(stages: dict[str, Stage], dates: dict[str, dt.date], today: dt.date) -> list[Overdue]:
    """Stages whose deadline has passed without them (or a later stage) being recorded.
    `dates` maps each recorded stage to the date it was (last) recorded. A closed act owes
    nothing; a deadline the law answers by itself (tacit sanction) is not overdue."""
    return [group[0] for group in _late(stages, dates, today) if _tacit_source(stages, group) is None]


@dataclass(frozen=True)
class Tacit:
    stage: Stage  # the stage the law holds reached (tacitly_sanctioned)
    source: Stage  # the stage whose deadline passed (sanctioned)
    since: dt.date  # the last day of that deadline


def tacit_steps(stages: dict[str, Stage], dates: dict[str, dt.date], today: dt.date) -> list[Tacit]:
    """The stages the law holds reached because a deadline passed unanswered (the executive
    neither sanctioned nor objected in time), not yet recorded."""
    out = []
    for group in _late(stages, dates, today):
        item = _tacit_source(stages, group)
        if item is not None and item.stage.tacit not in dates:
            out.append(Tacit(stages[item.stage.tacit], item.stage, item.due_on))
    return out


def tacit_due(stages: dict[str, Stage], key: str, dates: dict[str, dt.date]) -> tuple[Stage, dt.date] | None:
    """For a tacit stage (`key`): the stage whose deadline gives rise to it and the last day of
    that deadline (None: no such deadline has started)."""
    for stage in stages.values():
        if stage.tacit == key and stage.deadline_days is not None and dates.get(stage.deadline_from):
            return stage, dates[stage.deadline_from] + dt.timedelta(days=stage.deadline_days)
    return None


def tacit_keys(stages: dict[str, Stage]) -> set[str]:
    return {stage.tacit for stage in stages.values() if stage.tacit in stages}
