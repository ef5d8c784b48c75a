"""Services of events: capacity and the waiting list under cancellation, guest confirmation,
reminders sent once (through a real SMTP server), attendance counts, agreements, PDF checks."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import itertools
import socket

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from minga.core.audit.models import AuditEntry
from minga.core.notifications import services as notifications
from minga.core.notifications.models import Notification
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import UserFactory

from .. import emails, services
from ..models import Agreement, Registration
from .builders import event as make_event

pytestmark = pytest.mark.django_db
Status = Registration.Status
_serial = itertools.count(1)


def _person(n):
    return UserFactory(email=f"persona{n}-{next(_serial)}@example.org", preferred_language="es")


def test_capacity_fills_then_waiting_list_and_cancel_promotes_first_in_line(
    government, django_capture_on_commit_callbacks
):
    event = make_event(government, registration_enabled=True, capacity=2)
    people = [_person(n) for n in range(4)]
    with government_scope(government), django_capture_on_commit_callbacks(execute=True):
        regs = [
            services.register_user(event=event, user=p, now=timezone.now() + dt.timedelta(seconds=i))
            for i, p in enumerate(people)
        ]
    assert [r.status for r in regs] == [Status.CONFIRMED, Status.CONFIRMED, Status.WAITING, Status.WAITING]
    mail.outbox.clear()
    with government_scope(government), django_capture_on_commit_callbacks(execute=True):
        promoted = services.cancel(registration=regs[0])
    assert promoted.pk == regs[2].pk
    with government_scope(government):
        statuses = {r.pk: r.status for r in Registration.objects.filter(event=event)}
    assert statuses == {
        regs[0].pk: Status.CANCELLED,
        regs[1].pk: Status.CONFIRMED,
        regs[2].pk: Status.CONFIRMED,
        regs[3].pk: Status.WAITING,
    }
    assert [m.to for m in mail.outbox] == [[people[2].email]]
    assert "Se liberó un cupo" in mail.outbox[0].subject
    # Cancelling a waiting person promotes nobody; cancelling twice changes nothing.
    with government_scope(government):
        assert services.cancel(registration=regs[3]) is None
        assert services.cancel(registration=regs[3]) is None
        assert services.places_left(event) == 0


def test_registering_twice_is_refused(government):
    event = make_event(government, registration_enabled=True)
    person = _person(9)
    with government_scope(government):
        services.register_user(event=event, user=person)
        with pytest.raises(services.RegistrationRefused):
            services.register_user(event=event, user=person)


def test_guest_takes_a_place_only_after_confirming(government, django_capture_on_commit_callbacks):
    event = make_event(government, registration_enabled=True, capacity=1)
    with government_scope(government), django_capture_on_commit_callbacks(execute=True):
        guest = services.register_guest(event=event, name="Ana  Vera", email="Ana@Example.org")
    assert guest.status == Status.UNCONFIRMED and guest.email == "ana@example.org" and guest.name == "Ana Vera"
    assert len(mail.outbox) == 1 and emails.confirmation_token(guest) in mail.outbox[0].body.replace("%3A", ":")
    with government_scope(government):
        assert services.places_left(event) == 1
        confirmed = services.confirm_guest(registration=guest)
        assert confirmed.status == Status.CONFIRMED
        assert services.confirm_guest(registration=guest).status == Status.CONFIRMED  # idempotent
        with pytest.raises(services.RegistrationRefused):
            services.register_guest(event=event, name="Ana", email="ana@example.org")


def test_registration_closed_when_not_enabled_or_started(government):
    closed = make_event(government)
    past = make_event(government, days=-1, registration_enabled=True)
    with government_scope(government):
        for event in (closed, past):
            with pytest.raises(services.RegistrationRefused):
                services.register_user(event=event, user=_person(20))


def test_raising_the_capacity_promotes_the_waiting_list(government):
    event = make_event(government, registration_enabled=True, capacity=1)
    with government_scope(government):
        first = services.register_user(event=event, user=_person(30))
        second = services.register_user(event=event, user=_person(31), now=timezone.now() + dt.timedelta(seconds=1))
        assert second.status == Status.WAITING
        services.event_update(actor=None, government=government, event=event, capacity=2)
        second.refresh_from_db()
    assert first.status == Status.CONFIRMED and second.status == Status.CONFIRMED


# Reminders through a real SMTP server --------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Inbox:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802  (aiosmtpd's hook name)
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def test_reminder_goes_once_through_a_real_smtp_server(government):
    controller_module = pytest.importorskip("aiosmtpd.controller")
    tomorrow = make_event(government, days=0.8, registration_enabled=True)
    later = make_event(government, days=5, registration_enabled=True)
    person = _person(40)
    with government_scope(government):
        services.register_user(event=tomorrow, user=person)
        services.register_user(event=later, user=person)
        waiting_or_cancelled = services.register_user(event=tomorrow, user=_person(41))
        services.cancel(registration=waiting_or_cancelled)
    inbox = _Inbox()
    port = _free_port()
    controller = controller_module.Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
            SITE_URL="https://minga.example",
        ):
            assert services.send_reminders() == 1
            assert services.send_reminders() == 0  # a second run sends nothing
    finally:
        controller.stop()
    assert len(inbox.envelopes) == 1
    envelope = inbox.envelopes[0]
    assert envelope.rcpt_tos == [person.email]
    received = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
    assert tomorrow.title in received["Subject"]
    body = received.get_body(preferencelist=("plain",)).get_content()
    assert f"https://minga.example/g/{government.slug}/participacion/eventos/{tomorrow.slug}/" in body
    with government_scope(government):
        assert Registration.objects.filter(event=tomorrow, reminded_at__isnull=False).count() == 1


def test_a_failed_reminder_is_given_back_for_the_next_run(government, monkeypatch):
    event = make_event(government, days=0.5, registration_enabled=True)
    with government_scope(government):
        services.register_user(event=event, user=_person(50))

    def broken(registration):
        raise OSError("server down")

    monkeypatch.setattr(emails, "send_reminder", broken)
    assert services.send_reminders() == 0
    monkeypatch.undo()
    assert services.send_reminders() == 1


# After the event -----------------------------------------------------------------------


def test_minutes_refuse_a_file_that_is_not_a_pdf(government):
    event = make_event(government, days=-2)
    fake = SimpleUploadedFile("acta.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    with government_scope(government), pytest.raises(ValidationError) as raised:
        services.minutes_save(
            actor=None,
            government=government,
            event=event,
            minutes_text="",
            minutes_file=fake,
            publish=False,
            attendance={},
        )
    assert "minutes_file" in raised.value.error_dict


def test_minutes_published_notify_followers_once(government, django_capture_on_commit_callbacks):
    event = make_event(government, days=-2)
    follower = _person(60)
    pdf = SimpleUploadedFile("acta.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    attendance = {"attendance_total": 50, "attendance_women": 30, "attendance_men": 19, "attendance_other": 1}
    with government_scope(government):
        notifications.follow(user=follower, government=government, target=event)
        with django_capture_on_commit_callbacks(execute=True):
            services.minutes_save(
                actor=None,
                government=government,
                event=event,
                minutes_text="## Acta",
                minutes_file=pdf,
                publish=True,
                attendance=attendance,
            )
        with django_capture_on_commit_callbacks(execute=True):
            services.minutes_save(
                actor=None,
                government=government,
                event=event,
                minutes_text="## Acta corregida",
                publish=True,
                attendance=attendance,
            )
        event.refresh_from_db()
        assert Notification.objects.filter(user=follower).count() == 1
    assert event.has_minutes and event.minutes_file.name.endswith(".pdf") and event.attendance_women == 30
    assert AuditEntry.objects.filter(action="participation.event.minutes_saved").count() == 2


def test_attendance_parts_cannot_exceed_the_total(government):
    event = make_event(government, days=-2)
    with government_scope(government), pytest.raises(ValidationError) as raised:
        services.minutes_save(
            actor=None,
            government=government,
            event=event,
            minutes_text="",
            publish=False,
            attendance={"attendance_total": 10, "attendance_women": 8, "attendance_men": 5, "attendance_other": None},
        )
    assert "attendance_total" in raised.value.error_dict


def test_moving_an_event_notifies_its_followers(government, django_capture_on_commit_callbacks):
    event = make_event(government)
    follower = _person(70)
    with government_scope(government):
        notifications.follow(user=follower, government=government, target=event)
        with django_capture_on_commit_callbacks(execute=True):
            services.event_update(actor=None, government=government, event=event, purpose="Otro texto")
        assert Notification.objects.filter(user=follower).count() == 0
        with django_capture_on_commit_callbacks(execute=True):
            services.event_update(
                actor=None,
                government=government,
                event=event,
                starts_at=event.starts_at + dt.timedelta(days=1),
                ends_at=event.ends_at + dt.timedelta(days=1),
            )
        assert Notification.objects.filter(user=follower).count() == 1


def test_agreements_are_numbered_and_change_status(government):
    event = make_event(government, days=-3)
    with government_scope(government):
        first = services.agreement_save(
            actor=None,
            government=government,
            event=event,
            agreement=None,
            fields={"text": "Reparar la vía", "responsible": "Obras", "status": "pending"},
        )
        second = services.agreement_save(
            actor=None,
            government=government,
            event=event,
            agreement=None,
            fields={"text": "Informar", "responsible": "Planificación"},
        )
        assert (first.number, second.number) == (1, 2)
        assert first.key == f"{event.slug}/1"
        services.agreement_save(
            actor=None, government=government, event=event, agreement=first, fields={"status": "done"}
        )
        first.refresh_from_db()
        assert first.status == Agreement.Status.DONE
        with pytest.raises(ValidationError):
            services.agreement_save(
                actor=None, government=government, event=event, agreement=first, fields={"status": "lost"}
            )
        first.due_on = timezone.localdate() - dt.timedelta(days=1)
        second.due_on = timezone.localdate() - dt.timedelta(days=1)
        assert not first.is_overdue(timezone.localdate()) and second.is_overdue(timezone.localdate())


def test_an_event_needs_a_place_or_a_link_and_ends_after_it_starts(government):
    with pytest.raises(ValidationError) as raised:
        make_event(government, address="", hours=-1)
    assert {"address", "ends_at"} <= set(raised.value.error_dict)
