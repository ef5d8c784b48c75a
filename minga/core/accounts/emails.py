"""E-mails about accounts, written in the recipient's language. Links are absolute and point
back to the portal the person used (the platform or a government)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import User

VERIFY_EMAIL_SALT = "minga.accounts.verify-email"
UNLOCK_SALT = "minga.accounts.unlock-login"
UNLOCK_NONCE_KEY = "minga:login-unlock-nonce:v1:{pk}"


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


def unlock_token(user: User) -> str:
    """A signed link token that works once: it names a random value kept in the cache until
    the link is used (or a newer link replaces it) and expires after LOGIN_UNLOCK_MAX_AGE."""
    nonce = secrets.token_urlsafe(16)
    cache.set(UNLOCK_NONCE_KEY.format(pk=user.pk), nonce, timeout=settings.LOGIN_UNLOCK_MAX_AGE)
    return signing.dumps({"u": user.pk, "n": nonce}, salt=UNLOCK_SALT, compress=True)


def _unlock_data(token: str) -> dict | None:
    try:
        data = signing.loads(token, salt=UNLOCK_SALT, max_age=settings.LOGIN_UNLOCK_MAX_AGE)
    except signing.BadSignature:  # also SignatureExpired
        return None
    if not isinstance(data, dict) or cache.get(UNLOCK_NONCE_KEY.format(pk=data.get("u"))) != data.get("n"):
        return None
    return data


def user_for_unlock_token(token: str) -> User | None:
    """The account of a valid, unused unlock link, else None."""
    data = _unlock_data(token)
    if data is None:
        return None
    return User.objects.filter(pk=data["u"], is_active=True).first()


def use_unlock_token(token: str) -> bool:
    """Spend the link: True for exactly one of any number of parallel uses."""
    data = _unlock_data(token)
    return data is not None and bool(cache.delete(UNLOCK_NONCE_KEY.format(pk=data["u"])))


def send_unlock_link(request, user: User) -> None:
    link = request.build_absolute_uri(reverse("core:login_unlock", kwargs={"token": unlock_token(user)}))
    hours = max(1, settings.LOGIN_UNLOCK_MAX_AGE // 3600)
    _send(request, user, "login_unlock", {"link": link, "hours": hours})
