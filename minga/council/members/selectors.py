"""Reads of the council's composition: the current seats and committees on a date, a member's
seats, committees and sponsored acts, a committee's members past and present."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch

from .models import Committee, CommitteeMembership, Council, Membership, Person

ROLE_ORDER = {"president": 0, "vice": 1, "member": 2, "alternate": 3}


def council_of(government) -> Council | None:
    return Council.objects.for_government(government).first()


def current_seats(government, on: dt.date) -> list[Membership]:
    seats = (
        Membership.objects.for_government(government)
        .current(on)
        .select_related("person", "alternate_of")
        .order_by("person__name")
    )
    return sorted(seats, key=lambda seat: ROLE_ORDER.get(seat.role, 9))


def past_seats(government, on: dt.date) -> list[Membership]:
    return list(
        Membership.objects.for_government(government)
        .filter(ends_on__lt=on)
        .select_related("person")
        .order_by("-ends_on", "person__name")
    )


def committees(government, *, active_only: bool = False):
    found = Committee.objects.for_government(government).order_by("-is_active", "name")
    return found.filter(is_active=True) if active_only else found


def committees_with_members(government, on: dt.date) -> list[Committee]:
    members = (
        CommitteeMembership.objects.for_government(government)
        .current(on)
        .select_related("person")
        .order_by("role", "person__name")
    )
    return list(committees(government).prefetch_related(Prefetch("memberships", queryset=members, to_attr="current")))


def person(government, slug: str) -> Person | None:
    return Person.objects.for_government(government).filter(slug=slug).first()


def people(government):
    return Person.objects.for_government(government).order_by("name")


def seats_of(person: Person) -> list[Membership]:
    return list(
        Membership.objects.for_government(person.government_id)
        .filter(person=person)
        .select_related("alternate_of")
        .order_by("-starts_on")
    )


def alternates_of(person: Person, on: dt.date) -> list[Membership]:
    return list(
        Membership.objects.for_government(person.government_id)
        .current(on)
        .filter(alternate_of=person)
        .select_related("person")
    )


def committee_seats_of(person: Person) -> list[CommitteeMembership]:
    return list(
        CommitteeMembership.objects.for_government(person.government_id)
        .filter(person=person)
        .select_related("committee")
        .order_by("-starts_on")
    )


def committee(government, slug: str) -> Committee | None:
    return committees(government).filter(slug=slug).first()


def members_of(committee: Committee) -> list[CommitteeMembership]:
    return list(
        CommitteeMembership.objects.for_government(committee.government_id)
        .filter(committee=committee)
        .select_related("person")
        .order_by("ends_on", "role", "person__name")
    )
