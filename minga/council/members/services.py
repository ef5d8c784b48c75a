"""Writes of the council's composition: the council, its members (people) and their dated
seats, its committees and their dated members. Atomic, validated, audited. Ending a term sets a
date: nothing of a past composition is deleted."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from minga.core.audit.services import diff_fields as _diff
from minga.core.crud import snapshot, unique_slug
from minga.core.images import clean_image

from .. import search
from ..audit import record
from .models import Committee, CommitteeMembership, Council, Membership, Person

COUNCIL_FIELDS = (
    "name",
    "kind",
    "description",
    "seat",
    "contact_email",
    "notice_ordinary_hours",
    "notice_extraordinary_hours",
)
PERSON_FIELDS = ("name", "party", "email", "phone", "biography")
MEMBERSHIP_FIELDS = ("person", "role", "label", "alternate_of", "starts_on", "ends_on")
COMMITTEE_FIELDS = ("name", "kind", "description", "is_active")
COMMITTEE_MEMBERSHIP_FIELDS = ("person", "role", "starts_on", "ends_on")
SLUG_RESERVED = frozenset({"gestion", "nuevo", "nueva"})


def _only(fields: Mapping[str, Any], allowed) -> None:
    if set(fields) - set(allowed):
        raise ValueError(f"not editable: {sorted(set(fields) - set(allowed))}")


def _dates(obj) -> None:
    if obj.ends_on and obj.starts_on and obj.ends_on < obj.starts_on:
        raise ValidationError({"ends_on": _("The end date cannot be before the start date.")})


def _same_government(government, *objs) -> None:
    for obj in objs:
        if obj is not None and obj.government_id != government.pk:
            raise ValidationError(_("That record belongs to another government."))


def council_save(*, actor, government, fields: Mapping[str, Any]) -> Council:
    _only(fields, COUNCIL_FIELDS)
    with transaction.atomic():
        council = Council.objects.for_government(government).first()
        creating = council is None
        before = {} if creating else snapshot(council)
        council = council or Council(government=government)
        for name, value in fields.items():
            setattr(council, name, value)
        council.full_clean(exclude=["government"])
        council.save()
        record(
            actor=actor,
            government=government,
            action="council.created" if creating else "council.updated",
            obj=council,
            changes=_diff(before, snapshot(council)),
        )
    return council


def _store_photo(person: Person, photo) -> None:
    """Re-encoded (resized, metadata removed) under a random name; the old file is deleted."""
    try:
        cleaned = clean_image(photo, max_side=800)
    except ValidationError as error:
        raise ValidationError({"photo": error.messages}) from error
    if person.photo:
        person.photo.delete(save=False)
    person.photo.save(cleaned.name, cleaned, save=False)


def person_save(
    *,
    actor,
    government,
    person: Person | None,
    fields: Mapping[str, Any],
    photo=None,
    remove_photo: bool = False,
) -> Person:
    _only(fields, PERSON_FIELDS)
    with transaction.atomic():
        creating = person is None
        before = {} if creating else snapshot(person)
        person = person or Person(government=government)
        for name, value in fields.items():
            setattr(person, name, value if value is not None else "")
        if not person.name.strip():
            raise ValidationError({"name": _("Give the member's name.")})
        if creating:
            person.slug = unique_slug(
                Person.objects.for_government(government), person.name, 90, fallback="miembro", reserved=SLUG_RESERVED
            )
        if photo:
            _store_photo(person, photo)
        elif remove_photo and person.photo:
            person.photo.delete(save=False)
            person.photo = ""
        person.save()
        record(
            actor=actor,
            government=government,
            action="person.created" if creating else "person.updated",
            obj=person,
            changes=_diff(before, snapshot(person)),
        )
        search.index(search.PERSON_KIND, person)
    return person


def membership_save(
    *, actor, government, council: Council, membership: Membership | None, fields: Mapping[str, Any]
) -> Membership:
    _only(fields, MEMBERSHIP_FIELDS)
    with transaction.atomic():
        creating = membership is None
        before = {} if creating else snapshot(membership)
        membership = membership or Membership(government=government, council=council)
        for name, value in fields.items():
            setattr(membership, name, value if value is not None or name in ("ends_on", "alternate_of") else "")
        _same_government(government, membership.person, membership.alternate_of)
        _dates(membership)
        if membership.role == Membership.Role.ALTERNATE and membership.alternate_of is None:
            raise ValidationError({"alternate_of": _("Say whose alternate this member is.")})
        if membership.role != Membership.Role.ALTERNATE:
            membership.alternate_of = None
        if membership.alternate_of_id and membership.alternate_of_id == membership.person_id:
            raise ValidationError({"alternate_of": _("A member cannot be their own alternate.")})
        membership.save()
        record(
            actor=actor,
            government=government,
            action="membership.saved",
            obj=membership.person,
            changes={f"membership:{membership.pk}": [before or None, snapshot(membership)]},
        )
        search.index(search.PERSON_KIND, membership.person)
    return membership


def membership_delete(*, actor, government, membership: Membership) -> None:
    """For a seat entered by mistake; a term that ended gets an end date instead."""
    with transaction.atomic():
        record(
            actor=actor,
            government=government,
            action="membership.deleted",
            obj=membership.person,
            changes={f"membership:{membership.pk}": [snapshot(membership), None]},
        )
        membership.delete()
        search.index(search.PERSON_KIND, membership.person)


def committee_save(
    *, actor, government, council: Council, committee: Committee | None, fields: Mapping[str, Any]
) -> Committee:
    _only(fields, COMMITTEE_FIELDS)
    with transaction.atomic():
        creating = committee is None
        before = {} if creating else snapshot(committee)
        committee = committee or Committee(government=government, council=council)
        for name, value in fields.items():
            setattr(committee, name, value if value is not None else "")
        if not committee.name.strip():
            raise ValidationError({"name": _("Give the committee's name.")})
        if creating:
            committee.slug = unique_slug(
                Committee.objects.for_government(government),
                committee.name,
                90,
                fallback="comision",
                reserved=SLUG_RESERVED,
            )
        committee.save()
        record(
            actor=actor,
            government=government,
            action="committee.created" if creating else "committee.updated",
            obj=committee,
            changes=_diff(before, snapshot(committee)),
        )
    return committee


def committee_membership_save(
    *,
    actor,
    government,
    committee: Committee,
    membership: CommitteeMembership | None,
    fields: Mapping[str, Any],
) -> CommitteeMembership:
    _only(fields, COMMITTEE_MEMBERSHIP_FIELDS)
    with transaction.atomic():
        creating = membership is None
        before = {} if creating else snapshot(membership)
        membership = membership or CommitteeMembership(government=government, committee=committee)
        for name, value in fields.items():
            setattr(membership, name, value)
        _same_government(government, membership.person)
        _dates(membership)
        if membership.role == CommitteeMembership.Role.CHAIR and not membership.ends_on:
            others = (
                CommitteeMembership.objects.for_government(government)
                .filter(committee=committee, role=CommitteeMembership.Role.CHAIR, ends_on__isnull=True)
                .exclude(pk=membership.pk)
            )
            if others.exists():
                raise ValidationError(
                    {"role": _("The committee already has a chair; give the current chair an end date first.")}
                )
        membership.save()
        record(
            actor=actor,
            government=government,
            action="committee.member_saved" if not creating else "committee.member_added",
            obj=committee,
            changes={f"member:{membership.pk}": [before or None, snapshot(membership)]},
        )
    return membership


def committee_membership_delete(*, actor, government, membership: CommitteeMembership) -> None:
    with transaction.atomic():
        record(
            actor=actor,
            government=government,
            action="committee.member_deleted",
            obj=membership.committee,
            changes={f"member:{membership.pk}": [snapshot(membership), None]},
        )
        membership.delete()
