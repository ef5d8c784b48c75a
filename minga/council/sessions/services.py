"""Writes of sessions: the session while a draft, its agenda, the convocation (refused inside
the notice period), holding it, attendance, the outcome of each item, vote events with one vote
per member, documents and minutes (PDFs judged by their first bytes), cancelling and closing.
Atomic and audited; every refusal the secretariat could run into is audited too."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from minga.core.audit.services import diff_fields
from minga.core.crud import snapshot, unique_slug

from .. import search
from ..acts.services import check_pdf
from ..audit import record
from ..follows import notices
from ..members.models import CommitteeMembership, Council, Membership, Person
from .models import VOTE_OPTIONS, AgendaItem, Attendance, Session, SessionDocument, Vote, VoteEvent

SESSION_FIELDS = ("kind", "committee", "number", "title", "starts_at", "place", "stream_url", "notes")
ITEM_FIELDS = ("title", "description", "act")
SLUG_RESERVED = frozenset({"gestion", "nueva", "feed", "calendario"})
OPEN = (Session.Status.DRAFT, Session.Status.CONVENED, Session.Status.HELD)


class SessionRefused(ValidationError):
    """A write the state of the session does not allow."""


def _refuse(*, actor, government, obj, action: str, message: str, field: str | None = None, **details) -> None:
    """Audit the refusal in its own transaction, then raise it."""
    with transaction.atomic():
        record(actor=actor, government=government, action=action, obj=obj, changes={"reason": message, **details})
    raise SessionRefused({field: message} if field else message)


def _same_government(government, objs: Iterable) -> None:
    if any(obj is not None and obj.government_id != government.pk for obj in objs):
        raise ValidationError(_("That record belongs to another government."))


def notice_hours(council: Council | None, kind: str) -> int:
    """Hours of notice the convocation needs (the council's setting; COOTAD's by default)."""
    if kind == Session.Kind.EXTRAORDINARY:
        return council.notice_extraordinary_hours if council else 24
    return council.notice_ordinary_hours if council else 48


def members_on(session: Session) -> list[Person]:
    """Who may attend and vote: for a committee session its members on the day, otherwise
    the council's members (alternates included) on the day."""
    day = timezone.localtime(session.starts_at).date()
    if session.committee_id:
        seats = CommitteeMembership.objects.for_government(session.government_id).filter(committee=session.committee_id)
    else:
        seats = Membership.objects.for_government(session.government_id).filter(council=session.council_id)
    ids = seats.current(day).values("person_id")
    return list(Person.objects.for_government(session.government_id).filter(pk__in=ids).order_by("name"))


def alternates_on(session: Session) -> set[int]:
    """The people who sit on the day only as alternates (they attend and vote when they stand in
    for their principal)."""
    if session.committee_id:
        return set()
    day = timezone.localtime(session.starts_at).date()
    seats = Membership.objects.for_government(session.government_id).filter(council=session.council_id).current(day)
    alternates = set(seats.filter(role=Membership.Role.ALTERNATE).values_list("person_id", flat=True))
    return alternates - set(seats.exclude(role=Membership.Role.ALTERNATE).values_list("person_id", flat=True))


def _snapshot(session: Session) -> dict:
    return snapshot(session)


def _check_open(actor, government, session: Session, action: str) -> None:
    if session.status not in OPEN:
        _refuse(
            actor=actor,
            government=government,
            obj=session,
            action=action,
            message=_("The session is %(status)s: it cannot be changed.") % {"status": session.get_status_display()},
        )


def session_save(*, actor, government, session: Session | None, fields: Mapping[str, Any]) -> Session:
    if set(fields) - set(SESSION_FIELDS):
        raise ValueError(f"not editable: {sorted(set(fields) - set(SESSION_FIELDS))}")
    council = Council.objects.for_government(government).first()
    if council is None:
        raise ValidationError(_("Register the council before its sessions."))
    _same_government(government, [fields.get("committee")])
    if session is not None:
        _check_open(actor, government, session, "session.change_refused")
    with transaction.atomic():
        creating = session is None
        before = {} if creating else _snapshot(session)
        was_at = None if creating else session.starts_at
        session = session or Session(government=government, council=council)
        for name, value in fields.items():
            setattr(session, name, value if value is not None or name == "committee" else "")
        if session.kind == Session.Kind.COMMITTEE and session.committee_id is None:
            raise ValidationError({"committee": _("Say which committee meets.")})
        if session.kind != Session.Kind.COMMITTEE:
            session.committee = None
        if not (session.title or "").strip():
            raise ValidationError({"title": _("Give the session a title.")})
        if session.status == Session.Status.CONVENED and not creating and was_at != session.starts_at:
            raise ValidationError(
                {"starts_at": _("The session is already convened: cancel it and convene a new one to move it.")}
            )
        if creating:
            day = timezone.localtime(session.starts_at).date().isoformat()
            session.slug = unique_slug(
                Session.objects.for_government(government),
                f"{day} {session.title}",
                90,
                fallback="sesion",
                reserved=SLUG_RESERVED,
            )
        session.save()
        record(
            actor=actor,
            government=government,
            action="session.created" if creating else "session.updated",
            obj=session,
            changes=diff_fields(before, _snapshot(session)),
        )
        search.index(search.SESSION_KIND, session)
    return session


# Agenda ------------------------------------------------------------------------------------


def item_save(*, actor, government, session: Session, item: AgendaItem | None, fields: Mapping[str, Any]) -> AgendaItem:
    if set(fields) - set(ITEM_FIELDS):
        raise ValueError(f"not editable: {sorted(set(fields) - set(ITEM_FIELDS))}")
    _same_government(government, [fields.get("act")])
    _check_open(actor, government, session, "session.change_refused")
    if not (fields.get("title") or (item and item.title) or "").strip():
        raise ValidationError({"title": _("Write the item as the convocation reads it.")})
    with transaction.atomic():
        Session.objects.for_government(government).select_for_update().filter(pk=session.pk).first()
        creating = item is None
        before = {} if creating else snapshot(item)
        if creating:
            last = AgendaItem.objects.for_government(government).filter(session=session).aggregate(n=Max("position"))
            item = AgendaItem(government=government, session=session, position=(last["n"] or 0) + 1)
        for name, value in fields.items():
            setattr(item, name, value if value is not None or name == "act" else "")
        item.title = item.title.strip()
        item.save()
        record(
            actor=actor,
            government=government,
            action="session.item_added" if creating else "session.item_updated",
            obj=session,
            changes={f"item:{item.pk}": diff_fields(before, snapshot(item)) or [None, item.title]},
        )
    return item


def item_move(*, actor, government, item: AgendaItem, step: int) -> None:
    """Swap an item with the one before (step -1) or after (step +1) it."""
    session = item.session
    _check_open(actor, government, session, "session.change_refused")
    with transaction.atomic():
        Session.objects.for_government(government).select_for_update().filter(pk=session.pk).first()
        items = AgendaItem.objects.for_government(government).filter(session=session)
        other = items.filter(position=item.position + step).first()
        if other is None:
            return
        mine, theirs = item.position, other.position
        items.filter(pk=item.pk).update(position=0)
        items.filter(pk=other.pk).update(position=mine)
        items.filter(pk=item.pk).update(position=theirs)
        record(
            actor=actor,
            government=government,
            action="session.item_moved",
            obj=session,
            changes={f"item:{item.pk}": [mine, theirs]},
        )


def item_delete(*, actor, government, item: AgendaItem) -> None:
    session = item.session
    _check_open(actor, government, session, "session.change_refused")
    if VoteEvent.objects.for_government(government).filter(item=item).exists():
        raise ValidationError(_("The item has votes recorded: delete its vote events first."))
    with transaction.atomic():
        Session.objects.for_government(government).select_for_update().filter(pk=session.pk).first()
        record(
            actor=actor,
            government=government,
            action="session.item_deleted",
            obj=session,
            changes={f"item:{item.pk}": [item.title, None]},
        )
        for document in SessionDocument.objects.for_government(government).filter(item=item):
            document.file.delete(save=False)
        position = item.position
        item.delete()
        later = AgendaItem.objects.for_government(government).filter(session=session, position__gt=position)
        for following in later.order_by("position"):
            following.position -= 1
            following.save(update_fields=["position"])


# The life of a session ---------------------------------------------------------------------


def _set_status(*, actor, government, session: Session, status: str, action: str, extra=None) -> Session:
    with transaction.atomic():
        before = session.status
        session.status = status
        update = ["status", "updated_at"]
        for name, value in (extra or {}).items():
            setattr(session, name, value)
            update.append(name)
        session.save(update_fields=update)
        record(actor=actor, government=government, action=action, obj=session, changes={"status": [before, status]})
        search.index(search.SESSION_KIND, session)
    return session


def session_convene(*, actor, government, session: Session, now: dt.datetime) -> Session:
    """Publish the convocation: only a draft with an agenda, and at least the notice period
    before the session starts."""
    if session.status != Session.Status.DRAFT:
        _refuse(
            actor=actor,
            government=government,
            obj=session,
            action="session.convene_refused",
            message=_("Only a draft session can be convened; this one is %(status)s.")
            % {"status": session.get_status_display()},
        )
    if not AgendaItem.objects.for_government(government).filter(session=session).exists():
        _refuse(
            actor=actor,
            government=government,
            obj=session,
            action="session.convene_refused",
            message=_("Add the agenda before convening the session."),
        )
    hours = notice_hours(session.council, session.kind)
    if session.starts_at - now < dt.timedelta(hours=hours):
        _refuse(
            actor=actor,
            government=government,
            obj=session,
            action="session.convene_refused",
            message=_(
                "A %(kind)s must be convened at least %(hours)s hours before it starts; it starts on %(when)s. "
                "Move the session or, if it is urgent, convene an extraordinary session."
            )
            % {
                "kind": session.get_kind_display().lower(),
                "hours": hours,
                "when": date_format(timezone.localtime(session.starts_at), "DATETIME_FORMAT"),
            },
            hours=hours,
        )
    session = _set_status(
        actor=actor,
        government=government,
        session=session,
        status=Session.Status.CONVENED,
        action="session.convened",
        extra={"convened_at": now},
    )
    # The followers of each act on the agenda are told when and where (after the commit).
    for item in AgendaItem.objects.for_government(government).filter(session=session, act__isnull=False):
        item.session = session
        notices.act_on_agenda(government=government, item=item, actor=actor)
    return session


def session_mark_held(*, actor, government, session: Session, now: dt.datetime) -> Session:
    if session.status != Session.Status.CONVENED:
        _refuse(
            actor=actor,
            government=government,
            obj=session,
            action="session.held_refused",
            message=_("Only a convened session can be marked as held."),
        )
    if session.starts_at > now:
        _refuse(
            actor=actor,
            government=government,
            obj=session,
            action="session.held_refused",
            message=_("The session has not started yet."),
        )
    return _set_status(
        actor=actor, government=government, session=session, status=Session.Status.HELD, action="session.held"
    )


def session_cancel(*, actor, government, session: Session) -> Session:
    if session.status not in (Session.Status.DRAFT, Session.Status.CONVENED):
        _refuse(
            actor=actor,
            government=government,
            obj=session,
            action="session.cancel_refused",
            message=_("A session that was held cannot be cancelled."),
        )
    return _set_status(
        actor=actor, government=government, session=session, status=Session.Status.CANCELLED, action="session.cancelled"
    )


def session_close(*, actor, government, session: Session) -> Session:
    """Close a held session (its minutes approved): nothing in it changes afterwards."""
    if session.status != Session.Status.HELD:
        _refuse(
            actor=actor,
            government=government,
            obj=session,
            action="session.close_refused",
            message=_("Only a held session can be closed."),
        )
    return _set_status(
        actor=actor, government=government, session=session, status=Session.Status.CLOSED, action="session.closed"
    )


def _check_held(actor, government, session: Session, action: str) -> None:
    if session.status != Session.Status.HELD:
        message = (
            _("The session is closed: its record cannot be changed.")
            if session.status == Session.Status.CLOSED
            else _("Mark the session as held first.")
        )
        _refuse(actor=actor, government=government, obj=session, action=action, message=message)


# Attendance and outcomes --------------------------------------------------------------------


def attendance_record(*, actor, government, session: Session, entries: Mapping[Person, tuple[str, str]]) -> None:
    """The attendance of the session, one row per member: ``{person: (status, note)}``."""
    _check_held(actor, government, session, "session.attendance_refused")
    allowed = {person.pk for person in members_on(session)}
    strangers = [person.name for person in entries if person.pk not in allowed]
    if strangers:
        _refuse(
            actor=actor,
            government=government,
            obj=session,
            action="session.attendance_refused",
            message=_("Not members on the day of the session: %(names)s.") % {"names": ", ".join(strangers)},
        )
    if any(status not in Attendance.Status.values for status, _note in entries.values()):
        raise ValidationError(_("Choose the attendance of each member."))
    with transaction.atomic():
        rows = Attendance.objects.for_government(government).filter(session=session)
        before = {row.person_id: row.status for row in rows}
        rows.delete()
        Attendance.objects.for_government(government).bulk_create(
            Attendance(government=government, session=session, person=person, status=status, note=(note or "")[:200])
            for person, (status, note) in entries.items()
        )
        after = {person.pk: status for person, (status, _note) in entries.items()}
        record(
            actor=actor,
            government=government,
            action="session.attendance_recorded",
            obj=session,
            changes={
                f"person:{pk}": [before.get(pk), after.get(pk)]
                for pk in sorted(set(before) | set(after))
                if before.get(pk) != after.get(pk)
            },
        )


def outcome_record(*, actor, government, item: AgendaItem, outcome: str, note: str = "") -> AgendaItem:
    _check_held(actor, government, item.session, "session.outcome_refused")
    if outcome not in AgendaItem.Outcome.values:
        raise ValidationError({"outcome": _("Choose the outcome.")})
    with transaction.atomic():
        before = [item.outcome, item.outcome_note]
        item.outcome, item.outcome_note = outcome, (note or "").strip()[:400]
        item.save(update_fields=["outcome", "outcome_note"])
        record(
            actor=actor,
            government=government,
            action="session.outcome_recorded",
            obj=item.session,
            changes={f"item:{item.pk}": [before, [item.outcome, item.outcome_note]]},
        )
    return item


# Votes ---------------------------------------------------------------------------------------


def result_of(options: Iterable[str]) -> str:
    """Passed when the yes votes are more than half of the members present (not absent)."""
    options = list(options)
    present = sum(1 for option in options if option != "absent")
    yes = sum(1 for option in options if option == "yes")
    return VoteEvent.Result.PASSED if present and yes * 2 > present else VoteEvent.Result.FAILED


def vote_problems(session: Session, item: AgendaItem, motion: str, votes: list[tuple[Person, str]]) -> list[str]:
    """Why these votes cannot be recorded (empty: they can). Used by the form and the import."""
    problems = []
    if not (motion or "").strip():
        problems.append(_("Write the motion put to the vote."))
    elif (
        VoteEvent.objects.for_government(session.government_id)
        .filter(item=item, motion__iexact=motion.strip())
        .exists()
    ):
        problems.append(
            _("The vote on “%(motion)s” of item %(n)s is already recorded; votes are not recorded twice.")
            % {"motion": motion.strip(), "n": item.position}
        )
    seen: set[int] = set()
    for person, option in votes:
        if person.pk in seen:
            problems.append(_("%(name)s has two votes in the same vote.") % {"name": person.name})
        seen.add(person.pk)
        if option not in VOTE_OPTIONS:
            problems.append(_("The vote of %(name)s is not valid.") % {"name": person.name})
    allowed = {person.pk for person in members_on(session)}
    strangers = sorted({person.name for person, _option in votes if person.pk not in allowed})
    voting = {person.pk: person for person, option in votes if option != "absent"}
    day = timezone.localtime(session.starts_at).date()
    stand_ins = (
        Membership.objects.for_government(session.government_id)
        .filter(council=session.council_id, role=Membership.Role.ALTERNATE, alternate_of__isnull=False)
        .current(day)
        .values_list("person_id", "alternate_of_id")
    )
    for alternate, principal in stand_ins:
        if alternate in voting and principal in voting:
            problems.append(
                _("%(alternate)s stands in for %(principal)s: only one of them votes.")
                % {"alternate": voting[alternate].name, "principal": voting[principal].name}
            )
    if strangers:
        problems.append(_("Not members on the day of the session: %(names)s.") % {"names": ", ".join(strangers)})
    if not votes:
        problems.append(_("Record at least one member's vote."))
    return problems


def vote_event_record(
    *,
    actor,
    government,
    item: AgendaItem,
    motion: str,
    votes: Iterable[tuple[Person, str]],
    result: str = "",
    empty_chair_option: str = "",
    empty_chair_name: str = "",
) -> VoteEvent:
    """One vote on a motion of ``item``, with one vote per member. A second vote of a member,
    a second recording of the same motion and votes of non-members are refused and audited."""
    session = item.session
    votes = list(votes)
    _same_government(government, [person for person, _option in votes])
    _check_held(actor, government, session, "session.vote_refused")
    problems = vote_problems(session, item, motion, votes)
    if problems:
        _refuse(
            actor=actor,
            government=government,
            obj=session,
            action="session.vote_refused",
            message=" ".join(problems),
            item=item.position,
            motion=(motion or "")[:200],
        )
    if empty_chair_option and empty_chair_option not in VOTE_OPTIONS:
        raise ValidationError({"empty_chair_option": _("Choose the vote of the empty chair.")})
    return _create_event(
        actor=actor,
        government=government,
        item=item,
        motion=motion.strip(),
        votes=votes,
        result=result or result_of(option for _person, option in votes),
        empty_chair_option=empty_chair_option,
        empty_chair_name=(empty_chair_name or "").strip()[:200],
    )


def _create_event(*, actor, government, item, motion, votes, result, empty_chair_option, empty_chair_name):
    if result not in VoteEvent.Result.values:
        raise ValidationError({"result": _("Choose the result.")})
    with transaction.atomic():
        AgendaItem.objects.for_government(government).select_for_update().filter(pk=item.pk).first()
        if VoteEvent.objects.for_government(government).filter(item=item, motion__iexact=motion).exists():
            raise ValidationError(_("That vote is already recorded; votes are not recorded twice."))
        last = VoteEvent.objects.for_government(government).filter(item=item).aggregate(n=Max("position"))
        event = VoteEvent.objects.for_government(government).create(
            government=government,
            item=item,
            position=(last["n"] or 0) + 1,
            motion=motion[:400],
            result=result,
            act=item.act,
            empty_chair_option=empty_chair_option or "",
            empty_chair_name=empty_chair_name if empty_chair_option else "",
        )
        Vote.objects.for_government(government).bulk_create(
            Vote(government=government, event=event, person=person, option=option) for person, option in votes
        )
        counts = {option: sum(1 for _p, o in votes if o == option) for option in VOTE_OPTIONS}
        record(
            actor=actor,
            government=government,
            action="session.vote_recorded",
            obj=item.session,
            changes={f"vote:{event.pk}": [None, {"item": item.position, "motion": motion, "result": result, **counts}]},
        )
    return event


def vote_event_delete(*, actor, government, event: VoteEvent) -> None:
    """For a vote recorded by mistake, while the session is not closed."""
    session = event.item.session
    _check_held(actor, government, session, "session.vote_refused")
    with transaction.atomic():
        record(
            actor=actor,
            government=government,
            action="session.vote_deleted",
            obj=session,
            changes={f"vote:{event.pk}": [{"item": event.item.position, "motion": event.motion}, None]},
        )
        event.delete()


# Documents and minutes ---------------------------------------------------------------------


def _check_pdf_audited(actor, government, session: Session, upload, *, field: str, action: str) -> None:
    try:
        check_pdf(upload, field=field)
    except ValidationError as error:
        _refuse(
            actor=actor,
            government=government,
            obj=session,
            action=action,
            message=" ".join(error.messages),
            field=field,
            file=(getattr(upload, "name", "") or "")[:120],
        )


def document_add(
    *, actor, government, session: Session, kind: str, title: str, upload, item: AgendaItem | None = None
) -> SessionDocument:
    if session.status in (Session.Status.CLOSED, Session.Status.CANCELLED):
        _refuse(
            actor=actor,
            government=government,
            obj=session,
            action="session.document_refused",
            message=_("The session is %(status)s: no documents can be added.")
            % {"status": session.get_status_display()},
            field="file",
        )
    if item is not None and item.session_id != session.pk:
        raise ValidationError({"item": _("That item belongs to another session.")})
    _check_pdf_audited(actor, government, session, upload, field="file", action="session.document_refused")
    if not (title or "").strip():
        raise ValidationError({"title": _("Give the document a title.")})
    if kind not in SessionDocument.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of document.")})
    with transaction.atomic():
        upload.name = f"{session.slug[:60]}-{secrets.token_hex(6)}.pdf"
        document = SessionDocument(
            government=government, session=session, item=item, kind=kind, title=title.strip()[:200], file=upload
        )
        document.save()
        record(
            actor=actor,
            government=government,
            action="session.document_added",
            obj=session,
            changes={f"document:{document.pk}": [None, {"title": document.title, "kind": kind}]},
        )
    return document


def document_delete(*, actor, government, document: SessionDocument) -> None:
    session = document.session
    if session.status == Session.Status.CLOSED:
        _refuse(
            actor=actor,
            government=government,
            obj=session,
            action="session.document_refused",
            message=_("The session is closed: its documents cannot be changed."),
        )
    with transaction.atomic():
        record(
            actor=actor,
            government=government,
            action="session.document_deleted",
            obj=session,
            changes={f"document:{document.pk}": [{"title": document.title}, None]},
        )
        document.file.delete(save=False)
        document.delete()


def minutes_save(*, actor, government, session: Session, summary: str, upload=None) -> Session:
    """The minutes of a held session (a PDF and their summary in plain words). Refused for a
    closed session: its minutes are final."""
    if session.status == Session.Status.CLOSED:
        _refuse(
            actor=actor,
            government=government,
            obj=session,
            action="session.minutes_refused",
            message=_("The session is closed: its minutes cannot be uploaded or changed."),
            field="file",
        )
    if session.status != Session.Status.HELD:
        _refuse(
            actor=actor,
            government=government,
            obj=session,
            action="session.minutes_refused",
            message=_("Minutes are for a session that was held."),
            field="file",
        )
    if upload is not None:
        _check_pdf_audited(actor, government, session, upload, field="file", action="session.minutes_refused")
    if upload is None and not session.minutes and not (summary or "").strip():
        raise ValidationError({"file": _("Upload the minutes or write their summary.")})
    with transaction.atomic():
        before = {"minutes": session.minutes.name or "", "summary": session.minutes_summary}
        old = session.minutes.name if upload is not None and session.minutes else None
        session.minutes_summary = (summary or "").strip()
        if upload is not None:
            upload.name = f"acta-{session.slug[:60]}-{secrets.token_hex(6)}.pdf"
            session.minutes = upload
        session.save(update_fields=["minutes", "minutes_summary", "updated_at"])
        if old:
            session.minutes.storage.delete(old)
        record(
            actor=actor,
            government=government,
            action="session.minutes_saved",
            obj=session,
            changes=diff_fields(before, {"minutes": session.minutes.name or "", "summary": session.minutes_summary}),
        )
    return session
