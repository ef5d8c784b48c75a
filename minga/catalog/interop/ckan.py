"""A read subset of CKAN's Action API (``/api/3/action/<action>``) in CKAN's response shapes.

Every answer is ``{"help": ..., "success": true, "result": ...}``; errors are
``{"success": false, "error": {"__type": ..., "message": ...}}`` with CKAN's HTTP statuses
(Not Found Error 404, Validation Error 409, a bad request 400). Actions accept GET parameters
or a POST body (JSON or form-encoded); nothing writes, so POSTs need no CSRF token.

Mapping: a dataset is a package (``id`` = primary key as text, ``name`` = slug), the
government is the organization (``name`` = its slug), themes are groups, a resource's ``id``
is its primary key as text, and ``datastore_search`` reads the resource's table in the
datastore. Only published datasets are ever listed or shown: of the request's government on
its portal, of every government on the platform's address, where names carry the government's
slug (see ``ckan_site``).
"""

from __future__ import annotations

from django.db.models import Count, F, Q
from django.views.decorators.csrf import csrf_exempt

from minga.core.access import public
from minga.core.search.text import is_searchable

from ..datasets.models import Dataset, Resource, Tag, Theme
from ..datasets.selectors import RankedDatasets, text_scores
from .ckan_actions import action, answer, bool_param, int_param, json_param, required
from .ckan_datastore import datastore_search, find_resource
from .ckan_errors import Invalid, NotFound
from .ckan_search import facet_lists, is_field_query, parse_fq, parse_sort
from .ckan_site import Site
from .common import catalog_links, datastore_table, media_type, utc_naive

__all__ = ["ACTIONS", "unknown_action"]

# The CKAN release whose Action API shapes these answers follow (reported by status_show).
CKAN_API_VERSION = "2.10.0"
ROWS_DEFAULT = 10
ROWS_MAX = 1000
FACET_LIMIT_DEFAULT = 50
LIST_LIMIT_MAX = 1000


# Dictionaries ----------------------------------------------------------------------------


def _organization(government) -> dict:
    return {
        "id": government.slug,
        "name": government.slug,
        "title": government.name,
        "display_name": government.name,
        "description": government.description,
        "type": "organization",
        "is_organization": True,
        "state": "active",
        "approval_status": "approved",
        "image_url": "",
        "created": utc_naive(getattr(government, "created_at", None)),
        "extras": [
            {"key": "dpa_code", "value": government.dpa_code},
            {"key": "level", "value": str(government.level)},
        ],
    }


def _group(site: Site, theme: Theme, count: int | None = None) -> dict:
    name = site.name(theme.government, theme.slug)
    data = {
        "id": name,
        "name": name,
        "title": theme.name,
        "display_name": theme.name,
        "description": theme.description,
        "type": "group",
        "is_organization": False,
        "state": "active",
        "image_display_url": "",
        "extras": [{"key": "dcat_theme", "value": theme.dcat_uri}],
    }
    if count is not None:
        data["package_count"] = count
    return data


def _tag(tag: Tag) -> dict:
    return {"id": tag.slug, "name": tag.name, "display_name": tag.name, "state": "active", "vocabulary_id": None}


def _resource(request, resource: Resource, *, position: int, datastore: bool | None = None) -> dict:
    site = request.ckan_site
    government = resource.dataset.government if site.platform else site.government
    if resource.kind == Resource.Kind.URL:
        url = resource.url
    else:
        url = site.url(request, government, "catalog:resource_download", pk=resource.pk)
    data = {
        "id": str(resource.pk),
        "package_id": str(resource.dataset_id),
        "name": resource.title,
        "description": resource.description,
        "format": resource.format if resource.format != "OTHER" else "",
        "mimetype": media_type(resource),
        "url": url,
        "url_type": "upload" if resource.is_upload else None,
        "size": resource.size,
        "hash": f"sha256:{resource.sha256}" if resource.sha256 else "",
        "created": utc_naive(resource.created_at),
        "last_modified": utc_naive(resource.updated_at),
        "metadata_modified": utc_naive(resource.updated_at),
        "position": position,
        "state": "active",
    }
    if datastore is not None:
        data["datastore_active"] = datastore
    return data


def _package(request, dataset: Dataset, *, with_datastore: bool = False) -> dict:
    site = request.ckan_site
    government = dataset.government
    resources = list(dataset.resources.all())
    for resource in resources:
        resource.dataset = dataset  # already read: no query per resource for its government
    tags = list(dataset.tags.all())
    themes = list(dataset.themes.all())
    for theme in themes:
        theme.government = government
    extras = [{"key": "frequency", "value": dataset.frequency_uri}]
    if dataset.temporal_start:
        extras.append({"key": "temporal_start", "value": dataset.temporal_start.isoformat()})
    if dataset.temporal_end:
        extras.append({"key": "temporal_end", "value": dataset.temporal_end.isoformat()})
    if dataset.spatial_coverage:
        extras.append({"key": "spatial_dpa_codes", "value": ",".join(dataset.spatial_coverage)})
    if dataset.lotaip_obligation:
        extras.append({"key": "lotaip_obligation", "value": dataset.lotaip_obligation})
    notes = dataset.summary + ("\n\n" + dataset.description if dataset.description else "")
    licence = dataset.licence
    return {
        "id": str(dataset.pk),
        "name": site.name(government, dataset.slug),
        "title": dataset.title,
        "notes": notes,
        "url": site.url(request, government, "catalog:dataset_detail", slug=dataset.slug),
        "type": "dataset",
        "state": "active",
        "private": False,
        "isopen": licence.is_open,
        "license_id": licence.code,
        "license_title": licence.name,
        "license_url": licence.url,
        "author": dataset.publisher,
        "author_email": dataset.publisher_email,
        "maintainer": dataset.contact_name,
        "maintainer_email": dataset.contact_email,
        "version": str(dataset.version),
        "metadata_created": utc_naive(dataset.created_at),
        "metadata_modified": utc_naive(dataset.updated_at),
        "owner_org": government.slug,
        "organization": _organization(government),
        "groups": [_group(site, theme) for theme in themes],
        "tags": [_tag(tag) for tag in tags],
        "num_tags": len(tags),
        "resources": [
            _resource(
                request,
                resource,
                position=i,
                datastore=(datastore_table(resource) is not None) if with_datastore else None,
            )
            for i, resource in enumerate(resources)
        ],
        "num_resources": len(resources),
        "extras": extras,
        "relationships_as_object": [],
        "relationships_as_subject": [],
    }


def _find_dataset(request, params: dict) -> Dataset:
    key = str(params.get("id") or params.get("name") or "")
    if not key:
        raise Invalid("id: Missing value", id=["Missing value"])
    dataset = request.ckan_site.find_dataset(key)
    if dataset is None:
        raise NotFound("Not found: Dataset not found")
    return dataset


# Catalog actions -------------------------------------------------------------------------


@action
def status_show(request, params):
    """Site information, as CKAN's status_show."""
    site = request.ckan_site
    government = site.government
    return {
        "site_title": government.name if government else request.get_host(),
        "site_description": government.description if government else "",
        "site_url": request.build_absolute_uri("/").rstrip("/"),
        "catalog_url": site.url(request, government, "catalog:dataset_list") if government else "",
        "ckan_version": CKAN_API_VERSION,
        "api_version": 3,
        "locale_default": "es",
        "error_emails_to": None,
        "extensions": ["datastore", "dcat"],
    }


@action
def help_show(request, params):
    """Each action's description."""
    name = str(params.get("name") or "")
    if name not in ACTIONS:
        raise NotFound(f"Not found: Action function not found: {name[:60]}")
    return (ACTIONS[name].__doc__ or "").strip()


@action
def package_list(request, params):
    """Names of the published datasets (on the platform, prefixed with the government's slug)."""
    site = request.ckan_site
    limit = int_param(params, "limit", 0, maximum=LIST_LIMIT_MAX * 100)
    offset = int_param(params, "offset", 0)
    rows = site.datasets().order_by("government__slug", "slug").values_list("government__slug", "slug")
    rows = rows[offset : offset + limit] if limit else rows[offset:]
    governments = {government.slug: government for government in site.governments}
    return [site.name(governments[government], slug) for government, slug in rows]


@action
def package_show(request, params):
    """One published dataset by id or name."""
    return _package(request, _find_dataset(request, params), with_datastore=True)


@action
def resource_show(request, params):
    """One resource of a published dataset by id."""
    resource = find_resource(request, required(params, "id"))
    position = list(resource.dataset.resources.order_by("order", "pk").values_list("pk", flat=True)).index(resource.pk)
    return _resource(request, resource, position=position, datastore=datastore_table(resource) is not None)


def _counts(site: Site) -> dict[int, int]:
    rows = site.datasets().order_by().values("government_id").annotate(n=Count("pk")).values_list("government_id", "n")
    return dict(rows)


@action
def organization_list(request, params):
    """The governments: the portal's own, or on the platform every one with a catalog."""
    site = request.ckan_site
    if bool_param(params, "all_fields", False):
        counts = _counts(site)
        return [
            {**_organization(government), "package_count": counts.get(government.pk, 0)}
            for government in site.governments
        ]
    return [government.slug for government in site.governments]


@action
def organization_show(request, params):
    """A government as an organization; with include_datasets, its published datasets (up to 1000)."""
    site = request.ckan_site
    government = site.government_named(required(params, "id"))
    if government is None:
        raise NotFound("Not found: Organization was not found.")
    organization = _organization(government)
    datasets = site.detailed(site.datasets().filter(government=government)).order_by("-updated_at", "pk")
    organization["package_count"] = datasets.count()
    if bool_param(params, "include_datasets", False):
        organization["packages"] = [_package(request, dataset) for dataset in datasets[:ROWS_MAX]]
    return organization


@action
def group_list(request, params):
    """Themes of the catalog (names, or dictionaries with all_fields)."""
    site = request.ckan_site
    themes = (
        Theme.objects.filter(government__in=list(site.governments))
        .select_related("government")
        .annotate(package_count=Count("datasets", filter=Q(datasets__is_published=True), distinct=True))
        .order_by("government__slug", "order", "name")
    )
    if bool_param(params, "all_fields", False):
        return [_group(site, theme, theme.package_count) for theme in themes]
    return [site.name(theme.government, theme.slug) for theme in themes]


@action
def tag_list(request, params):
    """Tags used by published datasets (optionally those containing `query`)."""
    site = request.ckan_site
    tags = Tag.objects.filter(pk__in=site.datasets().filter(tags__isnull=False).values("tags"))
    query = str(params.get("query") or "").strip()
    if query:
        tags = tags.filter(Q(name__icontains=query) | Q(slug__icontains=query))
    if bool_param(params, "all_fields", False):
        return [_tag(tag) for tag in tags.order_by("name")]
    return list(dict.fromkeys(tags.order_by("name").values_list("name", flat=True)))


# package_search --------------------------------------------------------------------------


def _facet_fields(params: dict) -> list[str]:
    """``facet.field``: a JSON list (CKAN's documented form), or a name per repeated key (what
    ckanapi and browsers send for a list in a query string)."""
    raw = params.get("facet.field")
    if isinstance(raw, str) and not raw.lstrip().startswith("["):
        raw = [raw]
    elif isinstance(raw, list) and len(raw) == 1 and str(raw[0]).lstrip().startswith("["):
        raw = raw[0]
    fields = json_param({"facet.field": raw}, "facet.field", [])
    if not isinstance(fields, list) or not all(isinstance(item, str) for item in fields):
        raise Invalid("facet.field: Use a JSON list of field names", **{"facet.field": ["Use a JSON list"]})
    return fields


def _ordered_by_score(matching, order: list[tuple[str, bool]], scores: dict[int, float]) -> list[int]:
    """The primary keys of a text query's datasets (at most the search's hit limit) in the
    asked order: their sort keys read in one narrow query and sorted here, as the catalog's
    search does (no SQL CASE over thousands of scores)."""
    fields = [name for name, _descending in order if name not in ("score", "pk")]
    keys = {row[0]: dict(zip(fields, row[1:], strict=True)) for row in matching.values_list("pk", *fields)}
    ordered = sorted(keys)
    for name, descending in reversed(order):  # stable sorts, last key first
        if name == "pk":
            ordered.sort(reverse=descending)
        elif name == "score":
            ordered.sort(key=lambda pk: scores.get(pk, 0.0), reverse=descending)
        else:
            ordered.sort(key=lambda pk, name=name: keys[pk][name], reverse=descending)
    return ordered


@action
def package_search(request, params):
    """Published datasets matching q and fq, sorted, paged with rows and start, with facets."""
    site = request.ckan_site
    rows = int_param(params, "rows", ROWS_DEFAULT, maximum=ROWS_MAX)
    start = int_param(params, "start", 0)
    facet_fields = _facet_fields(params)
    facet_limit = int_param(params, "facet.limit", FACET_LIMIT_DEFAULT, minimum=-1)
    datasets = site.datasets()
    q = str(params.get("q") or "").strip()[:200]
    scores: dict[int, float] | None = None
    fq = params.get("fq")
    fqs = [str(text) for text in (fq if isinstance(fq, list) else [fq or ""]) if str(text).strip()]
    narrowed = bool(fqs) or (bool(q) and q not in ("*", "*:*"))
    if q and q != "*" and is_field_query(q):
        datasets = datasets.filter(parse_fq(q, site))
    elif q and q != "*":
        # The catalog search's own index lookup (accent- and plural-insensitive words).
        scores = text_scores(list(site.governments), q) if is_searchable(q) else {}
        datasets = datasets.filter(pk__in=list(scores))
    for text in fqs:  # repeated fq: all of them
        datasets = datasets.filter(parse_fq(text, site))
    # Terms may join tags, themes or resources: each dataset once (no subquery when nothing is asked).
    matching = site.datasets().filter(pk__in=datasets.order_by().values("pk").distinct()) if narrowed else datasets
    facets, search_facets = facet_lists(matching, facet_fields, facet_limit, site)
    default_sort = "score desc, metadata_modified desc"
    sort = str(params.get("sort") or default_sort)
    order = parse_sort(sort, platform=site.platform)
    if scores is not None:
        ordered = _ordered_by_score(matching, order, scores)
        count = len(ordered)
        page = RankedDatasets(site.detailed(site.datasets()), ordered)[start : start + rows] if rows else []
    else:
        order = [(F(name).desc() if descending else F(name).asc()) for name, descending in order if name != "score"]
        count = matching.count()
        page = site.detailed(matching).order_by(*order)[start : start + rows] if rows else []
    return {
        "count": count,
        "sort": sort,
        "facets": facets,
        "search_facets": search_facets,
        "results": [_package(request, dataset) for dataset in page],
    }


ACTIONS = {
    view.__name__: view
    for view in (
        status_show,
        help_show,
        package_list,
        package_show,
        package_search,
        resource_show,
        organization_list,
        organization_show,
        group_list,
        tag_list,
        datastore_search,
    )
}


@public
@csrf_exempt
@catalog_links
def unknown_action(request, name):
    """CKAN's answer for an action it does not know."""
    body = {"__type": "Bad Request", "message": f"Bad request - Action name not known: {name[:60]}"}
    return answer(request, name[:60], {"success": False, "error": body}, status=400)
