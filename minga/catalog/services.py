"""Writes of the catalog module. Each service is keyword-only and atomic, validates with
full_clean(), records an audit entry for officials' actions, keeps the search index current,
appends to the dataset's public version history and schedules the followers' e-mails after
the commit."""

from __future__ import annotations

import calendar
import datetime as dt
import json
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from minga import datastore
from minga.core import registry
from minga.core.audit import services as audit
from minga.core.jobs import leases
from minga.core.registry import module_settings
from minga.core.search import services as search
from minga.core.ui.page_cache import content_changed

from . import files, load_recovery, notifications, sources, versions
from .models import (
    TABULAR_FORMATS,
    ColumnDictionary,
    DataRequest,
    DataRequestSupport,
    Dataset,
    DatasetVersion,
    Follow,
    Frequency,
    Licence,
    Resource,
    ResourceLoad,
    Tag,
    Theme,
)

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
ANSWER_STATUSES = (DataRequest.Status.ANSWERED, DataRequest.Status.FULFILLED, DataRequest.Status.REJECTED)

DATASET_KIND = "catalog.dataset"
REQUEST_KIND = "catalog.request"

DEFAULT_LICENCES = (
    (
        "CC-BY-4.0",
        "Creative Commons Atribución 4.0 Internacional",
        "https://creativecommons.org/licenses/by/4.0/",
        True,
    ),
    (
        "CC0-1.0",
        "Creative Commons CC0 1.0 (dominio público)",
        "https://creativecommons.org/publicdomain/zero/1.0/",
        False,
    ),
    (
        "CC-BY-SA-4.0",
        "Creative Commons Atribución-CompartirIgual 4.0 Internacional",
        "https://creativecommons.org/licenses/by-sa/4.0/",
        False,
    ),
)

# Months until the next expected update, per frequency (None: no update is promised).
_MONTHS = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.BIANNUAL: 6, Frequency.ANNUAL: 12}
_DAYS = {Frequency.CONTINUOUS: 1, Frequency.DAILY: 1, Frequency.WEEKLY: 7}


def _check_fields(fields: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")


def _unique_slug(model, *, government, base: str, exclude_pk=None, field: str = "slug", limit: int = 90) -> str:
    root = (slugify(base) or "dato")[:limit].strip("-") or "dato"
    candidate, number = root, 2
    taken = model._base_manager.filter(government=government)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    while taken.filter(**{field: candidate}).exists():
        candidate, number = f"{root}-{number}", number + 1
    return candidate


def _snapshot(obj, extra: dict | None = None) -> dict:
    values = {k: v for k, v in audit.snapshot(obj).items() if k not in ("created_at", "updated_at")}
    values.update(extra or {})
    return values


def _record(*, actor, government, action: str, obj, before: dict, after: dict, now=None) -> None:
    audit.record(
        actor=actor, government=government, action=action, obj=obj, changes=audit.diff_fields(before, after), now=now
    )


def _actor_id(actor):
    return actor.pk if getattr(actor, "is_authenticated", False) else None


# Freshness -------------------------------------------------------------------------------


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_update_due(frequency: str, last_update: dt.date) -> dt.date | None:
    """When the next update is due for data last updated on `last_update`; None when the
    frequency promises no update (irregular, never, unknown)."""
    if frequency in _DAYS:
        return last_update + dt.timedelta(days=_DAYS[frequency])
    if frequency in _MONTHS:
        return _add_months(last_update, _MONTHS[frequency])
    return None


def is_overdue(dataset: Dataset, *, today: dt.date) -> bool:
    return dataset.next_update_due is not None and dataset.next_update_due < today


def _quality_later(government, dataset_id: int) -> None:
    """The quality score reads what the service wrote (metadata, resources, loads, the data
    dictionary): recompute it once the change is committed."""
    from . import quality

    transaction.on_commit(lambda: quality.refresh_dataset(government=government, dataset_id=dataset_id), robust=True)


# Themes and licences ---------------------------------------------------------------------


@transaction.atomic
def theme_create(*, actor, government, name: str, **fields: Any) -> Theme:
    _check_fields(fields, THEME_FIELDS)
    theme = Theme(government=government, name=name, **fields)
    if not theme.slug:
        theme.slug = _unique_slug(Theme, government=government, base=name, limit=70)
    theme.full_clean()
    theme.save()
    _record(
        actor=actor, government=government, action="catalog.theme.created", obj=theme, before={}, after=_snapshot(theme)
    )
    return theme


@transaction.atomic
def theme_update(*, actor, government, theme: Theme, **fields: Any) -> Theme:
    _check_fields(fields, THEME_FIELDS)
    theme = Theme._base_manager.select_for_update().get(pk=theme.pk, government=government)
    before = _snapshot(theme)
    for name, value in fields.items():
        setattr(theme, name, value)
    if not theme.slug:
        theme.slug = _unique_slug(Theme, government=government, base=theme.name, exclude_pk=theme.pk, limit=70)
    theme.full_clean()
    theme.save()
    after = _snapshot(theme)
    if audit.diff_fields(before, after):
        _record(
            actor=actor, government=government, action="catalog.theme.updated", obj=theme, before=before, after=after
        )
    return theme


@transaction.atomic
def theme_delete(*, actor, government, theme: Theme) -> None:
    theme = Theme._base_manager.select_for_update().get(pk=theme.pk, government=government)
    datasets = list(Dataset._base_manager.filter(themes=theme, is_published=True))
    _record(
        actor=actor, government=government, action="catalog.theme.deleted", obj=theme, before=_snapshot(theme), after={}
    )
    theme.delete()
    for dataset in datasets:
        search.index_object(kind=DATASET_KIND, obj=dataset)


def _unset_other_defaults(government, licence: Licence) -> None:
    if licence.is_default:
        Licence._base_manager.filter(government=government, is_default=True).exclude(pk=licence.pk).update(
            is_default=False
        )


@transaction.atomic
def licence_create(*, actor, government, code: str, name: str, **fields: Any) -> Licence:
    _check_fields(fields, LICENCE_FIELDS)
    licence = Licence(government=government, code=code, name=name, **fields)
    licence.full_clean(validate_constraints=False)
    _unset_other_defaults(government, licence)
    licence.validate_constraints()
    licence.save()
    _record(
        actor=actor,
        government=government,
        action="catalog.licence.created",
        obj=licence,
        before={},
        after=_snapshot(licence),
    )
    return licence


@transaction.atomic
def licence_update(*, actor, government, licence: Licence, **fields: Any) -> Licence:
    _check_fields(fields, LICENCE_FIELDS)
    licence = Licence._base_manager.select_for_update().get(pk=licence.pk, government=government)
    before = _snapshot(licence)
    for name, value in fields.items():
        setattr(licence, name, value)
    licence.full_clean(validate_constraints=False)
    _unset_other_defaults(government, licence)
    licence.validate_constraints()
    licence.save()
    after = _snapshot(licence)
    if audit.diff_fields(before, after):
        _record(
            actor=actor,
            government=government,
            action="catalog.licence.updated",
            obj=licence,
            before=before,
            after=after,
        )
    return licence


def licence_delete_refusal(*, licence: Licence) -> str:
    used = Dataset._base_manager.filter(licence=licence).count()
    if used:
        return ngettext(
            "This licence cannot be deleted: %(count)d dataset uses it. Change its licence first.",
            "This licence cannot be deleted: %(count)d datasets use it. Change their licence first.",
            used,
        ) % {"count": used}
    return ""


@transaction.atomic
def licence_delete(*, actor, government, licence: Licence) -> None:
    licence = Licence._base_manager.select_for_update().get(pk=licence.pk, government=government)
    refusal = licence_delete_refusal(licence=licence)
    if refusal:
        raise ValidationError(refusal)
    _record(
        actor=actor,
        government=government,
        action="catalog.licence.deleted",
        obj=licence,
        before=_snapshot(licence),
        after={},
    )
    licence.delete()


@transaction.atomic
def licences_ensure_defaults(*, actor, government) -> list[Licence]:
    """The government's licences; the standard three (CC-BY 4.0 as the default, CC0,
    CC-BY-SA 4.0) are created the first time."""
    existing = list(Licence._base_manager.filter(government=government))
    if existing:
        return existing
    return [
        licence_create(actor=actor, government=government, code=code, name=name, url=url, is_default=default)
        for code, name, url, default in DEFAULT_LICENCES
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
        tag = Tag._base_manager.filter(government=government, slug=slug).first()
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
    values = _snapshot(dataset)
    values.pop("version", None)
    values.pop("next_update_due", None)
    if dataset.pk:
        values["themes"] = sorted(dataset.themes.values_list("slug", flat=True))
        values["tags"] = sorted(dataset.tags.values_list("slug", flat=True))
    return values


def _add_version(
    *, dataset: Dataset, actor, change: str, changed: list[str], now: dt.datetime, subject: str = ""
) -> DatasetVersion:
    Dataset._base_manager.filter(pk=dataset.pk).update(version=F("version") + 1)
    dataset.refresh_from_db(fields=["version"])
    return DatasetVersion.objects.with_scope(government=dataset.government).create(
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
    dataset = Dataset._base_manager.select_for_update().get(pk=resource.dataset_id, government=government)
    recent = DatasetVersion.objects.with_scope(government=government).filter(
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
    _notify_dataset(government, dataset, DatasetVersion.Change.DATA_REFRESHED, origin="", actor=None)
    return True


def _refresh_due(dataset: Dataset, now: dt.datetime) -> None:
    due = next_update_due(dataset.frequency, timezone.localtime(now).date())
    Dataset._base_manager.filter(pk=dataset.pk).update(next_update_due=due)
    dataset.next_update_due = due


def _touch(dataset: Dataset) -> None:
    """Resources changed: the dataset counts as updated (its updated_at moves)."""
    dataset.save(update_fields=["updated_at"])


def _notify_dataset(government, dataset: Dataset, change: str, *, origin: str, actor) -> None:
    if not dataset.is_published:
        return
    dataset_id, exclude = dataset.pk, _actor_id(actor)
    transaction.on_commit(
        lambda: notifications.notify_dataset_followers(
            government=government, dataset_id=dataset_id, change=change, origin=origin, exclude_user_id=exclude
        )
    )


def default_licence(government) -> Licence | None:
    """The licence marked as default, else the one the government's settings name."""
    licences = Licence._base_manager.filter(government=government)
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
    _check_fields(fields, DATASET_FIELDS)
    now = now or timezone.now()
    if licence is None:
        licence = default_licence(government)
    dataset = Dataset(
        government=government, title=title, summary=summary, publisher=publisher, licence=licence, **fields
    )
    if not dataset.slug:
        dataset.slug = _unique_slug(Dataset, government=government, base=title)
    _resolve_publisher(dataset, government)
    chosen = _check_themes(government, themes)
    dataset.full_clean()
    dataset.next_update_due = next_update_due(dataset.frequency, timezone.localtime(now).date())
    dataset.save()
    dataset.themes.set(chosen)
    dataset.tags.set(_tag_objects(government, tags))
    after = _dataset_snapshot(dataset)
    _record(
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
    _quality_later(government, dataset.pk)
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
    origin: str = "",
    **fields: Any,
) -> Dataset:
    _check_fields(fields, DATASET_FIELDS)
    now = now or timezone.now()
    dataset = Dataset._base_manager.select_for_update().get(pk=dataset.pk, government=government)
    before = _dataset_snapshot(dataset)
    previous_unit = dataset.publisher_unit
    for name, value in fields.items():
        setattr(dataset, name, value)
    if not dataset.slug:
        dataset.slug = _unique_slug(Dataset, government=government, base=dataset.title, exclude_pk=dataset.pk)
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
        _record(actor=actor, government=government, action=action, obj=dataset, before=before, after=after, now=now)
        change = {
            "catalog.dataset.published": DatasetVersion.Change.PUBLISHED,
            "catalog.dataset.unpublished": DatasetVersion.Change.UNPUBLISHED,
        }.get(action, DatasetVersion.Change.UPDATED)
        _add_version(dataset=dataset, actor=actor, change=change, changed=list(changes), now=now)
        if "frequency" in changes:
            _refresh_due(dataset, now)
        if action != "catalog.dataset.unpublished":
            _notify_dataset(
                government,
                dataset,
                "published" if action == "catalog.dataset.published" else "updated",
                origin=origin,
                actor=actor,
            )
    search.index_object(kind=DATASET_KIND, obj=dataset)
    _quality_later(government, dataset.pk)
    return dataset


def dataset_set_published(*, actor, government, dataset: Dataset, is_published: bool, origin: str = "") -> Dataset:
    return dataset_update(actor=actor, government=government, dataset=dataset, is_published=is_published, origin=origin)


@transaction.atomic
def dataset_delete(*, actor, government, dataset: Dataset) -> None:
    dataset = Dataset._base_manager.select_for_update().get(pk=dataset.pk, government=government)
    before, pk = _dataset_snapshot(dataset), dataset.pk
    stored = [r.file.name for r in Resource._base_manager.filter(dataset=dataset) if r.file]
    _drop_tables_on_commit(list(Resource._base_manager.filter(dataset=dataset)))
    _record(actor=actor, government=government, action="catalog.dataset.deleted", obj=dataset, before=before, after={})
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
    origin: str = "",
    **fields: Any,
) -> Resource:
    _check_fields(fields, RESOURCE_FIELDS)
    now = now or timezone.now()
    dataset = Dataset._base_manager.select_for_update().get(pk=dataset.pk, government=government)
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
    _record(
        actor=actor,
        government=government,
        action="catalog.resource.added",
        obj=resource,
        before={},
        after=_snapshot(resource),
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
    _refresh_due(dataset, now)
    _notify_dataset(government, dataset, "resource_added", origin=origin, actor=actor)
    search.index_object(kind=DATASET_KIND, obj=dataset)
    _quality_later(government, dataset.pk)
    return resource


@transaction.atomic
def resource_update(
    *,
    actor,
    government,
    resource: Resource,
    file=None,
    now: dt.datetime | None = None,
    origin: str = "",
    **fields: Any,
) -> Resource:
    _check_fields(fields, RESOURCE_FIELDS)
    now = now or timezone.now()
    resource = Resource._base_manager.select_for_update().get(pk=resource.pk, government=government)
    dataset = Dataset._base_manager.get(pk=resource.dataset_id, government=government)
    before = _snapshot(resource)
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
    after = _snapshot(resource)
    changes = audit.diff_fields(before, after)
    if changes:
        replaced = bool(file) or bool({"url", "sql_source", "sql_query"} & set(changes))
        action = "catalog.resource.replaced" if replaced else "catalog.resource.updated"
        _record(actor=actor, government=government, action=action, obj=resource, before=before, after=after, now=now)
        change = DatasetVersion.Change.RESOURCE_REPLACED if replaced else DatasetVersion.Change.RESOURCE_UPDATED
        _add_version(
            dataset=dataset, actor=actor, change=change, subject=resource.title, changed=["resources"], now=now
        )
        _touch(dataset)
        if replaced:
            _refresh_due(dataset, now)
        _notify_dataset(government, dataset, "resource_replaced" if replaced else "updated", origin=origin, actor=actor)
        search.index_object(kind=DATASET_KIND, obj=dataset)
    if previous and previous != (resource.file.name if resource.file else ""):
        _delete_files_on_commit([previous])
    _quality_later(government, dataset.pk)
    return resource


@transaction.atomic
def resource_remove(*, actor, government, resource: Resource, now: dt.datetime | None = None, origin: str = "") -> None:
    now = now or timezone.now()
    resource = Resource._base_manager.select_for_update().get(pk=resource.pk, government=government)
    dataset = Dataset._base_manager.get(pk=resource.dataset_id, government=government)
    stored = [resource.file.name] if resource.file else []
    _record(
        actor=actor,
        government=government,
        action="catalog.resource.removed",
        obj=resource,
        before=_snapshot(resource),
        after={},
        now=now,
    )
    title = resource.title
    _drop_tables_on_commit([resource])
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
    _notify_dataset(government, dataset, "resource_removed", origin=origin, actor=actor)
    search.index_object(kind=DATASET_KIND, obj=dataset)
    _quality_later(government, dataset.pk)


# Data requests ---------------------------------------------------------------------------


def can_request(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "email_verified_at", None))


def _follow(*, user, government, now, dataset=None, request=None) -> bool:
    target = {"dataset": dataset} if dataset is not None else {"request": request}
    try:
        with transaction.atomic():
            Follow.objects.with_scope(government=government).create(
                government=government, user=user, created_at=now, **target
            )
    except IntegrityError:
        return False
    return True


@transaction.atomic
def request_create(*, actor, government, title: str, description: str, now: dt.datetime | None = None) -> DataRequest:
    """A citizen's request; only people with a verified e-mail may ask (they get the answer
    by e-mail as followers)."""
    if not can_request(actor):
        raise ValidationError(_("Confirm your e-mail address before requesting data."))
    now = now or timezone.now()
    data_request = DataRequest(
        government=government,
        title=" ".join(title.split()),
        description=description.strip(),
        requester=actor,
        created_at=now,
    )
    data_request.full_clean()
    data_request.save()
    _follow(user=actor, government=government, now=now, request=data_request)
    search.index_object(kind=REQUEST_KIND, obj=data_request)
    # Not audited (a citizen's write): the service itself refreshes the cached request list.
    content_changed(government, reason="catalog.request.created")
    return data_request


@transaction.atomic
def request_support(*, actor, government, data_request: DataRequest, now: dt.datetime | None = None) -> bool:
    """Add the person's support (and follow the request). False when they already support
    it: the database refuses a second support."""
    if not can_request(actor):
        raise ValidationError(_("Confirm your e-mail address before supporting a request."))
    now = now or timezone.now()
    data_request = DataRequest._base_manager.select_for_update().get(pk=data_request.pk, government=government)
    if not data_request.is_open:
        raise ValidationError(_("This request is closed: it cannot receive more supports."))
    try:
        with transaction.atomic():
            DataRequestSupport.objects.with_scope(government=government).create(
                government=government, request=data_request, user=actor, created_at=now
            )
    except IntegrityError:
        return False
    DataRequest._base_manager.filter(pk=data_request.pk).update(support_count=F("support_count") + 1)
    _follow(user=actor, government=government, now=now, request=data_request)
    content_changed(government, reason="catalog.request.supported")  # the count on the list
    return True


@transaction.atomic
def request_answer(
    *,
    actor,
    government,
    data_request: DataRequest,
    status: str,
    answer: str,
    fulfilled_by: Dataset | None = None,
    now: dt.datetime | None = None,
    origin: str = "",
    notify: bool = True,
) -> DataRequest:
    """An official answers: answered (with an explanation), fulfilled (linking the dataset)
    or rejected (with the reason). Followers get an e-mail."""
    if status not in ANSWER_STATUSES:
        raise ValidationError({"status": _("Choose answered, fulfilled or rejected.")})
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer citizens will read.")})
    now = now or timezone.now()
    data_request = DataRequest._base_manager.select_for_update().get(pk=data_request.pk, government=government)
    before = _snapshot(data_request)
    data_request.status = status
    data_request.answer = answer.strip()
    data_request.fulfilled_by = fulfilled_by if status == DataRequest.Status.FULFILLED else None
    data_request.answered_at = now
    data_request.full_clean()
    data_request.save()
    after = _snapshot(data_request)
    action = {
        DataRequest.Status.ANSWERED: "catalog.request.answered",
        DataRequest.Status.FULFILLED: "catalog.request.fulfilled",
        DataRequest.Status.REJECTED: "catalog.request.rejected",
    }[status]
    _record(actor=actor, government=government, action=action, obj=data_request, before=before, after=after, now=now)
    search.index_object(kind=REQUEST_KIND, obj=data_request)
    if not notify:
        return data_request
    request_id, exclude = data_request.pk, _actor_id(actor)
    transaction.on_commit(
        lambda: notifications.notify_request_followers(
            government=government, request_id=request_id, origin=origin, exclude_user_id=exclude
        )
    )
    return data_request


# Following -------------------------------------------------------------------------------


def follow_set(
    *,
    user,
    government,
    following: bool,
    dataset: Dataset | None = None,
    data_request: DataRequest | None = None,
    now=None,
) -> bool:
    """Follow or stop following a dataset or a request; returns whether the person follows
    it afterwards. No public page shows follows (the button is on an uncached page of the
    person's own), so the cached pages stay as they are."""
    if (dataset is None) == (data_request is None):
        raise ValueError("follow exactly one dataset or one request")
    if not getattr(user, "is_authenticated", False):
        raise ValidationError(_("Sign in to follow."))
    target = {"dataset": dataset} if dataset is not None else {"request": data_request}
    if following:
        _follow(user=user, government=government, now=now or timezone.now(), dataset=dataset, request=data_request)
    else:
        Follow.objects.with_scope(government=government).filter(user=user, **target).delete()
    return following


# Datastore: loading tabular resources and their data dictionary --------------------------

DICTIONARY_FIELDS = ("label", "description", "unit", "column_type")


def _drop_tables_on_commit(resources: list[Resource]) -> None:
    """A removed resource's table goes with it (after the commit, so a rollback keeps it)."""
    table_ids = [resource.datastore_table_id for resource in resources if resource.pk]
    if table_ids:
        transaction.on_commit(lambda: [datastore.drop_table(table_id=table_id) for table_id in table_ids])


def resource_is_tabular(resource: Resource) -> bool:
    """Uploaded CSV and XLSX files are loaded into the datastore. Links are not fetched yet
    (automatic refresh of remote sources comes with issue 3, point 6)."""
    return resource.kind == Resource.Kind.UPLOAD and bool(resource.file) and resource.format in TABULAR_FORMATS


@transaction.atomic
def resource_load_requested(
    *, actor, government, resource: Resource, now: dt.datetime | None = None, trigger: str = ResourceLoad.Trigger.UPLOAD
) -> ResourceLoad:
    """Queue a background load of the resource's file; the job runs `resource_load_run`.

    The job is enqueued after the commit, so a worker never looks for a load record (or a
    file) that is not committed yet."""
    from . import tasks

    now = now or timezone.now()
    resource = Resource._base_manager.get(pk=resource.pk, government=government)
    if not resource_is_tabular(resource):
        raise ValidationError(_("Only uploaded CSV and XLSX files can be loaded as tables."))
    load = ResourceLoad(
        government=government,
        resource=resource,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        created_at=now,
        trigger=trigger,
    )
    load.full_clean()
    load.save()
    resource_id, load_id = resource.pk, load.pk
    transaction.on_commit(lambda: tasks.load_resource.enqueue(resource_id, load_id))
    return load


def resource_data_changed(*, actor, government, resource: Resource, now: dt.datetime | None = None):
    """After a file was added or replaced: queue a load when it is tabular; otherwise the
    resource no longer has a table, so the old one is dropped. Returns the load, if any."""
    if resource_is_tabular(resource):
        return resource_load_requested(actor=actor, government=government, resource=resource, now=now)
    _drop_tables_on_commit([resource])
    return None


def _mark_running(*, government, resource: Resource, load: ResourceLoad | None, now: dt.datetime) -> ResourceLoad:
    """RUNNING, and the load's lease (renewed while this process lives), in one commit. A
    version that an earlier, interrupted load left in the datastore goes first."""
    load_recovery.repair_table(resource, now=now)
    with transaction.atomic():
        if load is None:
            load = ResourceLoad(government=government, resource=resource, created_at=now)
        else:
            load = ResourceLoad._base_manager.select_for_update().get(pk=load.pk, government=government)
        load.status = ResourceLoad.Status.RUNNING
        load.started_at = now
        load.full_clean()
        load.save()
        leases.acquire(name=load_recovery.lease_name(load.pk))
    return load


def resource_load_interrupted(*, load: ResourceLoad) -> None:
    """The load raised before recording its outcome: mark it failed now rather than wait for
    its lease to expire (the worker goes on with other jobs and keeps renewing its leases)."""
    try:
        load_recovery.fail_interrupted(load_id=load.pk, now=timezone.now())
    except Exception:  # e.g. inside a broken transaction: the lease expires and recovery repairs it
        leases.forget(name=load_recovery.lease_name(load.pk))


def resource_load_run(
    *, government, resource: Resource, load: ResourceLoad | None = None, now: dt.datetime | None = None
) -> ResourceLoad:
    """Load the resource's file into its datastore table now (the job calls this; the demo
    calls it inline). A failed load leaves the previous version of the table live."""
    now = now or timezone.now()
    resource = Resource._base_manager.get(pk=resource.pk, government=government)
    load = _mark_running(government=government, resource=resource, load=load, now=now)
    try:
        report = _read_into_datastore(resource, now=now)
    except BaseException:
        resource_load_interrupted(load=load)
        raise
    return resource_load_finished(government=government, load=load, report=report, now=timezone.now())


def _read_into_datastore(resource: Resource, *, now: dt.datetime):
    if not resource_is_tabular(resource):
        report = datastore.LoadReport(table_id=resource.datastore_table_id)
        report.errors = [
            datastore.Problem("not_tabular", _("Only uploaded CSV and XLSX files can be loaded as tables."))
        ]
        report.error_count = 1
    else:
        try:
            handle = resource.file.open("rb")
        except (FileNotFoundError, OSError):
            report = datastore.LoadReport(table_id=resource.datastore_table_id)
            report.errors = [datastore.Problem("missing_file", _("The stored file could not be found."))]
            report.error_count = 1
        else:
            with handle:
                report = datastore.load_table(
                    table_id=resource.datastore_table_id,
                    source=handle,
                    filename=resource.original_name or resource.file.name,
                    max_bytes=settings.DATASET_UPLOAD_MAX_BYTES,
                    now=now,
                    column_types=dictionary_column_types(resource),
                    publish=False,
                )
    return report


def _jsonable(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, default=str))


@transaction.atomic
def resource_load_finished(*, government, load: ResourceLoad, report, now: dt.datetime | None = None) -> ResourceLoad:
    """Store the outcome of a load and audit it (`catalog.resource.loaded` / `load_failed`).

    A load that is no longer RUNNING was given up for dead meanwhile (its lease expired and
    ``load_recovery`` marked it failed): its outcome is not recorded, and the version it wrote
    is dropped after the commit, so the datastore serves what the catalog lists."""
    now = now or timezone.now()
    load = ResourceLoad._base_manager.select_for_update().get(pk=load.pk, government=government)
    if load.status != ResourceLoad.Status.RUNNING:
        leases.forget(name=load_recovery.lease_name(load.pk))
        resource = Resource._base_manager.get(pk=load.resource_id, government=government)
        transaction.on_commit(lambda: load_recovery.repair_table(resource))
        return load
    leases.release(name=load_recovery.lease_name(load.pk))
    load.report = _jsonable(report.to_json())
    load.finished_at = now
    if report.ok:
        load.status, load.version, load.row_count = ResourceLoad.Status.SUCCEEDED, report.version, report.row_count
    else:
        load.status = ResourceLoad.Status.FAILED
    load.full_clean()
    load.save()
    resource = Resource._base_manager.get(pk=load.resource_id, government=government)
    if report.ok and versions.record_loaded(load=load, resource=resource, now=now):
        # New data: the dataset counts as updated (feeds, "recently updated", CKAN's
        # metadata_modified and DCAT's dct:modified follow updated_at) and its next update is
        # due from today.
        dataset = Dataset._base_manager.get(pk=resource.dataset_id, government=government)
        Dataset._base_manager.filter(pk=dataset.pk).update(data_updated_at=now, updated_at=now)
        _refresh_due(dataset, now)
    action = "catalog.resource.loaded" if report.ok else "catalog.resource.load_failed"
    changes = {"status": [None, load.status], "rows": [None, load.row_count]}
    if report.ok:
        changes["version"] = [None, load.version]
    else:
        changes["errors"] = [None, report.error_count]
    audit.record(actor=load.requested_by, government=government, action=action, obj=resource, changes=changes, now=now)
    _quality_later(government, resource.dataset_id)
    if report.ok:
        # Last: the new version goes live with this commit (the same transaction on PostgreSQL;
        # on SQLite, whose datastore is another file, just before it, and a crash in between is
        # repaired by ``load_recovery``).
        datastore.publish_version(table_id=resource.datastore_table_id, version=load.version)
    return load


def dictionary_column_types(resource: Resource) -> dict[str, str]:
    """The types officials fixed in the data dictionary, enforced by the next load."""
    entries = ColumnDictionary._base_manager.filter(resource=resource).exclude(column_type="")
    return dict(entries.values_list("column", "column_type"))


@transaction.atomic
def column_dictionary_update(
    *, actor, government, resource: Resource, entries: dict[str, dict[str, str]], now: dt.datetime | None = None
) -> dict[str, ColumnDictionary]:
    """Save the officials' label, description and unit per column; audited as
    `catalog.dictionary.updated` with the changed values (``column.field``)."""
    resource = Resource._base_manager.select_for_update().get(pk=resource.pk, government=government)
    existing = {entry.column: entry for entry in ColumnDictionary._base_manager.filter(resource=resource)}
    before, after, saved = {}, {}, {}
    for column, values in entries.items():
        _check_fields(values, DICTIONARY_FIELDS)
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
    if any(key.endswith(".column_type") for key in changes):
        # A fixed type only takes effect when the file is read again.
        resource_load_requested(actor=actor, government=government, resource=resource, now=now)
    _quality_later(government, resource.dataset_id)
    return saved
