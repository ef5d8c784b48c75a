"""The silla vacía on the session page and in a member's voting record: a convened item links
to the request form while requests are taken, counts the requests it received, and a member's
record says on how many of the items they voted on the citizens asked for the seat."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from minga.core.tenancy.scoping import government_scope
from minga.core.testing import gov_url, make_verified_person

from ..members.models import Membership, Person
from ..seat import services as seat_services
from ..sessions.models import Session, Vote
from .seat_helpers import REQUEST, item_of, pdf, session_with_items, vote_event

pytestmark = pytest.mark.django_db


def test_session_page_links_each_item_to_the_request_form_and_counts_requests(client, government):
    session = session_with_items(government, slug="sesion-convocada")
    first = item_of(session)
    with government_scope(government):
        seat_services.request_submit(
            actor=make_verified_person(government), government=government, item=first, fields=REQUEST, document=pdf()
        )
    page = client.get(gov_url(government, "council:session_detail", slug=session.slug)).content.decode()
    request_url = gov_url(government, "council:chair_request", session=session.slug, position=2)
    assert f'href="{request_url}"' in page
    assert "1 solicitud, 0 acreditadas" in page
    assert "Solicitudes hasta el" in page  # the deadline, in the session's facts
    # Past the deadline (48 h before the session by default) the form is no longer offered.
    with government_scope(government):
        Session.objects.filter(pk=session.pk).update(starts_at=timezone.now() + dt.timedelta(hours=6))
    page = client.get(gov_url(government, "council:session_detail", slug=session.slug)).content.decode()
    assert f'href="{request_url}"' not in page and "Silla vacía: solicitudes cerradas" in page
    assert "Las solicitudes se cerraron el" in page


def test_voting_record_counts_the_silla_vacia_of_the_items_voted_on(client, government):
    session = session_with_items(government, slug="sesion-con-silla")
    first = item_of(session)
    with government_scope(government):
        person = Person.objects.create(government=government, slug="vocal", name="Vocal Uno")
        Membership.objects.create(
            government=government, council=session.council, person=person, role="member", starts_on=dt.date(2024, 1, 1)
        )
        seat = seat_services.request_submit(
            actor=make_verified_person(government), government=government, item=first, fields=REQUEST, document=pdf()
        )
        seat_services.request_decide(actor=None, government=government, seat=seat, accredit=True)
    for item in (first, item_of(session, 2)):
        Vote.objects.create(government=government, event=vote_event(item), person=person, option="yes")
    page = client.get(gov_url(government, "council:member_votes", slug=person.slug)).content.decode()
    assert "La ciudadanía pidió la silla vacía en 1 de estos puntos: 1 solicitud, 1 acreditada" in page
    assert page.count("Silla vacía: 1 acreditada") == 1
