"""E-mails of identity verification, written in the recipient's language: the census code, and
the notice to the holder of a cédula that another account tried to register it. Neither says
the cédula number."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation

from ..accounts.models import User


def _send(user: User, template: str, context: dict) -> None:
    context = {"user": user, "platform_name": settings.PLATFORM_NAME, **context}
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"core/verification/email/{template}_subject.txt", context)
        body = render_to_string(f"core/verification/email/{template}.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])


def send_census_code(user: User, *, government, code: str, minutes: int) -> None:
    _send(user, "census_code", {"government": government, "code": code, "minutes": minutes})


def send_claim_attempt_notice(user: User, *, when) -> None:
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        moment = formats.date_format(timezone.localtime(when), "DATETIME_FORMAT")
    _send(user, "claim_attempt", {"when": moment})
