"""The notices of the council: an act moved to a new stage, or an act was put on the agenda of
a convened session. Who is told: the followers of the act, of the committee it is assigned to,
of its sponsors and of its subjects, once each, even when they follow several of these. The
notice is about the act (its page, its visibility: a non-public act tells nobody), and is
written after the caller's transaction commits (core.notifications.notify)."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from minga.core.notifications import services as notifications
from minga.core.notifications.models import Delivery, Follow

from ..acts.models import Act, Sponsorship
from .registry import ACT, COMMITTEE, PERSON, SUBJECT

STAGE_EVENT = "council.stage"
AGENDA_EVENT = "council.agenda"


def followers(government, act: Act) -> list[int]:
    """Ids of the people who follow the act, its committee, a sponsor or a subject, once each;
    not those who switched off the notices of every one of these kinds they follow."""
    sponsors = Sponsorship.objects.for_government(government).filter(act=act).values_list("person_id", flat=True)
    subjects = act.subjects.values_list("pk", flat=True)
    wanted = Q(kind=ACT, object_id=act.pk)
    wanted |= Q(kind=PERSON, object_id__in=list(sponsors)) | Q(kind=SUBJECT, object_id__in=list(subjects))
    if act.committee_id:
        wanted |= Q(kind=COMMITTEE, object_id=act.committee_id)
    kinds_of: dict[int, set[str]] = {}
    for user_id, kind in Follow.objects.for_government(government).filter(wanted).values_list("user_id", "kind"):
        kinds_of.setdefault(user_id, set()).add(kind)
    wanted_by = {
        kind: notifications.deliveries([user for user, kinds in kinds_of.items() if kind in kinds], kind)
        for kind in {kind for kinds in kinds_of.values() for kind in kinds}
    }
    return sorted(
        user for user, kinds in kinds_of.items() if any(wanted_by[kind][user] != Delivery.OFF for kind in kinds)
    )


def _moved(kind: str, number: str, stage: str) -> str:
    values = {"number": number, "stage": stage}
    if kind == Act.Kind.RESOLUTION:
        return _("Resolution %(number)s moved to “%(stage)s”") % values
    if kind == Act.Kind.AGREEMENT:
        return _("Agreement %(number)s moved to “%(stage)s”") % values
    return _("Ordinance project %(number)s moved to “%(stage)s”") % values


def _on_agenda(kind: str, number: str, session: str) -> str:
    values = {"number": number, "session": session}
    if kind == Act.Kind.RESOLUTION:
        return _("Resolution %(number)s is on the agenda of “%(session)s”") % values
    if kind == Act.Kind.AGREEMENT:
        return _("Agreement %(number)s is on the agenda of “%(session)s”") % values
    return _("Ordinance project %(number)s is on the agenda of “%(session)s”") % values


def act_stage_changed(*, government, act: Act, stage_label, date, actor=None) -> None:
    """Call inside the transaction that recorded the step (acts.services.action_record)."""
    if not act.is_public:
        return
    people = followers(government, act)
    if not people:
        return
    kind, number, title = act.kind, act.identifier, act.title

    notifications.notify(
        government=government,
        target=act,
        event=STAGE_EVENT,
        title=lambda: _moved(kind, number, str(stage_label)),
        summary=lambda: (
            _("%(title)s. Recorded on %(date)s.") % {"title": title, "date": date_format(date, "DATE_FORMAT")}
        ),
        actor=actor,
        recipients=people,
    )


def act_on_agenda(*, government, item, actor=None) -> bool:
    """An act was put on the agenda of a session the public sees (sessions.models.AgendaItem of
    a convened session): its followers are told when and where. Returns whether a notice was
    sent (False for an item without an act, a non-public act, a draft session, no followers)."""
    session = item.session
    act = Act.objects.for_government(government).filter(pk=item.act_id, is_public=True).first()
    if act is None or session.status == session.Status.DRAFT or session.government_id != government.pk:
        return False
    people = followers(government, act)
    if not people:
        return False
    kind, number, session_title = act.kind, act.identifier, session.title
    starts_at, place, position = session.starts_at, session.place, item.position

    def summary() -> str:
        when = date_format(timezone.localtime(starts_at), "DATETIME_FORMAT")
        text = _("Item %(position)s of the session of %(when)s.") % {"position": position, "when": when}
        return f"{text} {place}".strip() if place else text

    notifications.notify(
        government=government,
        target=act,
        event=AGENDA_EVENT,
        title=lambda: _on_agenda(kind, number, session_title),
        summary=summary,
        actor=actor,
        recipients=people,
    )
    return True
