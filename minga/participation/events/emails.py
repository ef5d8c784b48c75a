"""The e-mails of event registration: the confirmation link for people without an account,
the place taken (or the turn on the waiting list), the promotion from the waiting list, a
change of date or place, and the reminder of the day before. Each in the person's language
(the account's, else the portal's), with absolute links and the link to cancel.

The confirmation link is signed, like core's e-mail verification links, and expires after
``EMAIL_VERIFICATION_MAX_AGE``."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from minga.core.notifications.emails import absolute
from minga.core.tenancy.paths import government_path

logger = logging.getLogger("minga.participation.events")

CONFIRM_SALT = "minga.participation.events.confirm"


def confirmation_token(registration) -> str:
    return signing.dumps({"r": registration.pk, "t": registration.token}, salt=CONFIRM_SALT, compress=True)


def read_confirmation_token(token: str) -> dict | None:
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=settings.EMAIL_VERIFICATION_MAX_AGE)
    except signing.BadSignature:  # also SignatureExpired
        return None
    return data if isinstance(data, dict) else None


def _language(registration) -> str:
    user = registration.user
    return (getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE) if user else settings.LANGUAGE_CODE


def _event_link(event) -> str:
    return absolute(event.government, government_path("participation:event_detail", slug=event.slug))


def _cancel_link(registration) -> str:
    return absolute(
        registration.event.government,
        government_path("participation:event_registration_cancel", token=registration.token),
    )


def _when_where(event) -> str:
    starts = timezone.localtime(event.starts_at)
    ends = timezone.localtime(event.ends_at)
    lines = [
        _("When: %(start)s to %(end)s")
        % {"start": date_format(starts, "DATETIME_FORMAT"), "end": date_format(ends, "TIME_FORMAT")}
    ]
    if event.address:
        lines.append(_("Where: %(place)s") % {"place": event.address})
    if event.online_url:
        lines.append(_("Online: %(link)s") % {"link": event.online_url})
    return "\n".join(lines)


def _send(registration, subject: str, paragraphs: list[str], *, quiet: bool = True) -> None:
    """Send one message; a failure is logged (the registration stands) unless ``quiet`` is
    False, for the reminders, which are given back to the next run."""
    body = "\n\n".join([_("Hello %(name)s,") % {"name": registration.name}, *paragraphs])
    try:
        send_mail(subject, body, None, [registration.email])
    except Exception:
        if not quiet:
            raise
        logger.exception("event e-mail to registration %s not sent", registration.pk)


def send_confirmation(registration) -> None:
    event = registration.event
    with translation.override(_language(registration)):
        link = absolute(
            event.government,
            government_path("participation:event_registration_confirm", token=confirmation_token(registration)),
        )
        _send(
            registration,
            _("Confirm your registration: %(title)s") % {"title": event.title},
            [
                _("To take your place at “%(title)s”, confirm your e-mail address by opening this link:")
                % {"title": event.title},
                link,
                _when_where(event),
                _("If you did not ask to register, ignore this message: nothing will be recorded."),
            ],
        )


def send_registered(registration) -> None:
    event = registration.event
    with translation.override(_language(registration)):
        if registration.status == "waiting":
            subject = _("You are on the waiting list: %(title)s") % {"title": event.title}
            first = _(
                "The event is full, so you are on the waiting list. If a place frees up, it is yours in turn "
                "and we will tell you by e-mail."
            )
        else:
            subject = _("Your place is confirmed: %(title)s") % {"title": event.title}
            first = _("Your place at “%(title)s” is confirmed.") % {"title": event.title}
        _send(
            registration,
            subject,
            [
                first,
                _when_where(event),
                _("Event page: %(link)s") % {"link": _event_link(event)},
                _("If you cannot come, free your place for someone else: %(link)s")
                % {"link": _cancel_link(registration)},
            ],
        )


def send_promoted(registration) -> None:
    event = registration.event
    with translation.override(_language(registration)):
        _send(
            registration,
            _("A place freed up for you: %(title)s") % {"title": event.title},
            [
                _("Someone cancelled and you were first on the waiting list: your place at “%(title)s” is confirmed.")
                % {"title": event.title},
                _when_where(event),
                _("Event page: %(link)s") % {"link": _event_link(event)},
                _("If you cannot come, free your place for someone else: %(link)s")
                % {"link": _cancel_link(registration)},
            ],
        )


def send_changed(event, registrations) -> None:
    for registration in registrations:
        with translation.override(_language(registration)):
            _send(
                registration,
                _("Change of date or place: %(title)s") % {"title": event.title},
                [
                    _("The event you registered for changed. It is now:"),
                    _when_where(event),
                    _("Event page: %(link)s") % {"link": _event_link(event)},
                    _("If you cannot come any more, free your place: %(link)s") % {"link": _cancel_link(registration)},
                ],
            )


def send_reminder(registration) -> None:
    event = registration.event
    with translation.override(_language(registration)):
        if timezone.localtime(event.starts_at).date() == timezone.localdate():
            subject = _("Reminder: %(title)s is today")
        else:
            subject = _("Reminder: %(title)s is tomorrow")
        _send(
            registration,
            subject % {"title": event.title},
            [
                _("We remind you that you registered for “%(title)s”.") % {"title": event.title},
                _when_where(event),
                _("Event page: %(link)s") % {"link": _event_link(event)},
                _("If you cannot come, free your place for someone else: %(link)s")
                % {"link": _cancel_link(registration)},
            ],
            quiet=False,
        )
