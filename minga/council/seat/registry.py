"""What the silla vacía lends to core: its requests as a followable kind, so that core's
notifications tell the requester of each step (in-app and by e-mail, as they chose)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from minga.core.registry import Followable
from minga.core.tenancy.paths import government_path

FOLLOW_KIND = "council.seat_request"


def _path(seat) -> str:
    return government_path("council:chair_mine") + f"#solicitud-{seat.pk}"


FOLLOWABLES = (
    Followable(
        kind=FOLLOW_KIND,
        model="council.SeatRequest",
        label=_("My silla vacía requests"),
        description=_(
            "When the secretariat receives, accredits or denies your request, and when your vote is recorded."
        ),
        title=lambda seat: str(seat),
        path=_path,
        # Nobody follows a request: only its requester is told (``recipients``).
        public=lambda rows: rows.none(),
        visible_to=lambda rows, user: rows.filter(user=user),
    ),
)
