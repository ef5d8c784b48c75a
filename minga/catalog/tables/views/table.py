"""The public table of a tabular resource: paged with a "next" link (keyset cursor), sortable by
column header links and filtered with a small form (column, operator, value), all from
allowlists and all plain links and forms, so it works without JavaScript and is cacheable."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from minga import datastore
from minga.core.ui.fragments import varies_on_fragment, wants_fragment
from minga.core.ui.page_cache import public_page

from ...usage import services as usage
from .. import cells
from .. import selectors as table_selectors
from ..charts import filter_operators

PAGE_SIZE = 50


def _link(params: dict[str, str], **changes) -> str:
    merged = {**params, **changes}
    return "?" + urlencode({k: v for k, v in merged.items() if v not in ("", None)})


@usage.counted
@public_page
def resource_table(request, pk):
    government = request.government
    resource = get_object_or_404(table_selectors.public_table_resources(government).select_related("dataset"), pk=pk)
    table = table_selectors.resource_table(resource)
    if table is None:
        raise Http404
    columns = table_selectors.columns_for(table, table_selectors.column_dictionary(resource))
    names = {column.name for column in columns}
    operators = filter_operators()

    sort = request.GET.get("orden", "")[:110]
    sort_column = sort.lstrip("-")
    if sort_column not in names:
        sort, sort_column = "", ""
    column = request.GET.get("columna", "")[:100]
    op = request.GET.get("operador", "eq")
    value = request.GET.get("valor", "")[:200]
    if column not in names or op not in dict(operators):
        column, value = "", ""
    params = {"orden": sort, "columna": column, "operador": op if column else "", "valor": value}

    filters = (datastore.Filter(column, op, value),) if column and (value or op == "isnull") else ()
    spec_sort = (datastore.Sort(sort_column, descending=sort.startswith("-")),) if sort_column else ()
    error, result = "", None
    try:
        spec = datastore.QuerySpec(
            filters=filters, sort=spec_sort, limit=PAGE_SIZE, cursor=request.GET.get("cursor") or None
        )
        result = datastore.run_query(table_id=table.table_id, spec=spec)
    except datastore.QueryError as exc:
        error = exc.user_message
    except datastore.TableNotFound as exc:
        raise Http404 from exc

    headers = []
    for item in columns:
        next_sort = f"-{item.name}" if sort == item.name else item.name
        direction = "ascending" if sort == item.name else "descending" if sort == f"-{item.name}" else ""
        headers.append({"column": item, "sort_url": _link(params, orden=next_sort, cursor=""), "direction": direction})
    rows = [cells.row_cells(row[1:], columns) for row in result.rows] if result else []
    sums = None
    if result is not None:
        try:
            sums = cells.totals(table, columns, filters)
        except datastore.QueryError:
            sums = None
    count = result.total if result and filters else table.row_count
    context = {
        "resource": resource,
        "dataset": resource.dataset,
        "table": table,
        "columns": columns,
        "headers": headers,
        "rows": rows,
        "total": result.total if result else None,
        "filtered": bool(filters),
        "next_url": _link(params, cursor=result.next_cursor) if result and result.next_cursor else "",
        "first_url": _link(params, cursor="") if request.GET.get("cursor") else "",
        "operators": operators,
        "params": params,
        "error": error,
        "sums": sums or [],
        "has_sums": bool(sums),
        "sums_caption": cells.totals_caption(count, filtered=bool(filters)),
    }
    template = "catalog/includes/table_region.html" if wants_fragment(request) else "catalog/resource_table.html"
    response = varies_on_fragment(render(request, template, context, status=400 if error else 200))
    return usage.note(response, usage.Kind.PREVIEW, resource.dataset_id, resource.pk)
