"""Builders for the budgets' tests: a participatory-budget process whose voting phase is on
now (or over), a budget with projects, verified voters with known cédulas."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from minga.core.tenancy.scoping import government_scope
from minga.core.testing import UserFactory, make_cedula, make_official
from minga.core.verification import keys
from minga.core.verification.models import Identity

from ...tests import factories
from .. import services, tallying, voting

DAY = dt.timedelta(days=1)
_serial = itertools.count(500_000)


def voting_process(government, *, over: bool = False, **settings):
    """A published process whose voting phase is on now (over=True: ended yesterday)."""
    now = timezone.now().replace(second=0, microsecond=0)
    start = now - (31 if over else 25) * DAY
    return factories.process(government, start=start, settings={"verification_vote": "cedula", **settings})


def budget(government, process, *, projects=(100, 200, 300), amount=400, **fields):
    with government_scope(government):
        found = services.budget_create(
            actor=None,
            government=government,
            process=process,
            title=fields.pop("title", "Parroquia Centro"),
            amount=amount,
            now=process.starts_at,
            **fields,
        )
        for n, cost in enumerate(projects, start=1):
            services.project_create(
                actor=None,
                government=government,
                budget=found,
                title=f"Proyecto {n}",
                cost=cost,
                position=n,
                now=process.starts_at,
            )
    return found


def projects(government, budget):
    with government_scope(government):
        return list(budget.projects.order_by("position"))


def voter(number: str | None = None):
    """A person with a registered cédula (CEDULA level everywhere); returns (user, number)."""
    number = number or make_cedula(next(_serial))
    user = UserFactory()
    now = timezone.now()
    Identity.objects.create(
        cedula_hash=keys.cedula_hash(number), user=user, method="online", created_at=now, linked_at=now
    )
    return user, number


def counted(government, *, votes=((0, 1), (0,)), publish=False):
    """A budget whose votes were cast and counted (and published if asked); returns (official, budget)."""
    process = voting_process(government)
    found = budget(government, process)
    official = make_official(government, "editor", "participation")
    with government_scope(government):
        ids = [p.tally_id for p in projects(government, found)]
        for chosen in votes:
            user, _n = voter()
            voting.vote_cast(user=user, government=government, budget=found, choices={ids[i]: 1 for i in chosen})
        later = timezone.now() + DAY * 6
        tallying.budget_tally(actor=official, government=government, budget=found, now=later)
        if publish:
            tallying.result_publish(actor=official, government=government, budget=found, now=later)
    return official, found
