"""What the government's home page and Atom feed show of this module: a few public figures
and the recently updated datasets."""

from __future__ import annotations

from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from minga.core.registry import PublicUpdate

from .datasets import selectors
from .requests import selectors as request_selectors
from .view_helpers import catalog_settings


def _datasets_label(government, children: list) -> str:
    """Says whose datasets the count includes, as the catalog lists them."""
    if not children:
        return _("Datasets")
    count = len(children)
    if government.level == "province":
        return ngettext(
            "Datasets (with those of its %(count)d canton)", "Datasets (with those of its %(count)d cantons)", count
        ) % {"count": count}
    return ngettext(
        "Datasets (with those of the %(count)d government within it)",
        "Datasets (with those of the %(count)d governments within it)",
        count,
    ) % {"count": count}


def public_stats(government) -> dict:
    """The figures of the catalog the home page links to: a province's catalog lists its cantons'
    datasets too (unless the government turned that off), and so do these counts."""
    include_children = bool(catalog_settings(government).get("include_child_governments", True))
    governments = selectors.catalog_governments(government, include_children=include_children)
    datasets = selectors.widened_public_datasets(governments)
    return {
        _datasets_label(government, governments[1:]): datasets.count(),
        _("Data files and links"): selectors.widened_public_resources(governments).count(),
        _("Open data requests"): request_selectors.public_requests(government).open().count(),
        _("Uses of the data in the last 30 days"): datasets.aggregate(total=Sum("usage_recent"))["total"] or 0,
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
