"""The models of the participation module, one sub-package per concept, re-exported here for
Django."""

from .processes.models import Phase, Process
from .proposals.models import Proposal, Support

__all__ = ["Phase", "Process", "Proposal", "Support"]
