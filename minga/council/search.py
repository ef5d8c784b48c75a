"""What the Open Council makes findable in the portal's search: public acts (number, title,
summary, subjects, sponsors, stage), the council's members and its sessions once convened
(drafts never). The council's services bring one record up to date after a write (`index`,
`forget`); `minga search_reindex` rebuilds everything from these registrations."""

from __future__ import annotations

from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from minga.core.search import services as search
from minga.core.search.registry import SearchEntry, SearchRegistration
from minga.core.tenancy.paths import government_path

from .acts.models import Act, Sponsorship
from .members.models import Membership, Person
from .sessions.models import Session

ACT_KIND = "council.act"
PERSON_KIND = "council.person"
SESSION_KIND = "council.session"


def _acts(government):
    return Act.objects.for_government(government).published()


def _act_entry(act: Act) -> SearchEntry:
    subjects = [subject.name for subject in act.subjects.all()]
    sponsors = list(
        Sponsorship.objects.for_government(act.government_id).filter(act=act).values_list("person__name", flat=True)
    )
    stage = str(act.get_stage_display()) if act.stage else ""
    return SearchEntry(
        title=f"{act.identifier} · {act.title}",
        url=government_path("council:act_detail", slug=act.slug),
        summary=" · ".join(part for part in (str(act.get_kind_display()), stage, ", ".join(subjects)) if part),
        body="\n".join([act.identifier, act.summary, *subjects, *sponsors]),
        updated_at=act.updated_at,
    )


def _people(government):
    return Person.objects.for_government(government)


def _person_entry(person: Person) -> SearchEntry:
    seats = Membership.objects.for_government(person.government_id).filter(person=person).order_by("-starts_on")
    seat = seats.first()
    role = (seat.label or str(seat.get_role_display())) if seat else ""
    return SearchEntry(
        title=person.name,
        url=government_path("council:member_detail", slug=person.slug),
        summary=" · ".join(part for part in (role, person.party) if part),
        body="\n".join([person.party, person.biography]),
        updated_at=person.created_at,
    )


def _sessions(government):
    return Session.objects.for_government(government).published()


def session_path(session: Session) -> str:
    """The session's public page once the session pages exist; the council's page until then."""
    try:
        return government_path("council:session_detail", slug=session.slug)
    except NoReverseMatch:
        return government_path("council:home")


def _session_entry(session: Session) -> SearchEntry:
    items = [item.title for item in session.items.all()]
    when = date_format(timezone.localtime(session.starts_at), "DATETIME_FORMAT")
    return SearchEntry(
        title=session.title,
        url=session_path(session),
        summary=" · ".join(part for part in (str(session.get_kind_display()), when, session.place) if part),
        body="\n".join([session.number, session.notes, session.minutes_summary, *items]),
        updated_at=session.updated_at,
    )


REGISTRATIONS = (
    SearchRegistration(kind=ACT_KIND, module="council", label=_("Council acts"), queryset=_acts, entry=_act_entry),
    SearchRegistration(
        kind=PERSON_KIND, module="council", label=_("Council members"), queryset=_people, entry=_person_entry
    ),
    SearchRegistration(
        kind=SESSION_KIND,
        module="council",
        label=_("Council sessions"),
        queryset=_sessions,
        entry=_session_entry,
    ),
)


def index(kind: str, obj) -> None:
    """Index one act, member or session while the public sees it, else forget it (call inside
    the write's transaction)."""
    search.index_object(kind=kind, obj=obj)


def forget(kind: str, obj) -> None:
    search.remove_object(kind=kind, object_id=obj.pk, government=obj.government)
