"""Reads of the silla vacía: a council's rules (its row, or the defaults), the deadlines of a
session, the requests of an item and who holds the seat with a vote, the public registry with
its filters and counts, the back office's lists, and the counts per item for other pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear

from ..sessions.models import AgendaItem, Session, VoteEvent
from .models import DEFAULT_RULES, SeatConsensus, SeatRequest, SeatRules

Status = SeatRequest.Status


def rules_of(government) -> SeatRules:
    """The government's rules, or an unsaved row with the defaults ("verify")."""
    return SeatRules.objects.for_government(government).first() or SeatRules(government=government, **DEFAULT_RULES)


def rules_are_default(government) -> bool:
    return not SeatRules.objects.for_government(government).exists()


def deadline_of(session: Session, rules: SeatRules) -> dt.datetime:
    """The last moment requests are received for the session."""
    return session.starts_at - dt.timedelta(hours=rules.deadline_hours)


def answer_due(session: Session, rules: SeatRules, received_at: dt.datetime) -> dt.datetime:
    """When the secretariat must have answered a request received at ``received_at``: within
    the council's hours, and in any case before the session starts."""
    return min(received_at + dt.timedelta(hours=rules.answer_hours), session.starts_at)


def request_open(item: AgendaItem, rules: SeatRules, now: dt.datetime) -> bool:
    """Whether the item takes requests now (convened session, before the deadline)."""
    return item.session.status == Session.Status.CONVENED and now <= deadline_of(item.session, rules)


def public_item(government, session_slug: str, position: int) -> AgendaItem | None:
    """An agenda item of a published (not draft) session."""
    return (
        AgendaItem.objects.for_government(government)
        .filter(session__slug=session_slug, position=position)
        .exclude(session__status=Session.Status.DRAFT)
        .select_related("session", "act")
        .first()
    )


def live_request(item: AgendaItem, user) -> SeatRequest | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        SeatRequest.objects.for_government(item.government_id)
        .filter(item=item, user=user, status__in=SeatRequest.LIVE)
        .first()
    )


def requests_of_user(government, user):
    return (
        SeatRequest.objects.for_government(government)
        .filter(user=user)
        .select_related("item__session")
        .order_by("-created_at", "-pk")
    )


def accredited(item: AgendaItem):
    return (
        SeatRequest.objects.for_government(item.government_id)
        .filter(item=item, status=Status.ACCREDITED)
        .order_by("decided_at", "pk")
    )


def consensus_of(item: AgendaItem) -> SeatConsensus | None:
    return SeatConsensus.objects.for_government(item.government_id).filter(item=item).select_related("chosen").first()


def voter(item: AgendaItem) -> SeatRequest | None:
    """Who occupies the silla vacía with a vote on the item: the one accredited person, or the
    one chosen by consensus among several; None when nobody is accredited, or several are and
    no consensus was recorded (or it was recorded without one: they speak without a vote)."""
    people = list(accredited(item))
    if len(people) == 1:
        return people[0]
    if len(people) > 1:
        consensus = consensus_of(item)
        if consensus is not None and consensus.chosen_id in {seat.pk for seat in people}:
            return next(seat for seat in people if seat.pk == consensus.chosen_id)
    return None


def seat_state(item: AgendaItem) -> dict:
    """For the item's pages: accredited people, the consensus, who votes."""
    people = list(accredited(item))
    consensus = consensus_of(item) if len(people) > 1 else None
    holder = voter(item)
    return {
        "accredited": people,
        "consensus": consensus,
        "voter": holder,
        "without_vote": len(people) > 1 and holder is None,
    }


# The public registry -------------------------------------------------------------------------

PUBLIC_STATUSES = [Status.SUBMITTED, Status.ACCREDITED, Status.DENIED, Status.WITHDRAWN]


def registry(government, *, status: str = "", year: int | None = None, session_slug: str = ""):
    """Every request of the published sessions, newest session first, grouped by the caller
    by session and item. Filters are allowlisted."""
    rows = (
        SeatRequest.objects.for_government(government)
        .exclude(item__session__status=Session.Status.DRAFT)
        .select_related("item__session")
        .order_by("-item__session__starts_at", "item__session_id", "item__position", "created_at", "pk")
    )
    if status in Status.values:
        rows = rows.filter(status=status)
    if year:
        rows = rows.filter(item__session__starts_at__year=year)
    if session_slug:
        rows = rows.filter(item__session__slug=session_slug)
    return rows


def registry_counts(rows) -> dict[str, int]:
    found = dict(rows.order_by().values_list("status").annotate(n=Count("pk")))
    counts = {status: found.get(status, 0) for status in Status.values}
    counts["total"] = sum(counts.values())
    return counts


def registry_years(government) -> list[int]:
    return list(
        SeatRequest.objects.for_government(government)
        .exclude(item__session__status=Session.Status.DRAFT)
        .annotate(year=ExtractYear("item__session__starts_at"))
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def registry_sessions(government) -> list[Session]:
    ids = (
        SeatRequest.objects.for_government(government)
        .exclude(item__session__status=Session.Status.DRAFT)
        .values("item__session_id")
    )
    return list(Session.objects.for_government(government).filter(pk__in=ids).order_by("-starts_at"))


def voters_by_item(government, item_ids: Iterable[int]) -> dict[int, SeatRequest | None]:
    """item id -> who votes (as ``voter``), for a page listing several items."""
    item_ids = list(item_ids)
    people: dict[int, list[SeatRequest]] = {}
    for seat in (
        SeatRequest.objects.for_government(government)
        .filter(item_id__in=item_ids, status=Status.ACCREDITED)
        .order_by("decided_at", "pk")
    ):
        people.setdefault(seat.item_id, []).append(seat)
    chosen = dict(
        SeatConsensus.objects.for_government(government)
        .filter(item_id__in=item_ids)
        .values_list("item_id", "chosen_id")
    )
    found = {}
    for item_id, seats in people.items():
        if len(seats) == 1:
            found[item_id] = seats[0]
        else:
            found[item_id] = next((seat for seat in seats if seat.pk == chosen.get(item_id)), None)
    return found


def counts_by_item(item_ids: Iterable[int], government=None) -> dict[int, dict[str, int]]:
    """item id -> {"requests", "accredited", "denied", "pending"} for the items given (items
    without requests are left out). Withdrawn requests are not counted as requests."""
    item_ids = list(item_ids)
    if not item_ids:
        return {}
    rows = SeatRequest.objects.for_government(government) if government is not None else SeatRequest.objects.all()
    found = (
        rows.filter(item_id__in=item_ids)
        .exclude(status=Status.WITHDRAWN)
        .order_by()
        .values("item_id")
        .annotate(
            requests=Count("pk"),
            accredited=Count("pk", filter=Q(status=Status.ACCREDITED)),
            denied=Count("pk", filter=Q(status=Status.DENIED)),
            pending=Count("pk", filter=Q(status=Status.SUBMITTED)),
        )
    )
    return {row["item_id"]: {key: row[key] for key in ("requests", "accredited", "denied", "pending")} for row in found}


# Back office ---------------------------------------------------------------------------------


def office_requests(government, *, session_id: int | None = None, status: str = ""):
    rows = SeatRequest.objects.for_government(government).select_related("item__session", "decided_by", "user")
    if session_id:
        rows = rows.filter(item__session_id=session_id)
    if status in Status.values:
        rows = rows.filter(status=status)
    return rows.order_by("-item__session__starts_at", "item__position", "created_at", "pk")


def office_request(government, pk: int) -> SeatRequest | None:
    return office_requests(government).filter(pk=pk).first()


def office_sessions(government) -> list[Session]:
    ids = SeatRequest.objects.for_government(government).values("item__session_id")
    return list(Session.objects.for_government(government).filter(pk__in=ids).order_by("-starts_at"))


def overdue_count(government, now: dt.datetime) -> int:
    return SeatRequest.objects.for_government(government).filter(status=Status.SUBMITTED, answer_due_at__lt=now).count()


def vote_events_of(item: AgendaItem) -> list[VoteEvent]:
    return list(VoteEvent.objects.for_government(item.government_id).filter(item=item).order_by("position"))
