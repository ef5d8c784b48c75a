"""Reads of acts: the public list with its allowlisted filters, an act with its procedure,
versions, text and documents, the diff between two versions, and a member's sponsored acts."""

from __future__ import annotations

from django.db.models import Count, Prefetch

from ..lifecycle.stages import STAGE_KEYS
from ..members.models import Person
from .diff import compare
from .models import Act, Action, Document, Sponsorship, Subject, Unit, Version


def public_acts(government):
    return Act.objects.for_government(government).published()


def act_list(government, *, kind: str = "", stage: str = "", subject: str = "", sponsor: str = "", query: str = ""):
    acts = public_acts(government)
    if kind in Act.Kind.values:
        acts = acts.filter(kind=kind)
    if stage in STAGE_KEYS:
        acts = acts.filter(stage=stage)
    if subject:
        acts = acts.filter(subjects__slug=subject[:90])
    if sponsor:
        acts = acts.filter(sponsorships__person__slug=sponsor[:90])
    if query:
        acts = acts.filter(title__icontains=query) | acts.filter(identifier__icontains=query)
    return (
        acts.distinct()
        .prefetch_related("subjects", Prefetch("sponsorships", queryset=Sponsorship.objects.select_related("person")))
        .order_by("-stage_date", "-created_at")
    )


def public_act(government, slug: str) -> Act | None:
    return public_acts(government).filter(slug=slug).select_related("committee").first()


def subjects(government):
    return Subject.objects.for_government(government).order_by("name")


def sponsors(government):
    return Person.objects.for_government(government).filter(sponsorships__isnull=False).distinct().order_by("name")


def sponsorships_of(act: Act) -> list[Sponsorship]:
    return list(
        Sponsorship.objects.for_government(act.government_id)
        .filter(act=act)
        .select_related("person")
        .order_by("-primary", "person__name")
    )


def actions_of(act: Act) -> list[Action]:
    return list(
        Action.objects.for_government(act.government_id)
        .filter(act=act)
        .select_related("committee", "version")
        .order_by("date", "pk")
    )


def versions_of(act: Act) -> list[Version]:
    return list(
        Version.objects.for_government(act.government_id)
        .filter(act=act)
        .annotate(unit_count=Count("units"))
        .order_by("number")
    )


def units_of(version: Version) -> list[Unit]:
    return list(Unit.objects.for_government(version.government_id).filter(version=version).order_by("position"))


def documents_of(act: Act) -> list[Document]:
    return list(Document.objects.for_government(act.government_id).filter(act=act).order_by("dated", "pk"))


def version_diff(act: Act, old_number: int, new_number: int):
    versions = {v.number: v for v in Version.objects.for_government(act.government_id).filter(act=act)}
    old, new = versions.get(old_number), versions.get(new_number)
    if old is None or new is None:
        return None, None, []
    return old, new, compare(units_of(old), units_of(new))


def acts_sponsored_by(person: Person):
    return public_acts(person.government_id).filter(sponsorships__person=person).distinct().order_by("-created_at")


def office_acts(government, *, query: str = ""):
    acts = Act.objects.for_government(government)
    if query:
        acts = acts.filter(title__icontains=query) | acts.filter(identifier__icontains=query)
    return acts.annotate(version_count=Count("versions", distinct=True)).order_by("-created_at")
