"""The models of the participation module, one sub-package per concept, re-exported here for
Django."""

from .committees.models import Committee, Member, Report  # noqa: I001
from .events.models import Agreement, Event, EventType, Registration  # noqa: I001
from .budgets.models import Ballot, Budget, BudgetResult, BudgetVoter, Override, PaperBatch, ProjectLink
from .budgets.models import Project as BudgetProject
from .processes.models import Phase, Process
from .results.models import Result, ResultLink, TimelineEntry  # noqa: F401  (results)
from .surveys.models import Answer, Participation, Question, Response, Survey  # noqa: F401  (surveys)
from .proposals.models import Proposal, Support  # noqa: I001

__all__ = ["Phase", "Process", "Proposal", "Support"]
__all__ += ["Agreement", "Event", "EventType", "Registration"]
__all__ += ["Committee", "Member", "Report"]
__all__ += ["Ballot", "Budget", "BudgetProject", "BudgetResult", "BudgetVoter", "Override", "PaperBatch", "ProjectLink"]
