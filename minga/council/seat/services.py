"""Writes of the silla vacía: a citizen's request (refused, audited and unsaved for an item of a
session that is not convened, after the deadline, without the verification the council asks,
or a second time), its withdrawal, the secretariat's decision with reasons, the consensus step
of an item with several accredited people, and the seat's vote in a vote event. Atomic and
audited (``council.seat.*``); the requester is told of every step (core notifications: in-app
and by e-mail as they chose)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from minga.core.notifications import services as notifications
from minga.core.verification import selectors as verification

from ..acts.services import check_pdf
from ..apps import SEAT_ACTION
from ..audit import record
from ..sessions.models import VOTE_OPTIONS, AgendaItem, Session, VoteEvent
from . import selectors
from .models import SeatConsensus, SeatRequest, SeatRules

REQUEST_FIELDS = (
    "public_name",
    "organisation",
    "position",
    "position_text",
    "designated_by",
    "designated_on",
    "phone",
)
RULE_FIELDS = ("verification_level", "deadline_hours", "answer_hours", "legal_reference")


class SeatRefused(ValidationError):
    """A request, decision or vote the rules of the silla vacía do not allow."""


def _refuse(*, actor, government, obj, action: str, code: str, message: str, field: str | None = None):
    """The refusal is audited in its own transaction (nothing else is saved), then raised."""
    with transaction.atomic():
        record(
            actor=actor,
            government=government,
            action=f"seat.{action}",
            obj=obj,
            changes={"refused": [None, code], "reason": message},
        )
    raise SeatRefused({field: message} if field else message, code=code)


def when_text(value: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def _tell(seat: SeatRequest, event: str, title, summary=None) -> None:
    """Tell the requester (after the commit). ``title``/``summary`` are functions, so that the
    words come in the person's language."""
    if seat.user_id is None:
        return
    notifications.notify(
        government=seat.government,
        target=seat,
        event=f"seat.{event}",
        title=title,
        summary=summary or "",
        recipients=[seat.user_id],
    )


# Requests ----------------------------------------------------------------------------------


def request_refusal(*, user, government, item: AgendaItem, now: dt.datetime, next_path: str = ""):
    """(code, message) of why this person may not ask for the seat on this item now, or None."""
    session = item.session
    if session.status != Session.Status.CONVENED:
        return "not_convened", _(
            "Requests for the silla vacía are received only for the items of a convened session, and this "
            "session is not open to them (%(status)s)."
        ) % {"status": session.get_status_display()}
    rules = selectors.rules_of(government)
    closes = selectors.deadline_of(session, rules)
    if now > closes:
        return "deadline", _(
            "Requests for the silla vacía in this session closed on %(deadline)s (%(hours)s hours before it starts)."
        ) % {"deadline": when_text(closes), "hours": rules.deadline_hours}
    found = verification.check_action(
        user, government, SEAT_ACTION, level=rules.verification_level, next_path=next_path
    )
    if not found.allowed:
        return "verification", " ".join(part for part in (found.message, found.next_step) if part)
    if selectors.live_request(item, user) is not None:
        return "twice", _(
            "You already asked for the silla vacía on this item; see “My silla vacía requests”. You can "
            "withdraw that request and make a new one while the secretariat has not answered."
        )
    return None


def request_check(*, actor, government, item: AgendaItem, now: dt.datetime) -> None:
    """``request_refusal``, audited (``council.seat.request_refused``) and raised as SeatRefused."""
    refusal = request_refusal(user=actor, government=government, item=item, now=now)
    if refusal:
        _refuse(
            actor=actor, government=government, obj=item, action="request_refused", code=refusal[0], message=refusal[1]
        )


def _clean(fields: Mapping[str, Any]) -> dict:
    values = {name: fields.get(name) for name in REQUEST_FIELDS}
    for name in REQUEST_FIELDS:
        if isinstance(values[name], str):
            values[name] = values[name].strip()
    errors = {}
    for name in ("public_name", "organisation", "position_text", "designated_by"):
        if not values[name]:
            errors[name] = _("This field is required.")
    if values["position"] not in SeatRequest.Position.values:
        errors["position"] = _("Choose your position on the item.")
    if not values["designated_on"]:
        errors["designated_on"] = _("Give the date of the meeting that chose you.")
    if errors:
        raise ValidationError(errors)
    values["phone"] = values["phone"] or ""
    return values


def request_submit(
    *, actor, government, item: AgendaItem, fields: Mapping[str, Any], document, now: dt.datetime | None = None
) -> SeatRequest:
    """A citizen asks for the silla vacía on ``item``. Refusals by the rules are audited
    (``council.seat.request_refused``) and leave nothing saved."""
    now = now or timezone.now()
    if item.government_id != government.pk:
        raise ValidationError(_("That record belongs to another government."))
    request_check(actor=actor, government=government, item=item, now=now)
    values = _clean(fields)
    if values["designated_on"] > timezone.localdate(now):
        raise ValidationError({"designated_on": _("The meeting that chose you cannot be in the future.")})
    check_pdf(document, field="document")
    rules = selectors.rules_of(government)
    try:
        with transaction.atomic():
            # The session's row is locked: a change of its status or date waits for the request.
            session = Session.objects.select_for_update().get(pk=item.session_id)
            if session.status != Session.Status.CONVENED or now > selectors.deadline_of(session, rules):
                raise IntegrityError("the session changed")
            document.name = f"{secrets.token_hex(16)}.pdf"
            seat = SeatRequest(
                government=government,
                item=item,
                user=actor,
                document=document,
                created_at=now,
                answer_due_at=selectors.answer_due(session, rules, now),
                **values,
            )
            seat.full_clean(exclude=["document", "user"], validate_constraints=False)
            seat.save()
            record(
                actor=actor,
                government=government,
                action="seat.requested",
                obj=seat,
                changes={"item": [None, item.pk], "status": [None, seat.status]},
            )
            _tell(
                seat,
                "received",
                lambda: _("Your silla vacía request for “%(item)s” was received") % {"item": item.title},
                lambda: _("The secretariat answers by %(due)s.") % {"due": when_text(seat.answer_due_at)},
            )
    except IntegrityError:
        refusal = request_refusal(user=actor, government=government, item=item, now=now) or (
            "twice",
            _("You already asked for the silla vacía on this item."),
        )
        _refuse(
            actor=actor, government=government, obj=item, action="request_refused", code=refusal[0], message=refusal[1]
        )
    return seat


def request_withdraw(*, actor, government, seat: SeatRequest, now: dt.datetime | None = None) -> SeatRequest:
    """The requester withdraws a request the secretariat has not answered."""
    now = now or timezone.now()
    if seat.government_id != government.pk or seat.user_id != getattr(actor, "pk", None):
        raise ValidationError(_("That request is not yours."))
    with transaction.atomic():
        seat = SeatRequest.objects.for_government(government).select_for_update().get(pk=seat.pk)
        if seat.status != SeatRequest.Status.SUBMITTED:
            message = _("The secretariat already answered this request (%(status)s): it can no longer be withdrawn.")
            message %= {"status": seat.get_status_display()}
            transaction.set_rollback(True)
        else:
            seat.status, seat.withdrawn_at = SeatRequest.Status.WITHDRAWN, now
            seat.save(update_fields=["status", "withdrawn_at"])
            record(
                actor=actor,
                government=government,
                action="seat.withdrawn",
                obj=seat,
                changes={"status": [SeatRequest.Status.SUBMITTED, seat.status]},
            )
            return seat
    _refuse(actor=actor, government=government, obj=seat, action="withdraw_refused", code="decided", message=message)


def request_decide(
    *, actor, government, seat: SeatRequest, accredit: bool, reasons: str = "", now: dt.datetime | None = None
) -> SeatRequest:
    """The secretariat accredits or denies (denial needs reasons)."""
    now = now or timezone.now()
    reasons = (reasons or "").strip()
    if seat.government_id != government.pk:
        raise ValidationError(_("That record belongs to another government."))
    if not accredit and not reasons:
        raise ValidationError({"reasons": _("Give the reasons of the denial: they are published in the registry.")})
    with transaction.atomic():
        seat = (
            SeatRequest.objects.for_government(government)
            .select_for_update()
            .select_related("item__session")
            .get(pk=seat.pk)
        )
        problem = ""
        if seat.status != SeatRequest.Status.SUBMITTED:
            problem = _("This request was already answered or withdrawn (%(status)s).") % {
                "status": seat.get_status_display()
            }
        elif seat.item.session.status in (Session.Status.CLOSED, Session.Status.CANCELLED):
            problem = _("The session is %(status)s: its requests can no longer be answered.") % {
                "status": seat.item.session.get_status_display().lower()
            }
        if not problem:
            before = seat.status
            seat.status = SeatRequest.Status.ACCREDITED if accredit else SeatRequest.Status.DENIED
            seat.reasons, seat.decided_at, seat.decided_by = reasons, now, actor
            seat.save(update_fields=["status", "reasons", "decided_at", "decided_by"])
            record(
                actor=actor,
                government=government,
                action="seat.accredited" if accredit else "seat.denied",
                obj=seat,
                changes={"status": [before, seat.status], "reasons": [None, reasons]},
            )
            title = seat.item.title
            if accredit:
                _tell(
                    seat,
                    "accredited",
                    lambda: _("You are accredited to the silla vacía for “%(item)s”") % {"item": title},
                    lambda: _("The session starts on %(when)s.") % {"when": when_text(seat.item.session.starts_at)},
                )
            else:
                _tell(
                    seat,
                    "denied",
                    lambda: _("Your silla vacía request for “%(item)s” was denied") % {"item": title},
                    lambda: _("Reasons: %(reasons)s") % {"reasons": reasons},
                )
            return seat
        transaction.set_rollback(True)
    _refuse(actor=actor, government=government, obj=seat, action="decision_refused", code="state", message=problem)


# Consensus and vote ------------------------------------------------------------------------


def consensus_record(
    *, actor, government, item: AgendaItem, chosen: SeatRequest | None, note: str = "", now: dt.datetime | None = None
) -> SeatConsensus:
    """Who of several accredited people votes on the item (``chosen``), or nobody (no
    consensus: they speak without a vote)."""
    now = now or timezone.now()
    if item.government_id != government.pk:
        raise ValidationError(_("That record belongs to another government."))
    accredited = list(selectors.accredited(item))
    problem = ""
    if len(accredited) < 2:
        problem = _("The consensus step is for an item with several accredited people; this one has %(n)s.") % {
            "n": len(accredited)
        }
    elif chosen is not None and chosen.pk not in {seat.pk for seat in accredited}:
        problem = _("Choose one of the people accredited for this item.")
    elif VoteEvent.objects.for_government(government).filter(item=item).exclude(empty_chair_option="").exists():
        problem = _("The silla vacía already voted on this item: the consensus can no longer change.")
    if problem:
        _refuse(actor=actor, government=government, obj=item, action="consensus_refused", code="rule", message=problem)
    with transaction.atomic():
        found = SeatConsensus.objects.for_government(government).select_for_update().filter(item=item).first()
        before = (found.chosen_id if found else None, found.note if found else None)
        consensus = found or SeatConsensus(government=government, item=item)
        consensus.chosen, consensus.note = chosen, (note or "").strip()[:400]
        consensus.recorded_at, consensus.recorded_by = now, actor
        consensus.save()
        record(
            actor=actor,
            government=government,
            action="seat.consensus_recorded",
            obj=item,
            changes={"chosen": [before[0], chosen.pk if chosen else None], "note": [before[1], consensus.note]},
        )
        name = chosen.public_name if chosen else ""
        for seat in accredited:
            if chosen is None:
                summary = lambda: _("There was no consensus: the accredited people speak without a vote.")  # noqa: E731
            else:
                summary = lambda: _("%(name)s occupies the silla vacía with a vote.") % {"name": name}  # noqa: E731
            _tell(
                seat,
                "consensus",
                lambda: _("Consensus recorded for the silla vacía on “%(item)s”") % {"item": item.title},
                summary,
            )
    return consensus


def vote_record(*, actor, government, event: VoteEvent, option: str, now: dt.datetime | None = None) -> VoteEvent:
    """The silla vacía's vote in a vote event: refused when nobody is accredited with a vote on
    the event's item."""
    if event.government_id != government.pk:
        raise ValidationError(_("That record belongs to another government."))
    if option not in VOTE_OPTIONS:
        raise ValidationError({"option": _("Choose one of the options.")})
    voter = selectors.voter(event.item)
    if voter is None:
        message = _(
            "Nobody holds the silla vacía with a vote on this item: a single accredited person, or the one "
            "chosen by consensus, votes; without consensus the accredited people speak without a vote."
        )
        _refuse(actor=actor, government=government, obj=event, action="vote_refused", code="no_voter", message=message)
    with transaction.atomic():
        event = VoteEvent.objects.for_government(government).select_for_update().get(pk=event.pk)
        before = [event.empty_chair_option or None, event.empty_chair_name or None]
        event.empty_chair_option, event.empty_chair_name = option, voter.public_name
        event.save(update_fields=["empty_chair_option", "empty_chair_name"])
        record(
            actor=actor,
            government=government,
            action="seat.vote_recorded",
            obj=event,
            changes={"empty_chair": [before, [option, voter.public_name]], "request": [None, voter.pk]},
        )
        label = event.get_empty_chair_option_display
        motion = event.motion
        _tell(
            voter,
            "vote",
            lambda: _("Your silla vacía vote on “%(motion)s” was recorded") % {"motion": motion},
            lambda: _("Recorded vote: %(option)s.") % {"option": label()},
        )
    return event


# Rules -------------------------------------------------------------------------------------


def rules_save(*, actor, government, fields: Mapping[str, Any]) -> SeatRules:
    if set(fields) - set(RULE_FIELDS):
        raise ValueError(f"not editable: {sorted(set(fields) - set(RULE_FIELDS))}")
    with transaction.atomic():
        rules = SeatRules.objects.for_government(government).select_for_update().first() or SeatRules(
            government=government
        )
        before = {name: getattr(rules, name) for name in RULE_FIELDS} if rules.pk else {}
        for name, value in fields.items():
            setattr(rules, name, value)
        rules.full_clean(exclude=["government"])
        rules.save()
        after = {name: getattr(rules, name) for name in RULE_FIELDS}
        record(
            actor=actor,
            government=government,
            action="seat.rules_saved",
            obj=rules,
            changes={name: [before.get(name), after[name]] for name in RULE_FIELDS if before.get(name) != after[name]},
        )
    return rules
