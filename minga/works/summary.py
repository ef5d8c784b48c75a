"""What the government's home page and Atom feed show of this module."""

from __future__ import annotations

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from minga.core.registry import PublicUpdate
from minga.core.ui import numbers

from . import selectors


def public_stats(government) -> dict:
    figures = selectors.public_summary(government)
    if not figures["count"]:
        return {}
    return {
        _("Public works"): figures["count"],
        _("Invested in works (USD)"): numbers.format_money(figures["planned"] or 0),
    }


def latest_updates(government, limit: int) -> list[PublicUpdate]:
    return [
        PublicUpdate(
            title=_("Progress of %(title)s: %(physical)s%% built")
            % {
                "title": update.project.title,
                "physical": number_format(update.physical_progress, 0),
            },
            url=reverse("works:project_detail", kwargs={"slug": update.project.slug}),
            updated_at=update.created_at,
            summary=update.note,
            module="works",
        )
        for update in selectors.recent_updates(government, limit)
    ]
