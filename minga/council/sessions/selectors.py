"""Reads of sessions: the public list (upcoming first, then past), a session with its agenda,
documents, attendance and vote events, a member's voting record and attendance, and the
sessions and votes of an act. Each page is a handful of queries whatever the number of votes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear

from .models import VOTE_OPTIONS, AgendaItem, Attendance, Session, SessionDocument, Vote, VoteEvent


def _counted(events):
    """Vote events with their counts per option (``n_yes``, ``n_no``…) in the same query."""
    return events.annotate(**{f"n_{option}": Count("votes", filter=Q(votes__option=option)) for option in VOTE_OPTIONS})


def public_sessions(government):
    return Session.objects.for_government(government).published().select_related("committee")


def session_list(government, *, now: dt.datetime, kind: str = "", committee: str = "", year: int | None = None):
    """(upcoming, past): the sessions still to come, soonest first, then those held, latest first."""
    sessions = public_sessions(government)
    if kind in Session.Kind.values:
        sessions = sessions.filter(kind=kind)
    if committee:
        sessions = sessions.filter(committee__slug=committee)
    if year:
        sessions = sessions.filter(starts_at__year=year)
    upcoming = sessions.filter(starts_at__gte=now).exclude(status=Session.Status.CANCELLED).order_by("starts_at")
    past = sessions.exclude(pk__in=upcoming.values("pk")).order_by("-starts_at")
    return list(upcoming[:100]), list(past[:300])


def years(government) -> list[int]:
    found = (
        public_sessions(government)
        .annotate(y=ExtractYear("starts_at"))
        .values_list("y", flat=True)
        .order_by()
        .distinct()
    )
    return sorted(set(found), reverse=True)


def public_session(government, slug: str) -> Session | None:
    return public_sessions(government).select_related("council").filter(slug=slug).first()


def office_session(government, pk: int) -> Session | None:
    return Session.objects.for_government(government).select_related("council", "committee").filter(pk=pk).first()


def office_sessions(government):
    return Session.objects.for_government(government).select_related("committee").order_by("-starts_at")


def items_of(session: Session) -> list[AgendaItem]:
    """The agenda with each item's act, documents and vote events (with counts and votes)."""
    government = session.government_id
    votes = Vote.objects.for_government(government).select_related("person").order_by("person__name")
    events = _counted(VoteEvent.objects.for_government(government)).order_by("position")
    return list(
        AgendaItem.objects.for_government(government)
        .filter(session=session)
        .select_related("act")
        .prefetch_related(
            Prefetch("documents", queryset=SessionDocument.objects.for_government(government).order_by("pk")),
            Prefetch("votes", queryset=events.prefetch_related(Prefetch("votes", queryset=votes, to_attr="ballots"))),
        )
        .order_by("position")
    )


def session_documents(session: Session) -> list[SessionDocument]:
    """The documents of the session as a whole (not of one item)."""
    return list(SessionDocument.objects.for_government(session.government_id).filter(session=session, item=None))


def attendance_of(session: Session) -> list[Attendance]:
    return list(
        Attendance.objects.for_government(session.government_id)
        .filter(session=session)
        .select_related("person")
        .order_by("person__name")
    )


# A member's record -----------------------------------------------------------------------------


@dataclass
class VotingRecord:
    votes: QuerySet  # of Vote, paginated by the page
    counts: dict[str, int]
    total: int
    years: list[int]


def voting_record(person, *, year: int | None = None) -> VotingRecord:
    """Every vote of a member in published sessions: the votes with their event, item, session
    and act (a queryset the page paginates), the counts per option and the years with votes
    (one query each)."""
    base = (
        Vote.objects.for_government(person.government_id)
        .filter(person=person)
        .exclude(event__item__session__status=Session.Status.DRAFT)
    )
    years_found = (
        base.annotate(y=ExtractYear("event__item__session__starts_at"))
        .values_list("y", flat=True)
        .order_by()
        .distinct()
    )
    if year:
        base = base.filter(event__item__session__starts_at__year=year)
    counts = dict.fromkeys(VOTE_OPTIONS, 0)
    for row in base.values("option").annotate(n=Count("pk")).order_by():
        counts[row["option"]] = row["n"]
    votes = (
        base.select_related("event__item__session", "event__act")
        .only(
            "option",
            "event__motion",
            "event__result",
            "event__act__slug",
            "event__act__identifier",
            "event__act__is_public",
            "event__item__position",
            "event__item__title",
            "event__item__session__slug",
            "event__item__session__title",
            "event__item__session__starts_at",
        )
        .order_by("-event__item__session__starts_at", "event__item__position", "event__position")
    )
    return VotingRecord(
        votes=votes, counts=counts, total=sum(counts.values()), years=sorted(set(years_found), reverse=True)
    )


def attendance_summary(person) -> dict[str, int]:
    """How many published sessions the member attended, missed, was excused from or was replaced in."""
    counts = dict.fromkeys(Attendance.Status.values, 0)
    rows = (
        Attendance.objects.for_government(person.government_id)
        .filter(person=person)
        .exclude(session__status=Session.Status.DRAFT)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[row["status"]] = row["n"]
    return counts


# An act's sessions ---------------------------------------------------------------------------


def agenda_of_act(act) -> list[AgendaItem]:
    """The agenda items (in published sessions) that dealt with an act, oldest first."""
    return list(
        AgendaItem.objects.for_government(act.government_id)
        .filter(act=act)
        .exclude(session__status=Session.Status.DRAFT)
        .select_related("session")
        .order_by("session__starts_at", "position")
    )


def votes_of_act(act) -> list[VoteEvent]:
    return list(
        _counted(VoteEvent.objects.for_government(act.government_id))
        .filter(act=act)
        .exclude(item__session__status=Session.Status.DRAFT)
        .select_related("item__session")
        .order_by("item__session__starts_at", "item__position", "position")
    )


def feed_sessions(government, limit: int = 50) -> list[Session]:
    return list(public_sessions(government).order_by("-starts_at")[:limit])
