"""The council's sessions as entries of other modules' calendars (core.registry.CalendarEntry):
convened and later sessions (drafts never), so the council's agenda appears in the
participatory events calendar and its iCal feed without either module importing the other."""

from __future__ import annotations

from django.utils.translation import pgettext

from minga.core.registry import CalendarEntry

from .search import session_path
from .sessions.models import Session

UID_DOMAIN = "concejo.minga"


def entries(government, start, end=None) -> list[CalendarEntry]:
    sessions = Session.objects.for_government(government).published().filter(starts_at__gte=start)
    if end is not None:
        sessions = sessions.filter(starts_at__lt=end)
    found = []
    for session in sessions.select_related("committee").order_by("starts_at", "pk"):
        body = session.committee.name if session.committee else ""
        found.append(
            CalendarEntry(
                uid=f"{session.uid}@{UID_DOMAIN}",
                title=session.title,
                starts_at=session.starts_at,
                url=session_path(session),
                module="council",
                place=session.place,
                description=" · ".join(part for part in (str(session.get_kind_display()), body) if part),
                category=pgettext("council session", "Council session"),
                updated_at=session.updated_at,
                cancelled=session.status == Session.Status.CANCELLED,
            )
        )
    return found
