"""Follows and notices (core/notifications), through the services: one follow per person and
record (a database constraint), the person who acted is not told, what is not public is
neither followable nor notified, each person's choice per kind (at once, daily, weekly, only in
the app, off), digests grouped per person across governments, each e-mail in the person's
language with absolute links and the one-click unsubscribe headers, and an account's deletion
taking its follows and notices with it."""

import datetime as dt
import email
import email.policy
import socket

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.utils import timezone
from django.utils.translation import gettext

from minga.core.accounts.services import account_delete
from minga.core.notifications import emails, services
from minga.core.notifications.models import Delivery, Follow, Notification, NotificationPreference
from minga.core.scheduling.services import periodic_jobs
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import UserFactory, approve_host

from .notification_helpers import KIND, NOW, document, followable  # noqa: F401  (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("followable")]

SITE = "https://minga.example"


def _notify(government, target, *, actor=None, title="Cambió", summary="", captured=None):
    with captured(execute=True):
        services.notify(
            government=government, target=target, event="changed", title=title, summary=summary, actor=actor
        )


def _notices(government, **filters):
    with government_scope(government):
        return list(Notification.objects.filter(**filters).order_by("pk"))


# Follows ---------------------------------------------------------------------------------


def test_one_follow_per_person_and_record_by_the_database(government):
    target, person = document(government), UserFactory()
    assert services.follow(user=person, government=government, target=target) is True
    assert services.follow(user=person, government=government, target=target) is False
    with government_scope(government), pytest.raises(IntegrityError), transaction.atomic():
        Follow.objects.create(government=government, user=person, kind=KIND, object_id=target.pk, created_at=NOW)
    with government_scope(government):
        assert Follow.objects.filter(user=person).count() == 1
    assert services.unfollow(user=person, government=government, kind=KIND, object_id=target.pk) is True
    assert services.unfollow(user=person, government=government, kind=KIND, object_id=target.pk) is False


def test_what_is_not_public_cannot_be_followed(government, other_government):
    draft = document(government, "Borrador", public=False)
    with pytest.raises(ValidationError):
        services.follow(user=UserFactory(), government=government, target=draft)
    # A record of another government is refused too, even when public there.
    with pytest.raises(ValidationError):
        services.follow(user=UserFactory(), government=other_government, target=document(government, "Ajeno"))
    # The module's own rule lets the owner follow what only they may see.
    owner = UserFactory()
    own = document(government, "Mi propuesta", public=False, owner=owner)
    assert services.follow(user=owner, government=government, target=own) is True
    with pytest.raises(ValidationError):
        services.follow(user=UserFactory(), government=government, target=own)


# Notices ---------------------------------------------------------------------------------


def test_notify_tells_followers_but_not_the_actor(government, django_capture_on_commit_callbacks):
    target = document(government)
    follower, actor, gone = UserFactory(), UserFactory(), UserFactory(is_active=False)
    for person in (follower, actor):
        services.follow(user=person, government=government, target=target)
    with government_scope(government):
        Follow.objects.create(government=government, user=gone, kind=KIND, object_id=target.pk, created_at=NOW)
    _notify(government, target, actor=actor, title="Nuevos datos", captured=django_capture_on_commit_callbacks)
    notices = _notices(government)
    assert [notice.user for notice in notices] == [follower]
    assert notices[0].title == "Nuevos datos" and notices[0].path == target.url and notices[0].read_at is None
    assert [message.to for message in mail.outbox] == [[follower.email]]


def test_nothing_is_sent_when_the_transaction_rolls_back(government, django_capture_on_commit_callbacks):
    target = document(government)
    services.follow(user=UserFactory(), government=government, target=target)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        services.notify(government=government, target=target, event="changed", title="x")
        transaction.set_rollback(True)
    assert callbacks == [] and _notices(government) == [] and mail.outbox == []


def test_a_record_no_longer_public_is_not_notified(government, django_capture_on_commit_callbacks):
    target = document(government)
    services.follow(user=UserFactory(), government=government, target=target)
    with government_scope(government):
        target.module = "private"
        target.save()
    _notify(government, target, captured=django_capture_on_commit_callbacks)
    assert _notices(government) == [] and mail.outbox == []


def test_a_record_visible_to_some_is_notified_to_them_only(government, django_capture_on_commit_callbacks):
    owner, other = UserFactory(), UserFactory()
    target = document(government, public=True, owner=owner)
    services.follow(user=owner, government=government, target=target)
    services.follow(user=other, government=government, target=target)
    with government_scope(government):
        target.module = "private"  # in review: only its author sees it now
        target.save()
    _notify(government, target, captured=django_capture_on_commit_callbacks)
    assert [notice.user for notice in _notices(government)] == [owner]


def test_a_switched_off_module_tells_nobody(government, django_capture_on_commit_callbacks):
    target = document(government)
    services.follow(user=UserFactory(), government=government, target=target)
    government.modules = {"testdocs": {"enabled": False}}
    government.save()
    _notify(government, target, captured=django_capture_on_commit_callbacks)
    assert _notices(government) == []


def test_each_person_chooses_how_per_kind(government, django_capture_on_commit_callbacks):
    target = document(government)
    people = {delivery: UserFactory() for delivery in Delivery.values}
    for delivery, person in people.items():
        services.follow(user=person, government=government, target=target)
        services.preferences_save(user=person, choices={KIND: delivery})
    _notify(government, target, captured=django_capture_on_commit_callbacks)
    by_person = {notice.user_id: notice for notice in _notices(government)}
    assert people["off"].pk not in by_person
    assert by_person[people["in_app"].pk].email == ""
    assert by_person[people["daily"].pk].email == "daily" and by_person[people["weekly"].pk].email == "weekly"
    assert by_person[people["immediate"].pk].emailed_at is not None
    assert [message.to for message in mail.outbox] == [[people["immediate"].email]]
    with pytest.raises(ValidationError):
        services.preferences_save(user=people["off"], choices={KIND: "sometimes"})
    with pytest.raises(ValidationError):
        services.preferences_save(user=people["off"], choices={"unknown.kind": "off"})


@override_settings(SITE_URL=SITE)
def test_the_email_is_in_the_persons_language_with_absolute_links_and_unsubscribe_headers(
    government, django_capture_on_commit_callbacks
):
    target = document(government, url="/datos/conjuntos/agua/")
    spanish, english = UserFactory(preferred_language="es"), UserFactory(preferred_language="en")
    for person in (spanish, english):
        services.follow(user=person, government=government, target=target)

    _notify(government, target, title=lambda: gettext("Notifications"), captured=django_capture_on_commit_callbacks)
    by_address = {message.to[0]: message for message in mail.outbox}
    assert (
        by_address[spanish.email].subject == "Notificaciones" and by_address[english.email].subject == "Notifications"
    )
    assert by_address[spanish.email].body.startswith("Hola") and by_address[english.email].body.startswith("Hello")
    message = by_address[english.email]
    assert f"{SITE}/g/{government.slug}/datos/conjuntos/agua/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith(f"<{SITE}/g/{government.slug}/cuenta/avisos/baja/") and unsubscribe.endswith("/>")
    assert unsubscribe[1:-1] in message.body
    # The stored notice keeps each person's language too.
    titles = {notice.user_id: notice.title for notice in _notices(government)}
    assert titles == {spanish.pk: "Notificaciones", english.pk: "Notifications"}


@override_settings(SITE_URL=SITE)
def test_a_government_with_its_own_host_links_there(government, django_capture_on_commit_callbacks):
    approve_host(government, "datos.manabi.gob.ec")
    target = document(government)
    services.follow(user=UserFactory(), government=government, target=target)
    _notify(government, target, captured=django_capture_on_commit_callbacks)
    assert "https://datos.manabi.gob.ec/datos/conjuntos/agua/" in mail.outbox[0].body


def test_an_at_once_notice_is_emailed_once(government, django_capture_on_commit_callbacks):
    target = document(government)
    services.follow(user=UserFactory(), government=government, target=target)
    _notify(government, target, captured=django_capture_on_commit_callbacks)
    ids = [notice.pk for notice in _notices(government)]
    assert emails.send_at_once(government=government, notification_ids=ids) == 0
    assert len(mail.outbox) == 1


def test_an_at_once_notice_switched_to_a_digest_waits_for_it(government):
    target, person = document(government), UserFactory()
    services.follow(user=person, government=government, target=target)
    with government_scope(government):
        notice = Notification.objects.create(
            government=government, user=person, kind=KIND, object_id=target.pk, event="x", title="x", path="/",
            created_at=NOW, email="immediate",
        )  # fmt: skip
    services.preferences_save(user=person, choices={KIND: "weekly"})
    assert emails.send_at_once(government=government, notification_ids=[notice.pk]) == 0
    notice.refresh_from_db()
    assert notice.email == "weekly" and notice.emailed_at is None and mail.outbox == []


# Digests ---------------------------------------------------------------------------------


def _waiting(government, person, title, *, email="daily", created_at=NOW):
    target = document(government, title)
    with government_scope(government):
        return Notification.objects.create(
            government=government, user=person, kind=KIND, object_id=target.pk, event="changed", title=title,
            summary=f"Resumen de {title}", path=target.url, created_at=created_at, email=email,
        )  # fmt: skip


@override_settings(SITE_URL=SITE)
def test_the_daily_digest_groups_each_persons_notices_across_governments(government, other_government):
    ana, luis = UserFactory(preferred_language="es"), UserFactory(preferred_language="en")
    for person in (ana, luis):
        services.preferences_save(user=person, choices={KIND: "daily"})
    _waiting(government, ana, "Agua potable")
    _waiting(other_government, ana, "Riego")
    _waiting(government, luis, "Vías rurales")
    weekly = _waiting(government, luis, "Puentes", email="weekly")
    services.preferences_save(user=luis, choices={KIND: "daily"})  # Puentes stays weekly: see below

    assert emails.send_digests(frequency="daily", now=NOW) == 2
    by_address = {message.to[0]: message for message in mail.outbox}
    to_ana = by_address[ana.email]
    assert to_ana.subject == "Su resumen diario: 2 avisos"
    assert "Agua potable" in to_ana.body and "Riego" in to_ana.body
    assert government.name in to_ana.body and other_government.name in to_ana.body
    assert f"{SITE}/g/{government.slug}/datos/conjuntos/agua/" in to_ana.body
    assert f"{SITE}/g/{other_government.slug}/datos/conjuntos/agua/" in to_ana.body
    assert to_ana.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert to_ana.extra_headers["List-Unsubscribe"].startswith(f"<{SITE}/cuenta/avisos/baja/")
    to_luis = by_address[luis.email]
    assert to_luis.subject == "Your daily summary: 2 notices" and "Puentes" in to_luis.body
    weekly.refresh_from_db()
    assert weekly.emailed_at == NOW  # the person now wants them daily
    # Nothing is sent twice.
    assert emails.send_digests(frequency="daily", now=NOW + dt.timedelta(days=1)) == 0
    assert len(mail.outbox) == 2


def test_the_weekly_digest_takes_only_weekly_notices(government):
    person = UserFactory()
    services.preferences_save(user=person, choices={KIND: "weekly"})
    first = _waiting(government, person, "Uno", email="weekly")
    second = _waiting(government, person, "Dos", email="weekly", created_at=NOW + dt.timedelta(days=3))
    assert emails.send_digests(frequency="daily", now=NOW) == 0 and mail.outbox == []
    assert emails.send_digests(frequency="weekly", now=NOW + dt.timedelta(days=7)) == 1
    assert mail.outbox[0].subject == "Your weekly summary: 2 notices"
    assert mail.outbox[0].body.index("Uno") < mail.outbox[0].body.index("Dos")
    for notice in (first, second):
        notice.refresh_from_db()
        assert notice.emailed_at is not None


def test_a_kind_switched_off_before_the_digest_is_not_emailed(government):
    person = UserFactory()
    notice = _waiting(government, person, "Uno")
    services.preferences_save(user=person, choices={KIND: "in_app"})
    assert emails.send_digests(frequency="daily", now=NOW) == 0
    notice.refresh_from_db()
    assert notice.email == "" and notice.emailed_at is None and mail.outbox == []


def test_digests_are_periodic_jobs_of_the_scheduler():
    jobs = {job.name: job for job in periodic_jobs()}
    assert jobs["core.daily_digests"].every == dt.timedelta(days=1)
    assert jobs["core.weekly_digests"].every == dt.timedelta(days=7)
    assert jobs["core.daily_digests"].task == "minga.core.notifications.tasks.send_daily_digests"


# Unsubscribe tokens ----------------------------------------------------------------------


def test_unsubscribe_tokens_are_signed():
    person = UserFactory()
    token = emails.kinds_token(person, [KIND])
    assert emails.read_token(token) == emails.Unsubscribe(user_id=person.pk, kinds=(KIND,))
    assert emails.read_token(token[:-2] + ("AA" if not token.endswith("AA") else "BB")) is None
    assert emails.read_token("not-a-token") is None
    follow = emails.read_token(emails.follow_token(person, government_id=7, kind=KIND, object_id=9))
    assert follow.is_follow and (follow.government_id, follow.follow_kind, follow.follow_object_id) == (7, KIND, 9)


def test_email_off_keeps_the_notices_in_the_app(government, django_capture_on_commit_callbacks):
    target, person = document(government), UserFactory()
    services.follow(user=person, government=government, target=target)
    assert services.email_off(user=person, kinds=[KIND, "unknown.kind"]) == [KIND]
    assert services.preferences_of(person)[KIND] == "in_app"
    _notify(government, target, captured=django_capture_on_commit_callbacks)
    assert len(_notices(government)) == 1 and mail.outbox == []


# Privacy ---------------------------------------------------------------------------------


def test_deleting_an_account_deletes_its_follows_notices_and_choices(government, other_government):
    person, other = UserFactory(), UserFactory()
    for gov in (government, other_government):
        target = document(gov, f"Doc {gov.slug}")
        services.follow(user=person, government=gov, target=target)
        services.follow(user=other, government=gov, target=target)
        _waiting(gov, person, f"Aviso {gov.slug}")
    services.preferences_save(user=person, choices={KIND: "weekly"})
    account_delete(user=person, now=timezone.now())
    for gov in (government, other_government):
        with government_scope(gov):
            assert not Follow.objects.filter(user=person).exists()
            assert not Notification.objects.filter(user=person).exists()
            assert Follow.objects.filter(user=other).count() == 1
    assert not NotificationPreference.objects.filter(user=person).exists()


def test_forgetting_a_deleted_record(government):
    target, person = document(government), UserFactory()
    services.follow(user=person, government=government, target=target)
    _waiting(government, person, "Aviso")
    with government_scope(government):
        Notification.objects.update(object_id=target.pk)
    services.forget_target(government=government, target=target)
    with government_scope(government):
        assert not Follow.objects.exists() and not Notification.objects.exists()


def test_a_notice_stores_no_address(government):
    fields = {field.name for field in Notification._meta.get_fields()} | {
        field.name for field in Follow._meta.get_fields()
    }
    assert not {"address", "to", "recipient", "email_address"} & fields


# A real SMTP server ------------------------------------------------------------------------


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


def test_a_notice_travels_through_a_real_smtp_server(government, django_capture_on_commit_callbacks):
    controller_module = pytest.importorskip("aiosmtpd.controller")
    inbox = _Inbox()
    port = _free_port()
    controller = controller_module.Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        target = document(government, "Calidad del aire")
        person = UserFactory(preferred_language="es")
        services.follow(user=person, government=government, target=target)
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
            SITE_URL=SITE,
        ):
            _notify(
                government,
                target,
                title="Nuevos datos de calidad del aire",
                captured=django_capture_on_commit_callbacks,
            )
    finally:
        controller.stop()
    assert len(inbox.envelopes) == 1
    envelope = inbox.envelopes[0]
    assert envelope.rcpt_tos == [person.email]
    received = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
    assert received["Subject"] == "Nuevos datos de calidad del aire"
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert received["List-Unsubscribe"].strip().startswith(f"<{SITE}/g/{government.slug}/cuenta/avisos/baja/")
    assert "Hola" in received.get_body(preferencelist=("plain",)).get_content()
