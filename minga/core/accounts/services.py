"""Writes on accounts: sign-up, e-mail verification, profile, passwords, two-factor devices
and deletion. Security-relevant changes are recorded in the platform audit chain (accounts
belong to the whole deployment, not to one government); no password, secret or code is
ever recorded."""

from __future__ import annotations

import datetime as dt
import secrets
from importlib import import_module

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..api.models import ApiToken
from ..audit import services as audit
from ..notifications import services as notifications
from ..permissions import forget_roles
from ..ui.page_cache import EVERY_GOVERNMENT, content_changed
from ..verification import services as verification
from .models import Membership, User

ANONYMISED_DOMAIN = "invalid.minga"


def normalise_email(email: str) -> str:
    return User.objects.normalize_email((email or "").strip()).lower()


@transaction.atomic
def account_signup(
    *, email: str, full_name: str, password: str, preferred_language: str, now: dt.datetime
) -> tuple[User, bool]:
    """Create an account, or return the existing one with created=False. The caller answers
    both cases the same way, so that sign-up never reveals which addresses have accounts."""
    email = normalise_email(email)
    existing = User.objects.filter(email=email).first()
    if existing is not None:
        make_password(password)  # spend the same hashing time as a real sign-up
        return existing, False
    user = User(email=email, full_name=full_name.strip(), preferred_language=preferred_language, date_joined=now)
    user.set_password(password)
    user.full_clean()
    try:
        with transaction.atomic():
            user.save(force_insert=True)
    except IntegrityError:  # the same address registered at the same moment
        return User.objects.get(email=email), False
    return user, True


@transaction.atomic
def account_verify_email(*, user: User, now: dt.datetime) -> User:
    if user.email_verified_at is None:
        user.email_verified_at = now
        user.save(update_fields=["email_verified_at"])
    return user


@transaction.atomic
def account_update_profile(*, actor: User, user: User, full_name: str, preferred_language: str) -> User:
    if actor.pk != user.pk:
        raise PermissionError("people edit only their own profile")
    # Compared with the stored name: a profile form has already set it on the instance.
    renamed = User.objects.filter(pk=user.pk).values_list("full_name", flat=True).get() != full_name.strip()
    user.full_name = full_name.strip()
    user.preferred_language = preferred_language
    user.full_clean()
    user.save(update_fields=["full_name", "preferred_language"])
    if renamed:  # the name is shown beside the person's public comments, on any government
        content_changed(EVERY_GOVERNMENT, reason="core.account.renamed")
    return user


@transaction.atomic
def account_set_password(*, actor: User | None, user: User, password: str, reason: str) -> User:
    """reason: "changed" (the person, signed in) or "reset" (through an e-mailed link)."""
    if reason not in ("changed", "reset"):
        raise ValueError("reason is 'changed' or 'reset'")
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(
        actor=actor or user,
        government=None,
        action=f"core.account.password_{reason}",
        obj=user,
        changes={},
    )
    return user


@transaction.atomic
def otp_device_start(*, user: User) -> TOTPDevice:
    """The unconfirmed TOTP device the person is setting up (created on first use, reused
    afterwards so that reloading the page keeps the same secret)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice(user=user, name=str(settings.OTP_TOTP_ISSUER), confirmed=False)
        device.full_clean()
        device.save()
    return device


@transaction.atomic
def otp_device_confirm(*, user: User, device: TOTPDevice, token: str) -> bool:
    """Confirm the device being set up if `token` is a current code of it."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
    if not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    # Any other device set up before is replaced by this one.
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    audit.record(
        actor=user, government=None, action="core.account.otp_enabled", obj=user, changes={"two_factor": [False, True]}
    )
    return True


@transaction.atomic
def otp_check(*, user: User, token: str) -> TOTPDevice | None:
    """The confirmed device of `user` that accepts `token`, or None. Each device counts its own
    wrong codes and refuses codes for a growing delay after them (django-otp throttling); a
    code is accepted only once."""
    for device in devices_for_user(user, confirmed=True, for_verify=True):
        if device.verify_token(token):
            return device
    return None


@transaction.atomic
def otp_devices_remove(*, user: User, token: str) -> bool:
    """Switch two-factor off. Needs a valid current code; refused for officials with a write
    role anywhere and for superusers and staff (they must keep it)."""
    if user.must_use_two_factor():
        raise PermissionError("officials with a write role and platform accounts must keep two-factor authentication")
    for device in devices_for_user(user, confirmed=True, for_verify=True):
        if device.verify_token(token):
            break
    else:
        return False
    for device in devices_for_user(user, confirmed=None):
        device.delete()
    audit.record(
        actor=user, government=None, action="core.account.otp_disabled", obj=user, changes={"two_factor": [True, False]}
    )
    return True


def _delete_sessions_of(user: User, now: dt.datetime) -> None:
    """Delete the stored sessions of `user` when sessions live in the database. With other
    session engines the sessions die anyway: the password hash they carry no longer matches
    and inactive accounts are not loaded."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    get_model = getattr(store, "get_model_class", None)
    if get_model is None:
        return
    model = get_model()
    doomed = []
    for key, data in model.objects.filter(expire_date__gt=now).values_list("session_key", "session_data").iterator():
        decoded = store().decode(data)
        if str(decoded.get("_auth_user_id", "")) == str(user.pk):
            doomed.append(key)
    model.objects.filter(session_key__in=doomed).delete()


def _refuse_leaving_a_government_without_admin(user: User) -> None:
    """A government keeps at least one administrator (the rule of membership_revoke): the last
    administrator of a government cannot delete their account until someone else holds the role."""
    governed = list(
        Membership.objects.filter(user=user, role=Membership.Role.ADMIN).values_list("government_id", flat=True)
    )
    if not governed:
        return
    # Locked, so that two administrators deleting their accounts at once cannot both succeed.
    admins = list(
        Membership.objects.select_for_update()
        .filter(government_id__in=governed, role=Membership.Role.ADMIN)
        .values_list("government_id", "user_id")
    )
    alone = sorted(
        {government for government, holder in admins if holder == user.pk}
        - {government for government, holder in admins if holder != user.pk}
    )
    if alone:
        names = ", ".join(
            Membership.objects.filter(user=user, government_id__in=alone)
            .order_by("government__name")
            .values_list("government__name", flat=True)
            .distinct()
        )
        raise ValidationError(
            _(
                "You are the only administrator of %(governments)s: give the role to someone else "
                "before deleting your account."
            ),
            code="last_admin",
            params={"governments": names},
        )


@transaction.atomic
def account_delete(*, user: User, now: dt.datetime) -> User:
    """Anonymise the account. The row stays so that public contributions keep their author
    (shown as "Deleted account"); everything that identifies the person or lets anyone act
    as them goes."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.anonymised_at is not None:
        return user
    _refuse_leaving_a_government_without_admin(user)
    user.email = f"deleted-{secrets.token_hex(12)}@{ANONYMISED_DOMAIN}"
    user.full_name = ""
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.email_verified_at = None
    user.anonymised_at = now
    user.full_clean()
    user.save()
    for device in devices_for_user(user, confirmed=None):
        device.delete()
    Membership.objects.filter(user=user).delete()
    ApiToken.objects.filter(user=user).delete()
    # The cédula is let go (the person may link it to a new account) and its verifications end.
    verification.identity_release(user=user, now=now)
    # What the person followed and was told, and how they wanted it: nothing of it stays.
    notifications.forget_person(user=user)
    forget_roles(user)
    _delete_sessions_of(user, now)
    # The name goes from beside the person's public comments, on whichever government.
    content_changed(EVERY_GOVERNMENT, reason="core.account.deleted")
    # Recorded after anonymising: the entry names the account by its id only.
    audit.record(
        actor=user,
        government=None,
        action="core.account.deleted",
        obj=user,
        changes={"anonymised": [False, True]},
        now=now,
    )
    return user
