"""Writes on governments and memberships. Every write is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ..accounts.models import Membership, User
from ..accounts.services import normalise_email
from ..audit import services as audit
from ..permissions import forget_roles
from .hosts import normalise_host
from .models import Government, GovernmentHost
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


def _first_admin_account(email: str, name: str) -> tuple[User, bool]:
    """The account of a government's first administrator: the existing one with that e-mail,
    or a new one without a password (the person chooses it from the invitation)."""
    email = normalise_email(email)
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {"admin_email": _("Enter the e-mail address of the first administrator.")}, code="invalid"
        ) from None
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        return existing, False
    user = User.objects.create_user(email=email, password=None, full_name=name)
    return user, True


@transaction.atomic
def government_create_with_admin(
    *, actor: User | None, admin_email: str, admin_name: str = "", **fields: Any
) -> tuple[Government, User, bool]:
    """A government and its first administrator as one change: the government (audited in
    the platform's log as core.government.created, by ``actor``) and the administrator's
    role (core.membership.granted in the government's own log, naming the person), both in
    one transaction, so that if the administrator cannot be named no government is left.
    Returns the government, the administrator and whether the account was new (it then
    needs an invitation to choose a password)."""
    government = government_create(actor=actor, **fields)
    admin, created = _first_admin_account(admin_email, admin_name)
    membership_grant(actor=actor, government=government, user=admin, role=Membership.Role.ADMIN)
    return government, admin, created


def _forget(government: Government) -> None:
    """Drop the cached copy now and again after commit, so that no request in between can
    put the old row back in the cache for long."""
    forget_government(government)
    transaction.on_commit(lambda: forget_government(government))


@transaction.atomic
def government_update(
    *, actor: User, government: Government, now: dt.datetime | None = None, **fields: Any
) -> Government:
    """Change the profile. `hosts` is the list of own host names the administrator wants:
    new names become requests for the platform's operator (government_hosts_request)."""
    unknown = set(fields) - set(EDITABLE_GOVERNMENT_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    hosts = fields.pop("hosts", None)
    if hosts is not None:
        if now is None:
            raise ValueError("changing host names needs now=")
        government_hosts_request(actor=actor, government=government, hosts=hosts, now=now)
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
def government_hosts_request(
    *, actor: User, government: Government, hosts: list[str], now: dt.datetime
) -> list[GovernmentHost]:
    """Make the government's own host names the ones listed. A name not yet the
    government's becomes a request that serves nothing until the platform's operator
    approves it; a name left out is given up. A name of the platform (or under one), or one
    another government holds or asked for, is refused: nothing changes and the errors say
    which names and why."""
    wanted, errors = [], []
    for typed in hosts:
        try:
            host = normalise_host(typed)
        except ValidationError as error:
            errors.extend(error.messages)
            continue
        if host not in wanted:
            wanted.append(host)
    current = {row.host: row for row in GovernmentHost.objects.select_for_update().filter(government=government)}
    taken = set(
        GovernmentHost.objects.filter(host__in=[h for h in wanted if h not in current]).values_list("host", flat=True)
    )
    errors.extend(_("“%(host)s” is already claimed by another government.") % {"host": host} for host in sorted(taken))
    if errors:
        raise ValidationError({"hosts": errors})

    for host, row in current.items():
        if host not in wanted:
            audit.record(
                actor=actor,
                government=government,
                action="core.government.host_removed",
                obj=row,
                changes={"host": [host, None], "status": [row.status, None]},
            )
            row.delete()
    for host in wanted:
        if host in current:
            continue
        row = GovernmentHost(government=government, host=host, requested_by=actor, requested_at=now)
        row.full_clean()
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError as error:  # another government claimed it a moment ago
            raise ValidationError(
                {"hosts": [_("“%(host)s” is already claimed by another government.") % {"host": host}]}
            ) from error
        audit.record(
            actor=actor,
            government=government,
            action="core.government.host_requested",
            obj=row,
            changes={"host": [None, host], "status": [None, row.status]},
        )
    _forget(government)
    return list(GovernmentHost.objects.filter(government=government).order_by("pk"))


@transaction.atomic
def government_host_approve(*, actor: User, host: GovernmentHost, now: dt.datetime) -> GovernmentHost:
    """The platform's operator lets a requested host name serve its government. The name is
    checked again: the platform's own names may have changed since the request."""
    host = GovernmentHost.objects.select_for_update().select_related("government").get(pk=host.pk)
    if host.is_approved:
        return host
    host.status = GovernmentHost.Status.APPROVED
    host.approved_by = actor
    host.approved_at = now
    host.full_clean()
    host.save()
    audit.record(
        actor=actor,
        government=host.government,
        action="core.government.host_approved",
        obj=host,
        changes={"status": [GovernmentHost.Status.REQUESTED, GovernmentHost.Status.APPROVED]},
    )
    _forget(host.government)
    return host


@transaction.atomic
def government_host_reject(*, actor: User, host: GovernmentHost) -> None:
    """The platform's operator refuses a request, or takes back an approved host name; the
    name is free again."""
    host = GovernmentHost.objects.select_for_update().select_related("government").get(pk=host.pk)
    audit.record(
        actor=actor,
        government=host.government,
        action="core.government.host_withdrawn" if host.is_approved else "core.government.host_rejected",
        obj=host,
        changes={"host": [host.host, None], "status": [host.status, None]},
    )
    host.delete()
    _forget(host.government)


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
    """Take a role away. A government keeps at least one administrator: removing the last
    administrator's role is refused (ValidationError, code ``last_admin``), whoever asks."""
    government = membership.government
    if membership.role == Membership.Role.ADMIN:
        # Locked, so that two administrators removing each other at once cannot both succeed.
        admins = list(
            Membership.objects.select_for_update()
            .filter(government=government, role=Membership.Role.ADMIN)
            .values_list("pk", flat=True)
        )
        if not [pk for pk in admins if pk != membership.pk]:
            raise ValidationError(
                _(
                    "%(government)s must keep at least one administrator: give the role to someone else "
                    "before removing this one."
                ),
                code="last_admin",
                params={"government": government.name},
            )
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
