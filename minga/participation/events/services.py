"""Writes of participatory events: the convocation, registration with capacity and a waiting
list, minutes, attendance counts, agreements and the reminders of the day before.

Officials' writes are atomic and audited (core.audit). Citizens' registrations are not audited
(they are personal data), but they lock the event row, so two people never take the last place
at once and a cancellation promotes exactly the first person waiting."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minga.core.audit import services as audit
from minga.core.crud import snapshot, unique_slug
from minga.core.notifications import services as notifications
from minga.core.opendata import tables_changed
from minga.core.tenancy.scoping import scopes_disabled
from minga.core.ui.page_cache import content_changed

from .. import territories as territory_sources
from ..features import MODULE
from ..processes.models import RESERVED_SLUGS, Process
from . import emails
from .models import ACCESSIBILITY_LABELS, DEFAULT_TYPES, Agreement, Event, EventType, Registration

EVENT_FIELDS = (
    "title",
    "event_type",
    "process",
    "purpose",
    "agenda",
    "territory_code",
    "address",
    "latitude",
    "longitude",
    "online_url",
    "accessibility",
    "accessibility_notes",
    "starts_at",
    "ends_at",
    "registration_enabled",
    "capacity",
    "is_published",
)
AGREEMENT_FIELDS = ("text", "responsible", "due_on", "status", "status_note")
PLACE_FIELDS = ("starts_at", "ends_at", "address", "latitude", "longitude", "online_url")
EVENT_SLUG_RESERVED = frozenset({"feed", "ical", "inscripcion", "gestion"})
PDF_MAX_BYTES = 20 * 1024 * 1024
REMINDER_WINDOW = dt.timedelta(hours=24)
Status = Registration.Status


def _record(*, actor, government, action: str, obj, changes: dict, now=None) -> None:
    audit.record(actor=actor, government=government, action=action, obj=obj, changes=changes, now=now)
    tables_changed(government=government, module=MODULE)


# Types -----------------------------------------------------------------------------------


def ensure_types(government) -> int:
    """Give a government the event types of Ecuadorian practice the first time it needs them
    (nothing happens once it has any type: retired or renamed ones are its choice)."""
    if EventType.objects.for_government(government).exists():
        return 0
    EventType.objects.bulk_create(
        [
            EventType(government=government, key=key, name=name, description=description, position=index)
            for index, (key, name, description) in enumerate(DEFAULT_TYPES, start=1)
        ],
        ignore_conflicts=True,
    )
    return len(DEFAULT_TYPES)


def type_save(*, actor, government, event_type: EventType | None, fields: Mapping[str, Any]) -> EventType:
    allowed = {"key", "name", "description", "position", "is_active"}
    if set(fields) - allowed:
        raise ValueError(f"not editable: {sorted(set(fields) - allowed)}")
    with transaction.atomic():
        creating = event_type is None
        before = {} if creating else snapshot(event_type)
        event_type = event_type or EventType(government=government)
        for name, value in fields.items():
            setattr(event_type, name, value)
        taken = EventType.objects.for_government(government).filter(key=event_type.key).exclude(pk=event_type.pk)
        if taken.exists():
            raise ValidationError({"key": _("Another event type already uses this key.")})
        event_type.save()
        action = "participation.event_type.created" if creating else "participation.event_type.updated"
        _record(
            actor=actor,
            government=government,
            action=action,
            obj=event_type,
            changes=audit.diff_fields(before, snapshot(event_type)),
        )
    return event_type


# Events ----------------------------------------------------------------------------------


def _check_event(government, event: Event) -> None:
    errors: dict[str, Any] = {}
    if event.starts_at and event.ends_at and event.ends_at <= event.starts_at:
        errors["ends_at"] = _("The event must end after it starts.")
    if event.event_type_id and event.event_type.government_id != government.pk:
        errors["event_type"] = _("Choose one of the government's event types.")
    if event.process_id and event.process.government_id != government.pk:
        errors["process"] = _("Choose one of the government's processes.")
    if not event.address and not event.online_url:
        errors["address"] = _("Give the place of the event, an online link, or both.")
    if (event.latitude is None) != (event.longitude is None):
        errors["latitude"] = _("Give both the latitude and the longitude of the map point, or neither.")
    if event.capacity is not None and event.capacity < 1:
        errors["capacity"] = _("The capacity must be at least one place, or empty for no limit.")
    unknown = [key for key in event.accessibility or [] if key not in ACCESSIBILITY_LABELS]
    if unknown:
        errors["accessibility"] = _("Unknown accessibility options: %(keys)s.") % {"keys": ", ".join(unknown)}
    if not isinstance(event.agenda, list) or not all(isinstance(item, str) and item.strip() for item in event.agenda):
        errors["agenda"] = _("The agenda must be a list of items.")
    if event.territory_code:
        territory = territory_sources.territory_map(government).get(event.territory_code)
        if territory is None:
            errors["territory_code"] = _("“%(code)s” is not a territory of this government.") % {
                "code": event.territory_code
            }
        else:
            event.territory_name = territory.name
    else:
        event.territory_name = ""
    if errors:
        raise ValidationError(errors)


def event_create(*, actor, government, now: dt.datetime | None = None, **fields) -> Event:
    if set(fields) - set(EVENT_FIELDS):
        raise ValueError(f"not editable: {sorted(set(fields) - set(EVENT_FIELDS))}")
    with transaction.atomic():
        event = Event(government=government, **fields)
        _check_event(government, event)
        event.slug = unique_slug(
            Event.objects.for_government(government),
            f"{event.title} {timezone.localtime(event.starts_at):%Y-%m-%d}",
            90,
            fallback="evento",
            reserved=EVENT_SLUG_RESERVED,
        )
        event.save()
        _record(
            actor=actor,
            government=government,
            action="participation.event.created",
            obj=event,
            changes=audit.diff_fields({}, snapshot(event)),
            now=now,
        )
    return event


def event_update(*, actor, government, event: Event, now: dt.datetime | None = None, **fields) -> Event:
    """Save the convocation. When a published event changes its date or place, its followers
    and its registered people are told."""
    if set(fields) - set(EVENT_FIELDS):
        raise ValueError(f"not editable: {sorted(set(fields) - set(EVENT_FIELDS))}")
    with transaction.atomic():
        event = Event.objects.for_government(government).select_for_update().get(pk=event.pk)
        before = snapshot(event)
        for name, value in fields.items():
            setattr(event, name, value)
        _check_event(government, event)
        event.save()
        changes = audit.diff_fields(before, snapshot(event))
        _record(
            actor=actor,
            government=government,
            action="participation.event.updated",
            obj=event,
            changes=changes,
            now=now,
        )
        moved = [name for name in PLACE_FIELDS if name in changes]
        if moved and event.is_published:
            notifications.notify(
                government=government,
                target=event,
                event="participation.event.moved",
                title=gettext_lazy("The date or place of an event you follow changed"),
                summary=event.title,
                actor=actor,
                now=now,
            )
            if {"starts_at", "ends_at", "address", "online_url"} & set(moved):
                people = list(_active(event).filter(status__in=[Status.CONFIRMED, Status.WAITING]))
                transaction.on_commit(lambda: emails.send_changed(event, people))
        if "capacity" in changes:
            _fill_places(event, now=now or timezone.now())
    return event


def event_delete(*, actor, government, event: Event) -> None:
    with transaction.atomic():
        before = snapshot(event)
        notifications.forget_target(government=government, target=event)
        _record(
            actor=actor,
            government=government,
            action="participation.event.deleted",
            obj=event,
            changes=audit.diff_fields(before, {}),
        )
        event.delete()


def parse_agenda(text: str) -> list[str]:
    """One item per line; numbers or bullets typed at the start are dropped."""
    items = []
    for line in (text or "").splitlines():
        item = line.strip().lstrip("-*•").strip()
        head, _dot, rest = item.partition(". ")
        if head.isdigit() and rest:
            item = rest.strip()
        if item:
            items.append(item[:300])
    return items


def process_choices(government):
    return Process.objects.for_government(government).order_by("-starts_at", "title")


def reserved_for_processes() -> frozenset:
    return RESERVED_SLUGS


# Registration ----------------------------------------------------------------------------


class RegistrationRefused(ValidationError):
    pass


def _active(event: Event):
    return Registration.objects.for_government(event.government_id).filter(event=event)


def _taken(event: Event) -> int:
    return _active(event).filter(status=Status.CONFIRMED).count()


def places_left(event: Event) -> int | None:
    if event.capacity is None:
        return None
    return max(0, event.capacity - _taken(event))


def _open_for_registration(event: Event, now: dt.datetime) -> None:
    if not event.is_published or not event.registration_enabled:
        raise RegistrationRefused(_("This event does not take registrations."))
    if event.starts_at <= now:
        raise RegistrationRefused(_("Registration closed when the event started."))


def _place_for(event: Event) -> str:
    """Confirmed while there is a place and nobody waits ahead; else the waiting list."""
    if event.capacity is None:
        return Status.CONFIRMED
    waiting = _active(event).filter(status=Status.WAITING).exists()
    return Status.CONFIRMED if not waiting and _taken(event) < event.capacity else Status.WAITING


def _locked_event(event: Event) -> Event:
    return Event.objects.for_government(event.government_id).select_for_update().get(pk=event.pk)


def _already(event: Event, *, user=None, email: str = "") -> Registration | None:
    active = _active(event).exclude(status=Status.CANCELLED)
    if user is not None:
        found = active.filter(user=user).first()
        if found is not None:
            return found
    return active.filter(email__iexact=email).first() if email else None


def register_user(*, event: Event, user, now: dt.datetime | None = None) -> Registration:
    """A signed-in citizen takes a place (or a turn on the waiting list) at once when the account's
    e-mail is confirmed; otherwise the same link as for guests is sent first."""
    now = now or timezone.now()
    verified = getattr(user, "email_verified_at", None) is not None
    with transaction.atomic():
        event = _locked_event(event)
        _open_for_registration(event, now)
        if _already(event, user=user, email=user.email) is not None:
            raise RegistrationRefused(_("You are already registered for this event."))
        registration = Registration(
            government_id=event.government_id,
            event=event,
            user=user,
            name=(user.full_name or user.email)[:150],
            email=user.email,
            status=_place_for(event) if verified else Status.UNCONFIRMED,
            token=secrets.token_urlsafe(24),
            queued_at=now,
        )
        _save_new(registration)
        if not verified:
            transaction.on_commit(lambda: emails.send_confirmation(registration))
            return registration
        content_changed(event.government, reason="participation.registration.created")
        transaction.on_commit(lambda: emails.send_registered(registration))
    return registration


def register_guest(*, event: Event, name: str, email: str, now: dt.datetime | None = None) -> Registration:
    """Someone without an account leaves a name and an e-mail; the place is taken only when the
    link sent to that address is followed (`confirm_guest`)."""
    now = now or timezone.now()
    name, email = " ".join((name or "").split())[:150], (email or "").strip().lower()
    if not name:
        raise RegistrationRefused({"name": _("Write your name.")})
    with transaction.atomic():
        event = _locked_event(event)
        _open_for_registration(event, now)
        found = _already(event, email=email)
        if found is not None and found.status != Status.UNCONFIRMED:
            raise RegistrationRefused({"email": _("This e-mail address is already registered for this event.")})
        if found is not None:  # asked again: a fresh link, nothing else
            registration = found
        else:
            registration = Registration(
                government_id=event.government_id,
                event=event,
                name=name,
                email=email,
                status=Status.UNCONFIRMED,
                token=secrets.token_urlsafe(24),
                queued_at=now,
            )
            _save_new(registration)
        transaction.on_commit(lambda: emails.send_confirmation(registration))
    return registration


def _save_new(registration: Registration) -> None:
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as error:
        raise RegistrationRefused(_("This person is already registered for this event.")) from error


def confirm_guest(*, registration: Registration, now: dt.datetime | None = None) -> Registration:
    """The confirmation link was followed: the registration takes a place or a turn in line
    (from now: who confirms first comes first). Following it again changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        event = _locked_event(registration.event)
        registration = (
            Registration.objects.for_government(event.government_id).select_for_update().get(pk=registration.pk)
        )
        if registration.status != Status.UNCONFIRMED:
            return registration
        _open_for_registration(event, now)
        registration.status = _place_for(event)
        registration.queued_at = now
        registration.save(update_fields=["status", "queued_at"])
        content_changed(event.government, reason="participation.registration.confirmed")
        transaction.on_commit(lambda: emails.send_registered(registration))
    return registration


def cancel(*, registration: Registration, now: dt.datetime | None = None) -> Registration | None:
    """Give up a place (or a turn in line). When a place frees, the first person waiting takes
    it and is told by e-mail. Returns the promoted registration, if any."""
    now = now or timezone.now()
    with transaction.atomic():
        event = _locked_event(registration.event)
        registration = (
            Registration.objects.for_government(event.government_id).select_for_update().get(pk=registration.pk)
        )
        if registration.status == Status.CANCELLED:
            return None
        registration.status = Status.CANCELLED
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at"])
        promoted = _fill_places(event, now=now)
        content_changed(event.government, reason="participation.registration.cancelled")
    return promoted[0] if promoted else None


def _fill_places(event: Event, *, now: dt.datetime) -> list[Registration]:
    """Move people from the waiting list to the free places, first in line first (the event
    row is locked by the caller)."""
    if event.capacity is None:
        free = None
    else:
        free = event.capacity - _taken(event)
        if free <= 0:
            return []
    waiting = _active(event).filter(status=Status.WAITING).order_by("queued_at", "pk")
    promoted = list(waiting if free is None else waiting[:free])
    for registration in promoted:
        registration.status = Status.CONFIRMED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at"])
    if promoted:
        transaction.on_commit(lambda: [emails.send_promoted(item) for item in promoted])
    return promoted


def mark_attendance(*, actor, government, event: Event, attended_ids: Iterable[int]) -> int:
    ids = {int(pk) for pk in attended_ids}
    with transaction.atomic():
        registrations = _active(event).exclude(status=Status.CANCELLED)
        registrations.filter(pk__in=ids).update(attended=True)
        registrations.exclude(pk__in=ids).update(attended=False)
        count = registrations.filter(attended=True).count()
        _record(
            actor=actor,
            government=government,
            action="participation.event.attendance_marked",
            obj=event,
            changes={"attended": [None, count]},
        )
    return count


# After the event -------------------------------------------------------------------------


def check_pdf(upload, *, field: str = "file") -> None:
    """Refuse anything but a PDF, judged by its first bytes (the name and the browser's content
    type are not trusted), and files over 20 MB."""
    name = (getattr(upload, "name", "") or "documento.pdf")[:120]
    if upload.size > PDF_MAX_BYTES:
        raise ValidationError({field: _("“%(name)s” is larger than 20 MB.") % {"name": name}})
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        raise ValidationError({field: _("“%(name)s” is not a PDF file.") % {"name": name}})


def _check_attendance(values: Mapping[str, int | None]) -> None:
    total = values.get("attendance_total")
    parts = [values.get(name) for name in ("attendance_women", "attendance_men", "attendance_other")]
    if any(value is not None and value < 0 for value in [total, *parts]):
        raise ValidationError({"attendance_total": _("Attendance counts cannot be negative.")})
    given = [value for value in parts if value is not None]
    if given and total is None:
        raise ValidationError({"attendance_total": _("Give the total attendance too.")})
    if given and total is not None and sum(given) > total:
        raise ValidationError({"attendance_total": _("Women, men and other add up to more than the total attendance.")})


def minutes_save(
    *,
    actor,
    government,
    event: Event,
    minutes_text: str,
    minutes_file=None,
    remove_file: bool = False,
    publish: bool,
    attendance: Mapping[str, int | None],
    now: dt.datetime | None = None,
) -> Event:
    """The minutes (Markdown, a PDF, or both) and the attendance counts. Publishing the minutes
    the first time tells the event's followers."""
    now = now or timezone.now()
    _check_attendance(attendance)
    if minutes_file is not None:
        check_pdf(minutes_file, field="minutes_file")
    with transaction.atomic():
        event = _locked_event(event)
        before = snapshot(event)
        event.minutes_text = minutes_text or ""
        for name, value in attendance.items():
            setattr(event, name, value)
        if remove_file and event.minutes_file:
            event.minutes_file.delete(save=False)
            event.minutes_file = ""
        if minutes_file is not None:
            minutes_file.name = f"acta-{event.slug}-{secrets.token_hex(4)}.pdf"
            event.minutes_file = minutes_file
        first_time = publish and event.minutes_published_at is None
        if publish and not (event.minutes_text or event.minutes_file):
            raise ValidationError({"minutes_text": _("Write the minutes or upload them as a PDF before publishing.")})
        if publish and event.starts_at > now:
            raise ValidationError({"minutes_text": _("Minutes can be published once the event has started.")})
        event.minutes_published_at = (event.minutes_published_at or now) if publish else None
        event.save()
        _record(
            actor=actor,
            government=government,
            action="participation.event.minutes_saved",
            obj=event,
            changes=audit.diff_fields(before, snapshot(event)),
            now=now,
        )
        if first_time and event.is_published:
            notifications.notify(
                government=government,
                target=event,
                event="participation.event.minutes",
                title=gettext_lazy("The minutes of an event you follow were published"),
                summary=event.title,
                actor=actor,
                now=now,
            )
    return event


def agreement_save(
    *, actor, government, event: Event, agreement: Agreement | None, fields: Mapping[str, Any]
) -> Agreement:
    if set(fields) - set(AGREEMENT_FIELDS):
        raise ValueError(f"not editable: {sorted(set(fields) - set(AGREEMENT_FIELDS))}")
    if "status" in fields and fields["status"] not in Agreement.Status.values:
        raise ValidationError({"status": _("Choose one of the statuses.")})
    if not (fields.get("text") or (agreement and agreement.text)):
        raise ValidationError({"text": _("Write the agreement.")})
    with transaction.atomic():
        _locked_event(event)
        creating = agreement is None
        before = {} if creating else snapshot(agreement)
        if creating:
            last = Agreement.objects.for_government(government).filter(event=event).order_by("-number").first()
            agreement = Agreement(government=government, event=event, number=(last.number + 1) if last else 1)
        for name, value in fields.items():
            setattr(agreement, name, value)
        agreement.save()
        action = "participation.agreement.created" if creating else "participation.agreement.updated"
        _record(
            actor=actor,
            government=government,
            action=action,
            obj=agreement,
            changes=audit.diff_fields(before, snapshot(agreement)),
        )
    return agreement


def agreement_delete(*, actor, government, agreement: Agreement) -> None:
    with transaction.atomic():
        _record(
            actor=actor,
            government=government,
            action="participation.agreement.deleted",
            obj=agreement,
            changes=audit.diff_fields(snapshot(agreement), {}),
        )
        agreement.delete()


# Reminders -------------------------------------------------------------------------------


def due_reminders(*, now: dt.datetime):
    """Confirmed registrations of published events that start within the next day and have not
    been reminded (every government: the job runs outside requests)."""
    return Registration.objects.filter(
        status=Status.CONFIRMED,
        reminded_at__isnull=True,
        event__is_published=True,
        event__starts_at__gt=now,
        event__starts_at__lte=now + REMINDER_WINDOW,
    ).select_related("event", "event__event_type")


def send_reminders(*, now: dt.datetime | None = None) -> int:
    """E-mail each registered person the day before the event, once: a registration is
    claimed (its ``reminded_at`` stamped) before its message goes, so two runs of the job, or
    two workers, never send the same reminder twice. A message that fails to go is given back
    for the next run."""
    now = now or timezone.now()
    sent = 0
    with scopes_disabled():
        due = list(due_reminders(now=now))
    for registration in due:
        claimed = (
            Registration.objects.for_government(registration.government_id)
            .filter(pk=registration.pk, reminded_at__isnull=True)
            .update(reminded_at=now)
        )
        if not claimed:
            continue
        try:
            emails.send_reminder(registration)
        except Exception:
            Registration.objects.for_government(registration.government_id).filter(pk=registration.pk).update(
                reminded_at=None
            )
            emails.logger.exception("event reminder %s not sent", registration.pk)
            continue
        sent += 1
    return sent
