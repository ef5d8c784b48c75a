"""Writes of participatory processes and their phases. Each service is keyword-only and
atomic, validates everything before it writes (the process, its settings against the schema,
its territories against the government's, its phases as an ordered list inside its dates),
records an audit entry and keeps the search index and the open data current.

Once voting has opened (a phase with the vote has started, or `process_open_voting` was
called), the voting rules cannot change: `process_update` and `process_delete` refuse such a
change with `VotingRulesLocked` and record the refused attempt in the audit log, in its own
transaction, before raising."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from minga.core.audit import services as audit
from minga.core.crud import snapshot, unique_slug
from minga.core.images import clean_image
from minga.core.opendata import tables_changed
from minga.core.phases.locks import LockedChange, locked_changes, locked_features
from minga.core.phases.settings import clean_settings
from minga.core.phases.timeline import phase_errors
from minga.core.search import services as search

from .. import territories as territory_sources
from ..features import MODULE, VOTE
from .models import RESERVED_SLUGS, Phase, Process
from .settings import phase_settings_fields, process_settings_fields

PROCESS_FIELDS = (
    "slug",
    "title",
    "summary",
    "description",
    "kind",
    "starts_at",
    "ends_at",
    "image_alt",
    "is_published",
)
PHASE_FIELDS = ("title", "description", "starts_at", "ends_at", "features", "settings")
SEARCH_KIND = "participation.process"
IMAGE_MAX_SIDE = 1200
POSITION_SHIFT = 1000  # moves kept phases out of the way while the list is renumbered


class VotingRulesLocked(ValidationError):
    """A change to the voting rules of a process whose voting has opened. ``changes`` lists
    what the change would have altered (`core.phases.locks.LockedChange`)."""

    def __init__(self, changes: Sequence[LockedChange], *, deleting: bool = False):
        self.changes = list(changes)
        if deleting:
            message = _("Voting has opened in this process, so it cannot be deleted: its voting rules are fixed.")
        else:
            message = _(
                "Voting has opened in this process, so its voting rules cannot change any more. "
                "The change was not saved and the attempt was recorded. It would have changed: %(what)s."
            ) % {"what": "; ".join(change.label for change in self.changes)}
        super().__init__(message, code="voting_rules_locked")


def _check_fields(fields: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")


def _phase_state(phase: Phase) -> dict:
    return {
        "id": phase.pk,
        "position": phase.position,
        "title": phase.title,
        "description": phase.description,
        "starts_at": phase.starts_at,
        "ends_at": phase.ends_at,
        "features": list(phase.features or []),
        "settings": dict(phase.settings or {}),
    }


def _snapshot(process: Process, phases: Iterable[Phase]) -> dict:
    return snapshot(process, extra={"phases": [_phase_state(phase) for phase in phases]})


def _stored_phases(government, process: Process) -> list[Phase]:
    return list(Phase.objects.for_government(government).filter(process=process).order_by("position"))


def _record(*, actor, government, action: str, obj, changes: dict, now=None) -> None:
    audit.record(actor=actor, government=government, action=action, obj=obj, changes=changes, now=now)
    # Every audited change may change the published table of processes.
    tables_changed(government=government, module=MODULE)


# Parts of a process -------------------------------------------------------------------


def clean_process_settings(values: Mapping[str, Any] | None, *, stored: Mapping[str, Any] | None = None) -> dict:
    """The process's settings after a change: the stored values (those the schema still
    knows), overwritten by ``values``, checked against the schema. Errors name the form field
    (``setting_<key>``)."""
    fields = process_settings_fields()
    known = {spec.key for spec in fields}
    merged = {key: value for key, value in (stored or {}).items() if key in known}
    merged.update(values or {})
    try:
        return clean_settings(fields, merged)
    except ValidationError as error:
        raise ValidationError({f"setting_{key}": messages for key, messages in error.message_dict.items()}) from error


def resolve_territories(government, codes: Iterable[str]) -> list[dict]:
    """[{code, name}] for the chosen codes, in the order of the government's territories, or
    ValidationError naming the codes that are not part of its territory."""
    codes = [str(code).strip() for code in codes if str(code).strip()]
    if not codes:
        return []
    known = territory_sources.available(government)
    by_code = {territory.code: territory for territory in known}
    unknown = [code for code in dict.fromkeys(codes) if code not in by_code]
    if unknown:
        raise ValidationError(
            {
                "territories": _(
                    "These codes are not parishes or neighbourhoods of %(government)s: %(codes)s. Choose among "
                    "the territories offered (parishes come from the geovisor's boundaries and the platform's "
                    "governments; neighbourhoods from the module's settings)."
                )
                % {"government": government.short_name or government.name, "codes": ", ".join(unknown)}
            }
        )
    chosen = set(codes)
    return [{"code": t.code, "name": t.name} for t in known if t.code in chosen]


def _build_phases(
    government, process: Process, items: Sequence[Mapping[str, Any]], stored: Sequence[Phase]
) -> tuple[list[Phase], dict[int, dict[str, list[str]]], list[int]]:
    """The phases as they would be saved, ordered by their start (positions from 1), the
    errors of each item ({index in ``items``: {field: [message]}}) and, for each built phase,
    the index of the item it came from. An item with an ``id`` changes that phase (it must
    be one of ``stored``); one without adds a phase."""
    by_pk = {phase.pk: phase for phase in stored}
    built: list[tuple[int, Phase]] = []
    errors: dict[int, dict[str, list[str]]] = {}
    fields = phase_settings_fields()
    for index, item in enumerate(items):
        values = dict(item)
        pk = values.pop("id", None)
        _check_fields(values, PHASE_FIELDS)
        if pk is not None:
            if pk not in by_pk:
                raise ValueError(f"phase {pk} is not a phase of process {process.pk}")
            original = by_pk[pk]
            phase = Phase(
                pk=original.pk,
                government=government,
                process=process,
                **{name: getattr(original, name) for name in PHASE_FIELDS},
                position=original.position,
            )
            phase._state.adding, phase._state.db = False, original._state.db  # an update, not a new row
        else:
            phase = Phase(government=government, process=process, features=[], settings={})
        for name, value in values.items():
            setattr(phase, name, value)
        known = {spec.key for spec in fields}
        try:
            stored_settings = {k: v for k, v in (by_pk[pk].settings if pk in by_pk else {}).items() if k in known}
            phase.settings = clean_settings(fields, {**stored_settings, **(values.get("settings") or {})})
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                errors.setdefault(index, {}).setdefault(f"setting_{key}", []).extend(messages)
        phase.features = list(phase.features or [])
        built.append((index, phase))
    latest = dt.datetime.max.replace(tzinfo=dt.UTC)
    built.sort(key=lambda pair: (pair[1].starts_at or latest, pair[0]))
    for position, (_index, phase) in enumerate(built, start=1):
        phase.position = position
    phases = [phase for _index, phase in built]
    origin = [index for index, _phase in built]
    found = phase_errors(phases, starts_at=process.starts_at, ends_at=process.ends_at, module=MODULE)
    for sorted_index, field_errors in found.items():
        for field, messages in field_errors.items():
            errors.setdefault(origin[sorted_index], {}).setdefault(field, []).extend(messages)
    return phases, errors, origin


def phase_list_errors(
    government, *, process: Process | None, items: Sequence[Mapping[str, Any]], starts_at, ends_at
) -> dict[int, dict[str, list[str]]]:
    """What the services would say of ``items`` as the phases of ``process`` (None: a new one)
    between these dates, without writing: a form with other errors shows these at once too."""
    stored = _stored_phases(government, process) if process is not None else []
    draft = Process(government=government, starts_at=starts_at, ends_at=ends_at)
    try:
        return _build_phases(government, draft, items, stored)[1]
    except ValueError:
        return {}


def _raise_invalid(process_errors: dict, by_phase: dict, items: Sequence[Mapping[str, Any]]) -> None:
    if not process_errors and not by_phase:
        return
    messages = []
    for index in sorted(by_phase):
        name = (items[index].get("title") or "").strip() or _("phase %(n)d") % {"n": index + 1}
        for field_messages in by_phase[index].values():
            messages.extend(f"{name}: {message}" for message in field_messages)
    error = ValidationError({**process_errors, **({"phases": messages} if messages else {})})
    error.by_phase = by_phase
    raise error


def _process_errors(process: Process) -> dict:
    try:
        # Constraints are checked by clean() with better words (and by the database).
        process.full_clean(exclude=["image"], validate_constraints=False)
    except ValidationError as error:
        return dict(error.message_dict)
    return {}


def _store_image(process: Process, image) -> None:
    try:
        cleaned = clean_image(image, max_side=IMAGE_MAX_SIDE)
    except ValidationError as error:
        raise ValidationError({"image": error.messages}) from error
    if process.image:
        process.image.delete(save=False)
    process.image.save(cleaned.name, cleaned, save=False)


def _save_phases(government, process: Process, phases: Sequence[Phase], stored: Sequence[Phase]) -> None:
    kept = {phase.pk for phase in phases if phase.pk is not None}
    Phase.objects.for_government(government).filter(process=process).exclude(pk__in=kept).delete()
    # Positions are unique per process: move the kept ones out of the way first.
    Phase.objects.for_government(government).filter(pk__in=kept).update(position=F("position") + POSITION_SHIFT)
    for phase in phases:
        phase.process = process
        phase.full_clean(exclude=["process"], validate_constraints=False)
        phase.save()


def _reindex(government, process: Process, *, parts: bool = False) -> None:
    """The process's search document; with ``parts``, its proposals, projects and results
    too (they are findable only while it is published, and name it)."""
    search.index_object(kind=SEARCH_KIND, obj=process)
    if parts:
        from .. import search as participation_search

        participation_search.process_changed(government, process)


# Services -----------------------------------------------------------------------------


@transaction.atomic
def process_create(
    *,
    actor,
    government,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    phases: Sequence[Mapping[str, Any]] = (),
    settings: Mapping[str, Any] | None = None,
    territories: Iterable[str] = (),
    image=None,
    now: dt.datetime | None = None,
    **fields: Any,
) -> Process:
    """A new process with its phases (``phases``: dicts of PHASE_FIELDS, in any order; they
    are placed by their start)."""
    _check_fields(fields, PROCESS_FIELDS)
    process = Process(government=government, title=title, starts_at=starts_at, ends_at=ends_at, **fields)
    if not process.slug:
        process.slug = unique_slug(
            Process.objects.for_government(government), title, 70, fallback="proceso", reserved=RESERVED_SLUGS
        )
    errors: dict = {}
    try:
        process.settings = clean_process_settings(settings)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        process.territories = resolve_territories(government, territories)
    except ValidationError as error:
        errors.update(error.message_dict)
    errors = {**_process_errors(process), **errors}
    built, by_phase, _origin = _build_phases(government, process, phases, [])
    _raise_invalid(errors, by_phase, phases)
    if image:
        _store_image(process, image)
    process.save()
    _save_phases(government, process, built, [])
    _record(
        actor=actor,
        government=government,
        action="participation.process.created",
        obj=process,
        changes=audit.diff_fields({}, _snapshot(process, built)),
        now=now,
    )
    _reindex(government, process)
    return process


def process_update(
    *,
    actor,
    government,
    process: Process,
    phases: Sequence[Mapping[str, Any]] | None = None,
    settings: Mapping[str, Any] | None = None,
    territories: Iterable[str] | None = None,
    image=None,
    remove_image: bool = False,
    now: dt.datetime | None = None,
    **fields: Any,
) -> Process:
    """Change a process and, when ``phases`` is given, replace its list of phases with it
    (items with an ``id`` keep that phase; stored phases left out are deleted). A change to
    the voting rules after voting opened raises `VotingRulesLocked`, after recording the
    attempt."""
    _check_fields(fields, PROCESS_FIELDS)
    now = now or timezone.now()
    with transaction.atomic():
        process = Process.objects.for_government(government).select_for_update().get(pk=process.pk)
        stored = _stored_phases(government, process)
        before = _snapshot(process, stored)
        before_settings = dict(process.settings or {})
        for name, value in fields.items():
            setattr(process, name, value)
        if not process.slug:
            process.slug = unique_slug(
                Process.objects.for_government(government).exclude(pk=process.pk),
                process.title,
                70,
                fallback="proceso",
                reserved=RESERVED_SLUGS,
            )
        errors: dict = {}
        try:
            process.settings = clean_process_settings(settings, stored=before_settings)
        except ValidationError as error:
            errors.update(error.message_dict)
        if territories is not None:
            try:
                process.territories = resolve_territories(government, territories)
            except ValidationError as error:
                errors.update(error.message_dict)
        items = phases if phases is not None else [{"id": p.pk} for p in stored]
        built, by_phase, _origin = _build_phases(government, process, items, stored)
        refused = locked_changes(
            module=MODULE,
            now=now,
            before_phases=stored,
            after_phases=built,
            settings_fields=process_settings_fields(),
            before_settings=before_settings,
            after_settings=process.settings,
            phase_settings_fields=phase_settings_fields(),
            opened=_opened(process, now),
        )
        if refused:
            _record_refusal(actor=actor, government=government, process=process, changes=refused, now=now)
        else:
            errors = {**_process_errors(process), **errors}
            _raise_invalid(errors, by_phase, items)
            if image:
                _store_image(process, image)
            elif remove_image and process.image:
                process.image.delete(save=False)
                process.image = ""
                process.image_alt = ""
            process.save()
            _save_phases(government, process, built, stored)
            changes = audit.diff_fields(before, _snapshot(process, built))
            if changes:
                _record(
                    actor=actor,
                    government=government,
                    action=_update_action(changes, process),
                    obj=process,
                    changes=changes,
                    now=now,
                )
            _reindex(government, process, parts=bool({"is_published", "title", "slug"} & set(changes)))
            return process
    raise VotingRulesLocked(refused)


def _opened(process: Process, now: dt.datetime) -> set[str]:
    return {VOTE} if process.voting_opened_at is not None and process.voting_opened_at <= now else set()


def _update_action(changes: Mapping[str, Any], process: Process) -> str:
    if set(changes) == {"is_published"}:
        return "participation.process.published" if process.is_published else "participation.process.unpublished"
    return "participation.process.updated"


def _record_refusal(*, actor, government, process: Process, changes: Sequence[LockedChange], now, action="") -> None:
    """The refused attempt, in the audit log: what it would have changed, before and after."""
    _record(
        actor=actor,
        government=government,
        action=action or "participation.process.change_refused",
        obj=process,
        changes={change.field: [change.before, change.after] for change in changes},
        now=now,
    )


def voting_locked(process: Process, *, now: dt.datetime) -> bool:
    """Whether the voting rules of the process are fixed at ``now``."""
    stored = _stored_phases(process.government_id, process)
    return bool(locked_features(stored, module=MODULE, now=now, opened=_opened(process, now)))


def process_set_published(*, actor, government, process: Process, is_published: bool, now=None) -> Process:
    return process_update(actor=actor, government=government, process=process, is_published=is_published, now=now)


@transaction.atomic
def process_open_voting(*, actor, government, process: Process, now: dt.datetime) -> Process:
    """Mark voting as opened at ``now`` (the sub-apps that take ballots call it with the
    first ballot), which fixes the voting rules even before a voting phase's start."""
    process = Process.objects.for_government(government).select_for_update().get(pk=process.pk)
    if process.voting_opened_at is not None:
        return process
    process.voting_opened_at = now
    process.save(update_fields=["voting_opened_at", "updated_at"])
    _record(
        actor=actor,
        government=government,
        action="participation.process.voting_opened",
        obj=process,
        changes={"voting_opened_at": [None, now]},
        now=now,
    )
    return process


def process_delete_refusal(*, process: Process, now: dt.datetime) -> str:
    """Why the process cannot be deleted now, or ""."""
    if voting_locked(process, now=now):
        return _(
            "Voting has opened in this process, so it cannot be deleted: its voting rules and dates are part "
            "of the record of the vote. Unpublish it instead if it must leave the portal."
        )
    return ""


def process_delete(*, actor, government, process: Process, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    with transaction.atomic():
        process = Process.objects.for_government(government).select_for_update().get(pk=process.pk)
        stored = _stored_phases(government, process)
        if not voting_locked(process, now=now):
            before, pk = _snapshot(process, stored), process.pk
            _record(
                actor=actor,
                government=government,
                action="participation.process.deleted",
                obj=process,
                changes=audit.diff_fields(before, {}),
                now=now,
            )
            image = process.image.name if process.image else ""
            from .. import search as participation_search

            forget_parts = participation_search.process_deleted(government, process)
            process.delete()
            for forget in forget_parts:
                forget()
            if image:
                storage = Process._meta.get_field("image").storage
                transaction.on_commit(lambda: storage.delete(image))
            search.remove_object(kind=SEARCH_KIND, object_id=pk, government=government)
            return
        refused = [LockedChange("process", _("The whole process (deleted)"), process.title, None)]
        _record_refusal(
            actor=actor,
            government=government,
            process=process,
            changes=refused,
            now=now,
            action="participation.process.delete_refused",
        )
    raise VotingRulesLocked(refused, deleting=True)
