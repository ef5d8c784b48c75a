"""Reads of oversight committees: the public registry with its filters, a committee's page,
the committees of an object (for backlinks and the process page) and the back-office list."""

from __future__ import annotations

from django.db.models import Count, Q

from .models import Committee, Member, Report


def public_committees(government):
    return Committee.objects.for_government(government).published().order_by("-starts_on", "name")


def public_committee(government, slug: str) -> Committee | None:
    return public_committees(government).filter(slug=slug).first()


def registry(government, *, status: str = "", kind: str = "", query: str = ""):
    committees = public_committees(government).annotate(
        member_count=Count("members", distinct=True), report_count=Count("reports", distinct=True)
    )
    if status in Committee.Status.values:
        committees = committees.filter(status=status)
    if kind:
        committees = committees.filter(object_kind=kind)
    if query:
        committees = committees.filter(Q(name__icontains=query) | Q(object_title__icontains=query))
    return committees


def overseeing(government, kind: str, key: str):
    return public_committees(government).filter(object_kind=kind, object_key=key)


def members_of(committee: Committee) -> list[Member]:
    return list(
        Member.objects.for_government(committee.government_id).filter(committee=committee).order_by("position", "pk")
    )


def reports_of(committee: Committee) -> list[Report]:
    return list(Report.objects.for_government(committee.government_id).filter(committee=committee))


def office_committees(government, *, query: str = ""):
    committees = Committee.objects.for_government(government).annotate(
        member_count=Count("members", distinct=True), report_count=Count("reports", distinct=True)
    )
    if query:
        committees = committees.filter(Q(name__icontains=query) | Q(object_title__icontains=query))
    return committees.order_by("-starts_on", "name")
