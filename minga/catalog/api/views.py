"""Query API of each tabular resource (/api/v1/datos/recursos/<id>/…): filtered, sorted, paged
and grouped rows as JSON; streamed downloads of the whole table or a filtered view as CSV, JSON
and XLSX; and an OpenAPI description of that resource's own query endpoint with its real
columns. Read-only and public: only resources of published datasets of this government.

Responses carry an ETag (table, version, dictionary and query) and Last-Modified (when the
table was loaded); conditional requests get 304 without touching the data."""

from __future__ import annotations

import datetime as dt
import hashlib
from urllib.parse import urlencode

from django.db.models import Count, Max
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import http_date, parse_http_date_safe, quote_etag
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.plumbing import build_array_type, build_object_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from minga import datastore
from minga.core.api.views import MingaApiMixin
from minga.core.permissions import PUBLIC
from minga.core.registry import module_settings
from minga.core.tenancy.paths import government_link, government_path
from minga.core.ui.page_cache import content_version

from ..datasets import files, publishers, selectors
from ..interop.common import datastore_table
from ..quality import freshness
from ..quality import scores as quality
from ..tables import selectors as table_selectors
from ..usage import services as usage
from .query import parse_query
from .serializers import (
    DatasetDetailSerializer,
    DatasetSummarySerializer,
    PublisherListSerializer,
    ThemeSerializer,
    unit_ref,
)

TAG = "catalog"

QUERY_PARAMETERS = [
    OpenApiParameter(
        "<column>__<op>",
        OpenApiTypes.STR,
        description=_(
            "Filter: a column name and an operator (eq, ne, lt, lte, gt, gte, in with comma-separated "
            "values, contains, isnull with true/false); `column=value` means eq. Each resource's "
            "openapi.json lists its columns."
        ),
    ),
    OpenApiParameter(
        "_sort", OpenApiTypes.STR, description=_("Columns to sort by, comma-separated; - for descending.")
    ),
    OpenApiParameter("_columns", OpenApiTypes.STR, description=_("Columns to return, comma-separated.")),
    OpenApiParameter("_limit", OpenApiTypes.INT, description=_("Rows per page (1–1000, default 100).")),
    OpenApiParameter("_cursor", OpenApiTypes.STR, description=_("Cursor of the next page (from `next`).")),
    OpenApiParameter("_group_by", OpenApiTypes.STR, description=_("Columns to group by, comma-separated.")),
    OpenApiParameter(
        "_agg",
        OpenApiTypes.STR,
        description=_("Aggregates: count, sum:col, avg:col, min:col, max:col, comma-separated."),
    ),
]


def _not_modified(request, etag: str, last_modified: dt.datetime | None = None) -> HttpResponse | None:
    """304 when the client's copy is current (If-None-Match first, else If-Modified-Since); shared
    by the query API and the metadata API."""
    match = request.headers.get("If-None-Match")
    if match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in match.split(",")}
        return HttpResponse(status=304) if etag in tags or "*" in tags else None
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    if last_modified is not None and since is not None and int(last_modified.timestamp()) <= since:
        return HttpResponse(status=304)
    return None


def _finish(response, etag: str, last_modified: dt.datetime | None = None):
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    response["Cache-Control"] = "public, no-cache"
    return response


class ResourceTableMixin(MingaApiMixin):
    permission_required = PUBLIC

    def get_table(self, pk):
        found = table_selectors.public_table_resource(self.request.government, pk)
        if found is None:
            raise Http404
        self.resource, self.dictionary = found
        self.table = table_selectors.resource_table(self.resource)
        if self.table is None:
            raise Http404(_("This resource has no loaded table."))
        return self.table

    def validators(self, extra: str = "") -> str:
        dictionary = "|".join(
            f"{name}:{entry.label}:{entry.unit}:{entry.description}:{entry.role}"
            for name, entry in sorted(self.dictionary.items())
        )
        raw = "|".join(
            (self.table.table_id, str(self.table.version), dictionary, self.request.META.get("QUERY_STRING", ""), extra)
        )
        return quote_etag(hashlib.sha256(raw.encode()).hexdigest()[:32])

    def not_modified(self, etag: str) -> HttpResponse | None:
        return _not_modified(self.request, etag, self.table.loaded_at)

    def finish(self, response, etag: str):
        return _finish(response, etag, self.table.loaded_at)

    def bad_query(self, exc: datastore.QueryError) -> Response:
        return Response({"detail": exc.user_message, "code": exc.code}, status=400)


@extend_schema(
    tags=[TAG],
    summary=_("Query a resource's table"),
    description=_(
        "Rows of a loaded CSV/XLSX resource, filtered, sorted and paged with a cursor (`next`), "
        "or grouped with aggregates. `total` comes from the stored row count when unfiltered."
    ),
    parameters=QUERY_PARAMETERS,
    responses={200: OpenApiTypes.OBJECT, 304: None},
)
class ResourceDataView(ResourceTableMixin, APIView):
    def get(self, request, pk):
        self.get_table(pk)
        usage.count_request(request, usage.Kind.API, self.resource.dataset_id, self.resource.pk)
        etag = self.validators()
        if (cached := self.not_modified(etag)) is not None:
            return self.finish(cached, etag)
        try:
            spec = parse_query(request.query_params)
            result = datastore.run_query(table_id=self.table.table_id, spec=spec)
        except datastore.QueryError as exc:
            return self.bad_query(exc)
        except datastore.TableNotFound as exc:
            raise Http404 from exc
        next_url = None
        if result.next_cursor:
            params = request.query_params.copy()
            params["_cursor"] = result.next_cursor
            next_url = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
        info = result.info or self.table
        columns = table_selectors.columns_for(info, self.dictionary)
        by_name = {column.name: column for column in columns}
        described = []
        for name in result.columns:
            column = by_name.get(name)
            described.append(
                {
                    "name": name,
                    "label": column.label if column else name,
                    "type": column.type if column else ("integer" if name == "_id" else "number"),
                    "unit": column.unit if column else "",
                    # What the numbers are (amount, quantity, ratio, period, code) and whether a
                    # total of the column means something.
                    "role": column.role if column else "",
                    "adds_up": column.additive if column else False,
                }
            )
        data = {
            "resource": self.resource.pk,
            "version": result.version,
            "columns": described,
            "rows": [dict(zip(result.columns, row, strict=True)) for row in result.rows],
            "total": result.total,
            "next": next_url,
        }
        if spec.group_by or spec.aggregates:
            data["truncated"] = result.truncated
        return self.finish(Response(data), etag)


class _DownloadView(ResourceTableMixin, APIView):
    extension = ""
    content_type = ""

    def stream(self, **kwargs):
        raise NotImplementedError

    def get(self, request, pk):
        self.get_table(pk)
        usage.count_request(request, usage.Kind.API, self.resource.dataset_id, self.resource.pk)
        etag = self.validators(self.extension)
        if (cached := self.not_modified(etag)) is not None:
            return self.finish(cached, etag)
        try:
            spec = parse_query(request.query_params)
            if spec.group_by or spec.aggregates:
                raise datastore.QueryError(
                    _("Downloads cannot be grouped; use the query endpoint."), code="invalid_query"
                )
            # Checks columns, operators and values before the first byte is sent.
            datastore.run_query(
                table_id=self.table.table_id,
                spec=datastore.QuerySpec(
                    columns=spec.columns, filters=spec.filters, sort=spec.sort, limit=1, include_total=False
                ),
            )
        except datastore.QueryError as exc:
            return self.bad_query(exc)
        except datastore.TableNotFound as exc:
            raise Http404 from exc
        export_spec = datastore.QuerySpec(columns=spec.columns, filters=spec.filters, sort=spec.sort)
        response = StreamingHttpResponse(
            self.stream(table_id=self.table.table_id, spec=export_spec), content_type=self.content_type
        )
        filename = f"{self.resource.dataset.slug}-{self.resource.pk}.{self.extension}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["X-Content-Type-Options"] = "nosniff"
        return self.finish(response, etag)


# The JSON download is an array of rows, each an object keyed by column name.
JSON_ROWS = build_array_type(build_object_type(additionalProperties=True))


def _download_schema(media_type: str, summary, body=OpenApiTypes.BINARY):
    return extend_schema(
        tags=[TAG],
        summary=summary,
        description=_(
            "Streamed download of the whole table, or of the rows matching the same filters as the query endpoint."
        ),
        parameters=QUERY_PARAMETERS[:3],
        responses={(200, media_type): OpenApiResponse(body), 304: None},
    )


@_download_schema("text/csv", _("Download a resource's table as CSV"))
class ResourceCsvView(_DownloadView):
    extension = "csv"
    content_type = "text/csv; charset=utf-8"

    def stream(self, **kwargs):
        return (chunk.encode() for chunk in datastore.export_csv(**kwargs))


@_download_schema("application/json", _("Download a resource's table as JSON"), body=JSON_ROWS)
class ResourceJsonView(_DownloadView):
    extension = "json"
    content_type = "application/json"

    def stream(self, **kwargs):
        return (chunk.encode() for chunk in datastore.export_json(**kwargs))


@_download_schema(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _("Download a resource's table as XLSX")
)
class ResourceXlsxView(_DownloadView):
    extension = "xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def stream(self, **kwargs):
        return datastore.export_xlsx(**kwargs)


OPENAPI_TYPES = {
    "integer": {"type": "integer"},
    "decimal": {"type": "number"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
    "datetime": {"type": "string", "format": "date-time"},
    "text": {"type": "string"},
}
OPS_BY_TYPE = {
    "text": ("eq", "ne", "in", "contains", "isnull", "lt", "lte", "gt", "gte"),
    "boolean": ("eq", "ne", "isnull"),
}
DEFAULT_OPS = ("eq", "ne", "lt", "lte", "gt", "gte", "in", "isnull")


def resource_openapi(request, resource, table, dictionary) -> dict:
    """An OpenAPI 3 document for one resource's query endpoint, with its real columns."""
    columns = table_selectors.columns_for(table, dictionary)
    path = reverse("catalog-api:resource_data", kwargs={"pk": resource.pk})
    parameters = []
    for column in columns:
        schema = OPENAPI_TYPES.get(column.type, {"type": "string"})
        for op in OPS_BY_TYPE.get(column.type, DEFAULT_OPS):
            name = column.name if op == "eq" else f"{column.name}__{op}"
            if op == "isnull":
                op_schema = {"type": "boolean"}
            elif op == "in":
                op_schema = {"type": "string", "description": str(_("Comma-separated values."))}
            elif op == "contains":
                op_schema = {"type": "string"}
            else:
                op_schema = schema
            parameters.append(
                {
                    "name": name,
                    "in": "query",
                    "required": False,
                    "description": f"{column.label} ({op})"
                    + (f" — {column.description}" if column.description else ""),
                    "schema": op_schema,
                }
            )
    names = [column.name for column in columns]
    for name, schema, description in (
        ("_sort", {"type": "string"}, _("Columns to sort by, comma-separated; - for descending.")),
        ("_columns", {"type": "string"}, _("Columns to return, comma-separated.")),
        (
            "_limit",
            {"type": "integer", "minimum": 1, "maximum": datastore.MAX_LIMIT, "default": 100},
            _("Rows per page."),
        ),
        ("_cursor", {"type": "string"}, _("Cursor of the next page (from `next`).")),
        ("_group_by", {"type": "string"}, _("Columns to group by, comma-separated.")),
        ("_agg", {"type": "string"}, _("Aggregates: count, sum:col, avg:col, min:col, max:col.")),
    ):
        parameters.append(
            {"name": name, "in": "query", "required": False, "description": str(description), "schema": schema}
        )
    row = {"type": "object", "properties": {"_id": {"type": "integer"}}}
    for column in columns:
        row["properties"][column.name] = {
            **OPENAPI_TYPES.get(column.type, {"type": "string"}),
            "nullable": True,
            "title": column.label,
            **({"description": column.description} if column.description else {}),
        }
    server = request.build_absolute_uri(reverse("api:index")).removesuffix("/api/v1/")
    return {
        "openapi": "3.0.3",
        "info": {
            "title": f"{resource.dataset.title}: {resource.title}",
            "version": str(table.version),
            "description": str(_("Query API of one table. Columns: %(columns)s.") % {"columns": ", ".join(names)}),
        },
        "servers": [{"url": server}],
        "paths": {
            path: {
                "get": {
                    "operationId": f"query_resource_{resource.pk}",
                    "summary": str(_("Query the table")),
                    "parameters": parameters,
                    "responses": {
                        "200": {
                            "description": str(_("A page of rows")),
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            "resource": {"type": "integer"},
                                            "version": {"type": "integer"},
                                            "columns": {"type": "array", "items": {"type": "object"}},
                                            "rows": {"type": "array", "items": row},
                                            "total": {"type": "integer", "nullable": True},
                                            "next": {"type": "string", "format": "uri", "nullable": True},
                                        },
                                    }
                                }
                            },
                        },
                        "304": {"description": str(_("Not modified"))},
                        "400": {"description": str(_("Invalid query"))},
                        "429": {"description": str(_("Too many requests"))},
                    },
                }
            }
        },
    }


@extend_schema(
    tags=[TAG],
    summary=_("OpenAPI description of a resource's query endpoint"),
    description=_("An OpenAPI 3 document listing this resource's columns, their types and the filters each accepts."),
    responses={200: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
)
class ResourceOpenApiView(ResourceTableMixin, APIView):
    def get(self, request, pk):
        self.get_table(pk)
        etag = self.validators()
        if (cached := self.not_modified(etag)) is not None:
            return self.finish(cached, etag)
        document = resource_openapi(request, self.resource, self.table, self.dictionary)
        return self.finish(Response(document), etag)


# Catalog metadata (/api/v1/datos/conjuntos/, temas/, publicadores/) -----------------------
#
# The same datasets as the catalog page: published only, of this government and, when the
# catalog shows them, of the governments within it. Validators are computed before anything
# is serialized: the content versions of the governments listed (every audited change bumps
# them), the newest change and quality computation among their published datasets (the daily
# score job writes without an audit entry), the day (lateness) and the language (labels).

LIST_PARAMETERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description=_("Words to search for (accents and plurals do not matter).")),
    OpenApiParameter("tema", OpenApiTypes.STR, description=_("Slug of a theme (see temas/).")),
    OpenApiParameter("etiqueta", OpenApiTypes.STR, description=_("Slug of a tag.")),
    OpenApiParameter("formato", OpenApiTypes.STR, description=_("Format of a file or link: CSV, XLSX, JSON, GEOJSON…")),
    OpenApiParameter("licencia", OpenApiTypes.STR, description=_("Licence code, e.g. CC-BY-4.0.")),
    OpenApiParameter("frecuencia", OpenApiTypes.STR, description=_("Update frequency code, e.g. MONTHLY.")),
    OpenApiParameter("publicador", OpenApiTypes.STR, description=_("Name of the publishing unit (see publicadores/).")),
    OpenApiParameter("nivel", OpenApiTypes.STR, description=_("Level of government: province, canton or parish.")),
    OpenApiParameter("frescura", OpenApiTypes.STR, description=_("`desactualizados`: only datasets that are late.")),
    OpenApiParameter(
        "orden",
        OpenApiTypes.STR,
        enum=list(selectors.SORTS),
        description=_("relevancia (with q; the default then), recientes (the default), titulo or mas-usados."),
    ),
]
NOT_MODIFIED = {304: None}


def _etag(request, *parts) -> str:
    raw = "|".join(
        [str(part) for part in parts]
        + [freshness.government_today(request.government).isoformat(), get_language() or "", request.path]
        + [request.META.get("QUERY_STRING", "")]
    )
    return quote_etag(hashlib.sha256(raw.encode()).hexdigest()[:32])


class _MetadataMixin(MingaApiMixin):
    permission_required = PUBLIC

    def catalog_governments(self):
        government = self.request.government
        include = bool(module_settings(government, "catalog").get("include_child_governments", True))
        return selectors.catalog_governments(government, include_children=include)

    def list_validators(self, governments) -> str:
        """An ETag for anything listing the published datasets of these governments. No
        Last-Modified: a dataset unpublished or deleted would not move the newest date."""
        stamp = (
            selectors.widened_public_datasets(governments)
            .order_by()
            .aggregate(n=Count("pk"), changed=Max("updated_at"), scored=Max("quality_checked_at"))
        )
        versions = [(g.pk, content_version(g)) for g in governments]
        return _etag(self.request, versions, stamp["n"], stamp["changed"], stamp["scored"])

    def absolute(self, government, name: str, **kwargs) -> str:
        link = government_link(government, government_path(name, **kwargs), in_request_of=self.request)
        return self.request.build_absolute_uri(link)

    def prepare(self, datasets, directory: publishers.Directory) -> list:
        """What the serializers read, for a whole page at once."""
        datasets = freshness.attach(datasets, government=self.request.government)
        for dataset in datasets:
            dataset.api_publisher = directory.of(dataset)
            dataset.api_links = {
                "page": self.absolute(dataset.government, "catalog:dataset_detail", slug=dataset.slug),
                "api": self.absolute(dataset.government, "catalog-api:dataset", slug=dataset.slug),
            }
        return datasets


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary=_("Datasets of the catalog"),
        description=_(
            "Published datasets, as the catalog page lists them: of this government and, for a province "
            "(or canton) that shows them, of the governments within it (`government`, `api_url`). "
            "Filtered and sorted like the catalog page; paginated with `page` and `page_size`."
        ),
        parameters=LIST_PARAMETERS,
        responses={200: DatasetSummarySerializer(many=True), **NOT_MODIFIED},
    )
)
class DatasetListView(_MetadataMixin, generics.ListAPIView):
    serializer_class = DatasetSummarySerializer

    def get(self, request, *args, **kwargs):
        government = request.government
        governments = self.catalog_governments()
        etag = self.list_validators(governments)
        if (cached := _not_modified(request, etag)) is not None:
            return _finish(cached, etag)
        query = selectors.catalog_query(request.query_params)
        result = selectors.search_catalog(government, query, include_children=len(governments) > 1, with_facets=False)
        page = self.prepare(self.paginate_queryset(result.datasets), publishers.Directory())
        response = self.get_paginated_response(self.get_serializer(page, many=True).data)
        return _finish(response, etag)


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary=_("One dataset"),
        description=_(
            "A published dataset of this government by its slug: metadata, freshness, quality score with its "
            "reasons, and its files and links with format, size, checksum, download and, for loaded tables, the "
            "query API, its OpenAPI description and the CSV/JSON/XLSX downloads. Counted as a use of the API."
        ),
        parameters=[OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH)],
        responses={200: DatasetDetailSerializer, **NOT_MODIFIED, 404: OpenApiTypes.OBJECT},
    )
)
class DatasetDetailView(_MetadataMixin, generics.GenericAPIView):
    serializer_class = DatasetDetailSerializer

    def get(self, request, slug):
        government = request.government
        dataset = get_object_or_404(selectors.public_dataset_detail(government).select_related("government"), slug=slug)
        usage.count_request(request, usage.Kind.API, dataset.pk)
        modified = max(filter(None, (dataset.updated_at, dataset.quality_checked_at)))
        etag = _etag(request, content_version(government), dataset.pk, dataset.version, dataset.updated_at, modified)
        if (cached := _not_modified(request, etag, modified)) is not None:
            return _finish(cached, etag, modified)
        self.prepare([dataset], publishers.Directory())
        dataset.api_quality = {
            "score": dataset.quality_score,
            "checked_at": dataset.quality_checked_at,
            "checks": [
                {"key": found.key, "state": found.state, "weight": int(check.get("weight") or 0), "text": found.text}
                for check, found in zip(dataset.quality_checks or [], quality.reasons(dataset), strict=True)
            ],
        }
        dataset.api_resources = [self.resource(resource) for resource in dataset.resources.all()]
        return _finish(Response(self.get_serializer(dataset).data), etag, modified)

    def resource(self, resource) -> dict:
        table = datastore_table(resource) if resource.is_tabular else None
        links = None
        if table is not None:
            links = {"rows": table.row_count}
            for key, name in (
                ("query", "resource_data"),
                ("openapi", "resource_openapi"),
                ("csv", "resource_csv"),
                ("json", "resource_json"),
                ("xlsx", "resource_xlsx"),
            ):
                links[key] = self.request.build_absolute_uri(reverse(f"catalog-api:{name}", kwargs={"pk": resource.pk}))
        return {
            "id": resource.pk,
            "title": resource.title,
            "description": resource.description,
            "kind": resource.kind,
            "format": resource.format,
            "media_type": files.content_type(resource.format),
            "size": resource.size,
            "sha256": resource.sha256,
            "download_url": self.request.build_absolute_uri(
                reverse("catalog:resource_download", kwargs={"pk": resource.pk})
            ),
            "data_updated_at": resource.data_updated_at,
            "updated_at": resource.updated_at,
            "table": links,
        }


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary=_("Themes of the catalog"),
        description=_(
            "The government's themes, each with the number of published datasets the datasets list gives for it "
            "(the governments within it included when the catalog shows them)."
        ),
        responses={200: ThemeSerializer(many=True), **NOT_MODIFIED},
    )
)
class ThemeListView(_MetadataMixin, generics.ListAPIView):
    serializer_class = ThemeSerializer

    def get(self, request, *args, **kwargs):
        governments = self.catalog_governments()
        etag = self.list_validators(governments)
        if (cached := _not_modified(request, etag)) is not None:
            return _finish(cached, etag)
        counts = selectors.theme_dataset_counts(governments)
        datasets_url = request.build_absolute_uri(reverse("catalog-api:datasets"))
        rows = [
            {
                "slug": theme.slug,
                "name": theme.name,
                "description": theme.description,
                "dcat_theme": theme.dcat_theme,
                "dcat_uri": theme.dcat_uri,
                "dataset_count": counts.get(theme.slug, 0),
                "datasets_url": f"{datasets_url}?{urlencode({'tema': theme.slug})}",
            }
            for theme in selectors.themes(request.government).order_by("order", "name")
        ]
        page = self.paginate_queryset(rows)
        return _finish(self.get_paginated_response(self.get_serializer(page, many=True).data), etag)


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary=_("Publishing units"),
        description=_(
            "Who publishes the listed datasets: a unit of the organisation chart (`unit`, with its page) or a "
            "name, with the number of published datasets; `name` is the value of the `publicador` filter."
        ),
        responses={200: PublisherListSerializer(many=True), **NOT_MODIFIED},
    )
)
class PublisherListView(_MetadataMixin, generics.ListAPIView):
    serializer_class = PublisherListSerializer

    def get(self, request, *args, **kwargs):
        governments = self.catalog_governments()
        etag = self.list_validators(governments)
        if (cached := _not_modified(request, etag)) is not None:
            return _finish(cached, etag)
        datasets_url = request.build_absolute_uri(reverse("catalog-api:datasets"))
        entries = [
            {
                "name": found.name,
                "government": {"slug": government.slug, "name": government.name},
                "unit": unit_ref(found, request),
                "email": found.email,
                "dataset_count": count,
                "datasets_url": f"{datasets_url}?{urlencode({'publicador': found.name})}",
            }
            for government, found, count in selectors.publisher_dataset_counts(governments, publishers.Directory())
        ]
        ordered = sorted(
            entries,
            key=lambda e: (
                e["government"]["slug"] != request.government.slug,
                e["government"]["slug"],
                e["name"].lower(),
            ),
        )
        page = self.paginate_queryset(ordered)
        return _finish(self.get_paginated_response(self.get_serializer(page, many=True).data), etag)
