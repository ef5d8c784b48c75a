"""Back office of the council's composition (concejo/gestion/…): viewers see the overview;
editors keep the council's data, its members and their terms, its committees and their
members."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from minga.core.access import requires
from minga.core.crud import submit

from ...apps import EDIT, VIEW_BACKOFFICE
from .. import selectors, services
from ..forms import CommitteeForm, CommitteeMemberForm, CouncilForm, PersonForm, SeatForm
from ..models import Committee, CommitteeMembership, Membership, Person


def _posted(request):
    return request.POST if request.method == "POST" else None


def _person(request, pk) -> Person:
    return get_object_or_404(Person.objects.filter(government=request.government), pk=pk)


def _committee(request, pk) -> Committee:
    return get_object_or_404(Committee.objects.filter(government=request.government), pk=pk)


def _council_or_redirect(request):
    council = selectors.council_of(request.government)
    if council is None:
        messages.info(request, _("Register the council first."))
    return council


@requires(VIEW_BACKOFFICE)
def home(request):
    government = request.government
    context = {
        "council": selectors.council_of(government),
        "people": selectors.people(government).prefetch_related("memberships"),
        "committees": selectors.committees(government),
        "can_edit": request.user.has_perm(EDIT, government),
    }
    return render(request, "council/office/home.html", context)


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def council_edit(request):
    council = selectors.council_of(request.government)
    initial = {name: getattr(council, name) for name in services.COUNCIL_FIELDS} if council else None
    form = CouncilForm(_posted(request), initial=initial)

    def save():
        return services.council_save(actor=request.user, government=request.government, fields=form.cleaned_data)

    if submit(form, save):
        messages.success(request, _("The council's data was saved."))
        return redirect("council:office_home")
    return render(request, "council/office/form.html", {"form": form, "heading": _("The council")})


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def person_edit(request, pk=None):
    person = _person(request, pk) if pk else None
    initial = {name: getattr(person, name) for name in services.PERSON_FIELDS} if person else None
    form = PersonForm(_posted(request), request.FILES or None, initial=initial)
    if person is None or not person.photo:
        del form.fields["remove_photo"]

    def save():
        data = form.cleaned_data
        return services.person_save(
            actor=request.user,
            government=request.government,
            person=person,
            fields={name: data[name] for name in services.PERSON_FIELDS},
            photo=data.get("photo"),
            remove_photo=data.get("remove_photo", False),
        )

    if done := submit(form, save):
        messages.success(request, _("“%(name)s” was saved.") % {"name": done.value.name})
        return redirect("council:office_seats", pk=done.value.pk)
    heading = person.name if person else _("New member")
    return render(request, "council/office/form.html", {"form": form, "heading": heading, "multipart": True})


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def seats(request, pk, seat_pk=None):
    government = request.government
    person = _person(request, pk)
    council = _council_or_redirect(request)
    if council is None:
        return redirect("council:office_council_edit")
    seat = (
        get_object_or_404(Membership.objects.filter(government=government, person=person), pk=seat_pk)
        if seat_pk
        else None
    )
    initial = {name: getattr(seat, name) for name in SeatForm.base_fields} if seat else None
    form = SeatForm(_posted(request), initial=initial, people=selectors.people(government).exclude(pk=person.pk))

    def save():
        return services.membership_save(
            actor=request.user,
            government=government,
            council=council,
            membership=seat,
            fields={"person": person, **form.cleaned_data},
        )

    if submit(form, save):
        messages.success(request, _("The term was saved."))
        return redirect("council:office_seats", pk=person.pk)
    context = {"person": person, "seat": seat, "form": form, "seats": selectors.seats_of(person)}
    return render(request, "council/office/seats.html", context)


@requires(EDIT)
@require_POST
def seat_delete(request, pk, seat_pk):
    person = _person(request, pk)
    seat = get_object_or_404(Membership.objects.filter(government=request.government, person=person), pk=seat_pk)
    services.membership_delete(actor=request.user, government=request.government, membership=seat)
    messages.success(request, _("The term was removed."))
    return redirect("council:office_seats", pk=person.pk)


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def committee_edit(request, pk=None):
    committee = _committee(request, pk) if pk else None
    council = _council_or_redirect(request)
    if council is None:
        return redirect("council:office_council_edit")
    initial = {name: getattr(committee, name) for name in services.COMMITTEE_FIELDS} if committee else None
    form = CommitteeForm(_posted(request), initial=initial)

    def save():
        return services.committee_save(
            actor=request.user,
            government=request.government,
            council=council,
            committee=committee,
            fields=form.cleaned_data,
        )

    if done := submit(form, save):
        messages.success(request, _("The committee “%(name)s” was saved.") % {"name": done.value.name})
        return redirect("council:office_committee_members", pk=done.value.pk)
    heading = committee.name if committee else _("New committee")
    return render(request, "council/office/form.html", {"form": form, "heading": heading})


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def committee_members(request, pk, member_pk=None):
    government = request.government
    committee = _committee(request, pk)
    member = (
        get_object_or_404(CommitteeMembership.objects.filter(government=government, committee=committee), pk=member_pk)
        if member_pk
        else None
    )
    initial = {name: getattr(member, name) for name in services.COMMITTEE_MEMBERSHIP_FIELDS} if member else None
    form = CommitteeMemberForm(_posted(request), initial=initial, people=selectors.people(government))

    def save():
        return services.committee_membership_save(
            actor=request.user,
            government=government,
            committee=committee,
            membership=member,
            fields=form.cleaned_data,
        )

    if submit(form, save):
        messages.success(request, _("The committee member was saved."))
        return redirect("council:office_committee_members", pk=committee.pk)
    context = {"committee": committee, "member": member, "form": form, "members": selectors.members_of(committee)}
    return render(request, "council/office/committee_members.html", context)


@requires(EDIT)
@require_POST
def committee_member_delete(request, pk, member_pk):
    committee = _committee(request, pk)
    member = get_object_or_404(
        CommitteeMembership.objects.filter(government=request.government, committee=committee), pk=member_pk
    )
    services.committee_membership_delete(actor=request.user, government=request.government, membership=member)
    messages.success(request, _("The committee member was removed."))
    return redirect("council:office_committee_members", pk=committee.pk)
