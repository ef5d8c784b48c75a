"""Back-office pages of committees and events say what is stored. Date fields show the stored
date: a browser's date input reads only YYYY-MM-DD, and Django's localised "dd/mm/yyyy" left it
blank, so saving the form again cleared an optional date (a committee's end, an agreement's due
date) without a word. The registrations page of an event that takes none says so."""

from __future__ import annotations

import datetime as dt

import pytest

from minga.core.tenancy.scoping import government_scope
from minga.core.testing import gov_url, login_verified, make_official

from ..committees import services as committees
from ..events import services as events
from ..events.tests.builders import event as make_event
from . import factories

pytestmark = pytest.mark.django_db


def test_committee_and_agreement_forms_show_their_dates(client, government):
    process = factories.process(government, slug="pp-fechas")
    happening = make_event(government, days=-3)
    with government_scope(government):
        committee = committees.committee_save(
            actor=None,
            government=government,
            committee=None,
            fields={
                "name": "Veeduría del presupuesto",
                "object_kind": "participation.process",
                "object_key": process.slug,
                "starts_on": dt.date(2026, 1, 10),
                "ends_on": dt.date(2026, 12, 20),
                "status": "active",
                "is_published": True,
            },
        )
        agreement = events.agreement_save(
            actor=None,
            government=government,
            event=happening,
            agreement=None,
            fields={"text": "Reparar la vía", "responsible": "Obras", "due_on": dt.date(2026, 3, 31)},
        )
    login_verified(client, make_official(government, "editor", "participation"))
    html = client.get(gov_url(government, "participation:office_committee_edit", pk=committee.pk)).content.decode()
    assert 'value="2026-01-10"' in html and 'value="2026-12-20"' in html
    url = gov_url(government, "participation:office_event_agreement_edit", pk=happening.pk, agreement_pk=agreement.pk)
    assert 'value="2026-03-31"' in client.get(url).content.decode()


def test_the_registrations_page_says_when_the_event_takes_none(client, government):
    closed = make_event(government, days=5)
    open_ = make_event(government, days=5, registration_enabled=True, capacity=10)
    login_verified(client, make_official(government, "viewer", "participation"))
    for event, notice in ((closed, True), (open_, False)):
        url = gov_url(government, "participation:office_event_registrations", pk=event.pk)
        html = client.get(url).content.decode()
        assert ("Este evento no recibe inscripciones" in html) is notice
