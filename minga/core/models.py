"""Core models live in one sub-package per concept; Django finds them through this module."""

from .accounts.models import Membership, User
from .api.models import ApiToken
from .audit.models import AuditChain, AuditCheckpoint, AuditEntry
from .comments.models import Comment, CommentAppeal, CommentReport, CommentVote
from .jobs.models import JobLease
from .notifications.models import Follow, Notification, NotificationPreference
from .progress.models import Progress
from .scheduling.models import PeriodicRun
from .search.models import SearchDocument, ZeroResultQuery
from .tenancy.models import Government, GovernmentHost, GovernmentOwned
from .usage.models import UsageCount
from .verification.models import CensusCode, CensusEntry, CensusRoll, Identity, Verification

__all__ = [
    "ApiToken",
    "AuditChain",
    "AuditCheckpoint",
    "AuditEntry",
    "CensusCode",
    "CensusEntry",
    "CensusRoll",
    "Follow",
    "Comment",
    "CommentAppeal",
    "CommentReport",
    "CommentVote",
    "Government",
    "GovernmentHost",
    "GovernmentOwned",
    "Identity",
    "JobLease",
    "Membership",
    "Notification",
    "NotificationPreference",
    "PeriodicRun",
    "Progress",
    "SearchDocument",
    "UsageCount",
    "User",
    "Verification",
    "ZeroResultQuery",
]
