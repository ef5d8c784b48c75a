"""The demo's past use of the council's pages: ten months of daily visits through core's
counters (fewer before the portal's launch, more after, weekdays busier, a few acts taking
most of them), the launch date four months ago, and the citizens who attended the sessions
held. What the demo's visitors do afterwards is counted on top, as in production."""

from __future__ import annotations

import datetime as dt
import random

from minga.core.usage.services import seed_counts

from ..acts.models import Act
from ..members.models import Committee, Council, Person
from ..sessions.models import Session
from .counting import ACT, ARTICLE, COMMITTEE, HOME, MODULE, PERSON

DAYS = 300
LAUNCH_DAYS_AGO = 120


def _poisson(rng: random.Random, mean: float) -> int:
    """A small Poisson-distributed count (Knuth's method; means here stay small)."""
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, mean**0.5)))
    limit, k, p = 2.718281828459045 ** (-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def seed(government, *, today: dt.date) -> int:
    """Idempotent: nothing is added when the council already has counted visits."""
    council = Council.objects.for_government(government).first()
    if council is None:
        return 0
    launch = today - dt.timedelta(days=LAUNCH_DAYS_AGO)
    if council.launched_on is None:
        Council.objects.for_government(government).filter(pk=council.pk).update(launched_on=launch)
    rng = random.Random(f"council-visits:{government.slug}")  # noqa: S311 - demo data, not security
    acts = list(Act.objects.for_government(government).published().order_by("pk").values_list("pk", flat=True))
    rng.shuffle(acts)
    pages = [(HOME, 0, 6.0)]
    pages += [(ACT, pk, 9.0 / (rank + 1) ** 1.1) for rank, pk in enumerate(acts)]
    pages += [(ARTICLE, pk, 3.0 / (rank + 1) ** 1.2) for rank, pk in enumerate(acts[:4])]
    pages += [(PERSON, pk, 0.8) for pk in Person.objects.for_government(government).values_list("pk", flat=True)]
    pages += [(COMMITTEE, pk, 0.6) for pk in Committee.objects.for_government(government).values_list("pk", flat=True)]
    counts = []
    for back in range(DAYS):
        day = today - dt.timedelta(days=back)
        level = (0.5 if day.weekday() >= 5 else 1.0) * (1.0 if day >= launch else 0.3)
        level *= 1 + (DAYS - back) / DAYS * 0.3  # a slow rise
        for kind, pk, weight in pages:
            amount = _poisson(rng, weight * level)
            if amount:
                counts.append((kind, pk, day, amount))
    written = seed_counts(government, MODULE, counts)
    for session in Session.objects.for_government(government).filter(
        status__in=[Session.Status.HELD, Session.Status.CLOSED], public_attendance__isnull=True
    ):
        session.public_attendance = rng.randint(4, 18) if session.starts_at.date() >= launch else rng.randint(0, 6)
        session.save(update_fields=["public_attendance"])
    return written
