"""The API's records as plain dicts in the Open Civic Data shape, built a page at a time (one
query per relation, not per row). Only public records: public acts, convened sessions and
their votes; an agenda item or vote on a hidden act names no act."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Q
from django.urls import get_script_prefix, reverse

from ..acts.models import Act, Action, Sponsorship, Version
from ..lifecycle.stages import STAGE_CHOICES
from ..members.models import Committee, CommitteeMembership, Council, Membership, Person
from ..opendata import counts_of, public_acts, public_sessions, public_vote_events
from ..search import session_path
from ..sessions.models import VOTE_OPTIONS, AgendaItem, Vote, VoteEvent

STAGES = dict(STAGE_CHOICES)


def _link(request, name: str, **kwargs) -> str:
    path = reverse(name, kwargs=kwargs)
    return request.build_absolute_uri(path) if request is not None else path


def _org(body) -> dict | None:
    return {"id": body.ocd_id, "name": body.name} if body is not None else None


# Querysets ---------------------------------------------------------------------------------


def bills(government):
    return public_acts(government).select_related("committee", "council").order_by("-created_at", "pk")


def people(government):
    return Person.objects.for_government(government).order_by("name", "pk")


def sessions(government):
    return public_sessions(government).select_related("council", "committee").order_by("-starts_at", "pk")


def vote_events(government):
    return (
        public_vote_events(government)
        .select_related("item__session", "act")
        .order_by("-item__session__starts_at", "item__position", "position", "pk")
    )


def organizations(government) -> list:
    council = Council.objects.for_government(government).first()
    if council is None:
        return []
    return [council, *Committee.objects.for_government(government).order_by("name", "pk")]


# Builders ----------------------------------------------------------------------------------


def bill_dicts(government, acts, request, *, full: bool) -> list[dict]:
    ids = [act.pk for act in acts]
    subjects = defaultdict(list)
    for act_id, name in Act.subjects.through.objects.filter(act_id__in=ids).values_list("act_id", "subject__name"):
        subjects[act_id].append(name)
    sponsors = defaultdict(list)
    for sponsorship in Sponsorship.objects.for_government(government).filter(act_id__in=ids).select_related("person"):
        sponsors[sponsorship.act_id].append(
            {
                "name": sponsorship.person.name,
                "person_id": sponsorship.person.ocd_id,
                "primary": sponsorship.primary,
                "classification": "primary" if sponsorship.primary else "cosponsor",
            }
        )
    actions, versions = defaultdict(list), defaultdict(list)
    if full:
        found = Action.objects.for_government(government).filter(act_id__in=ids).select_related("committee", "version")
        for action in found.order_by("date", "pk"):
            actions[action.act_id].append(
                {
                    "date": action.date,
                    "classification": [action.stage],
                    "description": str(STAGES.get(action.stage, action.stage)),
                    "note": action.description,
                    "organization": _org(action.committee),
                    "version": action.version.number if action.version else None,
                }
            )
        texts = (
            Version.objects.for_government(government)
            .filter(act_id__in=ids)
            .annotate(unit_count=Count("units"), article_count=Count("units", filter=Q(units__kind="article")))
        )
        for version in texts.order_by("number"):
            versions[version.act_id].append(
                {
                    "number": version.number,
                    "note": version.label,
                    "date": version.dated,
                    "units": version.unit_count,
                    "articles": version.article_count,
                }
            )
    found = []
    for act in acts:
        entry = {
            "id": act.ocd_id,
            "identifier": act.identifier,
            "title": act.title,
            "classification": [act.kind],
            "abstract": act.summary,
            "subject": sorted(subjects[act.pk]),
            "from_organization": _org(act.council),
            "committee": _org(act.committee),
            "sponsorships": sponsors[act.pk],
            "stage": act.stage,
            "stage_label": str(STAGES.get(act.stage, "")),
            "stage_date": act.stage_date,
            "updated_at": act.updated_at,
            "url": _link(request, "council:act_detail", slug=act.slug),
        }
        if full:
            entry["actions"] = actions[act.pk]
            entry["versions"] = versions[act.pk]
        found.append(entry)
    return found


def person_dicts(government, persons, request) -> list[dict]:
    ids = [person.pk for person in persons]
    memberships = defaultdict(list)
    for seat in Membership.objects.for_government(government).filter(person_id__in=ids).select_related("council"):
        memberships[seat.person_id].append(
            {
                "organization": _org(seat.council),
                "role": seat.role,
                "label": seat.label or str(seat.get_role_display()),
                "start_date": seat.starts_on,
                "end_date": seat.ends_on,
            }
        )
    committee_seats = CommitteeMembership.objects.for_government(government).filter(person_id__in=ids)
    for seat in committee_seats.select_related("committee"):
        memberships[seat.person_id].append(
            {
                "organization": _org(seat.committee),
                "role": seat.role,
                "label": str(seat.get_role_display()),
                "start_date": seat.starts_on,
                "end_date": seat.ends_on,
            }
        )
    return [
        {
            "id": person.ocd_id,
            "name": person.name,
            "party": person.party,
            "email": person.email,
            "image": request.build_absolute_uri(person.photo.url) if person.photo and request else None,
            "memberships": sorted(memberships[person.pk], key=lambda seat: (seat["start_date"], seat["label"])),
            "url": _link(request, "council:member_detail", slug=person.slug),
        }
        for person in persons
    ]


def organization_dicts(bodies, request) -> list[dict]:
    found = []
    for body in bodies:
        council = isinstance(body, Council)
        found.append(
            {
                "id": body.ocd_id,
                "name": body.name,
                "classification": "legislature" if council else "committee",
                "parent_id": None if council else body.council.ocd_id,
                "active": True if council else body.is_active,
                "url": _link(request, "council:home")
                if council
                else _link(request, "council:committee_detail", slug=body.slug),
            }
        )
    return found


def _visible_act(act) -> dict | None:
    if act is None or not act.is_public:
        return None
    return {"id": act.ocd_id, "identifier": act.identifier, "title": act.title}


def event_dicts(government, found_sessions, request) -> list[dict]:
    ids = [session.pk for session in found_sessions]
    items = defaultdict(list)
    votes_of_item = defaultdict(list)
    events = VoteEvent.objects.for_government(government).filter(item__session_id__in=ids).order_by("position")
    for event in events:
        votes_of_item[event.item_id].append(event.ocd_id)
    for item in AgendaItem.objects.for_government(government).filter(session_id__in=ids).select_related("act"):
        items[item.session_id].append(
            {
                "order": item.position,
                "description": item.title,
                "notes": item.description,
                "bill": _visible_act(item.act),
                "outcome": item.outcome,
                "outcome_note": item.outcome_note,
                "vote_events": votes_of_item[item.pk],
            }
        )
    found = []
    for session in found_sessions:
        body = session.committee or session.council
        path = get_script_prefix().rstrip("/") + session_path(session)
        found.append(
            {
                "id": session.ocd_id,
                "name": session.title,
                "number": session.number,
                "classification": session.kind,
                "status": session.status,
                "start_date": session.starts_at,
                "location": session.place,
                "organization": _org(body),
                "media": [session.stream_url] if session.stream_url else [],
                "agenda": sorted(items[session.pk], key=lambda entry: entry["order"]),
                "url": request.build_absolute_uri(path) if request is not None else path,
            }
        )
    return found


def vote_event_dicts(government, events, request) -> list[dict]:
    counts = counts_of(government, events)
    ballots = defaultdict(list)
    found_votes = Vote.objects.for_government(government).filter(event__in=events).select_related("person")
    for vote in found_votes.order_by("person__name"):
        ballots[vote.event_id].append(
            {"option": vote.option, "voter_name": vote.person.name, "voter_id": vote.person.ocd_id}
        )
    return [
        {
            "id": event.ocd_id,
            "motion_text": event.motion,
            "result": event.result,
            "event_id": event.item.session.ocd_id,
            "agenda_item": event.item.position,
            "order": event.position,
            "start_date": event.item.session.starts_at,
            "bill": _visible_act(event.act),
            "counts": [{"option": option, "value": counts[event.pk].get(option, 0)} for option in VOTE_OPTIONS],
            "votes": ballots[event.pk],
            "empty_chair": {"option": event.empty_chair_option, "name": event.empty_chair_name}
            if event.empty_chair_option
            else None,
        }
        for event in events
    ]
