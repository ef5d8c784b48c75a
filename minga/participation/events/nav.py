"""Menu entries of events and oversight committees (read before the models load)."""

from django.utils.translation import gettext_lazy as _

from minga.core.registry import NavEntry

NAV = (
    NavEntry(_("Participatory events"), "participation:event_calendar", section=True),
    NavEntry(_("Oversight committees"), "participation:committee_list", section=True),
    NavEntry(
        _("Participatory events"),
        "participation:office_events",
        backoffice=True,
        permission="participation.view_backoffice",
    ),
    NavEntry(
        _("Oversight committees"),
        "participation:office_committees",
        backoffice=True,
        permission="participation.view_backoffice",
    ),
)
