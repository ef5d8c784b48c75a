"""Writes on governments and memberships. Every write is audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from ..accounts.models import Membership, User
from ..audit import services as audit
from ..permissions import forget_roles
from .models import Government
from .selectors import forget_government, forget_hosts

EDITABLE_GOVERNMENT_FIELDS = (
    "name",
    "short_name",
    "description",
    "primary_colour",
    "accent_colour",
    "contact_email",
    "contact_phone",
    "address",
    "website",
    "hosts",
    "logo",
)


def _parent_for(dpa_code: str) -> Government | None:
    if len(dpa_code) <= 2:
        return None
    return Government.objects.filter(dpa_code=dpa_code[:-2]).first()


@transaction.atomic
def government_create(
    *, actor: User | None, name: str, short_name: str, slug: str, level: str, dpa_code: str, **fields: Any
) -> Government:
    government = Government(
        name=name,
        short_name=short_name,
        slug=slug,
        level=level,
        dpa_code=dpa_code,
        parent=_parent_for(dpa_code),
        **fields,
    )
    government.full_clean()
    government.save()
    # Governments already created below this one (by DPA code) now have a parent.
    Government.objects.filter(parent__isnull=True, dpa_code__startswith=dpa_code).exclude(pk=government.pk).filter(
        dpa_code__regex=rf"^{dpa_code}\d\d$"
    ).update(parent=government)
    audit.open_chain(government=government)
    audit.record(
        actor=actor,
        government=None,
        action="core.government.created",
        obj=government,
        changes=audit.diff_fields({}, audit.snapshot(government)),
    )
    forget_hosts()
    return government


def _forget(government: Government) -> None:
    """Drop the cached copy now and again after commit, so that no request in between can
    put the old row back in the cache for long."""
    forget_government(government)
    transaction.on_commit(lambda: forget_government(government))


@transaction.atomic
def government_update(*, actor: User, government: Government, **fields: Any) -> Government:
    unknown = set(fields) - set(EDITABLE_GOVERNMENT_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    # Start from the stored row: the caller's instance may already carry the new values
    # (ModelForm validation writes them onto it), which would hide the changes from the audit.
    government = Government.objects.select_for_update().get(pk=government.pk)
    before = audit.snapshot(government, list(fields))
    for name, value in fields.items():
        setattr(government, name, value)
    government.full_clean()
    government.save()
    changes = audit.diff_fields(before, audit.snapshot(government, list(fields)))
    if changes:
        audit.record(
            actor=actor, government=government, action="core.government.updated", obj=government, changes=changes
        )
    _forget(government)
    return government


@transaction.atomic
def government_set_module(*, actor: User, government: Government, module: str, enabled: bool) -> Government:
    government = Government.objects.select_for_update().get(pk=government.pk)
    modules = dict(government.modules or {})
    entry = dict(modules.get(module, {}))
    was = bool(entry.get("enabled", True))
    entry["enabled"] = enabled
    modules[module] = entry
    government.modules = modules
    government.save(update_fields=["modules"])
    _forget(government)
    if was != enabled:
        audit.record(
            actor=actor,
            government=government,
            action=f"core.module.{'enabled' if enabled else 'disabled'}",
            obj=government,
            changes={f"modules.{module}.enabled": [was, enabled]},
        )
    return government


@transaction.atomic
def government_set_module_settings(
    *, actor: User, government: Government, module: str, values: dict[str, Any]
) -> Government:
    government = Government.objects.select_for_update().get(pk=government.pk)
    modules = dict(government.modules or {})
    entry = dict(modules.get(module, {}))
    before = dict(entry.get("settings", {}))
    entry["settings"] = {**before, **values}
    modules[module] = entry
    government.modules = modules
    government.save(update_fields=["modules"])
    _forget(government)
    changes = audit.diff_fields(before, entry["settings"])
    if changes:
        audit.record(
            actor=actor,
            government=government,
            action="core.module.configured",
            obj=government,
            changes={f"{module}.{k}": v for k, v in changes.items()},
        )
    return government


@transaction.atomic
def membership_grant(
    *, actor: User | None, government: Government, user: User, role: str, module: str = ""
) -> Membership:
    if role == Membership.Role.ADMIN:
        module = ""
    membership, created = Membership.objects.update_or_create(
        user=user, government=government, module=module, defaults={"role": role}
    )
    membership.full_clean()
    audit.record(
        actor=actor,
        government=government,
        action="core.membership.granted",
        obj=membership,
        changes={"user": [None, user.email], "role": [None, role], "module": [None, module]},
    )
    forget_roles(user)
    return membership


@transaction.atomic
def membership_revoke(*, actor: User, membership: Membership) -> None:
    government = membership.government
    audit.record(
        actor=actor,
        government=government,
        action="core.membership.revoked",
        obj=membership,
        changes={
            "user": [membership.user.email, None],
            "role": [membership.role, None],
            "module": [membership.module, None],
        },
    )
    membership.delete()
    forget_roles(membership.user)
