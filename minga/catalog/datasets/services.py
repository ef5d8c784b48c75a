"""Writes of the catalog's descriptions: themes, licences, tags, datasets, their resources and
the data dictionary. Each service is keyword-only and atomic, validates with full_clean(),
records an audit entry for officials' actions, keeps the search index current, appends to the
dataset's public version history and schedules the followers' e-mails after the commit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from minga.core import registry
from minga.core.audit import services as audit
from minga.core.crud import TIMESTAMPS, snapshot, unique_slug
from minga.core.licences import KNOWN_LICENCES
from minga.core.notifications import services as notifications
from minga.core.registry import module_settings
from minga.core.search import services as search

from ..changes import check_fields, quality_later, record_change, refresh_due
from ..quality import freshness
from ..refresh import sources
from ..requests import follows
from ..tables.services import drop_tables_on_commit, resource_load_requested
from . import files
from .models import ColumnDictionary, Dataset, DatasetVersion, Licence, Resource, Tag, Theme

DATASET_FIELDS = (
    "title",
    "slug",
    "summary",
    "description",
    "publisher",
    "publisher_email",
    "publisher_unit",
    "licence",
    "temporal_start",
    "temporal_end",
    "spatial_coverage",
    "frequency",
    "contact_name",
    "contact_email",
    "lotaip_obligation",
    "is_published",
)
RESOURCE_FIELDS = (
    "title",
    "description",
    "kind",
    "url",
    "order",
    "auto_refresh",
    "refresh_cron",
    "sql_source",
    "sql_query",
)
THEME_FIELDS = ("name", "slug", "dcat_theme", "description", "order")
LICENCE_FIELDS = ("code", "name", "url", "is_open", "is_default")
DATASET_KIND = "catalog.dataset"
# Generated slugs leave room for a number within the column (themes 80, datasets 100), and a
# name with nothing to keep becomes "dato".
THEME_SLUG_LENGTH = 70
DATASET_SLUG_LENGTH = 90
SLUG_FALLBACK = "dato"

# The licences a government gets the first time: CC-BY 4.0 (the default), CC0 and CC-BY-SA 4.0.
DEFAULT_LICENCE_CODES = ("CC-BY-4.0", "CC0-1.0", "CC-BY-SA-4.0")


def default_licences() -> list[tuple[str, str, str, bool]]:
    """(code, name, url, is_default) of the first licences, named in the platform's language
    (the name is stored, so an official may reword it)."""
    with translation.override(settings.LANGUAGE_CODE):
        return [
            (licence.code, str(licence.name), licence.url, licence.code == DEFAULT_LICENCE_CODES[0])
            for licence in KNOWN_LICENCES
            if licence.code in DEFAULT_LICENCE_CODES
        ]


# Themes and licences ---------------------------------------------------------------------


@transaction.atomic
def theme_create(*, actor, government, name: str, **fields: Any) -> Theme:
    check_fields(fields, THEME_FIELDS)
    theme = Theme(government=government, name=name, **fields)
    if not theme.slug:
        theme.slug = unique_slug(
            Theme.objects.for_government(government), name, THEME_SLUG_LENGTH, fallback=SLUG_FALLBACK
        )
    theme.full_clean()
    theme.save()
    record_change(
        actor=actor, government=government, action="catalog.theme.created", obj=theme, before={}, after=snapshot(theme)
    )
    return theme


@transaction.atomic
def theme_update(*, actor, government, theme: Theme, **fields: Any) -> Theme:
    check_fields(fields, THEME_FIELDS)
    theme = Theme.objects.for_government(government).select_for_update().get(pk=theme.pk)
    before = snapshot(theme)
    for name, value in fields.items():
        setattr(theme, name, value)
    if not theme.slug:
        taken = Theme.objects.for_government(government).exclude(pk=theme.pk)
        theme.slug = unique_slug(taken, theme.name, THEME_SLUG_LENGTH, fallback=SLUG_FALLBACK)
    theme.full_clean()
    theme.save()
    after = snapshot(theme)
    if audit.diff_fields(before, after):
        record_change(
            actor=actor, government=government, action="catalog.theme.updated", obj=theme, before=before, after=after
        )
    return theme


@transaction.atomic
def theme_delete(*, actor, government, theme: Theme) -> None:
    theme = Theme.objects.for_government(government).select_for_update().get(pk=theme.pk)
    datasets = list(Dataset.objects.for_government(government).filter(themes=theme, is_published=True))
    record_change(
        actor=actor, government=government, action="catalog.theme.deleted", obj=theme, before=snapshot(theme), after={}
    )
    theme.delete()
    for dataset in datasets:
        search.index_object(kind=DATASET_KIND, obj=dataset)


def _unset_other_defaults(government, licence: Licence) -> None:
    if licence.is_default:
        Licence.objects.for_government(government).filter(is_default=True).exclude(pk=licence.pk).update(
            is_default=False
        )


@transaction.atomic
def licence_create(*, actor, government, code: str, name: str, **fields: Any) -> Licence:
    check_fields(fields, LICENCE_FIELDS)
    licence = Licence(government=government, code=code, name=name, **fields)
    licence.full_clean(validate_constraints=False)
    _unset_other_defaults(government, licence)
    licence.validate_constraints()
    licence.save()
    record_change(
        actor=actor,
        government=government,
        action="catalog.licence.created",
        obj=licence,
        before={},
        after=snapshot(licence),
    )
    return licence


@transaction.atomic
def licence_update(*, actor, government, licence: Licence, **fields: Any) -> Licence:
    check_fields(fields, LICENCE_FIELDS)
    licence = Licence.objects.for_government(government).select_for_update().get(pk=licence.pk)
    before = snapshot(licence)
    for name, value in fields.items():
        setattr(licence, name, value)
    licence.full_clean(validate_constraints=False)
    _unset_other_defaults(government, licence)
    licence.validate_constraints()
    licence.save()
    after = snapshot(licence)
    if audit.diff_fields(before, after):
        record_change(
            actor=actor,
            government=government,
            action="catalog.licence.updated",
            obj=licence,
            before=before,
            after=after,
        )
    return licence


def licence_delete_refusal(*, licence: Licence) -> str:
    used = Dataset.objects.for_government(licence.government_id).filter(licence=licence).count()
    if used:
        return ngettext(
            "This licence cannot be deleted: %(count)d dataset uses it. Change its licence first.",
            "This licence cannot be deleted: %(count)d datasets use it. Change their licence first.",
            used,
        ) % {"count": used}
    return ""


@transaction.atomic
def licence_delete(*, actor, government, licence: Licence) -> None:
    licence = Licence.objects.for_government(government).select_for_update().get(pk=licence.pk)
    refusal = licence_delete_refusal(licence=licence)
    if refusal:
        raise ValidationError(refusal)
    record_change(
        actor=actor,
        government=government,
        action="catalog.licence.deleted",
        obj=licence,
        before=snapshot(licence),
        after={},
    )
    licence.delete()


@transaction.atomic
def licences_ensure_defaults(*, actor, government) -> list[Licence]:
    """The government's licences; the standard three (CC-BY 4.0 as the default, CC0,
    CC-BY-SA 4.0) are created the first time."""
    existing = list(Licence.objects.for_government(government))
    if existing:
        return existing
    return [
        licence_create(actor=actor, government=government, code=code, name=name, url=url, is_default=default)
        for code, name, url, default in default_licences()
    ]


# Datasets --------------------------------------------------------------------------------


def _tag_objects(government, names) -> list[Tag]:
    tags, seen = [], set()
    for raw in names or []:
        name = " ".join(str(raw).split())[:60]
        slug = slugify(name)[:70]
        if not slug or slug in seen:
            continue
        seen.add(slug)
        tag = Tag.objects.for_government(government).filter(slug=slug).first()
        if tag is None:
            tag = Tag(government=government, name=name.lower(), slug=slug)
            tag.full_clean()
            tag.save()
        tags.append(tag)
    return tags


def _check_themes(government, themes) -> list[Theme]:
    chosen = list(themes or [])
    if any(theme.government_id != government.pk for theme in chosen):
        raise ValidationError({"themes": _("Choose themes of this government only.")})
    return chosen


def _resolve_publisher(dataset: Dataset, government, *, previous_unit: str | None = None) -> None:
    """A picked unit must be one of the government's directory units; its current name
    becomes the publisher label, so lists, facets and the interop outputs (which read the
    text) name it as the chart does. A unit that was already stored and is no longer listed
    (renamed away, hidden, or the institution module switched off) is kept as it is, so
    editing something else does not fail."""
    key = (dataset.publisher_unit or "").strip()
    dataset.publisher_unit = key
    if not key:
        return
    unit = registry.directory_unit_map(government).get(key)
    if unit is not None:
        dataset.publisher = unit.name[: Dataset._meta.get_field("publisher").max_length]
    elif key != previous_unit:
        raise ValidationError({"publisher_unit": _("Choose a unit of this government's organisation chart.")})


def _dataset_snapshot(dataset: Dataset) -> dict:
    """The audited values of a dataset: its themes and tags too, not the version counter and
    the next update due (the service keeps those itself)."""
    links = {}
    if dataset.pk:
        links["themes"] = sorted(dataset.themes.values_list("slug", flat=True))
        links["tags"] = sorted(dataset.tags.values_list("slug", flat=True))
    return snapshot(dataset, leave_out=(*TIMESTAMPS, "version", "next_update_due"), extra=links)


def _add_version(
    *, dataset: Dataset, actor, change: str, changed: list[str], now: dt.datetime, subject: str = ""
) -> DatasetVersion:
    Dataset.objects.for_government(dataset.government_id).filter(pk=dataset.pk).update(version=F("version") + 1)
    dataset.refresh_from_db(fields=["version"])
    return DatasetVersion.objects.for_government(dataset.government).create(
        government=dataset.government,
        dataset=dataset,
        number=dataset.version,
        change=change,
        subject=subject[:250],
        changed_fields=sorted(changed),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        created_at=now,
    )


# A source refreshed every hour must not fill the public history or the followers' inboxes.
REFRESH_NOTICE_INTERVAL = dt.timedelta(hours=23)


def dataset_data_refreshed(*, government, resource: Resource, now: dt.datetime | None = None) -> bool:
    """A scheduled refresh published new data: record it in the dataset's public history and
    tell its followers, at most once a day per dataset. Returns whether it was recorded."""
    now = now or timezone.now()
    dataset = Dataset.objects.for_government(government).select_for_update().get(pk=resource.dataset_id)
    recent = DatasetVersion.objects.for_government(government).filter(
        dataset=dataset, change=DatasetVersion.Change.DATA_REFRESHED, created_at__gt=now - REFRESH_NOTICE_INTERVAL
    )
    if recent.exists():
        return False
    _add_version(
        dataset=dataset,
        actor=None,
        change=DatasetVersion.Change.DATA_REFRESHED,
        changed=[],
        now=now,
        subject=resource.title,
    )
    _notify_dataset(government, dataset, DatasetVersion.Change.DATA_REFRESHED, actor=None)
    return True


def _touch(dataset: Dataset) -> None:
    """Resources changed: the dataset counts as updated (its updated_at moves)."""
    dataset.save(update_fields=["updated_at"])


def _notify_dataset(government, dataset: Dataset, change: str, *, actor) -> None:
    if not dataset.is_published:
        return
    follows.dataset_changed(government=government, dataset=dataset, change=change, actor=actor)


def default_licence(government) -> Licence | None:
    """The licence marked as default, else the one the government's settings name."""
    licences = Licence.objects.for_government(government)
    marked = licences.filter(is_default=True).first()
    if marked is not None:
        return marked
    return licences.filter(code=module_settings(government, "catalog").get("default_licence", "")).first()


@transaction.atomic
def dataset_create(
    *,
    actor,
    government,
    title: str,
    summary: str,
    publisher: str = "",
    licence: Licence | None = None,
    themes=None,
    tags=None,
    now: dt.datetime | None = None,
    **fields: Any,
) -> Dataset:
    check_fields(fields, DATASET_FIELDS)
    now = now or timezone.now()
    if licence is None:
        licence = default_licence(government)
    dataset = Dataset(
        government=government, title=title, summary=summary, publisher=publisher, licence=licence, **fields
    )
    if not dataset.slug:
        dataset.slug = unique_slug(
            Dataset.objects.for_government(government), title, DATASET_SLUG_LENGTH, fallback=SLUG_FALLBACK
        )
    _resolve_publisher(dataset, government)
    chosen = _check_themes(government, themes)
    dataset.full_clean()
    dataset.next_update_due = freshness.next_update_due(dataset.frequency, timezone.localtime(now).date())
    dataset.save()
    dataset.themes.set(chosen)
    dataset.tags.set(_tag_objects(government, tags))
    after = _dataset_snapshot(dataset)
    record_change(
        actor=actor,
        government=government,
        action="catalog.dataset.created",
        obj=dataset,
        before={},
        after=after,
        now=now,
    )
    _add_version(dataset=dataset, actor=actor, change=DatasetVersion.Change.CREATED, changed=list(after), now=now)
    search.index_object(kind=DATASET_KIND, obj=dataset)
    quality_later(government, dataset.pk)
    return dataset


def _dataset_action(changes: dict) -> str:
    if "is_published" in changes:
        return "catalog.dataset.published" if changes["is_published"][1] else "catalog.dataset.unpublished"
    return "catalog.dataset.updated"


@transaction.atomic
def dataset_update(
    *,
    actor,
    government,
    dataset: Dataset,
    themes=None,
    tags=None,
    now: dt.datetime | None = None,
    **fields: Any,
) -> Dataset:
    check_fields(fields, DATASET_FIELDS)
    now = now or timezone.now()
    dataset = Dataset.objects.for_government(government).select_for_update().get(pk=dataset.pk)
    before = _dataset_snapshot(dataset)
    previous_unit = dataset.publisher_unit
    for name, value in fields.items():
        setattr(dataset, name, value)
    if not dataset.slug:
        taken = Dataset.objects.for_government(government).exclude(pk=dataset.pk)
        dataset.slug = unique_slug(taken, dataset.title, DATASET_SLUG_LENGTH, fallback=SLUG_FALLBACK)
    _resolve_publisher(dataset, government, previous_unit=previous_unit)
    chosen = _check_themes(government, themes) if themes is not None else None
    dataset.full_clean()
    dataset.save()
    if chosen is not None:
        dataset.themes.set(chosen)
    if tags is not None:
        dataset.tags.set(_tag_objects(government, tags))
    after = _dataset_snapshot(dataset)
    changes = audit.diff_fields(before, after)
    if changes:
        action = _dataset_action(changes)
        record_change(
            actor=actor, government=government, action=action, obj=dataset, before=before, after=after, now=now
        )
        change = {
            "catalog.dataset.published": DatasetVersion.Change.PUBLISHED,
            "catalog.dataset.unpublished": DatasetVersion.Change.UNPUBLISHED,
        }.get(action, DatasetVersion.Change.UPDATED)
        _add_version(dataset=dataset, actor=actor, change=change, changed=list(changes), now=now)
        if "frequency" in changes:
            refresh_due(dataset, now)
        if action != "catalog.dataset.unpublished":
            _notify_dataset(
                government,
                dataset,
                "published" if action == "catalog.dataset.published" else "updated",
                actor=actor,
            )
    search.index_object(kind=DATASET_KIND, obj=dataset)
    quality_later(government, dataset.pk)
    return dataset


def dataset_set_published(*, actor, government, dataset: Dataset, is_published: bool) -> Dataset:
    return dataset_update(actor=actor, government=government, dataset=dataset, is_published=is_published)


@transaction.atomic
def dataset_delete(*, actor, government, dataset: Dataset) -> None:
    dataset = Dataset.objects.for_government(government).select_for_update().get(pk=dataset.pk)
    before, pk = _dataset_snapshot(dataset), dataset.pk
    stored = [r.file.name for r in Resource.objects.for_government(government).filter(dataset=dataset) if r.file]
    drop_tables_on_commit(list(Resource.objects.for_government(government).filter(dataset=dataset)))
    record_change(
        actor=actor, government=government, action="catalog.dataset.deleted", obj=dataset, before=before, after={}
    )
    notifications.forget_target(government=government, target=dataset)
    dataset.delete()
    _delete_files_on_commit(stored)
    search.remove_object(kind=DATASET_KIND, object_id=pk, government=government)


def _delete_files_on_commit(names: list[str]) -> None:
    if not names:
        return
    storage = Resource._meta.get_field("file").storage
    transaction.on_commit(lambda: [storage.delete(name) for name in names])


# Resources -------------------------------------------------------------------------------


def _store_file(resource: Resource, upload) -> str:
    """Check the upload and attach it under a random name; returns the replaced file name."""
    try:
        checked = files.check_upload(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.message_dict.get("file", error.messages)}) from error
    previous = resource.file.name if resource.file else ""
    resource.file.save(checked.name or "datos", upload, save=False)
    resource.original_name = checked.name[:200]
    resource.format = checked.format
    resource.size = checked.size
    resource.sha256 = checked.sha256
    return previous


@transaction.atomic
def resource_add(
    *,
    actor,
    government,
    dataset: Dataset,
    title: str,
    file=None,
    now: dt.datetime | None = None,
    **fields: Any,
) -> Resource:
    check_fields(fields, RESOURCE_FIELDS)
    now = now or timezone.now()
    dataset = Dataset.objects.for_government(government).select_for_update().get(pk=dataset.pk)
    resource = Resource(government=government, dataset=dataset, title=title, **fields)
    if resource.kind == Resource.Kind.UPLOAD:
        if not file:
            raise ValidationError({"file": _("Choose the file to upload.")})
        resource.url = ""
        resource.full_clean(exclude=["file"])
    else:
        resource.full_clean(exclude=["file"])
        resource.format = files.format_for_extension(resource.url.split("?")[0])
    sources.prepare_resource(resource, previous=None, now=now)
    if file:
        _store_file(resource, file)
    resource.save()
    record_change(
        actor=actor,
        government=government,
        action="catalog.resource.added",
        obj=resource,
        before={},
        after=snapshot(resource),
        now=now,
    )
    _add_version(
        dataset=dataset,
        actor=actor,
        change=DatasetVersion.Change.RESOURCE_ADDED,
        subject=resource.title,
        changed=["resources"],
        now=now,
    )
    _touch(dataset)
    refresh_due(dataset, now)
    _notify_dataset(government, dataset, "resource_added", actor=actor)
    search.index_object(kind=DATASET_KIND, obj=dataset)
    quality_later(government, dataset.pk)
    return resource


@transaction.atomic
def resource_update(
    *,
    actor,
    government,
    resource: Resource,
    file=None,
    now: dt.datetime | None = None,
    **fields: Any,
) -> Resource:
    check_fields(fields, RESOURCE_FIELDS)
    now = now or timezone.now()
    resource = Resource.objects.for_government(government).select_for_update().get(pk=resource.pk)
    dataset = Dataset.objects.for_government(government).get(pk=resource.dataset_id)
    before = snapshot(resource)
    for name, value in fields.items():
        setattr(resource, name, value)
    resource.full_clean(exclude=["file"])
    previous = ""
    if resource.kind == Resource.Kind.UPLOAD:
        if file:
            previous = _store_file(resource, file)
        elif not resource.file:
            raise ValidationError({"file": _("Choose the file to upload.")})
        resource.url = ""
    else:
        previous = resource.file.name if resource.file else ""
        resource.file = ""
        resource.size, resource.sha256, resource.original_name = None, "", ""
        resource.format = files.format_for_extension(resource.url.split("?")[0])
    sources.prepare_resource(resource, previous=before, now=now)
    resource.save()
    after = snapshot(resource)
    changes = audit.diff_fields(before, after)
    if changes:
        replaced = bool(file) or bool({"url", "sql_source", "sql_query"} & set(changes))
        action = "catalog.resource.replaced" if replaced else "catalog.resource.updated"
        record_change(
            actor=actor, government=government, action=action, obj=resource, before=before, after=after, now=now
        )
        change = DatasetVersion.Change.RESOURCE_REPLACED if replaced else DatasetVersion.Change.RESOURCE_UPDATED
        _add_version(
            dataset=dataset, actor=actor, change=change, subject=resource.title, changed=["resources"], now=now
        )
        _touch(dataset)
        if replaced:
            refresh_due(dataset, now)
        _notify_dataset(government, dataset, "resource_replaced" if replaced else "updated", actor=actor)
        search.index_object(kind=DATASET_KIND, obj=dataset)
    if previous and previous != (resource.file.name if resource.file else ""):
        _delete_files_on_commit([previous])
    quality_later(government, dataset.pk)
    return resource


@transaction.atomic
def resource_remove(*, actor, government, resource: Resource, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    resource = Resource.objects.for_government(government).select_for_update().get(pk=resource.pk)
    dataset = Dataset.objects.for_government(government).get(pk=resource.dataset_id)
    stored = [resource.file.name] if resource.file else []
    record_change(
        actor=actor,
        government=government,
        action="catalog.resource.removed",
        obj=resource,
        before=snapshot(resource),
        after={},
        now=now,
    )
    title = resource.title
    drop_tables_on_commit([resource])
    resource.delete()
    _delete_files_on_commit(stored)
    _add_version(
        dataset=dataset,
        actor=actor,
        change=DatasetVersion.Change.RESOURCE_REMOVED,
        subject=title,
        changed=["resources"],
        now=now,
    )
    _touch(dataset)
    _notify_dataset(government, dataset, "resource_removed", actor=actor)
    search.index_object(kind=DATASET_KIND, obj=dataset)
    quality_later(government, dataset.pk)


DICTIONARY_FIELDS = ("label", "description", "unit", "column_type", "role")


@transaction.atomic
def column_dictionary_update(
    *, actor, government, resource: Resource, entries: dict[str, dict[str, str]], now: dt.datetime | None = None
) -> dict[str, ColumnDictionary]:
    """Save the officials' label, description and unit per column; audited as
    `catalog.dictionary.updated` with the changed values (``column.field``)."""
    resource = Resource.objects.for_government(government).select_for_update().get(pk=resource.pk)
    existing = {
        entry.column: entry for entry in ColumnDictionary.objects.for_government(government).filter(resource=resource)
    }
    before, after, saved = {}, {}, {}
    for column, values in entries.items():
        check_fields(values, DICTIONARY_FIELDS)
        entry = existing.get(column) or ColumnDictionary(government=government, resource=resource, column=column)
        for name in DICTIONARY_FIELDS:
            before[f"{column}.{name}"] = getattr(entry, name) if entry.pk else ""
            setattr(
                entry,
                name,
                " ".join(str(values.get(name, "")).split())
                if name != "description"
                else str(values.get(name, "")).strip(),
            )
            after[f"{column}.{name}"] = getattr(entry, name)
        entry.full_clean()
        entry.save()
        saved[column] = entry
    changes = audit.diff_fields(before, after)
    if changes:
        audit.record(
            actor=actor,
            government=government,
            action="catalog.dictionary.updated",
            obj=resource,
            changes=changes,
            now=now,
        )
    if any(key.endswith((".column_type", ".role")) for key in changes):
        # A fixed type (or a column declared a code, or no longer one) only takes effect when
        # the file is read again.
        resource_load_requested(actor=actor, government=government, resource=resource, now=now)
    quality_later(government, resource.dataset_id)
    return saved
