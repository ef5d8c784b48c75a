"""The demo's followers of the council: its neighbours and the platform's demo citizens follow
a few acts, committees and members, most of them after the portal's launch, so the
effectiveness review has followers to count by month. Idempotent: a council that already has
followers gets none."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.db.models import Min
from django.utils import timezone

from minga.core.notifications import services as follows
from minga.core.notifications.models import Follow

from ..acts.models import Act
from ..members.models import Committee, Council, Person

FOLLOWS_PER_PERSON = (2, 5)


def _people(government):
    User = get_user_model()
    neighbours = User.objects.filter(email__endswith=f"@{government.slug}.demo.minga.ec", email__startswith="vecino")
    citizens = User.objects.filter(email__startswith="ciudadania", email__endswith="@demo.minga.ec")
    return list(neighbours.order_by("pk")) + list(citizens.order_by("pk"))


def seed(government, *, now: dt.datetime) -> int:
    if Follow.objects.for_government(government).filter(kind__startswith="council.").exists():
        return 0
    council = Council.objects.for_government(government).first()
    if council is None:
        return 0
    rng = random.Random(f"council-follows-{government.slug}")
    acts = list(
        Act.objects.for_government(government)
        .filter(is_public=True)
        .annotate(presented_on=Min("actions__date"))
        .order_by("identifier")
    )
    targets = (
        acts
        + list(Committee.objects.for_government(government).order_by("pk"))
        + list(Person.objects.for_government(government).order_by("pk"))
    )
    if not targets:
        return 0
    today = timezone.localtime(now).date()
    launch = council.launched_on or today - dt.timedelta(days=120)
    written = 0
    for person in _people(government):
        for target in rng.sample(targets, min(len(targets), rng.randint(*FOLLOWS_PER_PERSON))):
            # Three in four follows came after the launch; none before the record existed.
            after = rng.random() < 0.75
            span = (today - launch).days if after else 180
            day = (launch if after else launch - dt.timedelta(days=180)) + dt.timedelta(
                days=rng.randint(0, max(span, 1))
            )
            # Nobody follows an act before it was presented.
            when = max(min(day, today), getattr(target, "presented_on", None) or day)
            moment = timezone.make_aware(dt.datetime.combine(when, dt.time(10 + rng.randint(0, 9), rng.randint(0, 59))))
            if follows.follow(user=person, government=government, target=target, now=min(moment, now)):
                written += 1
    return written
