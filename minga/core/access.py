"""Permission checks that every view gets by default.

Class-based views inherit `Guarded` and set `permission_required` to a permission name or to
PUBLIC; function views use `@requires(name)` or `@public`. Anything else is caught by the URL
meta-test. Officials holding a write role in the government, and platform accounts that every
permission is granted to (superusers, staff), must have passed two-factor authentication
before any non-public page (`permissions.needs_second_factor`)."""

from __future__ import annotations

from functools import wraps
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django_otp import devices_for_user

from .permissions import PUBLIC, needs_second_factor

PERMISSION_ATTRIBUTE = "minga_permission"


def _login_redirect(request):
    return HttpResponseRedirect(f"{reverse(settings.LOGIN_URL)}?next={quote(request.get_full_path())}")


def check_access(request, permission: str):
    """None when the request may proceed, otherwise the response to send instead."""
    if permission == PUBLIC:
        return None
    user = request.user
    if not user.is_authenticated:
        return _login_redirect(request)
    government = getattr(request, "government", None)
    if needs_second_factor(user, government, permission) and not user.is_verified():
        target = "core:otp_verify" if user_has_device(user) else "core:otp_setup"
        return HttpResponseRedirect(f"{reverse(target)}?next={quote(request.get_full_path())}")
    if not user.has_perm(permission, government):
        raise PermissionDenied
    return None


def user_has_device(user) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


class Guarded:
    """Mixin for class-based views: checks `permission_required` before dispatching."""

    permission_required: str | None = None

    def dispatch(self, request, *args, **kwargs):
        if not self.permission_required:
            raise ImproperlyConfigured(f"{type(self).__name__} declares no permission_required")
        refused = check_access(request, self.permission_required)
        if refused is not None:
            return refused
        return super().dispatch(request, *args, **kwargs)


def requires(permission: str):
    def decorate(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            refused = check_access(request, permission)
            if refused is not None:
                return refused
            return view(request, *args, **kwargs)

        setattr(guarded, PERMISSION_ATTRIBUTE, permission)
        return guarded

    return decorate


def public(view):
    setattr(view, PERMISSION_ATTRIBUTE, PUBLIC)
    return view


def declared_permission(callback) -> str | None:
    """The permission a URL callback declares, or None (used by the URL meta-test)."""
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if view_class is not None:
        return getattr(view_class, "permission_required", None) or getattr(view_class, PERMISSION_ATTRIBUTE, None)
    return getattr(callback, PERMISSION_ATTRIBUTE, None)
