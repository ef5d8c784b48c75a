"""What the government's home page and Atom feed show of this module."""

from __future__ import annotations

from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from minga.core.registry import PublicUpdate
from minga.core.templatetags.minga import usd

from . import selectors


def public_stats(government) -> dict:
    found = selectors.processes(government)
    total = found.aggregate(total=Sum("contract_amount"))["total"]
    if not found.exists():
        return {}
    return {
        _("Contracting processes"): found.count(),
        _("Contracted"): usd(total or 0),
        _("Processes with red flags"): found.filter(flag_count__gt=0).count(),
    }


def latest_updates(government, limit: int) -> list[PublicUpdate]:
    recent = selectors.processes(government).select_related("buyer").order_by("-updated_at", "-pk")[:limit]
    return [
        PublicUpdate(
            title=_("Contracting: %(title)s") % {"title": process.title or process.ocid},
            url=reverse("procurement:process_detail", kwargs={"ocid": process.ocid}),
            updated_at=process.updated_at,
            summary=" · ".join(
                part for part in (process.get_stage_display(), process.buyer.name if process.buyer_id else "") if part
            ),
            module="procurement",
        )
        for process in recent
    ]
