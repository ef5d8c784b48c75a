"""The models of the council module, one sub-package per concept, re-exported here for Django."""

from .acts.models import Act, Action, Document, Sponsorship, Subject, Unit, Version
from .lifecycle.models import StageRule
from .members.models import Committee, CommitteeMembership, Council, Membership, Person

__all__ = ["Committee", "CommitteeMembership", "Council", "Membership", "Person"]
__all__ += ["Act", "Action", "Document", "Sponsorship", "Subject", "Unit", "Version", "StageRule"]
