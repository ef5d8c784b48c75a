"""The silla vacía's services: a request refused (audited, nothing saved) for an item of a
session that is not convened, after the deadline, without the verification the council asks,
or a second time; the secretariat's decision with reasons; the consensus rules; the seat's vote
in a vote event; the requester told of each step (in-app and by e-mail)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from minga.core.audit.models import AuditEntry
from minga.core.notifications.models import Notification
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import UserFactory, make_official, make_verified_person
from minga.core.verification import selectors as verification
from minga.core.verification.levels import Level

from ..seat import demo, selectors, services
from ..seat.models import SeatConsensus, SeatRequest, SeatRules
from ..seat.services import SeatRefused
from ..sessions.models import Session, VoteEvent
from .seat_helpers import REQUEST, item_of, pdf, session_with_items, vote_event

pytestmark = pytest.mark.django_db

STARTS = dt.datetime(2026, 12, 20, 15, 0, tzinfo=dt.UTC)
NOW = STARTS - dt.timedelta(days=5)


@pytest.fixture
def session(government):
    return session_with_items(government, starts_at=STARTS)


@pytest.fixture
def item(session):
    return item_of(session)


@pytest.fixture
def citizen(government):
    return make_verified_person(government, Level.CEDULA)


@pytest.fixture
def clerk(government):
    return make_official(government, "editor", "council")


def _submit(government, item, user, *, now=NOW, document=None, **fields):
    with government_scope(government):
        return services.request_submit(
            actor=user,
            government=government,
            item=item,
            fields={**REQUEST, **fields},
            document=document or pdf(),
            now=now,
        )


def _refused(government, item, user, code, **kwargs):
    with government_scope(government):
        before = SeatRequest.objects.count()
    with pytest.raises(SeatRefused) as caught:
        _submit(government, item, user, **kwargs)
    assert caught.value.code == code
    with government_scope(government):
        assert SeatRequest.objects.count() == before
        entry = AuditEntry.objects.filter(action="council.seat.request_refused").order_by("-pk").first()
    assert entry is not None and entry.changes["refused"] == [None, code] and entry.object_id == str(item.pk)
    return caught.value


def test_a_request_is_saved_audited_and_acknowledged(government, item, citizen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        seat = _submit(government, item, citizen)
    with government_scope(government):
        seat.refresh_from_db()
        assert seat.status == "submitted" and seat.user == citizen and seat.phone == "0991234567"
        # The answer is due within the council's hours (24 by default) and before the session.
        assert seat.answer_due_at == NOW + dt.timedelta(hours=24)
        assert seat.document.name.startswith("council-private/seat/") and "acta" not in seat.document.name
        assert AuditEntry.objects.filter(action="council.seat.requested").count() == 1
        notice = Notification.objects.get(user=citizen)
    assert notice.event == "seat.received" and item.title in notice.title
    # The requester acted, yet is told (the notice is for them): one e-mail through the test backend.
    assert [message.to for message in mail.outbox] == [[citizen.email]]


@pytest.mark.parametrize("status", ["draft", "held", "closed", "cancelled"])
def test_a_session_that_is_not_convened_refuses(government, session, item, citizen, status):
    with government_scope(government):
        Session.objects.filter(pk=session.pk).update(status=status)
    item.session.refresh_from_db()
    _refused(government, item, citizen, "not_convened")
    with government_scope(government):
        assert SeatRequest.objects.count() == 0


def test_the_deadline(government, item, citizen):
    # 48 hours before the session by default: one minute later is refused, the last minute is not.
    late = STARTS - dt.timedelta(hours=48) + dt.timedelta(minutes=1)
    error = _refused(government, item, citizen, "deadline", now=late)
    assert "48" in " ".join(error.messages)
    _submit(government, item, citizen, now=STARTS - dt.timedelta(hours=48))
    # A council's own rules move it.
    with government_scope(government):
        SeatRules.objects.create(government=government, deadline_hours=200)
    other = make_verified_person(government, Level.CEDULA)
    _refused(government, item_of(item.session, 2), other, "deadline", now=NOW)


def test_the_verification_level_is_the_councils(government, item, citizen):
    email_only = UserFactory()
    error = _refused(government, item, email_only, "verification")
    assert len(" ".join(error.messages)) > 20  # says what is needed and how to get it
    with government_scope(government):
        SeatRules.objects.create(government=government, verification_level=Level.EMAIL)
    assert _submit(government, item, email_only).status == "submitted"
    with government_scope(government):
        SeatRules.objects.filter(government=government).update(verification_level=Level.ASSISTED)
    _refused(government, item_of(item.session, 2), citizen, "verification")
    desk = make_verified_person(government, Level.ASSISTED)
    assert _submit(government, item_of(item.session, 2), desk).status == "submitted"


def test_a_second_live_request_is_refused_and_a_withdrawn_one_frees_the_item(government, item, citizen):
    seat = _submit(government, item, citizen)
    _refused(government, item, citizen, "twice")
    with government_scope(government):
        services.request_withdraw(actor=citizen, government=government, seat=seat, now=NOW)
        assert SeatRequest.objects.get(pk=seat.pk).status == "withdrawn"
    assert _submit(government, item, citizen).status == "submitted"


def test_only_a_pdf_is_taken_and_nothing_is_saved(government, item, citizen):
    with pytest.raises(ValidationError) as caught:
        _submit(government, item, citizen, document=pdf("acta.pdf", b"<html>no</html>"))
    assert "document" in caught.value.message_dict
    with pytest.raises(ValidationError):
        _submit(government, item, citizen, public_name="  ")
    with government_scope(government):
        assert SeatRequest.objects.count() == 0


def test_decisions_need_reasons_to_deny_and_happen_once(
    government, item, citizen, clerk, django_capture_on_commit_callbacks
):
    seat = _submit(government, item, citizen)
    with government_scope(government):
        with pytest.raises(ValidationError) as caught:
            services.request_decide(actor=clerk, government=government, seat=seat, accredit=False, reasons=" ")
        assert "reasons" in caught.value.message_dict
        with django_capture_on_commit_callbacks(execute=True):
            services.request_decide(
                actor=clerk, government=government, seat=seat, accredit=False, reasons="Designación tardía."
            )
        seat.refresh_from_db()
        assert seat.status == "denied" and seat.reasons == "Designación tardía." and seat.decided_by == clerk
        notice = Notification.objects.filter(user=citizen, event="seat.denied").get()
        assert "Designación tardía." in notice.summary
        with pytest.raises(SeatRefused):
            services.request_decide(actor=clerk, government=government, seat=seat, accredit=True)
        assert SeatRequest.objects.get(pk=seat.pk).status == "denied"
        assert AuditEntry.objects.filter(action="council.seat.decision_refused").count() == 1
        # A decided request cannot be withdrawn.
        with pytest.raises(SeatRefused):
            services.request_withdraw(actor=citizen, government=government, seat=seat, now=NOW)
        assert AuditEntry.objects.filter(action="council.seat.withdraw_refused").count() == 1
    assert [message.to for message in mail.outbox] == [[citizen.email]]


def _accredited(government, item, clerk, count):
    seats = []
    for _ in range(count):
        seat = _submit(government, item, make_verified_person(government, Level.CEDULA))
        with government_scope(government):
            seats.append(services.request_decide(actor=clerk, government=government, seat=seat, accredit=True))
    return seats


def test_one_accredited_person_votes_and_the_vote_is_recorded(
    government, item, clerk, django_capture_on_commit_callbacks
):
    event = vote_event(item)
    with government_scope(government):
        # Nobody accredited: refused and audited, the event untouched.
        with pytest.raises(SeatRefused):
            services.vote_record(actor=clerk, government=government, event=event, option="yes")
        assert AuditEntry.objects.filter(action="council.seat.vote_refused").count() == 1
        assert VoteEvent.objects.get(pk=event.pk).empty_chair_option == ""
    (seat,) = _accredited(government, item, clerk, 1)
    with government_scope(government):
        assert selectors.voter(item) == seat
        with pytest.raises(ValidationError):
            services.vote_record(actor=clerk, government=government, event=event, option="maybe")
        with django_capture_on_commit_callbacks(execute=True):
            services.vote_record(actor=clerk, government=government, event=event, option="no")
        stored = VoteEvent.objects.get(pk=event.pk)
        assert (stored.empty_chair_option, stored.empty_chair_name) == ("no", seat.public_name)
        assert Notification.objects.filter(user=seat.user, event="seat.vote").exists()
        assert AuditEntry.objects.filter(action="council.seat.vote_recorded").count() == 1


def test_several_accredited_need_a_consensus_to_vote(government, item, clerk, django_capture_on_commit_callbacks):
    event = vote_event(item)
    with government_scope(government), pytest.raises(SeatRefused):  # nobody accredited yet
        services.consensus_record(actor=clerk, government=government, item=item, chosen=None)
    first, second = _accredited(government, item, clerk, 2)
    with government_scope(government):
        # Without a consensus recorded, nobody votes.
        assert selectors.voter(item) is None
        with pytest.raises(SeatRefused):
            services.vote_record(actor=clerk, government=government, event=event, option="yes")
        # A request of another item is not a choice.
        other_item = item_of(item.session, 2)
        (foreign,) = _accredited(government, other_item, clerk, 1)
        with pytest.raises(SeatRefused):
            services.consensus_record(actor=clerk, government=government, item=item, chosen=foreign)
        # No consensus: they speak without a vote.
        with django_capture_on_commit_callbacks(execute=True):
            services.consensus_record(actor=clerk, government=government, item=item, chosen=None, note="Sin acuerdo")
        assert selectors.voter(item) is None and selectors.seat_state(item)["without_vote"]
        assert Notification.objects.filter(event="seat.consensus").count() == 2
        # Then they agree: the chosen one votes.
        services.consensus_record(actor=clerk, government=government, item=item, chosen=second)
        assert SeatConsensus.objects.get(item=item).chosen == second
        assert selectors.voter(item) == second
        services.vote_record(actor=clerk, government=government, event=event, option="yes")
        assert VoteEvent.objects.get(pk=event.pk).empty_chair_name == second.public_name
        # Once the seat voted, the consensus stays.
        with pytest.raises(SeatRefused):
            services.consensus_record(actor=clerk, government=government, item=item, chosen=first)
        assert AuditEntry.objects.filter(action="council.seat.consensus_refused").count() == 3


def test_counts_by_item(government, session, item, citizen, clerk):
    seat = _submit(government, item, citizen)
    other = _submit(government, item, make_verified_person(government, Level.CEDULA))
    gone = _submit(government, item_of(session, 2), make_verified_person(government, Level.CEDULA))
    with government_scope(government):
        services.request_decide(actor=clerk, government=government, seat=seat, accredit=True)
        services.request_decide(actor=clerk, government=government, seat=other, accredit=False, reasons="No.")
        services.request_withdraw(actor=gone.user, government=government, seat=gone, now=NOW)
        counts = selectors.counts_by_item([item.pk, item_of(session, 2).pk])
    assert counts == {item.pk: {"requests": 2, "accredited": 1, "denied": 1, "pending": 0}}


def test_demo_seeds_decided_requests_a_consensus_and_a_vote(government):
    now = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
    held = session_with_items(government, slug="sesion-11", status="held", starts_at=now - dt.timedelta(days=7))
    session_with_items(government, slug="sesion-13", status="convened", starts_at=now + dt.timedelta(days=7))
    events = [vote_event(item_of(held, 1)), vote_event(item_of(held, 2))]
    out = io.StringIO()
    with government_scope(government):
        demo.seed(government, now=now, stdout=out)
        demo.seed(government, now=now, stdout=out)  # a second run adds nothing
        statuses = sorted(SeatRequest.objects.values_list("status", flat=True))
        assert statuses == ["accredited", "accredited", "accredited", "denied", "submitted"]
        assert SeatRequest.objects.filter(status="denied").exclude(reasons="").count() == 1
        second = item_of(held, 2)
        assert selectors.voter(second) == SeatConsensus.objects.get(item=second).chosen
        voted = [VoteEvent.objects.get(pk=event.pk) for event in events]
        assert [event.empty_chair_option for event in voted] == ["yes", "no"]
        # The demo people reach the default level (a registered cédula).
        person = SeatRequest.objects.filter(status="submitted").get().user
        assert verification.level_of(person, government) >= Level.CEDULA
    assert "5 solicitudes" in out.getvalue()
