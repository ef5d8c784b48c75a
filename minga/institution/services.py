"""Writes of the institution module. Each service is keyword-only, atomic, validates with
full_clean(), records an audit entry and keeps the search index current."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from minga.core.audit import services as audit
from minga.core.crud import snapshot, unique_slug
from minga.core.images import clean_image
from minga.core.opendata import tables_changed
from minga.core.search import services as search

from .models import AgendaEvent, Authority, DeclarationLink, Unit

UNIT_FIELDS = (
    "name",
    "acronym",
    "slug",
    "kind",
    "parent",
    "head",
    "description",
    "functions",
    "email",
    "phone",
    "address",
    "order",
    "is_public",
)
AUTHORITY_FIELDS = (
    "name",
    "slug",
    "position",
    "unit",
    "term_start",
    "term_end",
    "biography",
    "email",
    "phone",
    "order",
    "is_published",
)
DECLARATION_FIELDS = ("title", "url", "year")
EVENT_FIELDS = (
    "title",
    "starts_at",
    "ends_at",
    "all_day",
    "location",
    "participants",
    "description",
    "visibility",
    "unit",
    "minutes_url",
    "status",
)

UNIT_KIND = "institution.unit"
AUTHORITY_KIND = "institution.authority"
EVENT_KIND = "institution.event"


def _check_fields(fields: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")


def _record(*, actor, government, action: str, obj, before: dict, after: dict, now=None) -> None:
    audit.record(
        actor=actor,
        government=government,
        action=action,
        obj=obj,
        changes=audit.diff_fields(before, after),
        now=now,
    )
    # Every audited change may change the published tables (one notice per transaction).
    tables_changed(government=government, module="institution")


# Units ---------------------------------------------------------------------------------


@transaction.atomic
def unit_create(*, actor, government, name: str, **fields: Any) -> Unit:
    _check_fields(fields, UNIT_FIELDS)
    unit = Unit(government=government, name=name, **fields)
    if not unit.slug:
        unit.slug = unique_slug(Unit.objects.for_government(government), unit.acronym or name, 70)
    unit.full_clean()
    unit.save()
    _record(
        actor=actor,
        government=government,
        action="institution.unit.created",
        obj=unit,
        before={},
        after=snapshot(unit),
    )
    search.index_object(kind=UNIT_KIND, obj=unit)
    return unit


@transaction.atomic
def unit_update(*, actor, government, unit: Unit, **fields: Any) -> Unit:
    _check_fields(fields, UNIT_FIELDS)
    # Start from the stored row: a bound ModelForm has already written the new values onto
    # the caller's instance, which would hide the changes from the audit entry.
    unit = Unit.objects.for_government(government).select_for_update().get(pk=unit.pk)
    before = snapshot(unit)
    for name, value in fields.items():
        setattr(unit, name, value)
    if not unit.slug:
        unit.slug = unique_slug(
            Unit.objects.for_government(government).exclude(pk=unit.pk), unit.acronym or unit.name, 70
        )
    unit.full_clean()
    unit.save()
    after = snapshot(unit)
    if audit.diff_fields(before, after):
        _record(
            actor=actor, government=government, action="institution.unit.updated", obj=unit, before=before, after=after
        )
    search.index_object(kind=UNIT_KIND, obj=unit)
    for authority in unit.authorities.all():
        search.index_object(kind=AUTHORITY_KIND, obj=authority)
    return unit


def unit_delete_refusal(*, unit: Unit) -> str:
    """Why the unit cannot be deleted now, or "" when it can."""
    children = Unit.objects.for_government(unit.government_id).filter(parent=unit).count()
    authorities = Authority.objects.for_government(unit.government_id).filter(unit=unit).count()
    reasons = []
    if children:
        reasons.append(ngettext("%(n)d unit reports to it", "%(n)d units report to it", children) % {"n": children})
    if authorities:
        reasons.append(
            ngettext("%(n)d authority belongs to it", "%(n)d authorities belong to it", authorities)
            % {"n": authorities}
        )
    if not reasons:
        return ""
    return _("This unit cannot be deleted: %(reasons)s. Move or delete them first.") % {
        "reasons": _(" and ").join(reasons)
    }


@transaction.atomic
def unit_delete(*, actor, government, unit: Unit) -> None:
    unit = Unit.objects.for_government(government).select_for_update().get(pk=unit.pk)
    refusal = unit_delete_refusal(unit=unit)
    if refusal:
        raise ValidationError(refusal)
    before, pk = snapshot(unit), unit.pk
    _record(actor=actor, government=government, action="institution.unit.deleted", obj=unit, before=before, after={})
    unit.delete()
    search.remove_object(kind=UNIT_KIND, object_id=pk, government=government)


# Authorities ---------------------------------------------------------------------------


def _store_photo(authority: Authority, photo) -> None:
    try:
        cleaned = clean_image(photo, max_side=800)
    except ValidationError as error:
        raise ValidationError({"photo": error.messages}) from error
    if authority.photo:
        authority.photo.delete(save=False)
    authority.photo.save(cleaned.name, cleaned, save=False)


def _authority_action(before: dict, after: dict, default: str) -> str:
    changes = audit.diff_fields(before, after)
    if set(changes) == {"is_published"}:
        return "institution.authority.published" if after["is_published"] else "institution.authority.unpublished"
    return default


@transaction.atomic
def authority_create(*, actor, government, name: str, photo=None, **fields: Any) -> Authority:
    _check_fields(fields, AUTHORITY_FIELDS)
    authority = Authority(government=government, name=name, **fields)
    if not authority.slug:
        authority.slug = unique_slug(Authority.objects.for_government(government), name, 70)
    authority.full_clean(exclude=["photo"])
    if photo:
        _store_photo(authority, photo)
    authority.save()
    _record(
        actor=actor,
        government=government,
        action="institution.authority.created",
        obj=authority,
        before={},
        after=snapshot(authority),
    )
    search.index_object(kind=AUTHORITY_KIND, obj=authority)
    return authority


@transaction.atomic
def authority_update(
    *, actor, government, authority: Authority, photo=None, remove_photo: bool = False, **fields: Any
) -> Authority:
    _check_fields(fields, AUTHORITY_FIELDS)
    authority = Authority.objects.for_government(government).select_for_update().get(pk=authority.pk)
    before = snapshot(authority)
    for name, value in fields.items():
        setattr(authority, name, value)
    if not authority.slug:
        authority.slug = unique_slug(
            Authority.objects.for_government(government).exclude(pk=authority.pk), authority.name, 70
        )
    authority.full_clean(exclude=["photo"])
    if photo:
        _store_photo(authority, photo)
    elif remove_photo and authority.photo:
        authority.photo.delete(save=False)
        authority.photo = ""
    authority.save()
    after = snapshot(authority)
    if audit.diff_fields(before, after):
        action = _authority_action(before, after, "institution.authority.updated")
        _record(actor=actor, government=government, action=action, obj=authority, before=before, after=after)
    search.index_object(kind=AUTHORITY_KIND, obj=authority)
    return authority


@transaction.atomic
def authority_set_published(*, actor, government, authority: Authority, is_published: bool) -> Authority:
    return authority_update(actor=actor, government=government, authority=authority, is_published=is_published)


@transaction.atomic
def authority_delete(*, actor, government, authority: Authority) -> None:
    authority = Authority.objects.for_government(government).select_for_update().get(pk=authority.pk)
    before, pk = snapshot(authority), authority.pk
    _record(
        actor=actor,
        government=government,
        action="institution.authority.deleted",
        obj=authority,
        before=before,
        after={},
    )
    photo = authority.photo.name if authority.photo else ""
    authority.delete()
    if photo:
        storage = Authority._meta.get_field("photo").storage
        transaction.on_commit(lambda: storage.delete(photo))
    search.remove_object(kind=AUTHORITY_KIND, object_id=pk, government=government)


# Declaration links ---------------------------------------------------------------------


@transaction.atomic
def declaration_create(*, actor, government, authority: Authority, title: str, url: str, year: int) -> DeclarationLink:
    declaration = DeclarationLink(government=government, authority=authority, title=title, url=url, year=year)
    declaration.full_clean()
    declaration.save()
    _record(
        actor=actor,
        government=government,
        action="institution.declaration.created",
        obj=declaration,
        before={},
        after=snapshot(declaration),
    )
    return declaration


@transaction.atomic
def declaration_update(*, actor, government, declaration: DeclarationLink, **fields: Any) -> DeclarationLink:
    _check_fields(fields, DECLARATION_FIELDS)
    declaration = DeclarationLink.objects.for_government(government).select_for_update().get(pk=declaration.pk)
    before = snapshot(declaration)
    for name, value in fields.items():
        setattr(declaration, name, value)
    declaration.full_clean()
    declaration.save()
    after = snapshot(declaration)
    if audit.diff_fields(before, after):
        _record(
            actor=actor,
            government=government,
            action="institution.declaration.updated",
            obj=declaration,
            before=before,
            after=after,
        )
    return declaration


@transaction.atomic
def declaration_delete(*, actor, government, declaration: DeclarationLink) -> None:
    declaration = DeclarationLink.objects.for_government(government).get(pk=declaration.pk)
    _record(
        actor=actor,
        government=government,
        action="institution.declaration.deleted",
        obj=declaration,
        before=snapshot(declaration),
        after={},
    )
    declaration.delete()


# Agenda --------------------------------------------------------------------------------


def _check_authorities(government, authorities) -> list[Authority]:
    chosen = list(authorities or [])
    if any(a.government_id != government.pk for a in chosen):
        raise ValidationError({"authorities": _("Choose authorities of this government only.")})
    return chosen


def _event_snapshot(event: AgendaEvent) -> dict:
    authorities = sorted(event.authorities.values_list("pk", flat=True)) if event.pk else []
    return snapshot(event, extra={"authorities": authorities})


@transaction.atomic
def event_create(
    *,
    actor,
    government,
    title: str,
    starts_at: dt.datetime,
    authorities=None,
    uid=None,
    **fields: Any,
) -> AgendaEvent:
    _check_fields(fields, EVENT_FIELDS)
    chosen = _check_authorities(government, authorities)
    event = AgendaEvent(government=government, title=title, starts_at=starts_at, **fields)
    if uid is not None:
        event.uid = uid
    event.full_clean()
    event.save()
    event.authorities.set(chosen)
    _record(
        actor=actor,
        government=government,
        action="institution.event.created",
        obj=event,
        before={},
        after=_event_snapshot(event),
    )
    search.index_object(kind=EVENT_KIND, obj=event)
    return event


@transaction.atomic
def event_update(*, actor, government, event: AgendaEvent, authorities=None, **fields: Any) -> AgendaEvent:
    _check_fields(fields, EVENT_FIELDS)
    event = AgendaEvent.objects.for_government(government).select_for_update().get(pk=event.pk)
    before = _event_snapshot(event)
    for name, value in fields.items():
        setattr(event, name, value)
    event.full_clean()
    event.save()
    if authorities is not None:
        event.authorities.set(_check_authorities(government, authorities))
    after = _event_snapshot(event)
    changes = audit.diff_fields(before, after)
    if changes:
        action = "institution.event.updated"
        if "status" in changes:
            action = "institution.event.cancelled" if event.is_cancelled else "institution.event.reinstated"
        _record(actor=actor, government=government, action=action, obj=event, before=before, after=after)
    search.index_object(kind=EVENT_KIND, obj=event)
    return event


def event_cancel(*, actor, government, event: AgendaEvent) -> AgendaEvent:
    return event_update(actor=actor, government=government, event=event, status=AgendaEvent.Status.CANCELLED)


@transaction.atomic
def event_delete(*, actor, government, event: AgendaEvent) -> None:
    event = AgendaEvent.objects.for_government(government).select_for_update().get(pk=event.pk)
    before, pk = _event_snapshot(event), event.pk
    _record(actor=actor, government=government, action="institution.event.deleted", obj=event, before=before, after={})
    event.delete()
    search.remove_object(kind=EVENT_KIND, object_id=pk, government=government)
