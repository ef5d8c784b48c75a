"""Back office of oversight committees (participacion/gestion/veedurias/…): viewers see the
list; editors register, edit and delete committees, their members and their reports."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from minga.core.access import requires
from minga.core.crud import confirm_delete_context, submit
from minga.core.registry import search_links

from ...processes.forms import ConfirmForm
from .. import selectors, services
from ..forms import CommitteeForm, MemberForm, ReportForm
from ..models import OBJECT_KINDS, Committee, Member, Report

VIEW = "participation.view_backoffice"
EDIT = "participation.edit"


def _posted(request):
    return request.POST if request.method == "POST" else None


def _committee(request, pk) -> Committee:
    return get_object_or_404(Committee.objects.filter(government=request.government), pk=pk)


@requires(VIEW)
def committee_list(request):
    query = request.GET.get("q", "").strip()[:100]
    context = {
        "committees": selectors.office_committees(request.government, query=query),
        "q": query,
        "can_edit": request.user.has_perm(EDIT, request.government),
    }
    return render(request, "participation/committees/office/committee_list.html", context)


def _suggestions(government) -> list:
    found = []
    for kind, label in OBJECT_KINDS:
        found.extend((record, label) for record in search_links(government, kind, "", 50))
    return found


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def committee_edit(request, pk=None):
    government = request.government
    committee = _committee(request, pk) if pk else None
    initial = {name: getattr(committee, name) for name in services.COMMITTEE_FIELDS} if committee else None
    form = CommitteeForm(_posted(request), initial=initial)
    done = submit(
        form,
        lambda: services.committee_save(
            actor=request.user, government=government, committee=committee, fields=form.cleaned_data
        ),
    )
    if done:
        messages.success(request, _("The committee “%(name)s” was saved.") % {"name": done.value.name})
        return redirect("participation:office_committee_members", pk=done.value.pk)
    context = {"form": form, "committee": committee, "suggestions": _suggestions(government)}
    return render(request, "participation/committees/office/committee_form.html", context)


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def committee_delete(request, pk):
    committee = _committee(request, pk)
    form = ConfirmForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        services.committee_delete(actor=request.user, government=request.government, committee=committee)
        messages.success(request, _("The committee “%(name)s” was deleted.") % {"name": committee.name})
        return redirect("participation:office_committees")
    context = confirm_delete_context(
        obj=committee,
        form=form,
        cancel_url=reverse("participation:office_committees"),
        consequence=_("The committee leaves the registry with its members and reports; the audit log keeps a record."),
    )
    return render(request, "core/confirm_delete.html", context)


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def members(request, pk, member_pk=None):
    committee = _committee(request, pk)
    member = (
        get_object_or_404(Member.objects.filter(government=request.government, committee=committee), pk=member_pk)
        if member_pk
        else None
    )
    initial = {name: getattr(member, name) for name in services.MEMBER_FIELDS} if member else None
    form = MemberForm(_posted(request), initial=initial)
    report_form = ReportForm()
    done = submit(
        form,
        lambda: services.member_save(
            actor=request.user,
            government=request.government,
            committee=committee,
            member=member,
            fields=form.cleaned_data,
        ),
    )
    if done:
        messages.success(request, _("The member was saved."))
        return redirect("participation:office_committee_members", pk=committee.pk)
    return render(
        request,
        "participation/committees/office/committee_members.html",
        _context(committee, member, form, report_form),
    )


def _context(committee, member, form, report_form) -> dict:
    return {
        "committee": committee,
        "member": member,
        "form": form,
        "report_form": report_form,
        "members": selectors.members_of(committee),
        "reports": selectors.reports_of(committee),
    }


@requires(EDIT)
@require_POST
def member_delete(request, pk, member_pk):
    committee = _committee(request, pk)
    member = get_object_or_404(Member.objects.filter(government=request.government, committee=committee), pk=member_pk)
    services.member_delete(actor=request.user, government=request.government, member=member)
    messages.success(request, _("The member was removed."))
    return redirect("participation:office_committee_members", pk=committee.pk)


@requires(EDIT)
@require_POST
def report_add(request, pk):
    committee = _committee(request, pk)
    report_form = ReportForm(request.POST, request.FILES)
    done = submit(
        report_form,
        lambda: services.report_add(
            actor=request.user,
            government=request.government,
            committee=committee,
            title=report_form.cleaned_data["title"],
            presented_on=report_form.cleaned_data["presented_on"],
            upload=report_form.cleaned_data["file"],
        ),
    )
    if done:
        messages.success(request, _("The report was added."))
        return redirect("participation:office_committee_members", pk=committee.pk)
    context = _context(committee, None, MemberForm(), report_form)
    return render(request, "participation/committees/office/committee_members.html", context, status=400)


@requires(EDIT)
@require_POST
def report_delete(request, pk, report_pk):
    committee = _committee(request, pk)
    report = get_object_or_404(Report.objects.filter(government=request.government, committee=committee), pk=report_pk)
    services.report_delete(actor=request.user, government=request.government, report=report)
    messages.success(request, _("The report was deleted."))
    return redirect("participation:office_committee_members", pk=committee.pk)
