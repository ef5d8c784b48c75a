"""The models of the participation module, one sub-package per concept, re-exported here for
Django."""

from .processes.models import Phase, Process
from .surveys.models import Answer, Participation, Question, Response, Survey  # noqa: F401  (surveys)

__all__ = ["Phase", "Process"]
