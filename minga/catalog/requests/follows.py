"""What citizens follow in the catalog (core/notifications does the rest): a published dataset,
and a data request. Followers hear when a dataset's data or description changes and when a
request is answered."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from minga.core.notifications import services as notifications
from minga.core.registry import Followable
from minga.core.tenancy.paths import government_path

DATASET = "catalog.dataset"
REQUEST = "catalog.request"

FOLLOWABLES = (
    Followable(
        kind=DATASET,
        model="catalog.Dataset",
        label=_("Datasets"),
        description=_("When a dataset you follow gets new data, a new file or a new description."),
        title=lambda dataset: dataset.title,
        path=lambda dataset: government_path("catalog:dataset_detail", slug=dataset.slug),
        public=lambda datasets: datasets.published(),
    ),
    Followable(
        kind=REQUEST,
        model="catalog.DataRequest",
        label=_("Data requests"),
        description=_("When a data request you follow is answered."),
        title=lambda data_request: data_request.title,
        path=lambda data_request: government_path("catalog:request_detail", pk=data_request.pk),
        public=lambda requests: requests.public(),
    ),
)

# What each kind of change of a dataset says to its followers.
DATASET_CHANGES = {
    "published": _("It was published."),
    "resource_added": _("New data was added."),
    "resource_replaced": _("Its data was replaced with a new version."),
    "resource_removed": _("A file or link was removed."),
    "data_refreshed": _("New data arrived from its source."),
}


def dataset_changed(*, government, dataset, change: str, actor=None) -> None:
    """Tell the dataset's followers, after the commit, in each one's language."""
    title = dataset.title
    notifications.notify(
        government=government,
        target=dataset,
        event=change,
        title=lambda: gettext("Dataset updated: %(title)s") % {"title": title},
        summary=lambda: str(DATASET_CHANGES.get(change, _("Its description was updated."))),
        actor=actor,
    )


def request_answered(*, government, data_request, actor=None) -> None:
    title, answer, status = data_request.title, data_request.answer, data_request.get_status_display
    notifications.notify(
        government=government,
        target=data_request,
        event=data_request.status,
        title=lambda: gettext("Data request answered: %(title)s") % {"title": title},
        summary=lambda: f"{gettext('Status')}: {status()}\n\n{answer}",
        actor=actor,
    )
