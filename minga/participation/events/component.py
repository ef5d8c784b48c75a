"""The events section of a process's page: its upcoming and past events, with the process's
iCal feed."""

from django.utils.translation import gettext_lazy as _

from ..components import ProcessComponent, register
from . import selectors


def _context(request, process, now):
    events = list(selectors.process_events(process))
    if not events:
        return None
    return {
        "upcoming": [event for event in events if not event.is_past(now)],
        "past": [event for event in reversed(events) if event.is_past(now)],
        "process": process,
    }


COMPONENT = register(
    ProcessComponent(
        key="eventos",
        label=_("Events"),
        template="participation/events/section.html",
        context=_context,
        order=60,
    )
)
