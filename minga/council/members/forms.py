"""Back-office forms of the council's composition."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from minga.core.forms import Form

from .models import Committee, CommitteeMembership, Council, Membership

DATE = forms.DateInput(attrs={"type": "date"})


class CouncilForm(Form):
    name = forms.CharField(label=_("Name"), max_length=200, help_text=_("E.g. Consejo Provincial de Manabí."))
    kind = forms.ChoiceField(label=_("Kind"), choices=Council.Kind.choices)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    seat = forms.CharField(label=_("Where it meets"), max_length=250, required=False)
    contact_email = forms.EmailField(label=_("Secretariat e-mail"), required=False)
    notice_ordinary_hours = forms.IntegerField(
        label=_("Notice for ordinary and committee sessions (hours)"),
        min_value=0,
        max_value=720,
        initial=48,
        help_text=_("COOTAD: at least 48 hours."),
    )
    notice_extraordinary_hours = forms.IntegerField(
        label=_("Notice for extraordinary sessions (hours)"),
        min_value=0,
        max_value=720,
        initial=24,
        help_text=_("COOTAD: at least 24 hours."),
    )


class PersonForm(Form):
    name = forms.CharField(label=_("Full name"), max_length=150)
    party = forms.CharField(label=_("Party or movement"), max_length=150, required=False)
    email = forms.EmailField(label=_("Public e-mail"), required=False)
    phone = forms.CharField(label=_("Public phone"), max_length=40, required=False)
    biography = forms.CharField(label=_("Biography"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_("JPEG, PNG or WebP. It is resized to at most 800 pixels; location and camera data are removed."),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    remove_photo = forms.BooleanField(label=_("Remove the current photo"), required=False)


class SeatForm(Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)
    label = forms.CharField(
        label=_("Title of the seat"), max_length=120, required=False, help_text=_("E.g. Prefecta, Consejero por Chone.")
    )
    alternate_of = forms.ModelChoiceField(label=_("Alternate of"), queryset=None, required=False)
    starts_on = forms.DateField(label=_("Term starts"), widget=DATE)
    ends_on = forms.DateField(label=_("Term ends"), required=False, widget=DATE)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["alternate_of"].queryset = people


class CommitteeForm(Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Committee.Kind.choices)
    description = forms.CharField(label=_("Remit"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class CommitteeMemberForm(Form):
    person = forms.ModelChoiceField(label=_("Member"), queryset=None)
    role = forms.ChoiceField(label=_("Role"), choices=CommitteeMembership.Role.choices)
    starts_on = forms.DateField(label=_("Starts"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends"), required=False, widget=DATE)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class ConfirmForm(Form):
    """An explicit confirmation for destructive actions (works without JavaScript)."""

    confirm = forms.BooleanField(label=_("Yes, I understand this cannot be undone."), required=True)
