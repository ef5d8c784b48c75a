"""The models of the council module, one sub-package per concept, re-exported here for Django."""

from .acts.models import Act, Action, Document, Sponsorship, Subject, Unit, Version
from .lifecycle.models import StageRule
from .members.models import Committee, CommitteeMembership, Council, Membership, Person
from .seat.models import SeatConsensus, SeatRequest, SeatRules
from .sessions.models import AgendaItem, Attendance, Session, SessionDocument, Vote, VoteEvent

__all__ = ["Committee", "CommitteeMembership", "Council", "Membership", "Person"]
__all__ += ["Act", "Action", "Document", "Sponsorship", "Subject", "Unit", "Version", "StageRule"]
__all__ += ["AgendaItem", "Attendance", "Session", "SessionDocument", "Vote", "VoteEvent"]
__all__ += ["SeatConsensus", "SeatRequest", "SeatRules"]
