"""Query API of each tabular resource (/api/v1/datos/recursos/<id>/…): filtered, sorted, paged
and grouped rows as JSON; streamed downloads of the whole table or a filtered view as CSV, JSON
and XLSX; and an OpenAPI description of that resource's own query endpoint with its real
columns. Read-only and public: only resources of published datasets of this government.

Responses carry an ETag (table, version, dictionary and query) and Last-Modified (when the
table was loaded); conditional requests get 304 without touching the data."""

from __future__ import annotations

import hashlib

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.http import http_date, parse_http_date_safe, quote_etag
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from minga.core.api.views import MingaApiMixin
from minga.core.permissions import PUBLIC

from .. import datastore, loading, usage
from .query import parse_query

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


class ResourceTableMixin(MingaApiMixin):
    permission_required = PUBLIC

    def get_table(self, pk):
        found = loading.public_table_resource(self.request.government, pk)
        if found is None:
            raise Http404
        self.resource, self.dictionary = found
        self.table = loading.resource_table(self.resource)
        if self.table is None:
            raise Http404(_("This resource has no loaded table."))
        return self.table

    def validators(self, extra: str = "") -> tuple[str, str]:
        dictionary = "|".join(
            f"{name}:{entry.label}:{entry.unit}:{entry.description}" for name, entry in sorted(self.dictionary.items())
        )
        raw = "|".join(
            (self.table.table_id, str(self.table.version), dictionary, self.request.META.get("QUERY_STRING", ""), extra)
        )
        etag = quote_etag(hashlib.sha256(raw.encode()).hexdigest()[:32])
        return etag, http_date(self.table.loaded_at.timestamp())

    def not_modified(self, etag: str) -> HttpResponse | None:
        """304 when the client's copy is current (If-None-Match first, else If-Modified-Since)."""
        match = self.request.headers.get("If-None-Match")
        if match is not None:
            tags = {tag.strip().removeprefix("W/") for tag in match.split(",")}
            if etag in tags or "*" in tags:
                return HttpResponse(status=304)
            return None
        since = parse_http_date_safe(self.request.headers.get("If-Modified-Since", ""))
        if since is not None and int(self.table.loaded_at.timestamp()) <= since:
            return HttpResponse(status=304)
        return None

    def finish(self, response, etag: str, last_modified: str):
        response["ETag"] = etag
        response["Last-Modified"] = last_modified
        response["Cache-Control"] = "public, no-cache"
        return response

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
    responses={200: OpenApiTypes.OBJECT, 304: None, 400: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
)
class ResourceDataView(ResourceTableMixin, APIView):
    def get(self, request, pk):
        self.get_table(pk)
        usage.count_request(request, usage.Kind.API, self.resource.dataset_id, self.resource.pk)
        etag, last_modified = self.validators()
        if (cached := self.not_modified(etag)) is not None:
            return self.finish(cached, etag, last_modified)
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
        columns = loading.columns_for(info, self.dictionary)
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
        return self.finish(Response(data), etag, last_modified)


class _DownloadView(ResourceTableMixin, APIView):
    extension = ""
    content_type = ""

    def stream(self, **kwargs):
        raise NotImplementedError

    def get(self, request, pk):
        self.get_table(pk)
        usage.count_request(request, usage.Kind.API, self.resource.dataset_id, self.resource.pk)
        etag, last_modified = self.validators(self.extension)
        if (cached := self.not_modified(etag)) is not None:
            return self.finish(cached, etag, last_modified)
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
        return self.finish(response, etag, last_modified)


def _download_schema(media_type: str, summary):
    return extend_schema(
        tags=[TAG],
        summary=summary,
        description=_(
            "Streamed download of the whole table, or of the rows matching the same filters as the query endpoint."
        ),
        parameters=QUERY_PARAMETERS[:3],
        responses={(200, media_type): OpenApiResponse(OpenApiTypes.BINARY), 304: None, 400: OpenApiTypes.OBJECT},
    )


@_download_schema("text/csv", _("Download a resource's table as CSV"))
class ResourceCsvView(_DownloadView):
    extension = "csv"
    content_type = "text/csv; charset=utf-8"

    def stream(self, **kwargs):
        return (chunk.encode() for chunk in datastore.export_csv(**kwargs))


@_download_schema("application/json", _("Download a resource's table as JSON"))
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
    columns = loading.columns_for(table, dictionary)
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
        etag, last_modified = self.validators()
        if (cached := self.not_modified(etag)) is not None:
            return self.finish(cached, etag, last_modified)
        document = resource_openapi(request, self.resource, self.table, self.dictionary)
        return self.finish(Response(document), etag, last_modified)
