"""Reads about accounts: a person's memberships, two-factor devices, pending verification."""

from __future__ import annotations

from django_otp.plugins.otp_totp.models import TOTPDevice

from ..permissions import role_areas
from .models import Membership, User


def user_for_email(email: str) -> User | None:
    """The active account with this address, or None."""
    return User.objects.filter(email__iexact=(email or "").strip(), is_active=True).first()


def user_by_id(user_id) -> User | None:
    return User.objects.filter(pk=user_id, is_active=True).first()


def memberships_of(user: User) -> list[Membership]:
    """The person's roles, with a readable module label (blank for government administrators)."""
    memberships = list(
        Membership.objects.filter(user=user).select_related("government").order_by("government__name", "module")
    )
    labels = dict(role_areas())
    for membership in memberships:
        membership.module_label = labels.get(membership.module, membership.module)
    return memberships


def confirmed_totp_device(user: User) -> TOTPDevice | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def has_two_factor(user: User) -> bool:
    return confirmed_totp_device(user) is not None
