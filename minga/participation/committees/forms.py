"""Back-office forms of oversight committees: the committee, a member, a report."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from minga.core.forms import Form

from .models import OBJECT_KINDS, Committee


class CommitteeForm(Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("What it oversees and why"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    object_kind = forms.ChoiceField(label=_("Kind of object overseen"), choices=OBJECT_KINDS)
    object_key = forms.CharField(
        label=_("Identifier of the object overseen"),
        max_length=200,
        help_text=_(
            "The identifier in its address: a public work's or a process's identifier, a contracting process's OCID, "
            "a project's identifier. Suggestions are offered as you type."
        ),
        widget=forms.TextInput(attrs={"list": "object-suggestions", "autocomplete": "off"}),
    )
    object_title = forms.CharField(
        label=_("Name of the object overseen"),
        max_length=300,
        required=False,
        help_text=_("Filled in from the portal when the object is published there; write it otherwise."),
    )
    starts_on = forms.DateField(label=_("Starts"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    ends_on = forms.DateField(
        label=_("Ends"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    status = forms.ChoiceField(label=_("Status"), choices=Committee.Status.choices)
    is_published = forms.BooleanField(label=_("Published in the registry"), required=False, initial=True)


class MemberForm(Form):
    name = forms.CharField(
        label=_("Name as the member wants it listed"), max_length=150, help_text=_("No contact data is published.")
    )
    role = forms.CharField(label=_("Role in the committee"), max_length=100)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    position = forms.IntegerField(label=_("Position"), min_value=0, initial=0)


class ReportForm(Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    presented_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    file = forms.FileField(
        label=_("Report (PDF)"),
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
        help_text=_("A PDF of at most 20 MB."),
    )
