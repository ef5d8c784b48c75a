"""Forms of the procurement back office."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from minga.core.forms import Form, ModelForm

from .models import ProcedureType
from .ocds import looks_readable

MAX_UPLOAD_BYTES = 200 * 1024 * 1024  # larger files: the procurement_import command


class ImportForm(Form):
    file = forms.FileField(
        label=_("OCDS file"),
        help_text=_(
            "A release package, record package, compiled release or list of releases, as JSON, .json.gz "
            "or .zip (up to 200 MB; larger files with the procurement_import command)."
        ),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 200 MB; use the procurement_import command."))
        uploaded.seek(0)
        head = uploaded.read(1024)
        uploaded.seek(0)
        if not looks_readable(head):
            raise forms.ValidationError(
                _("This is not an OCDS file: choose a JSON file (.json), a gzip file (.json.gz) or a zip file (.zip).")
            )
        return uploaded


class ProcedureForm(ModelForm):
    class Meta:
        model = ProcedureType
        fields = (
            "code",
            "name",
            "family",
            "match_terms",
            "threshold_coefficient",
            "is_infima",
            "is_emergency",
            "is_competitive",
            "order",
        )
        widgets = {"match_terms": forms.Textarea(attrs={"rows": 4})}


class BudgetYearForm(Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, help_text=_("Fiscal year."))
    pie_amount = forms.DecimalField(
        label=_("PIE (USD)"),
        max_digits=20,
        decimal_places=2,
        min_value=1,
        help_text=_("Presupuesto Inicial del Estado of the year, as published by the Ministry of Finance."),
    )


class ConfirmForm(Form):
    confirm = forms.BooleanField(label=_("I understand"), required=True)
