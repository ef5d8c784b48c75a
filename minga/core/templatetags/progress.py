"""The progress panel of long work (core/progress): ``{% progress_panel record %}`` in any
back-office page, and the time left in words."""

from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..progress import selectors
from ..progress.services import seconds_left

register = template.Library()


def time_left_text(seconds: int | None) -> str:
    """ "about 3 min left", rounded the way people say it; "" when it cannot be told."""
    if seconds is None:
        return ""
    if seconds < 60:
        return _("less than a minute left")
    minutes = round(seconds / 60)
    if minutes < 60:
        return ngettext("about %(count)d minute left", "about %(count)d minutes left", minutes) % {"count": minutes}
    hours, minutes = divmod(minutes, 60)
    return _("about %(hours)d h %(minutes)02d min left") % {"hours": hours, "minutes": minutes}


@register.inclusion_tag("core/progress/panel.html")
def progress_panel(record, heading: str = ""):
    """The panel of one record (nothing when there is none). While the work runs, htmx asks for
    it again every two seconds; the answer of a finished one no longer asks."""
    return {"progress": selectors.with_live(record), "heading": heading}


@register.simple_tag
def progress_time_left(record) -> str:
    return time_left_text(seconds_left(record, now=timezone.now())) if record is not None else ""
