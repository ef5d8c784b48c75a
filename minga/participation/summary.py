"""What the government's home page and Atom feed show of this module: how many processes are
open or coming, and the latest published changes."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from minga.core.registry import PublicUpdate
from minga.core.ui.markdown import plain_text

from .processes import selectors


def public_stats(government) -> dict:
    now = timezone.now()
    published = selectors.public_processes(government)
    return {
        _("Participatory processes in progress"): published.ongoing(now).count(),
        _("Upcoming participatory processes"): published.upcoming(now).count(),
    }


def latest_updates(government, limit: int) -> list[PublicUpdate]:
    return [
        PublicUpdate(
            title=_("Participation: %(title)s") % {"title": process.title},
            url=reverse("participation:process_detail", kwargs={"slug": process.slug}),
            updated_at=process.updated_at,
            summary=process.summary or plain_text(process.description),
            module="participation",
        )
        for process in selectors.public_processes(government).order_by("-updated_at")[:limit]
    ]
