"""What events lend to core and to other modules through the manifest: followable events
("participation.event"), agreements as linked records ("participation.agreement", so a result
can point to one), and the reminders job. apps.py merges these into the module's manifest."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from minga.core.registry import Followable, LinkedRecord, PeriodicJob
from minga.core.tenancy.paths import government_path
from minga.core.tenancy.scoping import government_scope

from . import selectors

EVENT = "participation.event"
AGREEMENT = "participation.agreement"


def event_path(event) -> str:
    return government_path("participation:event_detail", slug=event.slug)


FOLLOWABLES = (
    Followable(
        kind=EVENT,
        model="participation.Event",
        label=_("Participatory events"),
        description=_("When an event you follow changes its date or place, or its minutes are published."),
        title=lambda event: event.title,
        path=event_path,
        public=lambda events: events.published(),
    ),
)


def _agreement_record(agreement) -> LinkedRecord:
    return LinkedRecord(
        kind=AGREEMENT,
        key=agreement.key,
        title=f"{agreement.event.title}: {agreement.number}. {agreement.text[:120]}",
        url=event_path(agreement.event) + f"#acuerdo-{agreement.number}",
        module="participation",
        facts={
            "status": agreement.get_status_display(),
            "status_key": agreement.status,
            "responsible": agreement.responsible,
            "due_on": agreement.due_on,
            "event": agreement.event.title,
        },
    )


def resolve_agreements(government, keys: list[str]) -> dict[str, LinkedRecord]:
    with government_scope(government):
        return {key: _agreement_record(found) for key, found in selectors.agreements_by_keys(government, keys).items()}


def search_agreements(government, text: str, limit: int) -> list[LinkedRecord]:
    with government_scope(government):
        return [_agreement_record(found) for found in selectors.search_agreements(government, text, limit)]


LINK_RESOLVERS = {AGREEMENT: resolve_agreements}
LINK_SEARCH = {AGREEMENT: search_agreements}
PERIODIC = (
    PeriodicJob(
        "participation.event_reminders",
        "minga.participation.events.tasks.send_event_reminders",
        dt.timedelta(hours=1),
    ),
)
