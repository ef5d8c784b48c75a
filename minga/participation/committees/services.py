"""Writes of citizen oversight committees: the committee with the object it oversees (checked
through core's registry links), its members and its reports (PDF only, judged by their first
bytes). Atomic and audited."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from minga.core.audit import services as audit
from minga.core.crud import snapshot, unique_slug
from minga.core.opendata import tables_changed
from minga.core.registry import resolve_links

from ..events.services import check_pdf
from ..features import MODULE
from .models import OBJECT_KIND_LABELS, Committee, Member, Report

COMMITTEE_FIELDS = (
    "name",
    "description",
    "object_kind",
    "object_key",
    "object_title",
    "starts_on",
    "ends_on",
    "status",
    "is_published",
)
MEMBER_FIELDS = ("name", "role", "organisation", "position")
SLUG_RESERVED = frozenset({"gestion"})


def _record(*, actor, government, action: str, obj, changes: dict) -> None:
    audit.record(actor=actor, government=government, action=action, obj=obj, changes=changes)
    tables_changed(government=government, module=MODULE)


def _check_object(government, committee: Committee) -> None:
    """The object must be a known kind; when the owning module publishes it, its current title
    is kept with the link; when it does not (a module switched off, a record not public yet),
    the name typed by the official stands in."""
    errors = {}
    if committee.object_kind not in OBJECT_KIND_LABELS:
        errors["object_kind"] = _("Choose what kind of object the committee oversees.")
    committee.object_key = (committee.object_key or "").strip()
    if not committee.object_key:
        errors["object_key"] = _("Give the identifier of the object overseen.")
    if errors:
        raise ValidationError(errors)
    found = resolve_links(government, committee.object_kind, [committee.object_key]).get(committee.object_key)
    if found is not None:
        committee.object_title = found.title[:300]
    elif not (committee.object_title or "").strip():
        raise ValidationError(
            {
                "object_key": _(
                    "No published record of this kind has the identifier “%(key)s”. Check it, or write the name "
                    "of the object overseen so the registry can show it."
                )
                % {"key": committee.object_key}
            }
        )


def committee_save(*, actor, government, committee: Committee | None, fields: Mapping[str, Any]) -> Committee:
    if set(fields) - set(COMMITTEE_FIELDS):
        raise ValueError(f"not editable: {sorted(set(fields) - set(COMMITTEE_FIELDS))}")
    with transaction.atomic():
        creating = committee is None
        before = {} if creating else snapshot(committee)
        committee = committee or Committee(government=government)
        for name, value in fields.items():
            setattr(committee, name, value)
        if committee.ends_on and committee.starts_on and committee.ends_on < committee.starts_on:
            raise ValidationError({"ends_on": _("The committee cannot end before it starts.")})
        _check_object(government, committee)
        if creating:
            committee.slug = unique_slug(
                Committee.objects.for_government(government),
                committee.name,
                90,
                fallback="veeduria",
                reserved=SLUG_RESERVED,
            )
        committee.save()
        _record(
            actor=actor,
            government=government,
            action="participation.committee.created" if creating else "participation.committee.updated",
            obj=committee,
            changes=audit.diff_fields(before, snapshot(committee)),
        )
    return committee


def committee_delete(*, actor, government, committee: Committee) -> None:
    with transaction.atomic():
        _record(
            actor=actor,
            government=government,
            action="participation.committee.deleted",
            obj=committee,
            changes=audit.diff_fields(snapshot(committee), {}),
        )
        for report in Report.objects.for_government(government).filter(committee=committee):
            report.file.delete(save=False)
        committee.delete()


def member_save(*, actor, government, committee: Committee, member: Member | None, fields: Mapping[str, Any]) -> Member:
    if set(fields) - set(MEMBER_FIELDS):
        raise ValueError(f"not editable: {sorted(set(fields) - set(MEMBER_FIELDS))}")
    with transaction.atomic():
        creating = member is None
        before = {} if creating else snapshot(member)
        member = member or Member(government=government, committee=committee)
        for name, value in fields.items():
            setattr(member, name, value if value is not None else "")
        if not member.name.strip() or not member.role.strip():
            raise ValidationError({"name": _("Give the member's name and role.")})
        member.save()
        _record(
            actor=actor,
            government=government,
            action="participation.committee.member_saved",
            obj=committee,
            changes={f"member:{member.pk}": [before or None, snapshot(member)]},
        )
    return member


def member_delete(*, actor, government, member: Member) -> None:
    with transaction.atomic():
        _record(
            actor=actor,
            government=government,
            action="participation.committee.member_deleted",
            obj=member.committee,
            changes={f"member:{member.pk}": [snapshot(member), None]},
        )
        member.delete()


def report_add(*, actor, government, committee: Committee, title: str, presented_on, upload) -> Report:
    check_pdf(upload, field="file")
    if not (title or "").strip():
        raise ValidationError({"title": _("Give the report a title.")})
    with transaction.atomic():
        upload.name = f"informe-{committee.slug}-{secrets.token_hex(4)}.pdf"
        report = Report(
            government=government, committee=committee, title=title.strip(), presented_on=presented_on, file=upload
        )
        report.save()
        _record(
            actor=actor,
            government=government,
            action="participation.committee.report_added",
            obj=committee,
            changes={f"report:{report.pk}": [None, {"title": report.title, "presented_on": presented_on}]},
        )
    return report


def report_delete(*, actor, government, report: Report) -> None:
    with transaction.atomic():
        _record(
            actor=actor,
            government=government,
            action="participation.committee.report_deleted",
            obj=report.committee,
            changes={f"report:{report.pk}": [{"title": report.title}, None]},
        )
        report.file.delete(save=False)
        report.delete()
