"""Core models live in one sub-package per concept; Django finds them through this module."""

from .accounts.models import Membership, User
from .api.models import ApiToken
from .audit.models import AuditChain, AuditEntry
from .jobs.models import JobLease
from .scheduling.models import PeriodicRun
from .search.models import SearchDocument, ZeroResultQuery
from .tenancy.models import Government, GovernmentOwned

__all__ = [
    "ApiToken",
    "AuditChain",
    "AuditEntry",
    "Government",
    "GovernmentOwned",
    "JobLease",
    "Membership",
    "PeriodicRun",
    "SearchDocument",
    "User",
    "ZeroResultQuery",
]
