"""Core models live in one sub-package per concept; Django finds them through this module."""

from .accounts.models import Membership, User
from .api.models import ApiToken
from .audit.models import AuditChain, AuditCheckpoint, AuditEntry
from .jobs.models import JobLease
from .notifications.models import Follow, Notification, NotificationPreference
from .progress.models import Progress
from .scheduling.models import PeriodicRun
from .search.models import SearchDocument, ZeroResultQuery
from .tenancy.models import Government, GovernmentHost, GovernmentOwned

__all__ = [
    "ApiToken",
    "AuditChain",
    "AuditCheckpoint",
    "AuditEntry",
    "Follow",
    "Government",
    "GovernmentHost",
    "GovernmentOwned",
    "JobLease",
    "Membership",
    "Notification",
    "NotificationPreference",
    "PeriodicRun",
    "Progress",
    "SearchDocument",
    "User",
    "ZeroResultQuery",
]
