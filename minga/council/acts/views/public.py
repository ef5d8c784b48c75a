"""Public pages of acts: the list with its filters, an act's page (its procedure with overdue
steps flagged, the text of a version, the versions, the documents) and the comparison of two
versions article by article."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from minga.core.ui.page_cache import public_page

from ...debate.selectors import act_comments
from ...effectiveness.counting import ACT, counted, visit
from ...lifecycle.selectors import overdue_for, stage_dates, stages_for, tacit_for
from ...lifecycle.stages import STAGE_CHOICES, tacit_keys
from ...members.selectors import council_of
from ...sessions import selectors as session_selectors
from .. import selectors
from ..diff import summary
from ..models import Act


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@public_page
def act_list(request):
    government = request.government
    filters = {
        "kind": request.GET.get("tipo", "")[:20],
        "stage": request.GET.get("etapa", "")[:30],
        "subject": request.GET.get("tema", "")[:90],
        "sponsor": request.GET.get("proponente", "")[:90],
        "query": request.GET.get("q", "").strip()[:100],
    }
    context = {
        "council": council_of(government),
        "acts": selectors.act_list(government, **filters)[:200],
        "kinds": Act.Kind.choices,
        "stages": STAGE_CHOICES,
        "subjects": selectors.subjects(government),
        "sponsors": selectors.sponsors(government),
        **filters,
    }
    return render(request, "council/act_list.html", context)


@counted
@public_page
def act_detail(request, slug):
    government = request.government
    act = selectors.public_act(government, slug)
    if act is None:
        raise Http404
    versions = selectors.versions_of(act)
    shown = next(
        (v for v in versions if v.number == _int(request.GET.get("version"))), versions[-1] if versions else None
    )
    actions = selectors.actions_of(act)
    stages = stages_for(government)
    dates = stage_dates(actions)
    tacit = tacit_keys(stages)
    today = timezone.localdate()
    units = selectors.units_of(shown) if shown else []
    context = {
        "council": council_of(government),
        "act": act,
        "sponsorships": selectors.sponsorships_of(act),
        "actions": actions,
        "path": [
            (stage, dates.get(stage.key))
            for stage in stages.values()
            if (not stage.closes and stage.key not in tacit) or stage.key in dates
        ],
        "overdue": overdue_for(government, actions, today, stages),
        "tacit": tacit_for(government, actions, today, stages),
        "versions": versions,
        "shown": shown,
        "units": units,
        "documents": selectors.documents_of(act),
        "agenda_items": session_selectors.agenda_of_act(act),
        "vote_events": session_selectors.votes_of_act(act),
        # comments on the articles: a count per article of the version shown (one query)
        "article_comments": act_comments(government, act, shown, units, versions),
    }
    return visit(render(request, "council/act_detail.html", context), ACT, act)


@counted
@public_page
def act_diff(request, slug):
    act = selectors.public_act(request.government, slug)
    if act is None:
        raise Http404
    versions = selectors.versions_of(act)
    numbers = [v.number for v in versions]
    if len(numbers) < 2:
        raise Http404
    old_number = _int(request.GET.get("de"), numbers[-2])
    new_number = _int(request.GET.get("a"), numbers[-1])
    old, new, entries = selectors.version_diff(act, old_number, new_number)
    if old is None:
        raise Http404
    kinds: dict[str, str] = {}  # a kind's label once, not once an entry (each is a lookup in the choices)
    for entry in entries:
        unit = entry.unit
        if unit.kind not in kinds:
            kinds[unit.kind] = unit.get_kind_display()
        entry.kind_label = kinds[unit.kind]
    context = {
        "council": council_of(request.government),
        "act": act,
        "versions": versions,
        "old": old,
        "new": new,
        "entries": entries,
        "counts": summary(entries),
        "identical": all(entry.status == "same" for entry in entries),
    }
    return visit(render(request, "council/act_diff.html", context), ACT, act)
