"""The models of the participation module, one sub-package per concept, re-exported here for
Django."""

from .budgets.models import Ballot, Budget, BudgetResult, BudgetVoter, Override, PaperBatch, ProjectLink
from .budgets.models import Project as BudgetProject
from .processes.models import Phase, Process

__all__ = [
    "Phase",
    "Process",
    "Ballot",
    "Budget",
    "BudgetProject",
    "BudgetResult",
    "BudgetVoter",
    "Override",
    "PaperBatch",
    "ProjectLink",
]
