"""The counting rules a process chooses and publishes before voting opens.

Two methods:

* **Greedy by votes** (CONSUL's ``Budget::Result``, most Polish cities, pabulib's ``greedy``):
  projects in order of votes (points on cumulative ballots); each is funded if it still fits in
  what is left, otherwise skipped. In pabutools: ``greedy_utilitarian_welfare`` with the
  satisfaction ``Cost_Sat`` on approval ballots (its score per unit of cost is the vote count),
  and points × cost on cumulative ballots.

* **Method of Equal Shares** with completion (equalshares.net; pabulib's ``equalshares/add1``):
  the budget is split equally among the voters; a project is bought when its supporters can pay
  for it together, the one costing its supporters least per unit of satisfaction first, each
  supporter paying the same price or all they have left. Satisfaction on approval ballots is the
  project's cost ("MES-cost", the field's standard; ``Cost_Sat``) or, by choice, one per
  approved project (``Cardinality_Sat``); on cumulative ballots it is the points given.
  Completion, as equalshares.net does it: the voters' shares are raised by one currency unit
  each (Add1) until the outcome leaves no supported project that still fits, stopping before a
  raise that would overspend the real budget; what is then left is filled greedy by votes. In
  pabutools: ``completion_by_rule_combination`` of ``method_of_equal_shares`` with
  ``voter_budget_increment=1`` and ``greedy_utilitarian_welfare`` as above.

Ties are broken by one fixed, published order (:data:`TIE_BREAKING`): more votes first (more
points on cumulative ballots), then the lower cost, then the project id compared as text. It is
the order pabutools is given as its ``tie_breaking`` rule when the result is recomputed.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Method(enum.StrEnum):
    GREEDY = "greedy"
    EQUAL_SHARES = "equal_shares"


class Utility(enum.StrEnum):
    """What a voter gains from a funded project, for the Method of Equal Shares."""

    COST = "cost"  # approval ballots: the project's cost (MES-cost, the standard)
    APPROVAL = "approval"  # approval ballots: 1 per approved project
    POINTS = "points"  # cumulative ballots: the points given (the only choice there)


class Completion(enum.StrEnum):
    ADD1_GREEDY = "add1_greedy"  # raise shares by 1 unit until exhaustive, then greedy by votes
    NONE = "none"  # plain MES: usually leaves a good part of the budget unspent


#: The published tie-breaking order, as keys the app words: more votes (or points), then lower
#: cost, then project id as text.
TIE_BREAKING = ("more_votes", "lower_cost", "project_id")


@dataclass(frozen=True)
class Rule:
    method: Method = Method.EQUAL_SHARES
    utility: Utility = Utility.COST
    completion: Completion = Completion.ADD1_GREEDY

    @classmethod
    def greedy(cls) -> Rule:
        return cls(method=Method.GREEDY)

    @classmethod
    def equal_shares(cls, utility: Utility = Utility.COST, completion: Completion = Completion.ADD1_GREEDY) -> Rule:
        return cls(method=Method.EQUAL_SHARES, utility=utility, completion=completion)

    @property
    def pabulib_rule(self) -> str:
        """The value of pabulib's ``rule`` META field."""
        if self.method is Method.GREEDY:
            return "greedy"
        return "equalshares/add1" if self.completion is Completion.ADD1_GREEDY else "equalshares"

    def describe(self) -> dict[str, object]:
        """What is published before voting: keys the app words, no prose."""
        found: dict[str, object] = {"method": str(self.method), "tie_breaking": list(TIE_BREAKING)}
        if self.method is Method.EQUAL_SHARES:
            found["utility"] = str(self.utility)
            found["completion"] = str(self.completion)
            if self.completion is Completion.ADD1_GREEDY:
                found["increment_per_voter"] = 1
        return found
