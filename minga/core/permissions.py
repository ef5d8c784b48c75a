"""Who may do what. Permissions are `rules` predicates evaluated against the government
(`user.has_perm("institution.edit", government)`). Modules declare their permissions in their
manifest with the minimum role; core registers them here. Views declare the permission they
need (`permission_required` on a class, `@requires(...)` on a function, or PUBLIC) and the
check happens before the view runs; tests/test_url_permissions.py fails for any URL that
declares nothing."""

from __future__ import annotations

import rules

from .registry import manifests

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
}


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


def role_predicate(module: str, minimum: str) -> rules.Predicate:
    needed = ROLE_RANK[minimum]

    @rules.predicate(name=f"{module}_{minimum}")
    def check(user, government) -> bool:
        if government is None or not user.is_active:
            return False
        return rank_in_module(user, government, module) >= needed

    return check


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


def declared_permissions() -> set[str]:
    names = set(CORE_PERMISSIONS) | {"core.administer_platform", OWN_ACCOUNT}
    for manifest in manifests():
        names.update(manifest.permissions)
    return names


register_permissions()
