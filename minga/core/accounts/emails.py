"""E-mails about accounts, written in the recipient's language. Links are absolute and point
back to the portal the person used (the platform or a government)."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import User

VERIFY_EMAIL_SALT = "minga.accounts.verify-email"


def verification_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "e": user.email}, salt=VERIFY_EMAIL_SALT, compress=True)


def user_for_verification_token(token: str) -> User:
    """The account a verification link is for. Raises signing.SignatureExpired for an old
    link, signing.BadSignature for a tampered one or one for an address that changed."""
    data = signing.loads(token, salt=VERIFY_EMAIL_SALT, max_age=settings.EMAIL_VERIFICATION_MAX_AGE)
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None or user.email != data.get("e"):
        raise signing.BadSignature("no such account")
    return user


def _send(request, user: User, template: str, context: dict) -> None:
    context = {
        "user": user,
        "platform_name": settings.PLATFORM_NAME,
        "government": getattr(request, "government", None),
        **context,
    }
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"core/accounts/email/{template}_subject.txt", context, request=request)
        body = render_to_string(f"core/accounts/email/{template}.txt", context, request=request)
    send_mail(" ".join(subject.split()), body, None, [user.email])


def send_verification(request, user: User) -> None:
    link = request.build_absolute_uri(reverse("core:verify_email", kwargs={"token": verification_token(user)}))
    days = max(1, settings.EMAIL_VERIFICATION_MAX_AGE // 86400)
    _send(request, user, "verify_email", {"link": link, "days": days})


def send_signup_attempt_notice(request, user: User) -> None:
    """Someone tried to register an address that already has an account."""
    context = {
        "login_link": request.build_absolute_uri(reverse("core:login")),
        "reset_link": request.build_absolute_uri(reverse("core:password_reset")),
    }
    _send(request, user, "signup_exists", context)
