"""Forms of the silla vacía: the citizen's request, and the secretariat's decision, consensus,
vote and rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from minga.core.forms import Form
from minga.core.verification.levels import Level

from ..sessions.models import VoteOption
from .models import SeatRequest

DATE = forms.DateInput(attrs={"type": "date"})


class RequestForm(Form):
    public_name = forms.CharField(
        label=_("Your name, as it will be published"), max_length=200, help_text=_("It appears in the public registry.")
    )
    organisation = forms.CharField(
        label=_("Organisation or community you represent"), max_length=250, help_text=_("It appears in the registry.")
    )
    position = forms.ChoiceField(
        label=_("Your position on the item"), choices=SeatRequest.Position.choices, widget=forms.RadioSelect
    )
    position_text = forms.CharField(
        label=_("Your position, in a few words"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you will say in the session (at most 2,000 characters)."),
    )
    designated_by = forms.CharField(
        label=_("Who chose you"),
        max_length=250,
        help_text=_(
            "The local assembly, cabildo popular or public hearing that chose you, e.g. Asamblea local de Crucita."
        ),
    )
    designated_on = forms.DateField(label=_("Date of that meeting"), widget=DATE)
    document = forms.FileField(
        label=_("Act of the meeting that chose you (PDF)"),
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
        help_text=_("A PDF of at most 20 MB. Only the secretariat sees it; the registry says it was presented."),
    )
    phone = forms.CharField(
        label=_("Telephone (optional)"),
        max_length=40,
        required=False,
        help_text=_("For the secretariat only; never published. We also write to your account's e-mail."),
    )


class DecisionForm(Form):
    decision = forms.ChoiceField(
        label=pgettext_lazy("silla vacía", "Decision"),
        choices=[("accredit", _("Accredit")), ("deny", _("Deny"))],
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to deny; published in the registry."),
    )


NO_CONSENSUS = "none"


class ConsensusForm(Form):
    chosen = forms.ChoiceField(label=_("Who votes"), widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Note"), max_length=400, required=False, help_text=_("How the consensus was reached (public).")
    )

    def __init__(self, *args, accredited=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {str(seat.pk): seat for seat in accredited}
        self.fields["chosen"].choices = [
            *[(key, f"{seat.public_name} ({seat.organisation})") for key, seat in self.people.items()],
            (NO_CONSENSUS, _("No consensus: they speak without a vote")),
        ]

    def chosen_request(self):
        return self.people.get(self.cleaned_data["chosen"])


class VoteForm(Form):
    option = forms.ChoiceField(label=_("Vote of the silla vacía"), choices=VoteOption.choices)


class RulesForm(Form):
    verification_level = forms.TypedChoiceField(
        label=_("Verification required"),
        coerce=int,
        choices=[(level.value, level.label) for level in Level if level >= Level.EMAIL],
        help_text=_("How sure the platform must be of the requester's identity."),
    )
    deadline_hours = forms.IntegerField(
        label=_("Requests close (hours before the session)"), min_value=0, max_value=720
    )
    answer_hours = forms.IntegerField(label=_("Time to answer (hours)"), min_value=1, max_value=720)
    legal_reference = forms.CharField(label=_("Legal reference"), max_length=300)
