"""Who may do what. Permissions are `rules` predicates evaluated against the government
(`user.has_perm("institution.edit", government)`). Modules declare their permissions in their
manifest with the minimum role; core registers them here. Views declare the permission they
need (`permission_required` on a class, `@requires(...)` on a function, or PUBLIC) and the
check happens before the view runs; tests/test_url_permissions.py fails for any URL that
declares nothing."""

from __future__ import annotations

import rules
from django.utils.translation import gettext_lazy as _

from .registry import comment_targets, manifests

PUBLIC = "__public__"
# A signed-in person managing their own account (profile, two-factor set-up, tokens of
# their own): allowed before two-factor so that officials can set it up.
OWN_ACCOUNT = "core.own_account"
ROLE_RANK = {"viewer": 1, "editor": 2, "admin": 3}

# Permissions of the platform itself (core); checked against a government object.
CORE_PERMISSIONS = {
    "core.view_backoffice": "viewer",
    "core.manage_own_tokens": "viewer",
    "core.administer_government": "admin",
    "core.view_audit": "admin",
    # Identity verification (core/verification/): officials hold roles in the area
    # "verification" like in a module; viewers see the census rolls and who was verified,
    # editors upload and publish rolls, verify people at a desk and revoke verifications.
    "verification.view_backoffice": "viewer",
    "verification.manage": "editor",
}

# Areas of core that officials hold roles in like modules (Membership.module), with the label
# the people-and-roles page shows.
CORE_ROLE_AREAS = {"verification": _("Identity verification")}


def role_areas() -> list[tuple[str, str]]:
    """(key, label) of everything a role can be given for: the modules and core's areas."""
    return [(m.key, m.label) for m in manifests()] + list(CORE_ROLE_AREAS.items())


def roles_of(user, government) -> dict[str, str]:
    """{module or "": role} for this user in this government, cached on the user object for
    the length of the request."""
    if user is None or not user.is_authenticated or government is None:
        return {}
    cache = user.__dict__.setdefault("_minga_roles", {})
    if government.pk not in cache:
        cache[government.pk] = dict(user.memberships.filter(government=government).values_list("module", "role"))
    return cache[government.pk]


def forget_roles(user) -> None:
    user.__dict__.pop("_minga_roles", None)


def rank_in_module(user, government, module: str) -> int:
    roles = roles_of(user, government)
    if roles.get("") == "admin":
        return ROLE_RANK["admin"]
    if module == "core":
        return ROLE_RANK["viewer"] if roles else 0
    return ROLE_RANK.get(roles.get(module, ""), 0)


def has_write_role(user, government) -> bool:
    return any(role in ("admin", "editor") for role in roles_of(user, government).values())


def bypasses_memberships(user) -> bool:
    """True for accounts whose powers do not come from memberships alone: Django grants an
    active superuser every permission before any rule runs (`PermissionsMixin.has_perm`),
    and staff are the platform's operators."""
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or user.is_staff))


def needs_second_factor(user, government, permission: str) -> bool:
    """Whether `user` must have passed two-factor authentication before a page or API call
    that needs `permission`: anyone who can change this government's content (a write role
    there, or a platform account that every permission is granted to) and every platform
    administration page. Public pages and one's own account never need it (the set-up
    itself lives there)."""
    if permission in (PUBLIC, OWN_ACCOUNT):
        return False
    if permission == "core.administer_platform" or bypasses_memberships(user):
        return True
    return government is not None and has_write_role(user, government)


def has_role_permission(user, permission: str, government) -> bool:
    """The permission as the user's memberships grant it, without the superuser shortcut of
    `user.has_perm` (an API token carries its owner's roles in one government, nothing more)."""
    return bool(user.is_active and rules.has_perm(permission, user, government))


def role_predicate(module: str, minimum: str) -> rules.Predicate:
    needed = ROLE_RANK[minimum]

    @rules.predicate(name=f"{module}_{minimum}")
    def check(user, government) -> bool:
        if government is None or not user.is_active:
            return False
        return rank_in_module(user, government, module) >= needed

    return check


# Comment moderation (core/comments/): each comment target names the permission of its
# module that moderates it ("works.moderate", an editor's); this one opens the moderation
# queue to anyone who moderates some target of the government's enabled modules.
MODERATE_COMMENTS = "core.moderate_comments"


@rules.predicate
def moderates_some_comments(user, government) -> bool:
    if government is None or not user.is_active:
        return False
    return any(rules.has_perm(target.permission, user, government) for target in comment_targets(government).values())


@rules.predicate
def is_platform_admin(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def register_permissions() -> None:
    declared = dict(CORE_PERMISSIONS)
    for manifest in manifests():
        declared.update(manifest.permissions)
    for name, minimum in declared.items():
        module = name.split(".", 1)[0]
        rules.set_perm(name, role_predicate(module, minimum))
    rules.set_perm("core.administer_platform", is_platform_admin)
    rules.set_perm(OWN_ACCOUNT, rules.is_authenticated & rules.is_active)
    rules.set_perm(MODERATE_COMMENTS, moderates_some_comments)


def declared_permissions() -> set[str]:
    names = set(CORE_PERMISSIONS) | {"core.administer_platform", OWN_ACCOUNT, MODERATE_COMMENTS}
    for manifest in manifests():
        names.update(manifest.permissions)
    return names


register_permissions()
