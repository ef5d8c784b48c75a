"""The result of a count and, for every project, why it won or lost: structured data (reason
keys and numbers), which the results page words in the visitor's language.

Reasons (:class:`Reason`) and the details each one carries:

``funded_by_votes`` / ``did_not_fit`` (greedy by votes)
    ``greedy``: its place in the ranking by votes, what the budget had left when its turn came
    and after it. It did not fit when its cost was more than what was left.
``bought_by_supporters`` (Method of Equal Shares)
    ``bought``: the round, ρ (price per unit of satisfaction), the price each supporter paid in
    full (ρ × cost for cost utility; ρ per project for approval utility; ρ per point on
    cumulative ballots), how many supporters paid it, how many paid all they had left because
    it was less, how many had nothing left, and what they had together before.
``funded_in_completion`` (Method of Equal Shares, completion)
    ``short``: why MES alone did not buy it, as below; ``greedy``: its turn in the completion by
    votes, which it fitted.
``supporters_ran_out`` (Method of Equal Shares)
    ``short``: its supporters, what they had left at the end (less than its cost), the
    shortfall, and how much of their shares went to each project bought; ``greedy`` when a
    completion ran: its turn there, when it did not fit in what was left.
``no_supporters``
    nobody chose it; ``greedy`` when a completion ran and it did not fit.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

from .rules import Rule

CENT = Decimal("0.01")


def money(value: Fraction | float | int) -> Decimal:
    """An amount for display: rounded to cents, half to even."""
    if isinstance(value, Fraction):
        exact = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    return exact.quantize(CENT, rounding=ROUND_HALF_EVEN)


class Reason(enum.StrEnum):
    FUNDED_BY_VOTES = "funded_by_votes"
    DID_NOT_FIT = "did_not_fit"
    BOUGHT_BY_SUPPORTERS = "bought_by_supporters"
    FUNDED_IN_COMPLETION = "funded_in_completion"
    SUPPORTERS_RAN_OUT = "supporters_ran_out"
    NO_SUPPORTERS = "no_supporters"


@dataclass(frozen=True)
class GreedyTurn:
    rank: int  # place in the ranking by votes (points), 1-based, published tie-breaking
    remaining_before: int
    remaining_after: int


@dataclass(frozen=True)
class Bought:
    round: int
    rho: Fraction
    price: Decimal  # what a supporter paying in full paid (per point on cumulative ballots)
    supporters: int
    full_payers: int
    partial_payers: int
    empty_handed: int
    money_before: Decimal


@dataclass(frozen=True)
class Short:
    supporters: int
    money_left: Decimal
    shortfall: Decimal
    spent_on: tuple[tuple[str, Decimal], ...]  # (project id, amount), largest first


@dataclass(frozen=True)
class ProjectResult:
    project_id: str
    name: str
    cost: int
    votes: int  # distinct voters who chose it
    points: int  # points it received (= votes on approval and knapsack ballots)
    rank: int  # place by votes (points), published tie-breaking
    funded: bool
    reason: Reason
    order: int | None = None  # 1-based place in the order projects were funded
    bought: Bought | None = None
    short: Short | None = None
    greedy: GreedyTurn | None = None


@dataclass(frozen=True)
class EqualSharesSummary:
    share: Decimal  # the budget's equal share per voter
    final_share: Decimal  # after the Add1 raises
    increments: int  # units added to each share
    stopped: str  # "exhaustive" | "next_overspends" | "plain"
    next_cost: int | None  # what the next raise would have funded, when it overspent
    mes_spent: int
    completion_spent: int


@dataclass(frozen=True)
class Outcome:
    rule: Rule
    budget: int
    voters: int  # distinct verified voters counted
    selected: tuple[str, ...]  # funded project ids, in the order they were funded
    spent: int
    projects: tuple[ProjectResult, ...]  # in the election's project order
    equal_shares: EqualSharesSummary | None = None

    @property
    def unspent(self) -> int:
        return self.budget - self.spent

    def project(self, project_id: str) -> ProjectResult:
        return next(p for p in self.projects if p.project_id == project_id)

    def to_dict(self) -> dict:
        """JSON-ready: amounts as strings, ρ as an exact fraction "p/q"."""
        return _plain(self)


def _plain(value):
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Rule):
        return value.describe()
    if hasattr(value, "__dataclass_fields__"):
        return {name: _plain(getattr(value, name)) for name in value.__dataclass_fields__}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
