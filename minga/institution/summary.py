"""What the government's home page and Atom feed show of this module: a few public figures
and the latest public changes."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from minga.core.registry import PublicUpdate

from . import selectors


def public_stats(government) -> dict:
    today, now = timezone.localdate(), timezone.now()
    return {
        _("Units"): selectors.public_units(government).count(),
        _("Authorities in office"): selectors.current_authorities(government, today=today).count(),
        _("Upcoming events"): selectors.upcoming_public_events(government, now=now).count(),
    }


def latest_updates(government, limit: int) -> list[PublicUpdate]:
    updates = [
        PublicUpdate(
            title=_("Unit: %(name)s") % {"name": unit.name},
            url=reverse("institution:unit_detail", kwargs={"slug": unit.slug}),
            updated_at=unit.updated_at,
            summary=unit.description,
            module="institution",
        )
        for unit in selectors.public_units(government).order_by("-updated_at")[:limit]
    ]
    updates += [
        PublicUpdate(
            title=_("Authority: %(name)s, %(position)s") % {"name": a.name, "position": a.position},
            url=reverse("institution:authority_detail", kwargs={"slug": a.slug}),
            updated_at=a.updated_at,
            summary=a.biography,
            module="institution",
        )
        for a in selectors.published_authorities(government).order_by("-updated_at")[:limit]
    ]
    updates += [
        PublicUpdate(
            title=_("Agenda: %(title)s") % {"title": event.title},
            url=reverse("institution:event_detail", kwargs={"uid": event.uid}),
            updated_at=event.updated_at,
            summary=event.location,
            module="institution",
        )
        for event in selectors.public_events(government).order_by("-updated_at")[:limit]
    ]
    return sorted(updates, key=lambda u: u.updated_at, reverse=True)[:limit]
