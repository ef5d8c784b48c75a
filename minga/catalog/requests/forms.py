"""Forms of the citizens' side: a data request and an official's answer."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from minga.core.forms import Form, ModelForm

from ..datasets.models import Dataset
from . import services
from .models import DataRequest


class DataRequestForm(ModelForm):
    class Meta:
        model = DataRequest
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}


class AnswerForm(Form):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[(status.value, status.label) for status in services.ANSWER_STATUSES],
        widget=forms.RadioSelect(),
    )
    answer = forms.CharField(
        label=_("Answer"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text=_("Public: citizens and the followers of the request read it."),
    )
    fulfilled_by = forms.ModelChoiceField(
        label=_("Dataset that fulfils the request"),
        queryset=Dataset.objects.none(),
        required=False,
        help_text=_("Required when the decision is “fulfilled”."),
    )

    def __init__(self, *args, government, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fulfilled_by"].queryset = Dataset.objects.filter(government=government).order_by("title")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == "fulfilled" and not cleaned.get("fulfilled_by"):
            self.add_error("fulfilled_by", _("Choose the dataset that fulfils the request."))
        return cleaned
