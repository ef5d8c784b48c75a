"""Paper ballots, entered by officials in batches (one polling place, one day).

Entering: the official types one line per ballot, "cédula; choices" (choices: the projects'
numbers on the ballot, "3, 5, 8"; on cumulative ballots "3:4, 5:6", number and points). Every
line is checked before anything is saved: the cédula's check digit, the ballot's rules, the
same cédula twice in the batch, a person who already voted in this budget (online or in a
confirmed batch) or who is in another batch waiting for review. Any problem refuses the whole
batch with a report by line; nothing is half-saved. The cédula is kept only as its keyed hash.

Review and confirm: a batch waits for review with its entries; confirming checks again and
turns them, in one transaction, into voters and ballots that share nothing (the ballots in a
shuffled order), then empties the entries. A person who voted online in the meantime is caught
by the same unique constraint as an online repeat: the confirmation is refused and reported.
Every step is audited (no number and no hash in the entries)."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minga.core.audit import services as audit
from minga.core.verification import cedula as cedulas
from minga.core.verification import keys

from ..features import VOTE
from ..processes import selectors as process_selectors
from ..processes import services as process_services
from . import ballots
from .models import Ballot, Budget, BudgetResult, BudgetVoter, Channel, PaperBatch
from .voting import budgets_per_voter

MAX_LINES = 5000
_CHOICE = re.compile(r"^\s*(\d{1,4})\s*(?::\s*(\d{1,6}))?\s*$")


@dataclass(frozen=True)
class LineProblem:
    line: int
    message: str


class BatchRefused(ValidationError):
    """The batch was not saved (or not confirmed): ``problems`` lists each line's reason."""

    def __init__(self, problems: list[LineProblem], message: str = ""):
        self.problems = problems
        super().__init__(
            message
            or _("The batch was not saved: %(n)d lines have problems. Correct them and send the batch again.")
            % {"n": len({p.line for p in problems})},
            code="batch_refused",
        )


def _vote_dates(process) -> list[tuple[dt.date, dt.date]]:
    return [
        (timezone.localtime(phase.starts_at).date(), timezone.localtime(phase.ends_at).date())
        for phase in process_selectors.phases_of(process)
        if phase.has_feature(VOTE)
    ]


def ballot_numbers(government, budget: Budget) -> dict[int, str]:
    """Number on the paper ballot (1, 2, 3… in ballot order) -> project id."""
    return {n: p.tally_id for n, p in enumerate(ballots.budget_projects(government, budget), start=1)}


def parse_lines(government, budget: Budget, text: str) -> tuple[list[dict], list[LineProblem]]:
    """Entries [{line, voter, points}] and the problems of the lines that are not valid."""
    numbers = ballot_numbers(government, budget)
    engine = ballots.engine_projects(ballots.budget_projects(government, budget))
    cumulative = budget.ballot_kind == "cumulative"
    entries, problems = [], []
    base = keys.hasher()
    lines = [(n, line) for n, line in enumerate((text or "").splitlines(), start=1) if line.strip()]
    if not lines:
        return [], [LineProblem(0, _("Type at least one ballot."))]
    if len(lines) > MAX_LINES:
        return [], [LineProblem(0, _("At most %(n)d ballots in one batch.") % {"n": MAX_LINES})]
    for number, line in lines:
        raw_cedula, _sep, raw_choices = line.partition(";")
        cedula = cedulas.normalise(raw_cedula)
        reason = cedulas.problem(cedula)
        if reason:
            problems.append(LineProblem(number, _("cédula not valid: %(why)s") % {"why": cedulas.reason_text(reason)}))
            continue
        points: dict[str, int] = {}
        bad = False
        for item in raw_choices.replace(" ", ",").split(","):
            if not item.strip():
                continue
            match = _CHOICE.match(item)
            if match is None or int(match[1]) not in numbers or (match[2] is not None) != cumulative:
                problems.append(
                    LineProblem(
                        number, _("“%(item)s” is not a project number on this ballot") % {"item": item.strip()[:20]}
                    )
                )
                bad = True
                break
            pid = numbers[int(match[1])]
            if pid in points:
                problems.append(LineProblem(number, _("project %(n)s is written twice") % {"n": match[1]}))
                bad = True
                break
            points[pid] = int(match[2]) if cumulative else 1
        if bad:
            continue
        for message in ballots.check(budget, engine, points):
            problems.append(LineProblem(number, message))
        entries.append({"line": number, "voter": keys.cedula_hash(cedula, base=base), "points": points})
    repeated = {voter for voter, n in Counter(e["voter"] for e in entries).items() if n > 1}
    for entry in entries:
        if entry["voter"] in repeated:
            problems.append(LineProblem(entry["line"], _("the same cédula is on another line of this batch")))
    return entries, problems


def _conflicts(government, budget: Budget, entries: list[dict], *, exclude_batch=None) -> list[LineProblem]:
    hashes = [e["voter"] for e in entries]
    voted = dict(
        BudgetVoter.objects.for_government(government)
        .filter(budget=budget, voter_hash__in=hashes)
        .values_list("voter_hash", "channel")
    )
    pending = set()
    others = PaperBatch.objects.for_government(government).filter(budget=budget, status=PaperBatch.Status.REVIEW)
    if exclude_batch is not None:
        others = others.exclude(pk=exclude_batch.pk)
    for batch_entries in others.values_list("entries", flat=True):
        pending.update(e["voter"] for e in batch_entries)
    limit = budgets_per_voter(budget.process)
    used = Counter(
        BudgetVoter.objects.for_government(government)
        .filter(process=budget.process, voter_hash__in=hashes)
        .values_list("voter_hash", flat=True)
    )
    problems = []
    for entry in entries:
        voter = entry["voter"]
        if voter in voted:
            if voted[voter] == Channel.ONLINE:
                problems.append(LineProblem(entry["line"], _("this person already voted online in this budget")))
            else:
                problems.append(LineProblem(entry["line"], _("this person already voted on paper in this budget")))
        elif voter in pending:
            problems.append(LineProblem(entry["line"], _("this person is in another batch waiting for review")))
        elif used[voter] >= limit:
            problems.append(
                LineProblem(
                    entry["line"], _("this person already voted in %(n)d budgets of the process") % {"n": limit}
                )
            )
    return problems


def _check_open(budget: Budget, voted_on: dt.date | None) -> None:
    if (
        BudgetResult.objects.for_government(budget.government_id)
        .filter(budget=budget, published_at__isnull=False)
        .exists()
    ):
        raise ValidationError(_("The result of this budget is published: no more ballots can be added."))
    if voted_on is not None and not any(start <= voted_on <= end for start, end in _vote_dates(budget.process)):
        raise ValidationError({"voted_on": _("The voting day must fall within a voting phase of the process.")})


def batch_enter(*, actor, government, budget: Budget, place: str, voted_on: dt.date, text: str, now=None) -> PaperBatch:
    """A batch waiting for review, or BatchRefused with the report (nothing saved)."""
    now = now or timezone.now()
    budget = Budget.objects.for_government(government).select_related("process").get(pk=budget.pk)
    place = " ".join((place or "").split())
    if not place:
        raise ValidationError({"place": _("Write where the ballots were cast.")})
    _check_open(budget, voted_on)
    entries, problems = parse_lines(government, budget, text)
    problems += _conflicts(government, budget, [e for e in entries if e["line"] not in {p.line for p in problems}])
    if problems:
        raise BatchRefused(sorted(problems, key=lambda p: p.line))
    with transaction.atomic():
        batch = PaperBatch.objects.create(
            government=government,
            budget=budget,
            place=place[:200],
            voted_on=voted_on,
            entries=entries,
            ballot_count=len(entries),
            entered_by=actor,
            created_at=now,
        )
        audit.record(
            actor=actor,
            government=government,
            action="participation.paper_batch.entered",
            obj=batch,
            changes={
                "budget": [None, budget.pk],
                "place": [None, batch.place],
                "voted_on": [None, voted_on],
                "ballots": [None, len(entries)],
            },
            now=now,
        )
    return batch


def batch_totals(government, batch: PaperBatch) -> list[tuple[int, str, int]]:
    """(number on the ballot, project title, votes or points) of a batch under review."""
    projects = ballots.budget_projects(government, batch.budget)
    totals: Counter = Counter()
    for entry in batch.entries:
        totals.update(entry["points"])
    return [(n, p.title, totals.get(p.tally_id, 0)) for n, p in enumerate(projects, start=1)]


def batch_confirm(*, actor, government, batch: PaperBatch, now=None) -> PaperBatch:
    """Count the batch: voters and ballots written apart, entries emptied. BatchRefused when a
    person voted meanwhile (nothing saved)."""
    now = now or timezone.now()
    with transaction.atomic():
        batch = (
            PaperBatch.objects.for_government(government)
            .select_related("budget__process")
            .select_for_update(of=("self",))
            .get(pk=batch.pk)
        )
        if batch.status != PaperBatch.Status.REVIEW:
            raise ValidationError(_("This batch is not waiting for review."))
        budget = batch.budget
        _check_open(budget, None)
        entries = list(batch.entries)
        problems = _conflicts(government, budget, entries, exclude_batch=batch)
        if problems:
            raise BatchRefused(problems, _("The batch was not confirmed: some people have voted since it was entered."))
        used = Counter(
            BudgetVoter.objects.for_government(government)
            .filter(process=budget.process, voter_hash__in=[e["voter"] for e in entries])
            .values_list("voter_hash", flat=True)
        )
        voters = [
            BudgetVoter(
                government=government,
                budget=budget,
                process=budget.process,
                voter_hash=e["voter"],
                slot=used[e["voter"]] + 1,
                channel=Channel.PAPER,
                batch=batch,
                voted_on=batch.voted_on,
            )
            for e in entries
        ]
        shuffled = [e["points"] for e in entries]
        random.SystemRandom().shuffle(shuffled)
        try:
            with transaction.atomic():
                BudgetVoter.objects.bulk_create(voters)
                Ballot.objects.bulk_create(
                    [Ballot(government=government, budget=budget, channel=Channel.PAPER, points=p) for p in shuffled]
                )
        except IntegrityError:
            problems = _conflicts(government, budget, entries, exclude_batch=batch)
            raise BatchRefused(
                problems or [LineProblem(0, _("someone voted at the same moment; confirm again"))],
                _("The batch was not confirmed: some people have voted since it was entered."),
            ) from None
        batch.status = PaperBatch.Status.CONFIRMED
        batch.entries = []
        batch.confirmed_by = actor
        batch.confirmed_at = now
        batch.save(update_fields=["status", "entries", "confirmed_by", "confirmed_at"])
        audit.record(
            actor=actor,
            government=government,
            action="participation.paper_batch.confirmed",
            obj=batch,
            changes={"status": ["review", "confirmed"], "ballots": [None, len(entries)]},
            now=now,
        )
        process = budget.process
        if process.voting_opened_at is None:
            process_services.process_open_voting(actor=actor, government=government, process=process, now=now)
    return batch


@transaction.atomic
def batch_discard(*, actor, government, batch: PaperBatch, now=None) -> PaperBatch:
    now = now or timezone.now()
    batch = PaperBatch.objects.for_government(government).select_for_update().get(pk=batch.pk)
    if batch.status != PaperBatch.Status.REVIEW:
        raise ValidationError(_("Only a batch waiting for review can be discarded."))
    batch.status = PaperBatch.Status.DISCARDED
    batch.entries = []
    batch.save(update_fields=["status", "entries"])
    audit.record(
        actor=actor,
        government=government,
        action="participation.paper_batch.discarded",
        obj=batch,
        changes={"status": ["review", "discarded"]},
        now=now,
    )
    return batch
