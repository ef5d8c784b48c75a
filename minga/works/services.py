"""Writes of the works module. Each service is keyword-only and atomic, validates with
full_clean(), records an audit entry for officials' actions, keeps the search index current
and tells the open-data catalog when the public projects change."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minga.core import opendata
from minga.core.audit import services as audit
from minga.core.comments import services as comments
from minga.core.crud import snapshot, unique_slug
from minga.core.notifications import services as notifications
from minga.core.search import services as search

from . import follows
from .locations import parse_location
from .models import RESERVED_SLUGS, Photo, ProgressDocument, ProgressUpdate, Project, ProjectLink
from .photos import clean_photo

PROJECT_KIND = "works.project"
MODULE = "works"
PROJECT_FIELDS = (
    "slug",
    "code",
    "title",
    "description",
    "sector",
    "status",
    "pdot_objectives",
    "sdg_targets",
    "area_of_interest",
    "responsible_unit",
    "contractor",
    "dpa_code",
    "territory_name",
    "beneficiaries",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "amount_planned",
    "amount_contracted",
    "amount_paid",
    "is_published",
)
BUDGET_KEY = re.compile(r"^(19|20)\d{2}:[0-9A-Za-z][0-9A-Za-z.\-]{0,80}$")
OCID = re.compile(r"^ocds-[0-9a-z]{6}-[\w.\-/]{1,100}$")
PB_PROJECT = re.compile(r"^[0-9a-z][0-9a-z_-]{0,89}$")
MAX_PHOTOS = 6
MAX_DOCUMENTS = 6
DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
MAX_LINKS = 30
_UNSET = object()


def _check_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")


def _snapshot(project: Project) -> dict:
    links = sorted(f"{link.kind} {link.key}" for link in project.links.all()) if project.pk else []
    return snapshot(project, extra={"links": links})


def project_state(project: Project) -> dict:
    """The audited values of a project (fields and links), to tell whether a write changed it."""
    return _snapshot(project)


def _changed(government) -> None:
    """The public projects changed: the open-data table and the search index follow."""
    opendata.tables_changed(government=government, module=MODULE)


# Links ----------------------------------------------------------------------------------


def parse_keys(text_or_list, kind: str) -> list[str]:
    """Budget line keys ("2026:730811…") or OCIDs, one per line (or a list); duplicates
    dropped, order kept; a ValidationError names every key that is malformed."""
    items = text_or_list.splitlines() if isinstance(text_or_list, str) else list(text_or_list or [])
    keys: list[str] = []
    bad: list[str] = []
    for raw in items:
        key = str(raw).strip()
        if not key:
            continue
        pattern = {ProjectLink.Kind.BUDGET_LINE: BUDGET_KEY, ProjectLink.Kind.PB_PROJECT: PB_PROJECT}.get(kind, OCID)
        if not pattern.match(key):
            bad.append(key[:60])
        elif key not in keys:
            keys.append(key)
    if bad:
        if kind == ProjectLink.Kind.BUDGET_LINE:
            message = _("Write each budget line as “year:partida”, e.g. 2026:7.3.08.11.001. Not valid: %(keys)s.")
        elif kind == ProjectLink.Kind.PB_PROJECT:
            message = _(
                "Write each participatory-budget project as the last part of its address, e.g. "
                "parque-infantil-inclusivo. Not valid: %(keys)s."
            )
        else:
            message = _(
                "Write each contracting process as its OCID, e.g. ocds-5wno2w-SIE-GPM-001-2026. Not valid: %(keys)s."
            )
        raise ValidationError(message % {"keys": ", ".join(bad)})
    if len(keys) > MAX_LINKS:
        raise ValidationError(_("At most %(max)d links of each kind.") % {"max": MAX_LINKS})
    return keys


def _set_links(project: Project, links: dict[str, list[str]]) -> None:
    for kind, keys in links.items():
        wanted = parse_keys(keys, kind)
        project.links.filter(kind=kind).exclude(key__in=wanted).delete()
        existing = set(project.links.filter(kind=kind).values_list("key", flat=True))
        ProjectLink.objects.bulk_create(
            [
                ProjectLink(government=project.government, project=project, kind=kind, key=k)
                for k in wanted
                if k not in existing
            ]
        )


def _apply_location(project: Project, location) -> None:
    try:
        found = parse_location(location)
    except ValidationError as error:
        raise ValidationError({"location": error.messages}) from error
    if found is None:
        project.geometry, project.geometry_type = None, ""
        project.min_lon = project.min_lat = project.max_lon = project.max_lat = None
        return
    project.geometry, project.geometry_type = found.geometry, found.kind
    project.min_lon, project.min_lat, project.max_lon, project.max_lat = found.bbox


# Projects -------------------------------------------------------------------------------


@transaction.atomic
def project_create(
    *, actor, government, title: str, location=None, links: dict | None = None, now: dt.datetime | None = None, **fields
) -> Project:
    _check_fields(fields)
    now = now or timezone.now()
    project = Project(government=government, title=" ".join(title.split()), created_at=now, updated_at=now, **fields)
    if not project.slug:
        project.slug = unique_slug(
            Project.objects.for_government(government), title, 80, fallback="obra", reserved=RESERVED_SLUGS
        )
    _apply_location(project, location)
    project.full_clean()
    project.save()
    _set_links(project, links or {})
    audit.record(
        actor=actor,
        government=government,
        action="works.project.created",
        obj=project,
        changes=audit.diff_fields({}, _snapshot(project)),
        now=now,
    )
    search.index_object(kind=PROJECT_KIND, obj=project, now=now)
    if project.is_published:
        _changed(government)
    return project


@transaction.atomic
def project_update(
    *, actor, government, project: Project, location=_UNSET, links: dict | None = None, now=None, **fields
) -> Project:
    _check_fields(fields)
    now = now or timezone.now()
    # From the stored row: a bound ModelForm has already written the new values onto the
    # caller's instance, which would hide the changes from the audit entry.
    project = Project.objects.for_government(government).select_for_update().get(pk=project.pk)
    before = _snapshot(project)
    for name, value in fields.items():
        setattr(project, name, value)
    if "title" in fields:
        project.title = " ".join(project.title.split())
    if not project.slug:
        project.slug = unique_slug(
            Project.objects.for_government(government).exclude(pk=project.pk),
            project.title,
            80,
            fallback="obra",
            reserved=RESERVED_SLUGS,
        )
    if location is not _UNSET:
        _apply_location(project, location)
    project.full_clean()
    if links is not None:
        _set_links(project, links)
    changes = audit.diff_fields(before, _snapshot(project))
    if not changes:  # nothing to record, reindex or republish (a file loaded twice)
        return project
    project.updated_at = now
    project.save()
    audit.record(
        actor=actor, government=government, action="works.project.updated", obj=project, changes=changes, now=now
    )
    search.index_object(kind=PROJECT_KIND, obj=project, now=now)
    if before["is_published"] or project.is_published:
        _changed(government)
    return project


def project_publish(*, actor, government, project: Project, published: bool, now=None) -> Project:
    return project_update(actor=actor, government=government, project=project, is_published=published, now=now)


@transaction.atomic
def project_delete(*, actor, government, project: Project, now=None) -> None:
    project = Project.objects.for_government(government).select_for_update().get(pk=project.pk)
    before = _snapshot(project)
    was_public, pk = project.is_published, project.pk
    audit.record(
        actor=actor,
        government=government,
        action="works.project.deleted",
        obj=project,
        changes=audit.diff_fields(before, {}),
        now=now,
    )
    for photo in project.photos.all():
        photo.image.delete(save=False)
    for document in ProgressDocument.objects.filter(update__project=project).exclude(file=""):
        document.file.delete(save=False)
    notifications.forget_target(government=government, target=project)
    comments.comments_delete_for_target(government=government, target_key="works.project", target_id=pk)
    project.delete()
    search.remove_object(kind=PROJECT_KIND, object_id=pk, government=government)
    if was_public:
        _changed(government)


# Progress -------------------------------------------------------------------------------


def cleaned_photos(photos, *, keep_position: bool) -> list:
    photos = [p for p in photos or [] if p]
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("At most %(max)d photos per update.") % {"max": MAX_PHOTOS}})
    cleaned = []
    for number, upload in enumerate(photos, start=1):
        try:
            cleaned.append(clean_photo(upload, keep_position=keep_position))
        except ValidationError as error:
            name = getattr(upload, "name", "") or str(number)
            raise ValidationError(
                {
                    "photos": _("Photo “%(name)s”: %(problem)s")
                    % {"name": name[:80], "problem": " ".join(error.messages)}
                }
            ) from error
    return cleaned


def _checked_documents(files) -> list:
    """PDFs only, sniffed from their first bytes (the name and the browser's type are not
    trusted), at most 20 MB each; stored later under random names."""
    files = [f for f in files or [] if f]
    if len(files) > MAX_DOCUMENTS:
        raise ValidationError({"document_files": _("At most %(max)d files per update.") % {"max": MAX_DOCUMENTS}})
    checked = []
    for upload in files:
        name = (getattr(upload, "name", "") or "documento.pdf")[:120]
        if upload.size > DOCUMENT_MAX_BYTES:
            raise ValidationError({"document_files": _("“%(name)s” is larger than 20 MB.") % {"name": name}})
        upload.seek(0)
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":
            raise ValidationError({"document_files": _("“%(name)s” is not a PDF file.") % {"name": name}})
        title = name.rsplit(".", 1)[0].replace("_", " ").strip() or name
        checked.append((title[:200], upload))
    return checked


def save_photos(cleaned, *, government, project, now, update=None, comment=None, caption="") -> list[Photo]:
    saved = []
    for item in cleaned:
        photo = Photo(
            government=government,
            project=project,
            update=update,
            comment=comment,
            caption=caption[:200],
            latitude=item.latitude,
            longitude=item.longitude,
            width=item.width,
            height=item.height,
            created_at=now,
        )
        photo.image.save(item.content.name, item.content, save=False)
        photo.full_clean()
        photo.save()
        saved.append(photo)
    return saved


def _refresh_latest(project: Project) -> None:
    """Copy the latest update (by date, then posting time) onto the project."""
    latest = project.updates.order_by("-reported_on", "-created_at").first()
    if latest is None:
        project.physical_progress = project.financial_progress = Decimal("0")
        project.last_progress_on = None
        return
    project.physical_progress = latest.physical_progress
    project.financial_progress = latest.financial_progress
    project.last_progress_on = latest.reported_on
    paid = project.updates.filter(amount_paid__isnull=False).order_by("-reported_on", "-created_at").first()
    if paid is not None:
        project.amount_paid = paid.amount_paid


@transaction.atomic
def progress_post(
    *,
    actor,
    government,
    project: Project,
    reported_on: dt.date,
    physical_progress: Decimal,
    financial_progress: Decimal,
    note: str = "",
    amount_paid: Decimal | None = None,
    photos=(),
    caption: str = "",
    keep_position: bool = False,
    documents=(),
    document_files=(),
    now: dt.datetime | None = None,
    notify: bool = True,
) -> ProgressUpdate:
    """Post a dated progress update with its photos and documents; the project shows the
    latest one. Every photo is checked before anything is saved: one bad file refuses the
    whole update. Followers get an e-mail after the commit."""
    now = now or timezone.now()
    if reported_on > timezone.localtime(now).date():
        raise ValidationError({"reported_on": _("The date of an update cannot be in the future.")})
    cleaned = cleaned_photos(photos, keep_position=keep_position)
    files = _checked_documents(document_files)
    project = Project.objects.for_government(government).select_for_update().get(pk=project.pk)
    before = _snapshot(project)
    update = ProgressUpdate(
        government=government,
        project=project,
        reported_on=reported_on,
        physical_progress=physical_progress,
        financial_progress=financial_progress,
        amount_paid=amount_paid,
        note=note.strip(),
        author=actor if getattr(actor, "is_authenticated", False) else None,
        created_at=now,
    )
    update.full_clean()
    update.save()
    for title, url in documents or ():
        document = ProgressDocument(government=government, update=update, title=title.strip(), url=url.strip())
        document.full_clean()
        document.save()
    for title, upload in files:
        document = ProgressDocument(government=government, update=update, title=title)
        document.file.save(f"{secrets.token_hex(16)}.pdf", upload, save=False)
        document.full_clean()
        document.save()
    save_photos(cleaned, government=government, project=project, now=now, update=update, caption=caption)
    _refresh_latest(project)
    project.updated_at = now
    project.full_clean()
    project.save()
    audit.record(
        actor=actor,
        government=government,
        action="works.progress.posted",
        obj=project,
        changes={
            **audit.diff_fields(before, _snapshot(project)),
            "update": [None, {"date": reported_on.isoformat(), "photos": len(cleaned), "files": len(files)}],
        },
        now=now,
    )
    search.index_object(kind=PROJECT_KIND, obj=project, now=now)
    if project.is_published:
        _changed(government)
        if notify:
            follows.progress_posted(government=government, project=project, update=update, actor=actor)
    return update


@transaction.atomic
def progress_delete(*, actor, government, update: ProgressUpdate, now=None) -> Project:
    """Withdraw a mistaken update; the project goes back to the previous one."""
    now = now or timezone.now()
    project = Project.objects.for_government(government).select_for_update().get(pk=update.project_id)
    update = ProgressUpdate.objects.for_government(government).get(pk=update.pk, project=project)
    before = _snapshot(project)
    removed = {"date": update.reported_on.isoformat(), "physical": update.physical_progress}
    for photo in update.photos.all():
        photo.image.delete(save=False)
    for document in update.documents.exclude(file=""):
        document.file.delete(save=False)
    update.delete()
    _refresh_latest(project)
    project.updated_at = now
    project.save()
    audit.record(
        actor=actor,
        government=government,
        action="works.progress.deleted",
        obj=project,
        changes={**audit.diff_fields(before, _snapshot(project)), "update": [removed, None]},
        now=now,
    )
    search.index_object(kind=PROJECT_KIND, obj=project, now=now)
    if project.is_published:
        _changed(government)
    return project


# Citizen oversight ----------------------------------------------------------------------
# Comments and observations live in core's threads (works/comments.py declares the target);
# moderation and official answers are core's (minga.core.comments.services).


def comment_create(
    *, actor, government, project: Project, body: str, kind: str = "comment", photos=(), parent=None, now=None
):
    """A citizen's comment or field observation (with photos) on a project, through core's
    threads: the author follows the project, and the cached page shows it at once."""
    return comments.comment_create(
        actor=actor,
        government=government,
        target_key="works.project",
        obj=project,
        body=body,
        kind=kind,
        parent=parent,
        extra={"photos": photos},
        now=now,
    )
