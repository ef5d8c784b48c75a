"""Public pages of the council: its current composition and committees, a member's page
(seats, committees, sponsored acts) and a committee's page (members past and present)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from minga.core.ui.page_cache import public_page

from ...acts import selectors as act_selectors
from ...effectiveness.counting import COMMITTEE, HOME, PERSON, counted, visit
from .. import selectors


@counted
@public_page
def council_home(request):
    government, today = request.government, timezone.localdate()
    context = {
        "council": selectors.council_of(government),
        "seats": selectors.current_seats(government, today),
        "past_seats": selectors.past_seats(government, today),
        "committees": selectors.committees_with_members(government, today),
        "recent_acts": act_selectors.act_list(government)[:5],
    }
    return visit(render(request, "council/council_home.html", context), HOME)


@counted
@public_page
def member_detail(request, slug):
    person = selectors.person(request.government, slug)
    if person is None:
        raise Http404
    today = timezone.localdate()
    context = {
        "council": selectors.council_of(request.government),
        "person": person,
        "seats": selectors.seats_of(person),
        "alternates": selectors.alternates_of(person, today),
        "committee_seats": selectors.committee_seats_of(person),
        "acts": act_selectors.acts_sponsored_by(person),
        "today": today,
    }
    return visit(render(request, "council/member_detail.html", context), PERSON, person)


@counted
@public_page
def committee_detail(request, slug):
    committee = selectors.committee(request.government, slug)
    if committee is None:
        raise Http404
    today = timezone.localdate()
    memberships = selectors.members_of(committee)
    context = {
        "council": selectors.council_of(request.government),
        "committee": committee,
        "current": [m for m in memberships if m.ends_on is None or m.ends_on >= today],
        "past": [m for m in memberships if m.ends_on is not None and m.ends_on < today],
        "acts": act_selectors.public_acts(request.government).filter(committee=committee).order_by("-stage_date"),
    }
    return visit(render(request, "council/committee_detail.html", context), COMMITTEE, committee)
