"""Online votes. A verified person votes once per budget, while a phase with the vote is on,
in at most as many budgets of the process as its setting allows.

One transaction writes two rows that share nothing but the budget: the voter (keyed hash of
the cédula, slot, day) and the ballot (random key, channel, choices). "Once per budget" is the
unique constraint on (budget, voter hash), shared with the paper ballots; "at most N budgets"
is the unique constraint on (process, voter hash, slot). Parallel identical votes meet at the
index: one is stored, the others are told they already voted. Citizens' votes are not
audit entries (a vote day would queue every voter on the audit chain's lock, and the entry
would say who voted when)."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minga.core.verification import selectors as verification

from ..features import VOTE
from ..processes import selectors as process_selectors
from ..processes import services as process_services
from . import ballots, memos
from .models import Ballot, Budget, BudgetVoter, Channel

ACTION = "participation.budget_vote"
PER_VOTER_SETTING = "budgets_per_voter"
SLOT_RETRIES = 3


class VoteRefused(ValidationError):
    """The vote was not stored; ``code`` says why (closed, already_voted, too_many_budgets,
    invalid, busy) and the message says it to the person."""

    def __init__(self, message, code: str):
        super().__init__(message, code=code)
        self.reason = code


@dataclass(frozen=True)
class Receipt:
    budget: Budget
    titles: list[str]
    voted_on: dt.date
    project_ids: tuple[str, ...] = ()  # the tally ids of the projects chosen


def budgets_per_voter(process) -> int:
    try:
        return max(1, int((process.settings or {}).get(PER_VOTER_SETTING, 1)))
    except (TypeError, ValueError):
        return 1


def vote_level(process):
    return (process.settings or {}).get("verification_vote") or None


def voting_open(budget: Budget, now: dt.datetime) -> bool:
    return process_selectors.feature_on(budget.process, VOTE, now)


def parse_choices(budget: Budget, project_ids, points: Mapping[str, object] | None = None) -> dict[str, int]:
    """The ballot's {project id: points} from a form: the ids ticked (approval, knapsack) or
    the points typed per id (cumulative; empty or 0 left out). Bad numbers: VoteRefused."""
    if budget.ballot_kind == "cumulative":
        found = {}
        for key, raw in (points or {}).items():
            text = str(raw or "").strip()
            if not text or text == "0":
                continue
            if not text.isdigit():
                raise VoteRefused(_("Points must be whole numbers above zero."), code="invalid")
            found[str(key)] = int(text)
        return found
    return dict.fromkeys((str(pid) for pid in project_ids), 1)


def _voter_hash(found) -> str:
    if not found.identity_hash:
        raise VoteRefused(_("To vote you need to register your cédula."), code="verification")
    return found.identity_hash


def _refusal_after_conflict(government, budget: Budget, voter_hash: str) -> VoteRefused | None:
    if BudgetVoter.objects.for_government(government).filter(budget=budget, voter_hash=voter_hash).exists():
        return VoteRefused(
            _("You have already voted in this budget (online or on paper). Each person votes once."),
            code="already_voted",
        )
    return None


def _too_many(limit: int) -> VoteRefused:
    return VoteRefused(
        _("You have already voted in %(n)d budgets of this process, the most one person may vote in.") % {"n": limit},
        code="too_many_budgets",
    )


def vote_cast(
    *, user, government, budget: Budget, choices: Mapping[str, int], now: dt.datetime | None = None
) -> Receipt:
    """Store one online ballot of ``user`` in ``budget``, or raise VoteRefused (or
    VerificationRequired when the person lacks the process's level)."""
    now = now or timezone.now()
    process = budget.process
    if not voting_open(budget, now):
        raise VoteRefused(_("Voting is not open in this process now: nothing was recorded."), code="closed")
    found = verification.require_action(user, government, ACTION, level=vote_level(process))
    voter_hash = _voter_hash(found)
    projects = memos.projects(government, budget)
    engine = ballots.engine_projects(projects)
    problems = ballots.check(budget, engine, choices)
    if problems:
        raise VoteRefused(problems, code="invalid")
    limit = budgets_per_voter(process)
    voters = BudgetVoter.objects.for_government(government)
    # With one budget per person (the usual rule) the slot is always 1: the insert alone
    # decides, and its conflict says which rule refused. With more, count the slots taken.
    used = 0 if limit == 1 else voters.filter(process=process, voter_hash=voter_hash).count()
    for _attempt in range(SLOT_RETRIES):
        if used >= limit:
            raise _refusal_after_conflict(government, budget, voter_hash) or _too_many(limit)
        try:
            _store(government, budget, voter_hash, used + 1, timezone.localdate(now), choices)
        except IntegrityError:
            refusal = _refusal_after_conflict(government, budget, voter_hash)
            if refusal is not None:
                raise refusal from None
            # another budget of the process holds this slot (taken now or before): count again
            used = voters.filter(process=process, voter_hash=voter_hash).count()
            continue
        break
    else:
        raise VoteRefused(_("Too many votes at once from this person; try again."), code="busy")
    if process.voting_opened_at is None:
        process_services.process_open_voting(actor=None, government=government, process=process, now=now)
    chosen = [p for p in projects if p.tally_id in choices]
    return Receipt(
        budget=budget,
        titles=[p.title for p in chosen],
        voted_on=timezone.localdate(now),
        project_ids=tuple(p.tally_id for p in chosen),
    )


def _column(model, name: str, quote) -> str:
    return quote(model._meta.get_field(name).column)


def _store_sql(quote) -> str:
    """One PostgreSQL statement that writes the voter, then the ballot only if the voter row
    went in: a statement is atomic by itself, so the pair needs no BEGIN and COMMIT (four
    round trips become one on the vote's hot path). The ORM cannot write two tables in one
    statement; the government's id is a parameter of both rows."""
    v = {name: _column(BudgetVoter, name, quote) for name in ("government", "budget", "process", "voter_hash")}
    v |= {name: _column(BudgetVoter, name, quote) for name in ("slot", "channel", "batch", "voted_on")}
    b = {name: _column(Ballot, name, quote) for name in ("government", "id", "budget", "channel", "points")}
    return (
        f"WITH voter AS (INSERT INTO {quote(BudgetVoter._meta.db_table)} "  # noqa: S608 (quoted model names)
        f"({v['government']}, {v['budget']}, {v['process']}, {v['voter_hash']}, {v['slot']}, {v['channel']}, "
        f"{v['batch']}, {v['voted_on']}) VALUES (%s, %s, %s, %s, %s, %s, NULL, %s) RETURNING 1) "
        f"INSERT INTO {quote(Ballot._meta.db_table)} "
        f"({b['government']}, {b['id']}, {b['budget']}, {b['channel']}, {b['points']}) "
        "SELECT %s, %s, %s, %s, %s::jsonb FROM voter"
    )


def _store(government, budget: Budget, voter_hash: str, slot: int, voted_on: dt.date, choices) -> None:
    """Write the voter row and the ballot row together, or neither (IntegrityError when the
    voter row breaks a unique constraint)."""
    alias = router.db_for_write(BudgetVoter)
    connection = connections[alias]
    if connection.vendor != "postgresql":
        with transaction.atomic(using=alias):
            BudgetVoter.objects.for_government(government).create(
                government=government,
                budget=budget,
                process=budget.process,
                voter_hash=voter_hash,
                slot=slot,
                channel=Channel.ONLINE,
                voted_on=voted_on,
            )
            Ballot.objects.create(government=government, budget=budget, channel=Channel.ONLINE, points=dict(choices))
        return
    gid = government.pk
    params = [gid, budget.pk, budget.process_id, voter_hash, slot, Channel.ONLINE, voted_on]
    params += [gid, uuid.uuid4(), budget.pk, Channel.ONLINE, json.dumps(dict(choices))]
    # Inside a caller's transaction, a savepoint keeps that transaction usable after a conflict.
    savepoint = transaction.atomic(using=alias) if connection.in_atomic_block else _NoTransaction()
    with savepoint, connection.cursor() as cursor:
        cursor.execute(_store_sql(connection.ops.quote_name), params)


class _NoTransaction:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def has_voted(government, budget: Budget, user) -> bool:
    identity = verification.identity_of(user)
    if identity is None:
        return False
    return (
        BudgetVoter.objects.for_government(government).filter(budget=budget, voter_hash=identity.cedula_hash).exists()
    )
