"""The count of a budget as a background job, so a large election does not hold an office
request: the office asks for it (``count_queue``: checked, a progress record "waiting for a
worker", the job queued once that commits), a worker counts (``tasks.count_budget`` →
``count_queued``, which runs ``tallying.budget_tally``), and the budget's page reads where it
stands from the progress record (``count_progress``): counting, failed with the reason in the
government's language, or done, the result then shown as before.

The record keeps the queued task's id in its ``key``. A count whose job is lost (never taken
up, or its worker died: core's recovery then marks the task failed) leaves nothing half stored,
the count being one transaction; ``recover`` (participation's ``recover_jobs`` hook) fails its
record with the reason, so the page explains it and the count can be asked for again."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from minga.core.jobs import queue
from minga.core.progress import selectors as progress_selectors
from minga.core.progress import services as progress
from minga.core.progress.models import Progress

from ..features import MODULE
from . import tallying
from .models import Budget

logger = logging.getLogger("minga.jobs")

KIND = "participation.budget_count"
TASK = "minga.participation.budgets.tasks.count_budget"
VOTERS = gettext_noop("voters")
COUNTING = "counting"
COUNTING_LABEL = gettext_noop("Counting the votes")


def count_progress(government, budget: Budget) -> Progress | None:
    """The newest record of a count of this budget (running, failed or finished), if any."""
    record = progress_selectors.latest_for(government=government, obj=budget)
    return record if record is not None and record.kind == KIND else None


def count_queue(*, actor, government, budget: Budget, now: dt.datetime | None = None) -> Progress:
    """Ask for the count: refused now when it could not run (voting not over, a batch to
    review, already published…) or when a count of this budget is under way."""
    now = now or timezone.now()
    with transaction.atomic():
        budget = (
            Budget.objects.for_government(government).select_for_update().select_related("process").get(pk=budget.pk)
        )
        refusal = tallying.tally_refusal(government, budget, now)
        if refusal:
            raise ValidationError(refusal)
        under_way = count_progress(government, budget)
        if under_way is not None and under_way.state == Progress.State.RUNNING:
            raise ValidationError(_("The budget is being counted already: wait for the result."))
        record = progress.queued(
            government=government, kind=KIND, module=MODULE, obj=budget, title=budget.title, unit=VOTERS, now=now
        )
        queue.enqueue_on_commit(TASK, budget.pk, getattr(actor, "pk", None), note=_note_task(record))
    return record


def _note_task(record: Progress):
    def note(task_id: str) -> None:
        Progress.objects.for_government(record.government_id).filter(pk=record.pk).update(key=task_id[:120])

    return note


def _unexpected(error: Exception) -> str:
    return _(
        "The count stopped because of an unexpected error (%(error)s). Nothing was stored: ask for the count "
        "again, and tell the platform's support team if it fails again."
    ) % {"error": type(error).__name__}


def count_queued(*, government, budget_id: int, actor=None, now: dt.datetime | None = None) -> str:
    """The job's work: count the budget, recording how it goes. Returns what happened."""
    budget = Budget.objects.for_government(government).select_related("process").filter(pk=budget_id).first()
    if budget is None:
        return "gone"
    tracker = progress.resume(
        government=government, kind=KIND, module=MODULE, obj=budget, title=budget.title, unit=VOTERS
    )
    tracker.advance(COUNTING, 0, None, label=COUNTING_LABEL)
    # Reasons are stored as text: in the portal's language, whoever reads them.
    with translation.override(settings.LANGUAGE_CODE):
        try:
            result = tallying.budget_tally(actor=actor, government=government, budget=budget, now=now)
        except ValidationError as error:
            tracker.fail(" ".join(error.messages))
            return "refused"
        except Exception as error:  # the job must end with its record saying why
            logger.exception("count of budget %s failed", budget.pk)
            tracker.fail(_unexpected(error))
            return "failed"
    tracker.advance(COUNTING, result.online_voters + result.paper_voters, result.online_voters + result.paper_voters)
    tracker.finish(obj=budget)
    return "counted"


NEVER_STARTED = gettext_noop(
    "The count never started: no worker took it up. Nothing was stored; ask for the count again."
)
INTERRUPTED = gettext_noop(
    "The count was interrupted: the process doing it stopped. Nothing was stored; ask for the count again."
)


def recover(*, now: dt.datetime | None = None) -> int:
    """Fail the records of counts whose job will never end them; returns how many."""
    now = now or timezone.now()
    ended = 0
    waiting = Progress._base_manager.filter(kind=KIND, state=Progress.State.RUNNING)
    for pk, phase, task_id, started_at in waiting.values_list("pk", "phase", "key", "started_at"):
        if not queue.lost(task_id, queued_at=started_at, now=now):
            continue
        with translation.override(settings.LANGUAGE_CODE):
            reason = _(NEVER_STARTED) if phase == progress.QUEUED else _(INTERRUPTED)
            kept = _("The result counted before, if any, stays as it was.")
        ended += Progress._base_manager.filter(pk=pk, state=Progress.State.RUNNING).update(
            state=Progress.State.FAILED, finished_at=now, updated_at=now, failure_reason=reason, kept_live=kept
        )
    return ended
