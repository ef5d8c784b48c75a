"""Public pages of results: a process's results tree (overall progress, filters by status and
unit) and a result's page (timeline, sub-results, links both ways, the linked works' physical
progress). Only published results of published processes reach them."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from minga.core.ui.page_cache import public_page

from ...processes import selectors as processes
from .. import catalog, selectors


def _process(request, slug):
    process = processes.public_process(request.government, slug)
    if process is None:
        raise Http404
    return process


@public_page
def results_tree(request, slug):
    government = request.government
    process = _process(request, slug)
    tree = selectors.build_tree(government, selectors.public_results(government, process))
    status = request.GET.get("estado", "").strip()[:40]
    unit = request.GET.get("unidad", "").strip()[:200]
    statuses = catalog.statuses(government)
    if status and status not in {item.key for item in statuses}:
        status = ""
    shown = selectors.filter_nodes(tree, status=status, unit=unit)
    context = {
        "process": process,
        "tree": tree,
        "shown": shown,
        "filtered": bool(status or unit),
        "overall": selectors.overall_progress(tree),
        "counts": [item for item in selectors.status_counts(government, tree) if item[2]],
        "statuses": statuses,
        "units": selectors.units_in(tree),
        "status": status,
        "unit": unit,
    }
    return render(request, "participation/results/tree.html", context)


@public_page
def result_detail(request, slug, pk):
    government = request.government
    process = _process(request, slug)
    result = selectors.public_result(government, process, pk)
    if result is None:
        raise Http404
    tree = selectors.build_tree(government, selectors.public_results(government, process))
    node = next((item for item in selectors.flatten(tree) if item.result.pk == result.pk), None)
    if node is None:  # under an unpublished parent
        raise Http404
    links = selectors.linked(government, result)
    context = {
        "process": process,
        "result": result,
        "node": node,
        "ancestors": _ancestors(result),
        "timeline": selectors.timeline_of(government, result),
        "links": links,
        "works": selectors.work_progress(links),
        "backlinks": selectors.pointing_here(government, result),
    }
    return render(request, "participation/results/detail.html", context)


def _ancestors(result) -> list:
    found = []
    parent = result.parent
    while parent is not None:
        found.insert(0, parent)
        parent = parent.parent
    return found
