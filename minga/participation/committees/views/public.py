"""Public registry of citizen oversight committees (veedurias/) and a committee's page: what
it oversees (linked through core's registry), members as they chose to be listed, dates,
status and reports."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from minga.core.registry import resolve_links
from minga.core.ui.page_cache import public_page

from .. import selectors
from ..models import OBJECT_KINDS, Committee


@public_page
def committee_list(request):
    status = request.GET.get("estado", "")[:20]
    kind = request.GET.get("objeto", "")[:40]
    query = request.GET.get("q", "").strip()[:100]
    context = {
        "committees": selectors.registry(request.government, status=status, kind=kind, query=query),
        "statuses": Committee.Status.choices,
        "kinds": OBJECT_KINDS,
        "status": status,
        "kind": kind,
        "q": query,
    }
    return render(request, "participation/committees/committee_list.html", context)


@public_page
def committee_detail(request, slug):
    committee = selectors.public_committee(request.government, slug)
    if committee is None:
        raise Http404
    linked = resolve_links(request.government, committee.object_kind, [committee.object_key]).get(committee.object_key)
    context = {
        "committee": committee,
        "linked": linked,
        "members": selectors.members_of(committee),
        "reports": selectors.reports_of(committee),
    }
    return render(request, "participation/committees/committee_detail.html", context)
