"""Demonstration sessions, consistent with the demo acts: a committee session on the day each
committee report was recorded, an ordinary session on the day of each debate (and of the
rejection), with attendance, one vote per member and minutes; and two convened sessions to
come (the second debate of the act in first debate, the committee's study of the act just
assigned). Every past session is closed except the latest, still waiting for its minutes."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from ..acts.models import Act, Action
from ..members.models import Council, Membership
from . import services
from .models import Attendance

MOTIONS = {
    "committee_report": ("Informe para primer debate: {act}", "Aprobar el informe para primer debate"),
    "first_debate": ("Primer debate: {act}", "Aprobar en primer debate"),
    "second_debate": ("Segundo debate: {act}", "Aprobar en segundo debate"),
    "rejected": ("Segundo debate: {act}", "Aprobar en segundo debate"),
}
RESOLUTION_MOTION = "Aprobar la resolución"
PAST_SESSIONS = 12


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=ZoneInfo(settings.TIME_ZONE))


def seed(government, *, now: dt.datetime) -> int:
    """Create the demo sessions; answers how many."""
    council = Council.objects.for_government(government).first()
    acts = {act.pk: act for act in Act.objects.for_government(government)}
    meetings: dict[tuple, list] = defaultdict(list)
    for action in Action.objects.for_government(government).filter(stage__in=MOTIONS).order_by("date", "pk"):
        act = acts[action.act_id]
        key = (
            ("committee", action.date, act.committee_id)
            if action.stage == "committee_report"
            else ("ordinary", action.date, None)
        )
        meetings[key].append((act, action.stage))
    # About twelve past sessions: every plenary debate, and the latest committee sessions.
    plenary = [key for key in meetings if key[0] == "ordinary"]
    committee_days = sorted((key for key in meetings if key[0] == "committee"), key=lambda key: key[1], reverse=True)
    kept = plenary + committee_days[: max(2, PAST_SESSIONS - len(plenary))]
    sessions = []
    numbers = defaultdict(int)
    for index, key in enumerate(sorted(kept, key=lambda key: key[1])):
        (kind, day, committee_id), agenda = key, meetings[key]
        numbers[committee_id or 0] += 1
        committee = next((act.committee for act, _stage in agenda if act.committee_id == committee_id), None)
        if kind == "committee":
            title = f"Sesión n.º {numbers[committee_id]} de la {committee.name}"
        elif any(act.kind == "resolution" for act, _stage in agenda):
            # The resolution of the mobility plan was dealt with in an extraordinary session.
            kind, title = "extraordinary", f"Sesión extraordinaria n.º {numbers[0]}"
        else:
            title = f"Sesión ordinaria n.º {numbers[0]}"
        starts = _at(day, 9 if kind == "ordinary" else 15)
        session = _session(
            government, council, kind, committee, title, f"{numbers[committee_id or 0]:03d}-{day.year}", starts
        )
        _items(
            government,
            session,
            [(MOTIONS[stage][0].format(act=f"{act.identifier} {act.title}"), act) for act, stage in agenda],
        )
        services.session_convene(actor=None, government=government, session=session, now=starts - dt.timedelta(days=3))
        services.session_mark_held(
            actor=None, government=government, session=session, now=starts + dt.timedelta(hours=1)
        )
        _hold(government, session, agenda, index)
        sessions.append(session)
    # The latest past session waits for its minutes; the others are closed.
    for session in sessions[:-1]:
        services.session_close(actor=None, government=government, session=session)
    _upcoming(government, council, acts.values(), now)
    return len(sessions) + 2


def _session(government, council, kind, committee, title, number, starts):
    return services.session_save(
        actor=None,
        government=government,
        session=None,
        fields={
            "kind": kind,
            "committee": committee,
            "number": number,
            "title": title,
            "starts_at": starts,
            "place": council.seat,
            "stream_url": "https://www.youtube.com/@concejo-demo/streams" if kind != "committee" else "",
            "notes": "",
        },
    )


def _items(government, session, items):
    for title, act in items:
        services.item_save(
            actor=None, government=government, session=session, item=None, fields={"title": title[:400], "act": act}
        )


def _hold(government, session, agenda, index):
    alternates = services.alternates_on(session)
    principals = [person for person in services.members_on(session) if person.pk not in alternates]
    entries = {}
    for number, person in enumerate(principals):
        status = Attendance.Status.PRESENT
        if (number + index) % 11 == 5:
            status = Attendance.Status.ABSENT
        elif (number + index) % 13 == 7:
            status = Attendance.Status.EXCUSED
        entries[person] = (status, "")
    # Every third plenary session the alternate stands in for their principal.
    if alternates and index % 3 == 1:
        for seat in Membership.objects.for_government(government).filter(
            person_id__in=alternates, alternate_of__isnull=False
        ):
            if seat.alternate_of in entries:
                entries[seat.alternate_of] = (Attendance.Status.REPLACED, "")
                entries[seat.person] = (Attendance.Status.PRESENT, "")
    people = list(entries)
    services.attendance_record(actor=None, government=government, session=session, entries=entries)
    items = list(session.items.order_by("position"))
    approved = 0
    for item, (act, stage) in zip(items, agenda, strict=True):
        fails = stage == "rejected"
        votes = []
        for number, person in enumerate(people):
            if entries[person][0] == Attendance.Status.REPLACED:
                continue  # their alternate votes
            if entries[person][0] != Attendance.Status.PRESENT:
                votes.append((person, "absent"))
            elif fails:
                votes.append((person, "no" if number % 3 else "yes"))
            else:
                votes.append((person, {0: "no", 4: "abstain"}.get((number * 3 + index) % 9, "yes")))
        motion = RESOLUTION_MOTION if act.kind != "ordinance" and stage == "first_debate" else MOTIONS[stage][1]
        event = services.vote_event_record(actor=None, government=government, item=item, motion=motion, votes=votes)
        outcome = "approved" if event.result == "passed" else "rejected"
        approved += outcome == "approved"
        services.outcome_record(actor=None, government=government, item=item, outcome=outcome)
    present = sum(1 for status, _note in entries.values() if status == "present")
    summary = (
        f"Se constató el quórum con {present} miembros presentes y se aprobó el orden del día. "
        f"Puntos tratados: {len(agenda)}; aprobados: {approved}."
    )
    services.minutes_save(actor=None, government=government, session=session, summary=summary)


def _upcoming(government, council, acts, now):
    first_debate = next((act for act in acts if act.stage == "first_debate"), None)
    assigned = next((act for act in acts if act.stage == "committee_assigned" and act.committee_id), None)
    day = timezone.localtime(now).date()
    plans = []
    if first_debate is not None:
        plans.append(
            (
                "ordinary",
                None,
                "Próxima sesión ordinaria",
                _at(day + dt.timedelta(days=5), 9),
                first_debate,
                "Segundo debate",
            )
        )
    if assigned is not None:
        plans.append(
            (
                "committee",
                assigned.committee,
                f"Próxima sesión de la {assigned.committee.name}",
                _at(day + dt.timedelta(days=4), 15),
                assigned,
                "Análisis del proyecto para el informe",
            )
        )
    for kind, committee, title, starts, act, label in plans:
        session = _session(government, council, kind, committee, title, "", starts)
        _items(government, session, [(f"{label}: {act.identifier} {act.title}", act)])
        services.session_convene(actor=None, government=government, session=session, now=now)
