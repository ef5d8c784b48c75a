"""Account pages: sign-up and e-mail verification, sign-in (with a second step for people who
use two-factor authentication), two-factor set-up and verification, password reset and
change, profile, and account deletion. They are served on the platform (/cuenta/...) and
inside every government (/g/<slug>/cuenta/...); links are built with reverse(), which follows
whichever of the two the request came through.

Nothing here reveals whether an address has an account: sign-up, sign-in, throttling,
verification e-mails and password reset answer the same way for both."""

from __future__ import annotations

import base64
import time
from urllib.parse import urlencode

import django_otp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, update_session_auth_hash
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import DEVICE_ID_SESSION_KEY

from ..access import Guarded, public, requires
from ..crud import apply_validation_error
from ..permissions import OWN_ACCOUNT, PUBLIC
from . import emails, selectors, services, throttle
from .forms import (
    CodeForm,
    DeleteAccountForm,
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    ProfileForm,
    ResendVerificationForm,
    SetPasswordForm,
    SignupForm,
)
from .models import User

PENDING_LOGIN_KEY = "minga_pending_login"
PENDING_LOGIN_SECONDS = 5 * 60

GENERIC_LOGIN_ERROR = gettext_lazy(
    "The e-mail address or the password is not correct. Check them and try again, "
    "or reset your password if you forgot it."
)
WRONG_CODE_ERROR = gettext_lazy(
    "That code was not accepted. Type the code your app shows now. "
    "After several wrong codes, wait a little before trying again."
)


def throttled_message(attempt: throttle.Attempt) -> str:
    minutes = attempt.wait_minutes
    return " ".join(
        [
            ngettext(
                "Too many failed sign-in attempts. For your security, please wait %(minutes)d minute and try again.",
                "Too many failed sign-in attempts. For your security, please wait %(minutes)d minutes and try again.",
                minutes,
            )
            % {"minutes": minutes},
            _(
                "If it is your account, the link we e-mail you unlocks signing in at once; you can also "
                "reset your password."
            ),
        ]
    )


# Helpers ------------------------------------------------------------------------------------


def safe_next(request) -> str:
    """The ?next= (or posted next) address when it stays on this site, else ""."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _with_next(url: str, next_url: str) -> str:
    if not next_url:
        return url
    return f"{url}?{urlencode({'next': next_url})}"


def remember_language(response, user):
    """Pages follow the person's language from now on (Django's language cookie)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        user.preferred_language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def _complete_login(request, user, next_url: str, *, device=None):
    request.session.pop(PENDING_LOGIN_KEY, None)
    auth_login(request, user, backend=getattr(user, "backend", None))
    if device is not None:
        django_otp.login(request, device)
    translation.activate(user.preferred_language)
    return remember_language(HttpResponseRedirect(next_url or reverse(settings.LOGIN_REDIRECT_URL)), user)


def _pending_login(request):
    """(user, data) of a sign-in waiting for its second step, or None when there is none or it
    is too old."""
    data = request.session.get(PENDING_LOGIN_KEY)
    if not isinstance(data, dict):
        return None
    if data.get("expires", 0) < time.time():
        request.session.pop(PENDING_LOGIN_KEY, None)
        return None
    user = selectors.user_by_id(data.get("user"))
    if user is None:
        request.session.pop(PENDING_LOGIN_KEY, None)
        return None
    user.backend = data.get("backend")
    return user, data


# Sign-in and sign-out -----------------------------------------------------------------------


@public
@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request):
    next_url = safe_next(request)
    if request.user.is_authenticated and request.method == "GET":
        return HttpResponseRedirect(next_url or reverse(settings.LOGIN_REDIRECT_URL))
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        attempt = throttle.begin(email=email, ip=throttle.client_ip(request))
        if not attempt.allowed:
            form.add_error(None, throttled_message(attempt))
            status = 429
        else:
            user = authenticate(request, email=email, password=form.cleaned_data["password"])
            if user is None:
                if attempt.failed():
                    _send_unlock_link(request, email)
                form.add_error(None, GENERIC_LOGIN_ERROR)
            elif selectors.has_two_factor(user):
                # The password was right: the code is a new attempt of its own.
                attempt.succeeded()
                request.session.cycle_key()
                request.session[PENDING_LOGIN_KEY] = {
                    "user": user.pk,
                    "backend": user.backend,
                    "next": next_url,
                    "expires": time.time() + PENDING_LOGIN_SECONDS,
                }
                return HttpResponseRedirect(reverse("core:login_otp"))
            else:
                attempt.succeeded()
                return _complete_login(request, user, next_url)
    return render(request, "core/accounts/login.html", {"form": form, "next": next_url}, status=status)


def _send_unlock_link(request, email: str) -> None:
    """A sign-in pair of this address just got locked: tell the owner, if there is one, and give
    them a link that unlocks their account from everywhere (at most one e-mail per interval)."""
    user = selectors.user_for_email(email)
    if user is not None and user.is_active and throttle.unlock_mail_due(user_pk=user.pk):
        emails.send_unlock_link(request, user)


@public
@never_cache
@require_http_methods(["GET", "POST"])
def login_unlock(request, token: str):
    """The owner's link from the unlock e-mail. Opening it only shows a button (mail scanners
    open links); pressing it clears every sign-in lock of the account, once."""
    user = emails.user_for_unlock_token(token)
    if user is None:
        return render(request, "core/accounts/login_unlock.html", {"valid": False}, status=400)
    if request.method == "POST":
        if not emails.use_unlock_token(token):
            return render(request, "core/accounts/login_unlock.html", {"valid": False}, status=400)
        throttle.unlock_account(email=user.email)
        messages.success(request, _("Signing in to your account is unlocked. You can sign in now."))
        return HttpResponseRedirect(reverse("core:login"))
    return render(request, "core/accounts/login_unlock.html", {"valid": True})


@public
@never_cache
@require_http_methods(["GET", "POST"])
def login_otp(request):
    """Second step of sign-in for people with two-factor authentication."""
    pending = _pending_login(request)
    if pending is None:
        messages.info(request, _("Your sign-in took too long or was not started. Please sign in again."))
        return HttpResponseRedirect(reverse("core:login"))
    user, data = pending
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        attempt = throttle.begin(email=user.email, ip=throttle.client_ip(request))
        if not attempt.allowed:
            form.add_error(None, throttled_message(attempt))
            status = 429
        else:
            device = services.otp_check(user=user, token=form.cleaned_data["code"])
            if device is not None:
                attempt.succeeded()
                return _complete_login(request, user, data.get("next", ""), device=device)
            attempt.failed()
            form.add_error("code", WRONG_CODE_ERROR)
    return render(request, "core/accounts/login_otp.html", {"form": form}, status=status)


class LogoutView(Guarded, auth_views.LogoutView):
    permission_required = PUBLIC

    def get_default_redirect_url(self):
        if getattr(self.request, "government", None) is not None:
            return reverse("core:home")
        return reverse("core:platform_home")


# Sign-up and e-mail verification ------------------------------------------------------------


def _current_language() -> str:
    code = (translation.get_language() or "").split("-")[0]
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


@public
@sensitive_post_parameters("password1", "password2")
@never_cache
@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return HttpResponseRedirect(reverse("core:profile"))
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user, created = services.account_signup(
            email=form.cleaned_data["email"],
            full_name=form.cleaned_data["full_name"],
            password=form.cleaned_data["password1"],
            preferred_language=_current_language(),
            now=timezone.now(),
        )
        # Over the limits (per address, per client IP) nothing is sent, with the same answer.
        if throttle.mail_allowed(kind="signup", email=user.email, ip=throttle.client_ip(request)):
            if created:
                emails.send_verification(request, user)
            else:
                emails.send_signup_attempt_notice(request, user)
        return HttpResponseRedirect(reverse("core:verification_sent"))
    return render(request, "core/accounts/signup.html", {"form": form})


@public
@require_http_methods(["GET"])
def verification_sent(request):
    return render(request, "core/accounts/verification_sent.html")


@public
@never_cache
@require_http_methods(["GET"])
def verify_email(request, token: str):
    try:
        user = emails.user_for_verification_token(token)
    except signing.SignatureExpired:
        return render(request, "core/accounts/verify_email_failed.html", {"expired": True}, status=400)
    except signing.BadSignature:
        return render(request, "core/accounts/verify_email_failed.html", {"expired": False}, status=400)
    services.account_verify_email(user=user, now=timezone.now())
    return render(request, "core/accounts/verify_email_done.html", {"verified_user": user})


@public
@never_cache
@require_http_methods(["GET", "POST"])
def resend_verification(request):
    signed_in = request.user.is_authenticated
    if signed_in and request.user.is_email_verified:
        messages.info(request, _("Your e-mail address is already confirmed."))
        return HttpResponseRedirect(reverse("core:profile"))
    form = None if signed_in else ResendVerificationForm(request.POST or None)
    if request.method == "POST" and (form is None or form.is_valid()):
        user = request.user if signed_in else selectors.user_for_email(form.cleaned_data["email"])
        # Limited per address and per client IP, so the form cannot flood a mailbox.
        if (
            user is not None
            and not user.is_email_verified
            and throttle.mail_allowed(kind="verification", email=user.email, ip=throttle.client_ip(request))
        ):
            emails.send_verification(request, user)
        if signed_in:
            messages.success(request, _("We sent you a new confirmation link. Check your inbox."))
            return HttpResponseRedirect(reverse("core:profile"))
        return HttpResponseRedirect(reverse("core:verification_sent"))
    return render(request, "core/accounts/resend_verification.html", {"form": form})


# Two-factor authentication ------------------------------------------------------------------


def _qr_data_uri(device) -> str:
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, light="white")


def _readable_secret(device) -> str:
    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@requires(OWN_ACCOUNT)
@never_cache
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    """Switch two-factor on (QR code and secret, confirmed with a code), or see it is on and
    switch it off."""
    user = request.user
    next_url = safe_next(request)
    confirmed = selectors.confirmed_totp_device(user)
    if confirmed is not None:
        if not user.is_verified():
            return HttpResponseRedirect(_with_next(reverse("core:otp_verify"), next_url or reverse("core:otp_setup")))
        return _otp_manage(request, user)
    device = services.otp_device_start(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.otp_device_confirm(user=user, device=device, token=form.cleaned_data["code"]):
            django_otp.login(request, device)
            messages.success(
                request, _("Two-factor authentication is on. You will be asked for a code when you sign in.")
            )
            return HttpResponseRedirect(next_url or reverse("core:profile"))
        form.add_error("code", WRONG_CODE_ERROR)
    context = {
        "form": form,
        "next": next_url,
        "qr_code": _qr_data_uri(device),
        "secret": _readable_secret(device),
        "required": user.must_use_two_factor(),
    }
    return render(request, "core/accounts/otp_setup.html", context)


def _otp_manage(request, user):
    locked = user.must_use_two_factor()
    form = None if locked else CodeForm(request.POST or None)
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            removed = services.otp_devices_remove(user=user, token=form.cleaned_data["code"])
        except PermissionError:  # a write role was granted meanwhile
            removed, locked, form = False, True, None
        if removed:
            request.session.pop(DEVICE_ID_SESSION_KEY, None)
            messages.success(request, _("Two-factor authentication is off."))
            return HttpResponseRedirect(reverse("core:profile"))
        if form is not None:
            form.add_error("code", WRONG_CODE_ERROR)
    return render(request, "core/accounts/otp_manage.html", {"form": form, "locked": locked})


@requires(OWN_ACCOUNT)
@never_cache
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    """A signed-in person confirms this session with a code (officials with a write role must,
    before any back-office page)."""
    user = request.user
    next_url = safe_next(request)
    if user.is_verified():
        return HttpResponseRedirect(next_url or reverse("core:profile"))
    if not selectors.has_two_factor(user):
        return HttpResponseRedirect(_with_next(reverse("core:otp_setup"), next_url))
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        attempt = throttle.begin(email=user.email, ip=throttle.client_ip(request))
        if not attempt.allowed:
            form.add_error(None, throttled_message(attempt))
            status = 429
        else:
            device = services.otp_check(user=user, token=form.cleaned_data["code"])
            if device is not None:
                attempt.succeeded()
                django_otp.login(request, device)
                return HttpResponseRedirect(next_url or reverse("core:profile"))
            attempt.failed()
            form.add_error("code", WRONG_CODE_ERROR)
    return render(request, "core/accounts/otp_verify.html", {"form": form, "next": next_url}, status=status)


# Passwords ----------------------------------------------------------------------------------


class PasswordResetView(Guarded, auth_views.PasswordResetView):
    """Always the same answer ("if the address has an account, we sent a link")."""

    permission_required = PUBLIC
    form_class = PasswordResetForm
    template_name = "core/accounts/password_reset_form.html"
    email_template_name = "core/accounts/email/password_reset.txt"
    subject_template_name = "core/accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("core:password_reset_done")

    def form_valid(self, form):
        # Over the limits (per address, per client IP) nothing is sent, with the same answer.
        if throttle.mail_allowed(
            kind="password-reset", email=form.cleaned_data["email"], ip=throttle.client_ip(self.request)
        ):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetDoneView(Guarded, auth_views.PasswordResetDoneView):
    permission_required = PUBLIC
    template_name = "core/accounts/password_reset_done.html"


class PasswordResetConfirmView(Guarded, auth_views.PasswordResetConfirmView):
    permission_required = PUBLIC
    form_class = SetPasswordForm
    template_name = "core/accounts/password_reset_confirm.html"
    success_url = reverse_lazy("core:password_reset_complete")

    def form_valid(self, form):
        user = services.account_set_password(
            actor=None, user=form.user, password=form.cleaned_data["new_password1"], reason="reset"
        )
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        # Whoever reset the password reads the account's mailbox: unlock signing in.
        throttle.unlock_account(email=user.email)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetCompleteView(Guarded, auth_views.PasswordResetCompleteView):
    permission_required = PUBLIC
    template_name = "core/accounts/password_reset_complete.html"


class PasswordChangeView(Guarded, auth_views.PasswordChangeView):
    permission_required = OWN_ACCOUNT
    form_class = PasswordChangeForm
    template_name = "core/accounts/password_change.html"
    success_url = reverse_lazy("core:profile")

    def form_valid(self, form):
        user = services.account_set_password(
            actor=self.request.user,
            user=form.user,
            password=form.cleaned_data["new_password1"],
            reason="changed",
        )
        update_session_auth_hash(self.request, user)
        messages.success(self.request, _("Your password was changed."))
        return HttpResponseRedirect(self.get_success_url())


# Profile and deletion -----------------------------------------------------------------------


@requires(OWN_ACCOUNT)
@never_cache
@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    # A separate copy: a form with errors must not change the signed-in user object.
    editable = User.objects.get(pk=user.pk)
    form = ProfileForm(request.POST or None, instance=editable)
    if request.method == "POST" and form.is_valid():
        updated = services.account_update_profile(
            actor=user,
            user=editable,
            full_name=form.cleaned_data["full_name"],
            preferred_language=form.cleaned_data["preferred_language"],
        )
        translation.activate(updated.preferred_language)
        messages.success(request, _("Your profile was saved."))
        return remember_language(HttpResponseRedirect(reverse("core:profile")), updated)
    context = {
        "form": form,
        "memberships": selectors.memberships_of(user),
        "two_factor": selectors.has_two_factor(user),
        "two_factor_required": user.must_use_two_factor(),
    }
    return render(request, "core/accounts/profile.html", context)


@requires(OWN_ACCOUNT)
@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def delete_account(request):
    user = request.user
    form = DeleteAccountForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_delete(user=user, now=timezone.now())
        except ValidationError as error:
            apply_validation_error(form, error)
            return render(
                request,
                "core/accounts/delete_account.html",
                {"form": form, "memberships": selectors.memberships_of(user)},
                status=409,
            )
        auth_logout(request)
        messages.success(request, _("Your account was deleted. Thank you for taking part."))
        home = (
            reverse("core:home") if getattr(request, "government", None) is not None else reverse("core:platform_home")
        )
        return HttpResponseRedirect(home)
    return render(
        request, "core/accounts/delete_account.html", {"form": form, "memberships": selectors.memberships_of(user)}
    )
