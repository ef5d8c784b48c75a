"""Public pages: the catalog with its facets, dataset pages, downloads, the Atom feed of new
and updated datasets, and data requests. Pages that are the same for every anonymous visitor
are cacheable (@public_page); the follow and support buttons depend on the person, so they
live on separate, uncached pages (loaded in place with htmx where JavaScript runs)."""

from __future__ import annotations

import json

from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from minga.core import registry, storage
from minga.core.access import public
from minga.core.tenancy.paths import government_link, government_path
from minga.core.ui.page_cache import public_page

from ...quality import freshness
from ...tables import versions
from ...usage import selectors as usage_selectors
from ...usage import services as usage
from ...view_helpers import catalog_settings
from .. import files, publishers, selectors
from ..models import Resource

PAGE_SIZE = 20
FEED_SIZE = 50


# Catalog ---------------------------------------------------------------------------------


@usage.counted
@public_page
def dataset_list(request):
    government = request.government
    query = selectors.catalog_query(request.GET)
    include_children = bool(catalog_settings(government).get("include_child_governments", True))
    result = selectors.search_catalog(government, query, include_children=include_children)
    paginator = Paginator(result.datasets, PAGE_SIZE)
    paginator.count = result.total  # counted once by the search (a cached_property)
    page = paginator.get_page(request.GET.get("pagina"))
    for dataset in page:
        path = government_path("catalog:dataset_detail", slug=dataset.slug)
        dataset.link = government_link(dataset.government, path, in_request_of=request)
        dataset.formats = sorted({resource.format for resource in dataset.resources.all()})
    freshness.attach(page.object_list, government=government)  # last update and lateness, in bulk
    context = {
        "result": result,
        "page": page,
        "query": query.query_string(),
        "sort": query.effective_sort,
        "sorts": [
            (value, label, query.query_string(orden=value))
            for value, label in (
                ("relevancia", _("Relevance")),
                ("recientes", _("Recently updated")),
                ("titulo", _("Title")),
                ("mas-usados", _("Most used")),
            )
            if value != "relevancia" or query.q
        ],
        "today": timezone.localdate(),
    }
    response = render(request, "catalog/dataset_list.html", context)
    if usage_selectors.search_without_results(query, result.total):
        usage.note(response, usage.SEARCH, query=query.q)
    return response


def _schema_org(request, dataset) -> str:
    """schema.org Dataset markup (Google Dataset Search) as JSON; the template escapes it
    with json_script so it cannot close the script element."""
    url = request.build_absolute_uri(reverse("catalog:dataset_detail", kwargs={"slug": dataset.slug}))
    data = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "name": dataset.title,
        "description": dataset.summary + ("\n\n" + dataset.description if dataset.description else ""),
        "url": url,
        "identifier": url,
        "keywords": [tag.name for tag in dataset.tags.all()] + [theme.name for theme in dataset.themes.all()],
        "license": dataset.licence.url or dataset.licence.name,
        "isAccessibleForFree": True,
        "dateModified": dataset.updated_at.isoformat(),
        "datePublished": dataset.created_at.isoformat(),
        "publisher": {"@type": "Organization", "name": f"{dataset.publisher} · {request.government.name}"},
        "creator": {"@type": "Organization", "name": request.government.name},
        "distribution": [
            {
                "@type": "DataDownload",
                "name": resource.title,
                "encodingFormat": files.content_type(resource.format),
                "contentUrl": request.build_absolute_uri(
                    reverse("catalog:resource_download", kwargs={"pk": resource.pk})
                ),
            }
            for resource in dataset.resources.all()
        ],
    }
    if dataset.temporal_start or dataset.temporal_end:
        start = dataset.temporal_start.isoformat() if dataset.temporal_start else ".."
        end = dataset.temporal_end.isoformat() if dataset.temporal_end else ".."
        data["temporalCoverage"] = f"{start}/{end}"
    if dataset.spatial_coverage:
        data["spatialCoverage"] = [
            {"@type": "Place", "name": code, "identifier": f"DPA:{code}"} for code in dataset.spatial_coverage
        ]
    if dataset.contact_email:
        data["creator"]["contactPoint"] = {
            "@type": "ContactPoint",
            "name": dataset.contact_name or dataset.publisher,
            "email": dataset.contact_email,
        }
    return data


_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _ld_json(data: dict) -> str:
    """JSON for a <script type="application/ld+json"> block: <, > and & escaped so text from
    officials can never close the element (the same escaping as Django's json_script)."""
    return mark_safe(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES))  # noqa: S308


@usage.counted
@public_page
def dataset_detail(request, slug):
    government = request.government
    dataset = get_object_or_404(selectors.public_dataset_detail(government), slug=slug)
    today = timezone.localdate()
    context = {
        "dataset": dataset,
        "resources": list(dataset.resources.all()),
        "versions": selectors.version_history(dataset),
        "overdue": freshness.is_overdue(dataset, today=today),
        "schema_org_json": _ld_json(_schema_org(request, dataset)),
        "requests": dataset.fulfilled_requests.all(),
        "kept_by": registry.manifest(dataset.source_module) if dataset.source_module else None,
        "publisher": publishers.Directory().of(dataset, government),
    }
    return usage.note(render(request, "catalog/dataset_detail.html", context), usage.Kind.VIEW, dataset.pk)


@public
def resource_download(request, pk):
    resource = get_object_or_404(selectors.public_resources(request.government).select_related("dataset"), pk=pk)
    usage.count_request(request, usage.Kind.DOWNLOAD, resource.dataset_id, resource.pk)
    if resource.kind == Resource.Kind.URL:
        return HttpResponseRedirect(resource.url)
    if resource.kind == Resource.Kind.SQL:  # a query's data is the file of its latest version
        latest = next((load for load in versions.versions(resource, limit=1) if load.source_file), None)
        if latest is None:
            raise Http404
        return redirect("catalog:resource_version_download", pk=resource.pk, load_pk=latest.pk)
    if not resource.file:
        raise Http404
    live = versions.live_snapshot_if_replaced(resource)
    if live is not None:
        # The newest file could not be loaded: offer the data that is published (the table
        # still serves that version), not the rejected file.
        return redirect("catalog:resource_version_download", pk=resource.pk, load_pk=live.pk)
    filename = resource.original_name or f"{resource.dataset.slug}-{resource.pk}"
    return storage.download_response(resource.file, filename=filename, content_type=files.content_type(resource.format))


@public_page
def dataset_feed(request):
    government = request.government
    feed = Atom1Feed(
        title=_("%(name)s: new and updated datasets") % {"name": government.name},
        link=request.build_absolute_uri(reverse("catalog:dataset_list")),
        description=_("Open data published by %(name)s.") % {"name": government.name},
        language=request.LANGUAGE_CODE,
        feed_url=request.build_absolute_uri(),
    )
    for dataset in selectors.public_datasets(government).order_by("-updated_at")[:FEED_SIZE]:
        link = request.build_absolute_uri(reverse("catalog:dataset_detail", kwargs={"slug": dataset.slug}))
        feed.add_item(
            title=dataset.title,
            link=link,
            description=dataset.summary,
            updateddate=dataset.updated_at,
            pubdate=dataset.created_at,
            unique_id=link,
            author_name=dataset.publisher,
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response
