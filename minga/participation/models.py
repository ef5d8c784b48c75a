"""The models of the participation module, one sub-package per concept, re-exported here for
Django."""

from .processes.models import Phase, Process
from .results.models import Result, ResultLink, TimelineEntry  # noqa: F401  (results)

__all__ = ["Phase", "Process"]
