"""What the CKAN, DCAT and Data Package outputs share: the published datasets of the request's
government with everything they describe, absolute addresses, and the datastore table of a
resource."""

from __future__ import annotations

import datetime as dt
from functools import wraps

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from minga.datastore import DatastoreError, get_table

from ..datasets import files, selectors
from ..datasets.models import Dataset, Resource

# Datastore column types as CKAN names them (``datastore_search`` fields).
CKAN_TYPES = {
    "integer": "int",
    "decimal": "numeric",
    "date": "date",
    "datetime": "timestamp",
    "boolean": "bool",
    "text": "text",
}


def published_datasets(government):
    """Published datasets of this government only (never drafts, never another government's),
    with what the outputs read prefetched."""
    return (
        selectors.public_datasets(government)
        .select_related("licence", "government")
        .prefetch_related(
            "themes",
            "tags",
            Prefetch("resources", queryset=Resource.objects.filter(government=government).order_by("order", "pk")),
        )
    )


def published_resources(government):
    return selectors.public_resources(government).select_related("dataset")


def dataset_url(request, dataset: Dataset) -> str:
    return request.build_absolute_uri(reverse("catalog:dataset_detail", kwargs={"slug": dataset.slug}))


def catalog_url(request) -> str:
    return request.build_absolute_uri(reverse("catalog:dataset_list"))


def download_url(request, resource: Resource) -> str:
    return request.build_absolute_uri(reverse("catalog:resource_download", kwargs={"pk": resource.pk}))


def access_url(request, resource: Resource) -> str:
    """Where the data is: our download address for files, the remote address for links."""
    return resource.url if resource.kind == Resource.Kind.URL else download_url(request, resource)


def media_type(resource: Resource) -> str:
    return files.content_type(resource.format)


def utc_naive(value: dt.datetime | None) -> str | None:
    """CKAN writes timestamps in UTC without an offset."""
    if value is None:
        return None
    return timezone.localtime(value, dt.UTC).replace(tzinfo=None).isoformat()


def datastore_table(resource: Resource):
    """The live datastore table of a resource, or None when nothing is loaded."""
    try:
        return get_table(table_id=resource.datastore_table_id)
    except DatastoreError:
        return None


def catalog_links(view):
    """These addresses are mounted as extra instances of the ``catalog`` application namespace;
    pages rendered for their requests (the 404 page, for one) must resolve ``catalog:…`` links
    against the catalog's own instance, not against these."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        request.current_app = "catalog"
        return view(request, *args, **kwargs)

    return wrapped
