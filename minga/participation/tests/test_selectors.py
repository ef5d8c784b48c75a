"""Reads: the phase on at a moment and the features it switches on, at the boundaries, as the
sub-apps will ask; what a citizen can do now; the public list's groups and order."""

from __future__ import annotations

import datetime as dt

import pytest

from minga.core.tenancy.scoping import government_scope

from ..processes import selectors, services
from ..processes.models import Process
from . import factories
from .factories import DAY

pytestmark = pytest.mark.django_db
SECOND = dt.timedelta(seconds=1)


def _fresh(government, process):
    return selectors.public_processes(government).get(pk=process.pk)


def test_feature_on_switches_at_the_phase_boundaries(government, now):
    start = now - 15 * DAY
    process = factories.process(government, start=start)
    vote_opens = start + 20 * DAY
    with government_scope(government):
        process = _fresh(government, process)
        assert selectors.current_phase(process, now).title == "Apoyos"
        assert selectors.feature_on(process, "support", vote_opens - SECOND)
        assert not selectors.feature_on(process, "vote", vote_opens - SECOND)
        assert selectors.feature_on(process, "vote", vote_opens)
        assert not selectors.feature_on(process, "support", vote_opens)
        assert not selectors.feature_on(process, "propose", start - SECOND)
        assert selectors.feature_on(process, "propose", start)
        assert not selectors.feature_on(process, "show_results", start + 40 * DAY)  # the process is over


def test_an_unpublished_process_switches_nothing_on(government, now):
    process = factories.process(government, is_published=False)
    with government_scope(government):
        process = Process.objects.get(pk=process.pk)
        assert selectors.current_phase(process, now) is not None
        assert not selectors.feature_on(process, "support", now)


def test_process_now_lists_the_actions_with_their_verification(government, now):
    start = now - 25 * DAY
    process = factories.process(
        government, start=start, settings={"verification_vote": "census", "verification_comment": "none"}
    )
    with government_scope(government):
        services.process_update(
            actor=None,
            government=government,
            process=process,
            phases=[
                {**item, "features": ["vote", "comment", "show_results"], "settings": {"announcement": "¡A votar!"}}
                if item["title"] == "Votación"
                else item
                for item in factories.items_of(process)
            ],
            now=start,
        )
        state = selectors.process_now(_fresh(government, process), now)
    assert state.status == "ongoing" and state.current.number == 3 and state.next.number == 4
    assert [(action.key, action.verification) for action in state.actions] == [
        ("comment", "none"),
        ("vote", "census"),
    ]
    assert [feature.key for feature in state.shown] == ["show_results"]
    assert state.announcement == "¡A votar!"
    assert [view.state for view in state.phases] == ["past", "past", "current", "upcoming"]


def test_listing_groups_and_orders(government, now):
    ends_soon = factories.process(government, start=now - 35 * DAY)
    ends_later = factories.process(government, start=now - 5 * DAY)
    soon = factories.process(government, start=now + 2 * DAY)
    later = factories.process(government, start=now + 9 * DAY)
    old = factories.process(government, start=now - 300 * DAY)
    recent = factories.process(government, start=now - 60 * DAY)
    with government_scope(government):
        found = selectors.listing(government, now=now)
        card = selectors.card(_fresh(government, soon), now)
    assert [p.pk for p in found.ongoing] == [ends_soon.pk, ends_later.pk]
    assert [p.pk for p in found.upcoming] == [soon.pk, later.pk]
    assert [p.pk for p in found.finished] == [recent.pk, old.pk]
    assert card.status == "upcoming" and card.current is None and card.next.title == "Propuestas"


def test_filters_read_from_parameters():
    filters = selectors.process_filters({"estado": "en-curso", "tipo": "consultation", "territorio": "130150"})
    assert (filters.status, filters.kind, filters.territory, filters.errors) == (
        "ongoing",
        "consultation",
        "130150",
        {},
    )
    assert filters.as_query() == {"estado": "en-curso", "tipo": "consultation", "territorio": "130150"}
    bad = selectors.process_filters({"estado": "ayer", "tipo": "fiesta"})
    assert set(bad.errors) == {"estado", "tipo"} and bad.as_query() == {}
