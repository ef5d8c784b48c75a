"""Public pages: the list of processes (in progress, upcoming, finished; filters by kind and
territory) and the process page (description, territory, the phases with the current one
marked, what a citizen can do now, and the sections the sub-apps add). Only published
processes reach these views."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from minga.core.registry import module_settings
from minga.core.ui.page_cache import public_page

from ... import components
from ...features import MODULE
from .. import selectors
from ..models import Process


def _finished_shown(government) -> int:
    try:
        return max(1, min(int(module_settings(government, MODULE).get("finished_shown", 12)), 200))
    except (TypeError, ValueError):
        return 12


@public_page
def process_list(request):
    government = request.government
    now = timezone.now()
    filters = selectors.process_filters(request.GET)
    found = selectors.listing(government, now=now, filters=filters)
    groups = selectors.Listing(
        ongoing=[selectors.card(p, now) for p in found.ongoing],
        upcoming=[selectors.card(p, now) for p in found.upcoming],
        finished=[selectors.card(p, now) for p in found.finished],
    )
    shown = _finished_shown(government)
    context = {
        "groups": groups,
        "finished": groups.finished[:shown],
        "finished_hidden": max(0, len(groups.finished) - shown),
        "filters": filters,
        "filter_errors": list(filters.errors.values()),
        "filter_query": urlencode(filters.as_query()),
        "kinds": Process.Kind.choices,
        "territories": selectors.territory_choices(government),
        "now": now,
        "any": bool(groups.ongoing or groups.upcoming or groups.finished),
    }
    return render(request, "participation/process_list.html", context)


@public_page
def process_detail(request, slug):
    government = request.government
    process = selectors.public_process(government, slug)
    if process is None:
        raise Http404
    now = timezone.now()
    context = {
        "process": process,
        "now_state": selectors.process_now(process, now),
        "settings_shown": selectors.settings_display(process),
        "sections": components.sections(request, process, now),
        "now": now,
    }
    return render(request, "participation/process_detail.html", context)
