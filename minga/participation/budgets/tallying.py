"""Counting a budget, publishing the result, and official overrides.

The count runs once voting is over (no voting phase on, one has ended, no paper batch
waiting for review) with the rule the budget published before voting opened. The stored
result holds the engine's outcome with its explanations and the ``.pb`` file, so anyone can
recompute it. It may be counted again until it is published; then it is fixed. An override
(include or exclude a project against the count) needs a justification that is published on
the results page; every step is audited."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from minga.core.audit import services as audit
from minga.core.opendata import tables_changed

from ..features import MODULE, VOTE
from ..processes import selectors as process_selectors
from . import ballots, tally
from .models import Budget, BudgetResult, BudgetVoter, Channel, Override, PaperBatch, Project

MIN_JUSTIFICATION = 30


def tally_refusal(government, budget: Budget, now: dt.datetime) -> str:
    """Why the budget cannot be counted now, or ""."""
    process = budget.process
    phases = [p for p in process_selectors.phases_of(process) if p.has_feature(VOTE)]
    if process_selectors.feature_on(process, VOTE, now) or not any(p.ends_at <= now for p in phases):
        return _("The budget can be counted once voting is over.")
    if PaperBatch.objects.for_government(government).filter(budget=budget, status=PaperBatch.Status.REVIEW).exists():
        return _("A paper batch is waiting for review: confirm or discard it first.")
    result = BudgetResult.objects.for_government(government).filter(budget=budget).first()
    if result is not None and result.published_at is not None:
        return _("The result is published: it cannot be counted again.")
    if not Project.objects.for_government(government).filter(budget=budget).exists():
        return _("The budget has no projects.")
    if not BudgetVoter.objects.for_government(government).filter(budget=budget).exists():
        return _("Nobody has voted in this budget.")
    return ""


def budget_tally(*, actor, government, budget: Budget, now: dt.datetime | None = None) -> BudgetResult:
    now = now or timezone.now()
    budget = Budget.objects.for_government(government).select_related("process").get(pk=budget.pk)
    refusal = tally_refusal(government, budget, now)
    if refusal:
        raise ValidationError(refusal)
    with transaction.atomic():
        election = ballots.election(government, budget)
        rule = ballots.tally_rule(budget)
        outcome = tally.tally(election, rule)
        counts = dict(
            BudgetVoter.objects.for_government(government)
            .filter(budget=budget)
            .values_list("channel")
            .annotate(n=Count("pk"))
        )
        result, _created = BudgetResult.objects.for_government(government).update_or_create(
            budget=budget,
            defaults={
                "government": government,
                "outcome": outcome.to_dict(),
                "pabulib": tally.to_pabulib(election, rule, outcome),
                "online_voters": counts.get(Channel.ONLINE, 0),
                "paper_voters": counts.get(Channel.PAPER, 0),
                "computed_at": now,
                "computed_by": actor,
            },
        )
        audit.record(
            actor=actor,
            government=government,
            action="participation.budget.tallied",
            obj=budget,
            changes={
                "rule": [None, rule.describe()],
                "voters": [None, outcome.voters],
                "selected": [None, list(outcome.selected)],
                "spent": [None, outcome.spent],
            },
            now=now,
        )
    return result


@transaction.atomic
def result_publish(*, actor, government, budget: Budget, now: dt.datetime | None = None) -> BudgetResult:
    now = now or timezone.now()
    result = BudgetResult.objects.for_government(government).select_for_update().filter(budget=budget).first()
    if result is None:
        raise ValidationError(_("Count the budget before publishing its result."))
    if result.published_at is not None:
        return result
    result.published_at = now
    result.save(update_fields=["published_at"])
    audit.record(
        actor=actor,
        government=government,
        action="participation.budget.result_published",
        obj=budget,
        changes={"published_at": [None, now], "selected": [None, result.outcome.get("selected")]},
        now=now,
    )
    tables_changed(government=government, module=MODULE)
    _tell_followers(government, budget, result, actor=actor, now=now)
    return result


def _tell_followers(government, budget: Budget, result: BudgetResult, *, actor, now) -> None:
    """Each project's followers hear whether it won or lost (after the overrides), once the
    publication commits."""
    from minga.core.notifications import services as notifications

    overrides = list(Override.objects.for_government(government).filter(budget=budget).select_related("project"))
    funded = set(winners(result, overrides))
    for project in Project.objects.for_government(government).filter(budget=budget):
        won, title = project.tally_id in funded, project.title

        def heading(won=won, title=title) -> str:
            if won:
                return _("Funded in the participatory budget: %(title)s") % {"title": title}
            return _("Not funded in the participatory budget: %(title)s") % {"title": title}

        notifications.notify(
            government=government,
            target=project,
            event="funded" if won else "not_funded",
            title=heading,
            summary=lambda: _("The result of the count is published, with why each project won or lost."),
            actor=actor,
            now=now,
        )


@transaction.atomic
def override_add(
    *, actor, government, budget: Budget, project: Project, action: str, justification: str, now=None
) -> Override:
    now = now or timezone.now()
    justification = (justification or "").strip()
    if len(justification) < MIN_JUSTIFICATION:
        raise ValidationError(
            {
                "justification": _("Explain the decision in at least %(n)d characters: it is published.")
                % {"n": MIN_JUSTIFICATION}
            }
        )
    if action not in Override.Action.values:
        raise ValidationError({"action": _("Choose include or exclude.")})
    result = BudgetResult.objects.for_government(government).filter(budget=budget).first()
    if result is None:
        raise ValidationError(_("Count the budget before deciding an override."))
    if project.budget_id != budget.pk:
        raise ValidationError({"project": _("The project is not in this budget.")})
    selected = set(result.outcome.get("selected") or [])
    if action == Override.Action.INCLUDE and project.tally_id in selected:
        raise ValidationError({"action": _("The count already funds this project.")})
    if action == Override.Action.EXCLUDE and project.tally_id not in selected:
        raise ValidationError({"action": _("The count does not fund this project.")})
    if Override.objects.for_government(government).filter(budget=budget, project=project).exists():
        raise ValidationError({"project": _("This project already has an override.")})
    override = Override.objects.create(
        government=government,
        budget=budget,
        project=project,
        action=action,
        justification=justification,
        decided_by=actor,
        decided_at=now,
    )
    audit.record(
        actor=actor,
        government=government,
        action="participation.budget.override_added",
        obj=budget,
        changes={"project": [None, project.title], "action": [None, action], "justification": [None, justification]},
        now=now,
    )
    tables_changed(government=government, module=MODULE)
    return override


def winners(result: BudgetResult, overrides) -> list[str]:
    """Funded project ids after the overrides: the count's, in funding order, without the
    excluded, then the included."""
    excluded = {o.project.tally_id for o in overrides if o.action == Override.Action.EXCLUDE}
    included = [o.project.tally_id for o in overrides if o.action == Override.Action.INCLUDE]
    return [pid for pid in result.outcome.get("selected") or [] if pid not in excluded] + included
