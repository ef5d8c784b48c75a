"""What the vote page reads before the person, kept per process between requests: a budget
with its process and phases, and the budget's projects. Each key carries the government's
content version (``core.ui.page_cache.content_version``), which every official write bumps
(the audit log calls ``content_changed``), so a changed phase, budget or project is read
again by every worker at once; entries are only ever superseded. The memories hold model
instances that callers read and never change."""

from __future__ import annotations

from minga.core.memo import MISSING, ProcessMemo
from minga.core.ui.page_cache import content_version

from . import ballots
from .models import Budget, Project

_budgets = ProcessMemo(maxsize=256)
_projects = ProcessMemo(maxsize=256)


def budget(government, slug: str, budget_slug: str, load) -> Budget | None:
    """``load()`` (the budget of a published process by the two slugs, or None), remembered."""
    key = (government.pk, content_version(government), slug, budget_slug)
    found = _budgets.get(key)
    if found is MISSING:
        found = load()
        _budgets.set(key, found)
    return found


def projects(government, budget: Budget) -> list[Project]:
    """The budget's projects in ballot order (``ballots.budget_projects``), remembered."""
    key = (government.pk, content_version(government), budget.pk)
    found = _projects.get(key)
    if found is MISSING:
        found = ballots.budget_projects(government, budget)
        _projects.set(key, found)
    return list(found)
