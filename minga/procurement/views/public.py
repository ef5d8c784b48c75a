"""Public pages: the contracting search (with CSV and OCDS downloads of its results), the
process page with its timeline, documents, red flags and linked budget lines and works,
supplier and buyer pages, and the red-flag methodology with its data coverage."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from minga.core.exports import csv_response
from minga.core.registry import find_backlinks, resolve_links
from minga.core.ui.page_cache import public_page

from .. import flags as indicators
from .. import ocds_out, selectors
from ..models import BudgetYear, ProcedureType, Process
from ..opendata import COLUMNS, process_row
from ..procedures import threshold

PAGE_SIZE = 25
OCDS_EXPORT_LIMIT = 10_000


def _page(request, items, size=PAGE_SIZE):
    return Paginator(items, size).get_page(request.GET.get("pagina"))


def _sorts(query: selectors.ProcessQuery):
    return [
        (value, str(label), query.as_query(orden=value if value != "recientes" else ""))
        for value, label in selectors.SORT_LABELS.items()
    ]


@public_page
def search(request):
    government = request.government
    query = selectors.ProcessQuery.from_params(request.GET)
    results, facets = selectors.search(government, query, partial_fallback=True)
    page = _page(request, results)
    context = {
        "query": query,
        "results": results,
        "page": page,
        "facets": facets,
        "sorts": _sorts(query),
        "page_query": query.as_query(),
        "flag_choices": [(i.code, i.name) for i in indicators.INDICATORS],
        "procedures": ProcedureType.objects.filter(government=government).order_by("order"),
        "stages": Process.Stage.choices,
    }
    return render(request, "procurement/search.html", context)


@public_page
def search_csv(request):
    government = request.government
    query = selectors.ProcessQuery.from_params(request.GET)
    found = selectors.matches(government, query, partial_fallback=True)
    listed = selectors.processes(government).select_related("buyer", "procedure")
    rows = (process_row(process) for process in found.iterate(listed))
    return csv_response("contratacion.csv", [name for name, *_rest in COLUMNS], rows)


@public_page
def search_ocds(request):
    """The results as an OCDS record package (the first 10,000): each process's compiled release,
    its releases linked to the process's record package."""
    government = request.government
    query = selectors.ProcessQuery.from_params(request.GET)
    found = selectors.matches(government, query, partial_fallback=True)
    compiled = found.iterate(
        selectors.processes(government).only("pk", "ocid", "compiled"), limit=OCDS_EXPORT_LIMIT, chunk=500
    )

    head = ocds_out.search_package_head(government, request.build_absolute_uri())

    # Built now: the records are written after the view returns, outside the request's URLconf.
    record_url = ocds_out.url_pattern(
        request.build_absolute_uri(reverse("procurement:process_ocds", kwargs={"ocid": ocds_out.OCID_SLOT}))
    )

    records = ocds_out.linked_records(government, compiled, record_url)
    response = StreamingHttpResponse(
        ocds_out.record_package_chunks(head, records), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="contratacion-ocds.json"'
    return response


@public_page
def process_detail(request, ocid):
    government = request.government
    process = get_object_or_404(selectors.processes(government).select_related("buyer", "procedure"), ocid=ocid)
    keys = selectors.process_budget_keys(process)
    budget_links = resolve_links(government, "budget.line", keys)
    backlinks = find_backlinks(government, "procurement.process", process.ocid)
    context = {
        "process": process,
        "timeline": selectors.timeline(process),
        "documents": selectors.documents(process),
        "flags": selectors.flag_views(process),
        "suppliers": selectors.process_suppliers(process),
        "items": process.items.all()[:50],
        "budget_keys": [(key, budget_links.get(key)) for key in keys],
        "works": [r for r in backlinks if r.kind == "works.project"],
        "followups": [r for r in backlinks if r.kind != "works.project"],  # participation's results
        "states": {
            "fired": indicators.FIRED,
            "clear": indicators.CLEAR,
            "no_data": indicators.NO_DATA,
            "not_applicable": indicators.NOT_APPLICABLE,
        },
    }
    return render(request, "procurement/process_detail.html", context)


@public_page
def process_ocds(request, ocid):
    """The process as an OCDS record: its releases and the compiled release."""
    government = request.government
    process = get_object_or_404(selectors.processes(government), ocid=ocid)
    releases = list(process.releases.order_by("date", "pk").values_list("data", flat=True))
    head = ocds_out.package_head(
        uri=request.build_absolute_uri(), publisher=government.name, published=process.updated_at
    )
    record = ocds_out.record(process.ocid, releases or [process.compiled], process.compiled)
    response = StreamingHttpResponse(
        ocds_out.record_package_chunks(head, [record]), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{process.pk}-ocds.json"'
    return response


@public_page
def supplier_list(request):
    government = request.government
    q = request.GET.get("q", "").strip()[:100]
    found = selectors.suppliers(government)
    if q:
        found = found.filter(name__icontains=q)
    found = found.annotate(total=Sum("process_links__amount"), count=Count("process_links")).order_by("-total", "name")
    context = {"page": _page(request, found, 50), "q": q, "page_query": f"q={q}" if q else ""}
    return render(request, "procurement/supplier_list.html", context)


@public_page
def supplier_detail(request, pk):
    government = request.government
    supplier = get_object_or_404(selectors.suppliers(government), pk=pk)
    found = selectors.supplier_processes(government, supplier)
    context = {
        "supplier": supplier,
        "years": selectors.supplier_years(government, supplier),
        "page": _page(request, found),
        "flagged": found.filter(flag_count__gt=0).count(),
    }
    return render(request, "procurement/supplier_detail.html", context)


@public_page
def buyer_list(request):
    government = request.government
    found = (
        selectors.buyers(government)
        .annotate(total=Sum("processes__amount"), count=Count("processes"))
        .order_by("-total", "name")
    )
    return render(request, "procurement/buyer_list.html", {"page": _page(request, found, 50)})


@public_page
def buyer_detail(request, pk):
    government = request.government
    buyer = get_object_or_404(selectors.buyers(government), pk=pk)
    recent = selectors.processes(government).filter(buyer=buyer).select_related("procedure").order_by("-date", "-pk")
    context = {
        "buyer": buyer,
        "years": selectors.buyer_years(government, buyer),
        "top_suppliers": selectors.buyer_top_suppliers(government, buyer),
        "procedures": selectors.buyer_procedures(government, buyer),
        "page": _page(request, recent),
    }
    return render(request, "procurement/buyer_detail.html", context)


@public_page
def flags_page(request):
    government = request.government
    limits = indicators.thresholds(government)
    procedures = list(ProcedureType.objects.filter(government=government).order_by("order"))
    pie = list(BudgetYear.objects.filter(government=government).order_by("-year"))
    coverage = selectors.coverage(government)
    context = {
        "indicators": indicators.INDICATORS,
        "coverage": coverage,
        "newsup": next((row for row in coverage if row["code"] == "NEWSUP"), None),
        "limits": limits,
        # The settings name procedures by code; the page names them as people know them.
        "by_procedure": {
            next((p.name for p in procedures if p.code == code), code): days
            for code, days in indicators.days_by_procedure(limits["r003_days_by_procedure"]).items()
        },
        "pie": pie,
        "threshold_rows": [
            (procedure, [threshold(procedure, year.pie_amount) for year in pie])
            for procedure in procedures
            if procedure.threshold_coefficient is not None
        ],
    }
    return render(request, "procurement/flags.html", context)
