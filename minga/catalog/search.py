"""What the catalog makes findable: published datasets and open data requests. Unpublished
datasets and closed requests are never indexed."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from minga.core.search.registry import SearchEntry, SearchRegistration
from minga.core.tenancy.paths import government_path

from .datasets.models import Dataset
from .requests.models import DataRequest


def _datasets(government):
    return Dataset.objects.filter(government=government).published().prefetch_related("themes", "tags")


def _dataset_entry(dataset: Dataset) -> SearchEntry:
    words = [theme.name for theme in dataset.themes.all()] + [tag.name for tag in dataset.tags.all()]
    return SearchEntry(
        title=dataset.title,
        url=government_path("catalog:dataset_detail", slug=dataset.slug),
        summary=dataset.summary,
        body="\n".join([dataset.description, dataset.publisher, " ".join(words), dataset.lotaip_obligation]),
        updated_at=dataset.updated_at,
    )


def _requests(government):
    return DataRequest.objects.filter(government=government).open()


def _request_entry(data_request: DataRequest) -> SearchEntry:
    return SearchEntry(
        title=data_request.title,
        url=government_path("catalog:request_detail", pk=data_request.pk),
        summary=data_request.description[:300],
        body=data_request.description,
        updated_at=data_request.updated_at,
    )


REGISTRATIONS = (
    SearchRegistration(
        kind="catalog.dataset", module="catalog", label=_("Datasets"), queryset=_datasets, entry=_dataset_entry
    ),
    SearchRegistration(
        kind="catalog.request", module="catalog", label=_("Data requests"), queryset=_requests, entry=_request_entry
    ),
)
