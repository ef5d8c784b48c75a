"""Forms of proposals: the citizen's proposal (with a map point picked on the page, or typed
as latitude and longitude without JavaScript), withdrawing, and the officials' evaluation,
moderation and merge. The services check everything again; the forms keep what was typed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from minga.core.forms import Form, ImageField

from . import rules


class ProposalForm(Form):
    title = forms.CharField(
        label=_("Title"), max_length=150, help_text=_("What you propose, in one line (10 to 150 characters).")
    )
    body = forms.CharField(
        label=_("Description"),
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "What, where, why and for whom. Blank lines separate paragraphs; **bold** and lists with - are kept."
        ),
    )
    category = forms.ChoiceField(label=_("Category"))
    territory_code = forms.ChoiceField(label=_("Parish or neighbourhood"), required=False)
    latitude = forms.CharField(
        label=_("Latitude"),
        required=False,
        max_length=20,
        help_text=_("Optional. Pick the point on the map, or type it (WGS 84), e.g. -0.9537."),
    )
    longitude = forms.CharField(label=_("Longitude"), required=False, max_length=20, help_text=_("e.g. -80.7271."))
    photo = ImageField(
        label=_("Photo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("Optional: JPEG, PNG or WebP. Stored without metadata (no GPS position, no device)."),
    )
    remove_photo = forms.BooleanField(label=_("Remove the current photo"), required=False)

    def __init__(self, *args, process, has_photo: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("Choose…"))] + [(c, c) for c in rules.categories(process)]
        territories = rules.territory_choices(process)
        if territories:
            self.fields["territory_code"].choices = [("", _("Choose…"))] + territories
            self.fields["territory_code"].required = True
        else:
            del self.fields["territory_code"]
        if not has_photo:
            del self.fields["remove_photo"]
        for name in ("latitude", "longitude"):
            self.fields[name].widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def values(self) -> dict:
        data = self.cleaned_data
        return {key: data.get(key) for key in ("title", "body", "category", "territory_code", "latitude", "longitude")}


class WithdrawForm(Form):
    reason = forms.CharField(
        label=_("Why do you withdraw it?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Published with the proposal, which stays visible as withdrawn."),
    )


class EvaluationForm(Form):
    feasible = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("1", _("Feasible")), ("0", _("Not feasible"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    cost_estimate = forms.DecimalField(
        label=_("Cost estimate (USD)"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text=_("In dollars, with up to two decimals."),
    )
    answer = forms.CharField(
        label=_("Published answer"),
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Why it is or is not feasible: competence, cost, land, technical reasons. Citizens read it."),
    )


class HideForm(Form):
    reason = forms.CharField(
        label=_("Reason (published)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed to hide: shown on the proposal's page instead of its text."),
    )


class MergeForm(Form):
    target = forms.TypedChoiceField(label=_("Merge into"), coerce=int)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("", _("Choose…"))] + [
            (p.pk, f"#{p.pk} · {p.title} ({p.supports_count})") for p in candidates
        ]
