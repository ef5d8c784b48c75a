"""Writes of a government's own procedure rules: one stage's mandatory kinds, deadline and
legal reference (a StageRule row over the level's defaults), or back to the defaults.
Atomic and audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from minga.core.crud import snapshot

from ..audit import record
from .models import StageRule
from .stages import ALL_KINDS, STAGE_KEYS


def stage_rule_save(
    *,
    actor,
    government,
    stage: str,
    mandatory_for: list[str],
    deadline_days: int | None,
    deadline_from: str,
    legal_reference: str,
) -> StageRule:
    if stage not in STAGE_KEYS:
        raise ValidationError({"stage": _("Choose a stage.")})
    if deadline_days is not None and not deadline_from:
        raise ValidationError({"deadline_from": _("Say from which stage the deadline is counted.")})
    if deadline_from and deadline_from not in STAGE_KEYS:
        raise ValidationError({"deadline_from": _("Choose a stage.")})
    if deadline_from == stage:
        raise ValidationError({"deadline_from": _("A deadline cannot be counted from the stage itself.")})
    with transaction.atomic():
        rule = StageRule.objects.for_government(government).filter(stage=stage).first()
        before = snapshot(rule) if rule else None
        rule = rule or StageRule(government=government, stage=stage)
        rule.mandatory_for = [kind for kind in ALL_KINDS if kind in mandatory_for]
        rule.deadline_days = deadline_days
        rule.deadline_from = deadline_from if deadline_days is not None else ""
        rule.legal_reference = (legal_reference or "").strip()[:200]
        rule.save()
        record(
            actor=actor,
            government=government,
            action="stage_rule.saved",
            obj=rule,
            changes={"rule": [before, snapshot(rule)]},
        )
    return rule


def stage_rule_reset(*, actor, government, stage: str) -> None:
    with transaction.atomic():
        rule = StageRule.objects.for_government(government).filter(stage=stage).first()
        if rule is None:
            return
        record(
            actor=actor,
            government=government,
            action="stage_rule.reset",
            obj=rule,
            changes={"rule": [snapshot(rule), None]},
        )
        rule.delete()
