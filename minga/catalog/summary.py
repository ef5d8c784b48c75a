"""What the government's home page and Atom feed show of this module: a few public figures
and the recently updated datasets."""

from __future__ import annotations

from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from minga.core.registry import PublicUpdate

from .datasets import selectors
from .requests import selectors as request_selectors


def public_stats(government) -> dict:
    return {
        _("Datasets"): selectors.public_datasets(government).count(),
        _("Data files and links"): selectors.public_resources(government).count(),
        _("Open data requests"): request_selectors.public_requests(government).open().count(),
        _("Uses of the data in the last 30 days"): (
            selectors.public_datasets(government).aggregate(total=Sum("usage_recent"))["total"] or 0
        ),
    }


def latest_updates(government, limit: int) -> list[PublicUpdate]:
    return [
        PublicUpdate(
            title=_("Dataset: %(title)s") % {"title": dataset.title},
            url=reverse("catalog:dataset_detail", kwargs={"slug": dataset.slug}),
            updated_at=dataset.updated_at,
            summary=dataset.summary,
            module="catalog",
        )
        for dataset in selectors.public_datasets(government).order_by("-updated_at")[:limit]
    ]
