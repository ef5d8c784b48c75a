"""The API's permission check: every API view declares `permission_required` (a permission
name, or PUBLIC), exactly like the HTML views (see core.access).

PUBLIC endpoints are read-only for everybody. Anything else needs an authenticated person
holding the permission in the current government. Whoever signed in with a session must
have passed two-factor authentication first when the permission needs it (officials with a
write role, superusers and staff: `permissions.needs_second_factor`). A token carries its
owner's roles in its government and nothing more: the superuser shortcut of `has_perm`
does not travel with it, and a token issued before its owner passed two-factor
authentication does not work for someone who now holds a write role."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from ..permissions import OWN_ACCOUNT, PUBLIC, has_role_permission, has_write_role, needs_second_factor
from .models import ApiToken

# What any valid token may do for its owner, whatever it was issued with: say whose it is, and
# revoke itself (a token that may have leaked must always be revocable by whoever holds it).
TOKEN_SELF_SERVICE = frozenset({OWN_ACCOUNT, "core.manage_own_tokens"})


def declared(view) -> str:
    permission = getattr(view, "permission_required", None)
    if not permission:
        raise ImproperlyConfigured(f"{type(view).__name__} declares no permission_required")
    return permission


class DeclaredPermission(BasePermission):
    message = _("You do not have permission to perform this action.")

    def has_permission(self, request, view) -> bool:
        permission = declared(view)
        if permission == PUBLIC:
            if request.method in SAFE_METHODS:
                return True
            self.message = _("This endpoint is read-only.")
            return False
        user = request.user
        if user is None or not user.is_authenticated:
            return False
        government = getattr(request, "government", None)
        if isinstance(request.auth, ApiToken):
            if (
                permission not in TOKEN_SELF_SERVICE
                and not request.auth.second_factor
                and has_write_role(user, government)
            ):
                self.message = _(
                    "This token was issued before its owner passed two-factor authentication. Officials "
                    "with a write role must issue a new token after signing in with two-factor."
                )
                return False
            return has_role_permission(user, permission, government)
        if needs_second_factor(user, government, permission) and not _verified(user):
            self.message = _(
                "Officials with a write role and platform administrators must pass two-factor authentication first."
            )
            return False
        return bool(user.has_perm(permission, government))


def _verified(user) -> bool:
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())
