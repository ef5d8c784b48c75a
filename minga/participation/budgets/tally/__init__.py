"""Participatory-budgeting tally engine: a pure-Python library (no Django, no database).

The app builds an :class:`Election` from its records (the budget, the projects, the ballot
rules published before voting, one ballot per verified voter) and calls :func:`tally` with
the :class:`Rule` published before voting opened::

    outcome = tally(election, Rule.equal_shares())
    outcome.selected                      # funded project ids, in funding order
    outcome.project("12").reason          # why it won or lost (a key the app words)
    pb_text = to_pabulib(election, rule, outcome)   # the open export anyone can recompute

Rules: greedy by votes, and the Method of Equal Shares with Add1 completion (``rules``).
Outcomes equal pabutools' (``reference``), ties and completion included.
"""

from .count import tally
from .election import Ballot, BallotKind, BallotRules, Election, InvalidElection, Problem, Project
from .outcome import Outcome, ProjectResult, Reason
from .pabulib import from_pabulib, rule_from_meta, to_pabulib
from .rules import TIE_BREAKING, Completion, Method, Rule, Utility

__all__ = [
    "TIE_BREAKING",
    "Ballot",
    "BallotKind",
    "BallotRules",
    "Completion",
    "Election",
    "InvalidElection",
    "Method",
    "Outcome",
    "Problem",
    "Project",
    "ProjectResult",
    "Reason",
    "Rule",
    "Utility",
    "from_pabulib",
    "rule_from_meta",
    "tally",
    "to_pabulib",
]
