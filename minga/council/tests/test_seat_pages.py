"""The silla vacía through HTTP: a citizen asks for the seat on an item of a convened session and
sees the secretariat's decision in the public registry; refusals on the page (not verified,
closed session) audited and unsaved; the person's own requests and their withdrawal; the back
office's list with overdue answers, decisions, consensus and vote; the explanation page; the
include for the session page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import set_urlconf
from django.utils import timezone

from minga.core.audit.models import AuditEntry
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import UserFactory, gov_url, login_verified, make_official, make_verified_person
from minga.core.verification.levels import Level

from ..seat import services
from ..seat.models import SeatRequest
from ..sessions.models import Session
from .seat_helpers import REQUEST, item_of, pdf, session_with_items, vote_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(government):
    return session_with_items(government)


@pytest.fixture
def item(session):
    return item_of(session)


def _form_url(government, item):
    return gov_url(government, "council:chair_request", session=item.session.slug, position=item.position)


def _post(client, government, item, **fields):
    data = {**REQUEST, "designated_on": "2026-01-02", "document": pdf(), **fields}
    return client.post(_form_url(government, item), data)


def test_a_citizen_requests_the_seat_and_sees_the_decision_in_the_registry(client, government, item):
    citizen = make_verified_person(government, Level.CEDULA)
    login_verified(client, citizen)
    page = client.get(_form_url(government, item))
    assert page.status_code == 200 and 'id="seat-form"' in page.content.decode()
    response = _post(client, government, item)
    assert response.status_code == 302 and "/silla-vacia/mis-solicitudes/" in response["Location"]
    with government_scope(government):
        seat = SeatRequest.objects.get(user=citizen)
    mine = client.get(gov_url(government, "council:chair_mine")).content.decode()
    assert f'id="solicitud-{seat.pk}"' in mine and item.title in mine
    # Pending: in the registry with the published name and organisation only.
    client.logout()
    registry = client.get(gov_url(government, "council:chair_registry")).content.decode()
    assert "Rosa Zambrano Loor" in registry and "Asamblea Ciudadana Local de Portoviejo" in registry
    assert citizen.email not in registry and "0991234567" not in registry and seat.document.name not in registry
    clerk = make_official(government, "editor", "council")
    login_verified(client, clerk)
    refused = client.post(gov_url(government, "council:office_chair_decide", pk=seat.pk), {"decision": "deny"})
    assert refused.status_code == 400
    done = client.post(
        gov_url(government, "council:office_chair_decide", pk=seat.pk),
        {"decision": "deny", "reasons": "La asamblea no designó a la persona para este punto."},
    )
    assert done.status_code == 302
    client.logout()
    registry = client.get(gov_url(government, "council:chair_registry") + "?estado=denied").content.decode()
    assert "La asamblea no designó a la persona para este punto." in registry and "Rosa Zambrano Loor" in registry
    accredited = client.get(gov_url(government, "council:chair_registry") + "?estado=accredited").content.decode()
    assert "Rosa Zambrano Loor" not in accredited
    # The counts stay those of every status.
    assert "Negadas: <strong>1</strong>" in accredited and "Solicitudes: <strong>1</strong>" in accredited
    old_year = client.get(gov_url(government, "council:chair_registry") + "?anio=2001").content.decode()
    assert "Rosa Zambrano Loor" not in old_year


def test_an_unverified_person_is_told_how_to_get_verified_and_nothing_is_saved(client, government, item):
    login_verified(client, UserFactory())
    page = client.get(_form_url(government, item)).content.decode()
    assert 'id="seat-refusal"' in page and 'id="seat-form"' not in page
    assert gov_url(government, "core:identity").split("/g/")[1].split("/", 1)[1] in page  # the verification page
    response = _post(client, government, item)
    assert response.status_code == 400
    with government_scope(government):
        assert SeatRequest.objects.count() == 0
        assert AuditEntry.objects.filter(action="council.seat.request_refused").count() == 1


def test_a_session_past_its_deadline_or_not_convened_refuses(client, government, session, item):
    login_verified(client, make_verified_person(government, Level.CEDULA))
    with government_scope(government):
        Session.objects.filter(pk=session.pk).update(starts_at=timezone.now() + dt.timedelta(hours=5))
    assert _post(client, government, item).status_code == 400
    with government_scope(government):
        Session.objects.filter(pk=session.pk).update(status="held")
    assert _post(client, government, item).status_code == 400
    with government_scope(government):
        Session.objects.filter(pk=session.pk).update(status="draft")
    assert client.get(_form_url(government, item)).status_code == 404
    with government_scope(government):
        assert SeatRequest.objects.count() == 0
        assert AuditEntry.objects.filter(action="council.seat.request_refused").count() == 2
    assert client.get(gov_url(government, "council:chair_request", session=session.slug, position=9)).status_code == 404


def test_the_requester_withdraws_before_the_answer_and_nobody_else_can(client, government, item):
    citizen = make_verified_person(government, Level.CEDULA)
    login_verified(client, citizen)
    _post(client, government, item)
    with government_scope(government):
        seat = SeatRequest.objects.get(user=citizen)
    login_verified(client, make_verified_person(government, Level.CEDULA))
    assert client.post(gov_url(government, "council:chair_withdraw", pk=seat.pk)).status_code == 404
    login_verified(client, citizen)
    assert client.post(gov_url(government, "council:chair_withdraw", pk=seat.pk)).status_code == 302
    with government_scope(government):
        assert SeatRequest.objects.get(pk=seat.pk).status == "withdrawn"
    client.logout()
    assert client.get(gov_url(government, "council:chair_mine")).status_code == 302


def test_office_list_flags_overdue_answers_and_serves_the_document_to_officials(client, government, item):
    citizen = make_verified_person(government, Level.CEDULA)
    long_ago = timezone.now() - dt.timedelta(days=3)
    with government_scope(government):
        seat = services.request_submit(
            actor=citizen, government=government, item=item, fields=REQUEST, document=pdf(), now=long_ago
        )
    viewer = make_official(government, "viewer", "council")
    login_verified(client, viewer)
    page = client.get(gov_url(government, "council:office_chair_list")).content.decode()
    assert "Rosa Zambrano Loor" in page and 'class="badge">' in page
    assert "1 solicitud espera después de su plazo de respuesta." in page and "Vencida" in page
    detail = client.get(gov_url(government, "council:office_chair_request", pk=seat.pk)).content.decode()
    assert citizen.email in detail and "0991234567" in detail and 'id="decision-form"' not in detail
    document = client.get(gov_url(government, "council:office_chair_document", pk=seat.pk))
    assert document.status_code == 200 and b"".join(document.streaming_content).startswith(b"%PDF-")
    # The file is not public media.
    assert client.get("/media/" + seat.document.name).status_code == 404
    login_verified(client, citizen)
    assert client.get(gov_url(government, "council:office_chair_document", pk=seat.pk)).status_code == 403


def test_office_consensus_and_vote(client, government, item):
    event = vote_event(item)
    clerk = make_official(government, "editor", "council")
    seats = []
    with government_scope(government):
        for index in range(2):
            person = make_verified_person(government, Level.CEDULA)
            seat = services.request_submit(
                actor=person,
                government=government,
                item=item,
                fields={**REQUEST, "public_name": f"Persona {index}"},
                document=pdf(),
            )
            seats.append(services.request_decide(actor=clerk, government=government, seat=seat, accredit=True))
    login_verified(client, clerk)
    page = client.get(gov_url(government, "council:office_chair_item", item_pk=item.pk)).content.decode()
    assert 'id="consensus-form"' in page and f'id="vote-form-{event.pk}"' not in page
    refused = client.post(gov_url(government, "council:office_chair_vote", event_pk=event.pk), {"option": "yes"})
    assert refused.status_code == 400
    response = client.post(
        gov_url(government, "council:office_chair_consensus", item_pk=item.pk), {"chosen": str(seats[1].pk)}
    )
    assert response.status_code == 302
    assert (
        client.post(
            gov_url(government, "council:office_chair_vote", event_pk=event.pk), {"option": "abstain"}
        ).status_code
        == 302
    )
    with government_scope(government):
        event.refresh_from_db()
    assert (event.empty_chair_option, event.empty_chair_name) == ("abstain", "Persona 1")
    registry = client.get(gov_url(government, "council:chair_registry")).content.decode()
    assert registry.count("Persona 1") >= 2  # the request, and who votes on the item


def test_rules_page_and_explanation(client, government):
    login_verified(client, make_official(government, "editor", "council"))
    response = client.post(
        gov_url(government, "council:office_chair_rules"),
        {"verification_level": "30", "deadline_hours": "72", "answer_hours": "12", "legal_reference": "Ordenanza 5"},
    )
    assert response.status_code == 302
    client.logout()
    page = client.get(gov_url(government, "council:chair_about")).content.decode()
    assert "72" in page and "12" in page and "Ordenanza 5" in page
    assert "(verify)" not in client.get(gov_url(government, "council:chair_about")).content.decode()


def test_the_include_for_the_session_page(government, item):
    request = RequestFactory().get("/")
    set_urlconf(settings.GOVERNMENT_URLCONF)
    with government_scope(government):
        open_html = render_to_string(
            "council/seat/_item_request.html",
            {"item": item, "seat_open": True, "seat_counts": {"requests": 3, "accredited": 1}},
            request=request,
        )
        closed_html = render_to_string("council/seat/_item_request.html", {"item": item, "seat_open": False})
    set_urlconf(None)
    assert "/silla-vacia/" in open_html and "3" in open_html
    assert "href" not in closed_html
