"""The council's agenda in the participatory events calendar: convened sessions (never drafts)
appear on the calendar page and in its iCal feed through core's calendar entries, only in the
council's own government and only while the module is on."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from minga.core.registry import calendar_entries
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import gov_url

from ..members.models import Council
from ..sessions.models import Session

pytestmark = pytest.mark.django_db


@pytest.fixture
def sessions(seeded):
    soon = timezone.now() + dt.timedelta(days=3)
    with government_scope(seeded):
        council = Council.objects.get()

        def make(slug, status, title):
            return Session.objects.create(
                government=seeded,
                council=council,
                slug=slug,
                kind="ordinary",
                title=title,
                starts_at=soon,
                place="Salón del Consejo",
                status=status,
            )

        return {
            "convened": make("s-12", "convened", "Sesión ordinaria n.º 12"),
            "cancelled": make("s-13", "cancelled", "Sesión ordinaria n.º 13"),
            "draft": make("s-14", "draft", "Sesión en borrador"),
        }


def test_calendar_entries_are_the_published_sessions(seeded, sessions):
    with government_scope(seeded):
        found = calendar_entries(seeded, timezone.now())
    by_title = {entry.title: entry for entry in found}
    assert set(by_title) == {"Sesión ordinaria n.º 12", "Sesión ordinaria n.º 13"}
    entry = by_title["Sesión ordinaria n.º 12"]
    assert entry.uid == f"{sessions['convened'].uid}@concejo.minga" and entry.module == "council"
    assert entry.category == "Sesión del concejo" and not entry.cancelled
    assert by_title["Sesión ordinaria n.º 13"].cancelled
    with government_scope(seeded):
        assert calendar_entries(seeded, timezone.now() + dt.timedelta(days=10)) == []


def test_the_events_calendar_and_its_feed_show_the_council_agenda(client, seeded, sessions):
    page = client.get(gov_url(seeded, "participation:event_calendar")).content.decode()
    assert "Sesión ordinaria n.º 12" in page and "Sesión del concejo" in page
    assert "Sesión en borrador" not in page
    feed = client.get(gov_url(seeded, "participation:event_calendar_ics")).content.decode()
    assert f"UID:{sessions['convened'].uid}@concejo.minga" in feed
    assert "STATUS:CANCELLED" in feed and "Sesión en borrador" not in feed
    # A filtered calendar lists only participatory events.
    filtered = client.get(gov_url(seeded, "participation:event_calendar") + "?mes=2020-01").content.decode()
    assert "Sesión ordinaria n.º 12" not in filtered


def test_other_governments_and_a_switched_off_council_show_nothing(client, seeded, other_government, sessions):
    for url in (
        gov_url(other_government, "participation:event_calendar"),
        gov_url(other_government, "participation:event_calendar_ics"),
    ):
        assert "Sesión ordinaria n.º 12" not in client.get(url).content.decode()
    seeded.modules = {"council": {"enabled": False}}
    seeded.save()
    feed = client.get(gov_url(seeded, "participation:event_calendar_ics")).content.decode()
    assert "concejo.minga" not in feed
