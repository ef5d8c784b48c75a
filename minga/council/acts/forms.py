"""Back-office forms of acts: the act, a new version (text pasted as plain text), a step of
the procedure and a document."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from minga.core.forms import Form

from ..lifecycle.stages import STAGE_CHOICES
from .models import Act, Document

DATE = forms.DateInput(attrs={"type": "date"})


class ActForm(Form):
    identifier = forms.CharField(label=_("Number"), max_length=60, help_text=_("E.g. PO-2026-004."))
    kind = forms.ChoiceField(label=_("Kind"), choices=Act.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    primary = forms.ModelChoiceField(label=_("Presented by"), queryset=None, required=False)
    sponsors = forms.ModelMultipleChoiceField(
        label=_("Other sponsors"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    subjects = forms.CharField(
        label=_("Subjects"), required=False, max_length=500, help_text=_("Separated by commas, e.g. Ambiente, Agua.")
    )
    is_public = forms.BooleanField(label=_("Shown on the public pages"), required=False, initial=True)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["primary"].queryset = people
        self.fields["sponsors"].queryset = people

    def subject_names(self) -> list[str]:
        return [name.strip() for name in self.cleaned_data.get("subjects", "").split(",") if name.strip()][:10]


class VersionForm(Form):
    label = forms.CharField(
        label=_("Name of the version"), max_length=150, help_text=_("E.g. Texto para segundo debate.")
    )
    dated = forms.DateField(label=_("Date"), widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    text = forms.CharField(
        label=_("Full text"),
        max_length=400_000,
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text=_(
            "Paste the text as it is written. Headings are recognised at the start of a line: “TÍTULO I”, "
            "“CAPÍTULO I”, “Art. 1.-” or “Artículo 1.-”, “DISPOSICIONES GENERALES”, “TRANSITORIAS”, "
            "“DEROGATORIAS”, “FINALES” followed by “PRIMERA.-”, “SEGUNDA.-”…"
        ),
    )


class ActionForm(Form):
    stage = forms.ChoiceField(label=_("Step"), choices=STAGE_CHOICES)
    date = forms.DateField(label=_("Date"), widget=DATE)
    description = forms.CharField(label=_("Details"), max_length=300, required=False)
    committee = forms.ModelChoiceField(label=_("Committee"), queryset=None, required=False)
    version = forms.ModelChoiceField(label=_("Resulting version"), queryset=None, required=False)

    def __init__(self, *args, committees=None, versions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees
        self.fields["version"].queryset = versions


class DocumentForm(Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Document.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    dated = forms.DateField(label=_("Date"), widget=DATE)
    file = forms.FileField(
        label=_("Document (PDF)"),
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
        help_text=_("A PDF of at most 20 MB."),
    )
