"""A read subset of CKAN's Action API (``/api/3/action/<action>``) in CKAN's response shapes.

Every answer is ``{"help": ..., "success": true, "result": ...}``; errors are
``{"success": false, "error": {"__type": ..., "message": ...}}`` with CKAN's HTTP statuses
(Not Found Error 404, Validation Error 409, a bad request 400). Actions accept GET parameters
or a POST body (JSON or form-encoded); nothing writes, so POSTs need no CSRF token.

Mapping: a dataset is a package (``name`` = slug, ``id`` = primary key as text), the
government is the only organization (``name`` = its slug), themes are groups, a resource's
``id`` is its primary key as text, and ``datastore_search`` reads the resource's table in the
datastore. Only published datasets of the request's government are ever listed or shown.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Case, Count, FloatField, Q, Value, When
from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from minga.core.access import public
from minga.core.api.messages import throttled_message
from minga.core.api.throttling import rate_limited
from minga.core.search.selectors import matching_object_scores
from minga.core.search.text import is_searchable
from minga.datastore import MAX_LIMIT, DatastoreError, Filter, QuerySpec, Sort, TableNotFound, run_query

from ..datasets.models import Dataset, Resource, Tag, Theme
from ..datasets.selectors import MAX_SEARCH_HITS
from ..usage.models import UsageDaily
from ..usage.services import count_request
from .ckan_errors import ActionError, Invalid, NotFound
from .ckan_search import parse_fq, parse_sort, search_facets_for
from .common import (
    CKAN_TYPES,
    access_url,
    catalog_links,
    catalog_url,
    dataset_url,
    datastore_table,
    media_type,
    published_datasets,
    published_resources,
    utc_naive,
)

# The CKAN release whose Action API shapes these answers follow (reported by status_show).
CKAN_API_VERSION = "2.10.0"
ROWS_DEFAULT = 10
ROWS_MAX = 1000
FACET_LIMIT_DEFAULT = 50
DATASTORE_LIMIT_DEFAULT = 100
DATASTORE_OFFSET_MAX = 100_000
LIST_LIMIT_MAX = 1000
# The largest number any integer parameter may carry: Solr's (and so CKAN's) `start` and `rows`
# are 32-bit, and a larger offset would overflow the database's 64-bit LIMIT/OFFSET (a 500
# on PostgreSQL and SQLite alike) instead of answering a Validation Error.
INT_PARAM_MAX = 2**31 - 1


def _help(request, action: str) -> str:
    return request.build_absolute_uri(reverse("catalog-ckan:help_show")) + "?" + urlencode({"name": action})


def _answer(request, action: str, payload: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(
        {"help": _help(request, action), **payload}, status=status, json_dumps_params={"ensure_ascii": False}
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _params(request) -> dict:
    """The action's parameters: GET query, or a POST body in JSON (CKAN clients) or form encoding."""
    if request.method == "POST":
        if request.content_type == "application/json" or (request.body[:1] in (b"{", b"[")):
            try:
                data = json.loads(request.body or b"{}")
            except (ValueError, UnicodeDecodeError) as exc:
                raise ActionError("Bad request - JSON Error: the request body is not valid JSON.") from exc
            if not isinstance(data, dict):
                raise ActionError("Bad request - JSON Error: the request body must be a JSON object.")
            return data
        return {key: request.POST.get(key) for key in request.POST}
    return {key: request.GET.get(key) for key in request.GET}


def _throttled(wait: int) -> dict:
    return {"success": False, "error": {"__type": "Throttled", "message": throttled_message(wait)}}


def action(function: Callable) -> Callable:
    """Turn ``function(request, params) -> result`` into a public, read-only CKAN action view."""
    name = function.__name__

    @public
    @csrf_exempt
    @catalog_links
    @require_http_methods(["GET", "POST", "OPTIONS"])
    @rate_limited(refused=lambda request, wait: _answer(request, name, _throttled(wait), status=429))
    def view(request):
        if request.method == "OPTIONS":
            response = JsonResponse({})
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Allow-Methods"] = "GET, POST"
            response["Access-Control-Allow-Headers"] = "Content-Type"
            return response
        try:
            result = function(request, _params(request))
        except ActionError as error:
            body = {"__type": error.kind, "message": error.message, **error.fields}
            return _answer(request, name, {"success": False, "error": body}, status=error.status)
        return _answer(request, name, {"success": True, "result": result})

    view.__name__ = name
    view.__doc__ = function.__doc__
    return view


# Parameters ------------------------------------------------------------------------------


def _int(params: dict, key: str, default: int, *, minimum: int = 0, maximum: int | None = None) -> int:
    raw = params.get(key)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError, OverflowError):  # OverflowError: Infinity in a JSON body
        raise Invalid(f"{key}: Invalid integer", **{key: ["Invalid integer"]}) from None
    if value < minimum:
        raise Invalid(f"{key}: Must be a natural number", **{key: ["Must be a natural number"]})
    if value > INT_PARAM_MAX:
        raise Invalid(f"{key}: Must be at most {INT_PARAM_MAX}", **{key: [f"Must be at most {INT_PARAM_MAX}"]})
    return min(value, maximum) if maximum is not None else value


def _bool(params: dict, key: str, default: bool) -> bool:
    raw = params.get(key)
    if raw is None or raw == "":
        return default
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off"):
        return False
    raise Invalid(f"{key}: Value must be one of: true, false", **{key: ["Value must be one of: true, false"]})


def _json_param(params: dict, key: str, default):
    raw = params.get(key)
    if raw in (None, ""):
        return default
    if isinstance(raw, str):
        try:
            return json.loads(raw)
        except ValueError:
            raise Invalid(f"{key}: Cannot parse JSON", **{key: ["Cannot parse JSON"]}) from None
    return raw


def _required(params: dict, key: str) -> str:
    raw = params.get(key)
    if raw in (None, ""):
        raise Invalid(f"{key}: Missing value", **{key: ["Missing value"]})
    return str(raw)


# Dictionaries ----------------------------------------------------------------------------


def _organization(request) -> dict:
    government = request.government
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


def _group(theme: Theme, count: int | None = None) -> dict:
    data = {
        "id": theme.slug,
        "name": theme.slug,
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
    data = {
        "id": str(resource.pk),
        "package_id": str(resource.dataset_id),
        "name": resource.title,
        "description": resource.description,
        "format": resource.format if resource.format != "OTHER" else "",
        "mimetype": media_type(resource),
        "url": access_url(request, resource),
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
    resources = list(dataset.resources.all())
    tags = list(dataset.tags.all())
    themes = list(dataset.themes.all())
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
        "name": dataset.slug,
        "title": dataset.title,
        "notes": notes,
        "url": dataset_url(request, dataset),
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
        "owner_org": request.government.slug,
        "organization": _organization(request),
        "groups": [_group(theme) for theme in themes],
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
    datasets = published_datasets(request.government)
    dataset = datasets.filter(slug=key).first()
    if dataset is None and key.isdigit():
        dataset = datasets.filter(pk=int(key)).first()
    if dataset is None:
        raise NotFound("Not found: Dataset not found")
    return dataset


def _find_resource(request, key: str) -> Resource:
    resource = published_resources(request.government).filter(pk=int(key)).first() if key.isdigit() else None
    if resource is None:
        raise NotFound(f'Not found: Resource "{key}" was not found.')
    return resource


# Catalog actions -------------------------------------------------------------------------


@action
def status_show(request, params):
    """Site information, as CKAN's status_show."""
    government = request.government
    return {
        "site_title": government.name,
        "site_description": government.description,
        "site_url": request.build_absolute_uri("/").rstrip("/"),
        "catalog_url": catalog_url(request),
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
    """Names (slugs) of the published datasets."""
    limit = _int(params, "limit", 0, maximum=LIST_LIMIT_MAX * 100)
    offset = _int(params, "offset", 0)
    names = published_datasets(request.government).order_by("slug").values_list("slug", flat=True)
    names = names[offset : offset + limit] if limit else names[offset:]
    return list(names)


@action
def package_show(request, params):
    """One published dataset by id or name."""
    return _package(request, _find_dataset(request, params), with_datastore=True)


@action
def resource_show(request, params):
    """One resource of a published dataset by id."""
    resource = _find_resource(request, _required(params, "id"))
    position = list(resource.dataset.resources.order_by("order", "pk").values_list("pk", flat=True)).index(resource.pk)
    return _resource(request, resource, position=position, datastore=datastore_table(resource) is not None)


@action
def organization_list(request, params):
    """The government, the one organization of this portal."""
    if _bool(params, "all_fields", False):
        organization = _organization(request)
        organization["package_count"] = published_datasets(request.government).count()
        return [organization]
    return [request.government.slug]


@action
def organization_show(request, params):
    """The government as an organization; with include_datasets, its published datasets (up to 1000)."""
    key = _required(params, "id")
    if key != request.government.slug:
        raise NotFound("Not found: Organization was not found.")
    organization = _organization(request)
    datasets = published_datasets(request.government).order_by("-updated_at", "pk")
    organization["package_count"] = datasets.count()
    if _bool(params, "include_datasets", False):
        organization["packages"] = [_package(request, dataset) for dataset in datasets[:ROWS_MAX]]
    return organization


@action
def group_list(request, params):
    """Themes of the catalog (names, or dictionaries with all_fields)."""
    themes = Theme.objects.filter(government=request.government).annotate(
        package_count=Count("datasets", filter=Q(datasets__is_published=True), distinct=True)
    )
    if _bool(params, "all_fields", False):
        return [_group(theme, theme.package_count) for theme in themes]
    return [theme.slug for theme in themes]


@action
def tag_list(request, params):
    """Tags used by published datasets (optionally those containing `query`)."""
    tags = Tag.objects.filter(
        government=request.government, datasets__is_published=True, datasets__government=request.government
    ).distinct()
    query = str(params.get("query") or "").strip()
    if query:
        tags = tags.filter(Q(name__icontains=query) | Q(slug__icontains=query))
    if _bool(params, "all_fields", False):
        return [_tag(tag) for tag in tags.order_by("name")]
    return list(tags.order_by("name").values_list("name", flat=True))


# package_search --------------------------------------------------------------------------


@action
def package_search(request, params):
    """Published datasets matching q and fq, sorted, paged with rows and start, with facets."""
    government = request.government
    rows = _int(params, "rows", ROWS_DEFAULT, maximum=ROWS_MAX)
    start = _int(params, "start", 0)
    facet_fields = _json_param(params, "facet.field", [])
    if not isinstance(facet_fields, list) or not all(isinstance(item, str) for item in facet_fields):
        raise Invalid("facet.field: Use a JSON list of field names", **{"facet.field": ["Use a JSON list"]})
    facet_limit = _int(params, "facet.limit", FACET_LIMIT_DEFAULT, minimum=-1)
    datasets = published_datasets(government)
    q = str(params.get("q") or "").strip()[:200]
    scores: dict[int, float] = {}
    if q and q not in ("*:*", "*"):
        if is_searchable(q):
            found = matching_object_scores(
                government=government, query=q, kind="catalog.dataset", limit=MAX_SEARCH_HITS
            )
            scores = {int(pk): score for pk, score in found.items()}
        datasets = datasets.filter(pk__in=list(scores))
    fq = str(params.get("fq") or "")
    if fq.strip():
        condition, possible = parse_fq(fq, government)
        datasets = datasets.filter(condition) if possible else datasets.none()
    ids = datasets.order_by().values("pk").distinct()
    matching = published_datasets(government).filter(pk__in=ids)
    facets, search_facets = search_facets_for(matching, facet_fields, facet_limit, government)
    default_sort = "score desc, metadata_modified desc"
    order = parse_sort(str(params.get("sort") or default_sort), bool(scores))
    if scores:
        matching = matching.annotate(
            score=Case(
                *[When(pk=pk, then=Value(score)) for pk, score in scores.items()],
                default=Value(0.0),
                output_field=FloatField(),
            )
        )
    count = matching.count()
    page = matching.order_by(*order)[start : start + rows] if rows else []
    return {
        "count": count,
        "sort": str(params.get("sort") or default_sort),
        "facets": facets,
        "search_facets": search_facets,
        "results": [_package(request, dataset) for dataset in page],
    }


# datastore_search ------------------------------------------------------------------------


def _value(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and abs(value) < 2**53 else float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _datastore_filters(params: dict) -> list[Filter]:
    filters = _json_param(params, "filters", {})
    if not isinstance(filters, dict):
        raise Invalid("filters: Use a JSON object {column: value}", filters=["Use a JSON object"])
    found = []
    for column, value in filters.items():
        if isinstance(value, list):
            found.append(Filter(column, "in", [str(item) for item in value]))
        elif value is None:
            found.append(Filter(column, "isnull", True))
        else:
            found.append(Filter(column, "eq", str(value).lower() if isinstance(value, bool) else str(value)))
    q = _json_param(params, "q", "") if str(params.get("q") or "").startswith("{") else params.get("q")
    if isinstance(q, dict):
        found += [Filter(column, "contains", str(text)) for column, text in q.items()]
    return found


def _datastore_text(params: dict) -> str:
    """A plain ``q``: rows where any text column contains it (an object ``q`` is per column)."""
    q = params.get("q")
    if q in (None, "") or str(q).startswith("{"):
        return ""
    return str(q)[:200]


def _datastore_sort(params: dict) -> list[Sort]:
    raw = params.get("sort")
    if raw in (None, ""):
        return []
    parts = raw if isinstance(raw, list) else str(raw).split(",")
    found = []
    for part in parts:
        words = str(part).split()
        if not words:
            continue
        if len(words) > 2 or (len(words) == 2 and words[1].lower() not in ("asc", "desc")):
            raise Invalid(f"sort: Cannot parse {str(part)[:60]}", sort=['Use "column asc, other desc"'])
        found.append(Sort(words[0].strip('"'), descending=len(words) == 2 and words[1].lower() == "desc"))
    return found


def _datastore_fields(params: dict) -> tuple[str, ...]:
    raw = params.get("fields")
    if raw in (None, ""):
        return ()
    parts = raw if isinstance(raw, list) else str(raw).split(",")
    return tuple(name for name in (str(part).strip() for part in parts) if name and name != "_id")


def _link(request, params: dict, **changes) -> str:
    values = {
        key: value if isinstance(value, str) else json.dumps(value)
        for key, value in {**params, **changes}.items()
        if value not in (None, "")
    }
    return reverse("catalog-ckan:datastore_search") + "?" + urlencode(values)


@action
def datastore_search(request, params):
    """Rows of a resource's datastore table: filters, q, limit, offset, sort, fields, include_total."""
    key = _required(params, "resource_id")
    resource = _find_resource(request, key)
    info = datastore_table(resource)
    if info is None:
        raise NotFound(f'Not found: Resource "{key}" was not found.')
    count_request(request, UsageDaily.Kind.API, resource.dataset_id, resource.pk)
    limit = _int(params, "limit", DATASTORE_LIMIT_DEFAULT, maximum=MAX_LIMIT)
    offset = _int(params, "offset", 0)
    if offset > DATASTORE_OFFSET_MAX:
        raise Invalid(
            f"offset: Must be at most {DATASTORE_OFFSET_MAX}; narrow the query with filters",
            offset=[f"Must be at most {DATASTORE_OFFSET_MAX}"],
        )
    include_total = _bool(params, "include_total", True)
    records_format = str(params.get("records_format") or "objects")
    if records_format not in ("objects", "lists"):
        raise Invalid("records_format: Use objects or lists", records_format=["Use objects or lists"])
    filters = _datastore_filters(params)
    text = _datastore_text(params)
    sort = _datastore_sort(params)
    columns = _datastore_fields(params)
    table_id = resource.datastore_table_id
    try:
        cursor = None
        skipped = 0
        while skipped < offset:  # keyset pages up to the offset, reading one column only
            step = min(MAX_LIMIT, offset - skipped)
            spec = QuerySpec(
                columns=(info.columns[0].name,), filters=filters, sort=sort, limit=step, cursor=cursor,
                include_total=False, text=text,
            )  # fmt: skip
            skipping = run_query(table_id=table_id, spec=spec)
            skipped += len(skipping.rows)
            cursor = skipping.next_cursor
            if cursor is None:
                break
        exhausted = skipped < offset or (offset and cursor is None)
        spec = QuerySpec(
            columns=columns,
            filters=filters,
            sort=sort,
            limit=limit,
            cursor=cursor,
            include_total=include_total,
            text=text,
        )
        result = run_query(table_id=table_id, spec=spec)
    except TableNotFound:
        raise NotFound(f'Not found: Resource "{key}" was not found.') from None
    except DatastoreError as error:
        code = getattr(error, "code", "invalid_query")
        raise Invalid(f"{code}: {error.user_message}", **{code: [error.user_message]}) from None
    names = result.columns
    types = {column.name: column for column in info.columns}
    fields = [{"id": "_id", "type": "int"}] + [
        {
            "id": name,
            "type": CKAN_TYPES.get(str(types[name].type), "text"),
            "info": {"label": types[name].label, "notes": ""},
        }
        for name in names
        if name != "_id"
    ]
    rows = [] if exhausted else result.rows
    if records_format == "lists":
        records = [[_value(value) for value in row] for row in rows]
    else:
        records = [{name: _value(value) for name, value in zip(names, row, strict=True)} for row in rows]
    data = {
        "resource_id": key,
        "fields": fields,
        "records": records,
        "records_format": records_format,
        "limit": limit,
        "offset": offset,
        "include_total": include_total,
        "_links": {
            "start": _link(request, params, offset=""),
            "next": _link(request, params, offset=str(offset + limit)),
        },
    }
    for name in ("filters", "q", "sort", "fields"):
        if params.get(name) not in (None, ""):
            data[name] = _json_param(params, name, None) if name == "filters" else params.get(name)
    if include_total:
        data["total"] = result.total
        data["total_was_estimated"] = False
    return data


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
    return _answer(request, name[:60], {"success": False, "error": body}, status=400)
