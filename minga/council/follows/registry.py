"""The council's followables (core/notifications): acts (public ones only), committees,
members and subjects (those with at least one public act). apps.py adds them to the module's
manifest."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from minga.core.registry import Followable
from minga.core.tenancy.paths import government_path

ACT = "council.act"
COMMITTEE = "council.committee"
PERSON = "council.person"
SUBJECT = "council.subject"


def subject_path(subject) -> str:
    return government_path("council:act_list") + f"?tema={subject.slug}"


FOLLOWABLES = (
    Followable(
        kind=ACT,
        model="council.Act",
        label=_("Council acts"),
        description=_("When an act you follow moves to a new stage or is put on a session's agenda."),
        title=lambda act: f"{act.identifier} · {act.title}",
        path=lambda act: government_path("council:act_detail", slug=act.slug),
        public=lambda acts: acts.filter(is_public=True),
    ),
    Followable(
        kind=COMMITTEE,
        model="council.Committee",
        label=_("Council committees"),
        description=_("When an act assigned to a committee you follow moves to a new stage or is on an agenda."),
        title=lambda committee: committee.name,
        path=lambda committee: government_path("council:committee_detail", slug=committee.slug),
    ),
    Followable(
        kind=PERSON,
        model="council.Person",
        label=_("Council members"),
        description=_("When an act sponsored by a member you follow moves to a new stage or is on an agenda."),
        title=lambda person: person.name,
        path=lambda person: government_path("council:member_detail", slug=person.slug),
    ),
    Followable(
        kind=SUBJECT,
        model="council.Subject",
        label=_("Council subjects"),
        description=_("When an act on a subject you follow moves to a new stage or is on an agenda."),
        title=lambda subject: subject.name,
        path=subject_path,
        public=lambda subjects: subjects.filter(acts__is_public=True).distinct(),
    ),
)
