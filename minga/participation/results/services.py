"""Writes of results, each atomic and audited: create, update and delete results, add and
remove timeline entries and links, take a linked work's physical progress. After each write the
progress of the parents that follow their sub-results is computed again, and followers of a
published result hear of each change of status or progress (one notice per change)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from minga.core import registry
from minga.core.audit import services as audit
from minga.core.crud import changed_fields, snapshot
from minga.core.opendata import tables_changed

from ..features import MODULE
from . import catalog, follows, selectors
from .models import MAX_DEPTH, Result, ResultLink, TimelineEntry

FIELDS = (
    "title",
    "description",
    "status",
    "progress",
    "progress_by_hand",
    "weight",
    "start_date",
    "end_date",
    "unit_key",
    "unit_name",
    "reference",
    "position",
    "is_published",
)


def _record(*, actor, government, action, obj, changes) -> None:
    audit.record(actor=actor, government=government, action=action, obj=obj, changes=changes)
    tables_changed(government=government, module=MODULE)


def _depth(result: Result | None) -> int:
    depth = 0
    while result is not None:
        depth += 1
        result = result.parent
    return depth


def _decimal(value, field: str, errors: dict, *, low=Decimal("0"), high: Decimal | None = Decimal("100")):
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).replace(",", ".").strip().rstrip("%").strip())
    except InvalidOperation:
        errors[field] = _("Write a number, e.g. 45 or 45.5.")
        return None
    if not number.is_finite() or number < low or (high is not None and number > high):
        errors[field] = (
            _("The progress must be between 0 and 100.") if high is not None else _("The weight cannot be negative.")
        )
        return None
    return number.quantize(Decimal("0.01"))


def _unit(government, key: str, name: str) -> tuple[str, str, str]:
    """(key, name, error): a key must be one of the directory's units, whose name is copied."""
    key, name = (key or "").strip(), (name or "").strip()
    if key:
        unit = registry.directory_unit_map(government).get(key)
        if unit is None:
            return "", name, _("The unit chosen is not in the institution's directory.")
        return key, unit.name, ""
    return "", name[:200], ""


def clean_fields(government, process, values: dict, *, result: Result | None = None, parent=None) -> dict:
    """The result's fields checked; raises ValidationError naming each field in Spanish."""
    errors: dict[str, str] = {}
    data = {name: values[name] for name in FIELDS if name in values}
    if "title" in data:
        data["title"] = str(data["title"] or "").strip()
        if not data["title"]:
            errors["title"] = _("Write the result's title.")
        elif len(data["title"]) > 200:
            errors["title"] = _("The title can have at most 200 characters.")
    if "status" in data:
        data["status"] = str(data["status"] or "").strip()
        allowed = {status.key for status in catalog.statuses(government)}
        if data["status"] and data["status"] not in allowed and (result is None or data["status"] != result.status):
            errors["status"] = _("“%(status)s” is not one of the government's statuses of results.") % {
                "status": data["status"]
            }
    if "progress" in data:
        progress = _decimal(data["progress"], "progress", errors)
        data["progress"] = progress if progress is not None else Decimal("0")
    if "weight" in data:
        weight = _decimal(data["weight"], "weight", errors, high=None)
        data["weight"] = weight if weight is not None else Decimal("1")
    start, end = data.get("start_date", result and result.start_date), data.get("end_date", result and result.end_date)
    if start and end and end < start:
        errors["end_date"] = _("The end cannot be before the start.")
    if "unit_key" in data or "unit_name" in data:
        key, name, problem = _unit(government, data.get("unit_key", ""), data.get("unit_name", ""))
        data["unit_key"], data["unit_name"] = key, name
        if problem:
            errors["unit_key"] = problem
    if "reference" in data:
        data["reference"] = str(data["reference"] or "").strip()[:60]
        if data["reference"]:
            taken = selectors.office_results(government, process).filter(reference=data["reference"])
            if result is not None:
                taken = taken.exclude(pk=result.pk)
            if taken.exists():
                errors["reference"] = _("Another result of this process already has this reference.")
    if parent is not None:
        if parent.process_id != process.pk:
            errors["parent"] = _("The parent result belongs to another process.")
        elif _depth(parent) >= MAX_DEPTH:
            errors["parent"] = _("Results can have at most %(depth)s levels.") % {"depth": MAX_DEPTH}
        elif result is not None and (parent.pk == result.pk or _is_below(parent, result)):
            errors["parent"] = _("A result cannot be placed under itself or its sub-results.")
        elif result is not None and _depth(parent) + _height(result) > MAX_DEPTH:
            errors["parent"] = _("Results can have at most %(depth)s levels.") % {"depth": MAX_DEPTH}
    if errors:
        raise ValidationError(errors)
    return data


def _is_below(node: Result, ancestor: Result) -> bool:
    while node is not None:
        if node.pk == ancestor.pk:
            return True
        node = node.parent
    return False


def _height(result: Result) -> int:
    children = list(result.children.all())
    return 1 + max((_height(child) for child in children), default=0)


def _next_position(government, process, parent) -> int:
    siblings = selectors.office_results(government, process).filter(parent=parent)
    last = siblings.order_by("-position").values_list("position", flat=True).first()
    return (last or 0) + 1


def _roll_up(government, result: Result | None, *, actor, notify: bool = True) -> None:
    """Compute again the progress of ``result`` and each ancestor that follows its sub-results."""
    while result is not None:
        result.refresh_from_db()
        children = list(result.children.all())
        if children and not result.progress_by_hand:
            value = selectors.rolled_up([(child.weight, child.progress) for child in children])
            if value != result.progress:
                before = result.progress
                result.progress = value
                result.save(update_fields=["progress", "updated_at"])
                audit.record(
                    actor=actor,
                    government=government,
                    action="participation.result.rolled_up",
                    obj=result,
                    changes={"progress": [before, value]},
                )
                if notify:
                    follows.changed(
                        government=government, result=result, status=None, progress=(before, value), actor=actor
                    )
        result = result.parent


@transaction.atomic
def result_create(*, actor, government, process, values: dict, parent: Result | None = None) -> Result:
    data = clean_fields(government, process, values, parent=parent)
    if not data.get("position"):
        data["position"] = _next_position(government, process, parent)
    result = Result(government=government, process=process, parent=parent, **data)
    result.full_clean(exclude=["government", "process", "parent"])
    result.save()
    _record(
        actor=actor,
        government=government,
        action="participation.result.created",
        obj=result,
        changes=changed_fields(result, {}),
    )
    _roll_up(government, parent, actor=actor)
    _reindex(result)
    return result


def _reindex(result: Result) -> None:
    from .. import search

    search.index(search.RESULT_KIND, result)


_PARENT_UNCHANGED = object()


@transaction.atomic
def result_update(*, actor, government, result: Result, values: dict, parent=_PARENT_UNCHANGED) -> Result:
    result = Result.objects.for_government(government).select_for_update().select_related("process").get(pk=result.pk)
    old_parent = result.parent
    moving = parent is not _PARENT_UNCHANGED and (parent.pk if parent else None) != result.parent_id
    data = clean_fields(government, result.process, values, result=result, parent=parent if moving else None)
    before = snapshot(result)
    was_public = result.is_published and result.process.is_published
    old_status, old_progress = result.status, result.progress
    for name, value in data.items():
        setattr(result, name, value)
    if moving:
        result.parent = parent
        result.position = _next_position(government, result.process, parent)
    if result.children.exists() and not result.progress_by_hand:
        result.progress = selectors.rolled_up([(c.weight, c.progress) for c in result.children.all()])
    result.save()
    changes = changed_fields(result, before)
    if changes:
        _record(actor=actor, government=government, action="participation.result.updated", obj=result, changes=changes)
    if was_public:
        follows.changed(
            government=government,
            result=result,
            status=(_status_name(government, old_status), _status_name(government, result.status))
            if old_status != result.status
            else None,
            progress=(old_progress, result.progress) if old_progress != result.progress else None,
            actor=actor,
        )
    _roll_up(government, result.parent, actor=actor)
    if moving and old_parent is not None:
        _roll_up(government, old_parent, actor=actor)
    if changes:
        _reindex(result)
    return result


def _status_name(government, key: str) -> str:
    return catalog.status_names(government).get(key, key)


@transaction.atomic
def result_delete(*, actor, government, result: Result) -> None:
    from minga.core.comments import services as comments
    from minga.core.notifications import services as notifications

    from .. import search

    parent = result.parent
    before = snapshot(result)
    gone = [*_descendants(result), result]
    for each in gone:
        notifications.forget_target(government=government, target=each)
        comments.comments_delete_for_target(government=government, target_key=catalog.KIND, target_id=each.pk)
    search.forget(search.RESULT_KIND, [each.pk for each in gone], government)
    _record(
        actor=actor,
        government=government,
        action="participation.result.deleted",
        obj=result,
        changes=audit.diff_fields(before, {}),
    )
    result.delete()
    _roll_up(government, parent, actor=actor)


def _descendants(result: Result) -> list[Result]:
    found = []
    for child in result.children.all():
        found.append(child)
        found.extend(_descendants(child))
    return found


@transaction.atomic
def timeline_add(*, actor, government, result: Result, date: dt.date, text: str, progress=None) -> TimelineEntry:
    errors: dict[str, str] = {}
    text = (text or "").strip()
    if not text:
        errors["text"] = _("Write what happened.")
    elif len(text) > 2000:
        errors["text"] = _("The text can have at most 2000 characters.")
    if not isinstance(date, dt.date):
        errors["date"] = _("Give the date of this step.")
    value = _decimal(progress, "progress", errors)
    if errors:
        raise ValidationError(errors)
    result = Result.objects.for_government(government).select_for_update().select_related("process").get(pk=result.pk)
    entry = TimelineEntry.objects.create(government=government, result=result, date=date, text=text, progress=value)
    audit.record(
        actor=actor,
        government=government,
        action="participation.result.timeline_added",
        obj=result,
        changes={"timeline": [None, {"id": entry.pk, "date": date, "text": text, "progress": value}]},
    )
    latest = TimelineEntry.objects.for_government(government).filter(result=result).order_by("-date", "-pk").first()
    if value is not None and latest.pk == entry.pk and value != result.progress:
        before = result.progress
        result.progress = value
        if result.children.exists():
            result.progress_by_hand = True
        result.save(update_fields=["progress", "progress_by_hand", "updated_at"])
        audit.record(
            actor=actor,
            government=government,
            action="participation.result.updated",
            obj=result,
            changes={"progress": [before, value]},
        )
    tables_changed(government=government, module=MODULE)
    follows.timeline_added(government=government, result=result, entry=entry, actor=actor)
    _roll_up(government, result.parent, actor=actor)
    return entry


@transaction.atomic
def timeline_delete(*, actor, government, entry: TimelineEntry) -> None:
    audit.record(
        actor=actor,
        government=government,
        action="participation.result.timeline_removed",
        obj=entry.result,
        changes={
            "timeline": [{"id": entry.pk, "date": entry.date, "text": entry.text, "progress": entry.progress}, None]
        },
    )
    entry.delete()


@transaction.atomic
def link_add(*, actor, government, result: Result, kind: str, key: str) -> ResultLink:
    key = (key or "").strip()
    if kind not in catalog.LINK_KIND_MAP:
        raise ValidationError({"kind": _("Results cannot be linked to this kind of record.")})
    if not key:
        raise ValidationError({"key": _("Choose the record to link.")})
    if not registry.resolve_links(government, kind, [key]):
        raise ValidationError({"key": _("No published record of this kind has the key “%(key)s”.") % {"key": key}})
    link, created = ResultLink.objects.get_or_create(government=government, result=result, kind=kind, key=key[:200])
    if created:
        _record(
            actor=actor,
            government=government,
            action="participation.result.linked",
            obj=result,
            changes={"links": [None, f"{kind}:{key}"]},
        )
    return link


@transaction.atomic
def link_remove(*, actor, government, link: ResultLink) -> None:
    _record(
        actor=actor,
        government=government,
        action="participation.result.unlinked",
        obj=link.result,
        changes={"links": [f"{link.kind}:{link.key}", None]},
    )
    link.delete()


def use_work_progress(*, actor, government, result: Result, key: str) -> Result:
    """Take the physical progress a linked work reports as the result's progress (by hand)."""
    groups = selectors.linked(government, result)
    for record, value in selectors.work_progress(groups):
        if record.key == key:
            return result_update(
                actor=actor, government=government, result=result, values={"progress": value, "progress_by_hand": True}
            )
    raise ValidationError(_("This result is not linked to that work, or the work reports no physical progress."))
