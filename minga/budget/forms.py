"""Back-office forms of the budget: uploading a cédula, choosing which column holds each
field, naming classifier codes and writing a year's notes. Errors are tied to their field
and every form keeps what the official typed."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from minga.core.forms import Form

from . import cedula
from .models import BudgetImport, Direction, Side


class UploadForm(Form):
    year = forms.IntegerField(
        label=_("Fiscal year"), min_value=1990, max_value=2200, help_text=_("The year the cédula belongs to.")
    )
    month = forms.TypedChoiceField(
        label=_("Cut-off month"),
        coerce=int,
        choices=[(number, MONTHS[number]) for number in range(1, 13)],
        help_text=_("The cédula shows the budget at the end of this month, cumulative since January."),
    )
    scope = forms.ChoiceField(
        label=_("Which cédula"),
        choices=BudgetImport.Scope.choices,
        help_text=_("Its lines replace the lines of the same side at that cut-off; the other side stays as it is."),
    )
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_(
            "As the financial system exports it; title rows above the headers are fine. Amounts as 1.234,56 or 1234.56."
        ),
    )

    def __init__(self, *args, today: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        today = today or dt.date.today()
        previous = today.replace(day=1) - dt.timedelta(days=1)
        self.fields["year"].initial = previous.year
        self.fields["month"].initial = previous.month


class MappingForm(Form):
    """One select per field, listing the headers of the uploaded file."""

    remember = forms.BooleanField(
        label=_("Use these columns for this government's next imports"), required=False, initial=True
    )

    def __init__(self, *args, headers: list[str], initial_mapping: dict, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— not in this file —"))] + [(header, header) for header in headers if header]
        for key in cedula.FIELDS:
            required = key in cedula.REQUIRED_FIELDS
            self.fields[f"map_{key}"] = forms.ChoiceField(
                label=cedula.FIELD_LABELS[key],
                choices=choices,
                required=False,
                initial=initial_mapping.get(key, ""),
                help_text=_("Required.") if required else "",
            )
        self.order_fields([f"map_{key}" for key in cedula.FIELDS] + ["remember"])

    def mapping(self) -> dict:
        return {
            key: self.cleaned_data.get(f"map_{key}", "") for key in cedula.FIELDS if self.cleaned_data.get(f"map_{key}")
        }


class ClassifierEntryForm(Form):
    code = forms.RegexField(
        label=_("Code"),
        regex=r"^(\d|\d{2}|\d{4}|\d{6})$",
        max_length=6,
        help_text=_("1 digit (nature), 2 (group), 4 (subgroup) or 6 (item)."),
        error_messages={"invalid": _("A classifier code has 1, 2, 4 or 6 digits.")},
    )
    name = forms.CharField(label=_("Name"), max_length=250)
    direction = forms.ChoiceField(
        label=_("Direction (natures only)"), choices=[("", "—"), *Direction.choices], required=False
    )
    side = forms.ChoiceField(label=_("Cédula (natures only)"), choices=[("", "—"), *Side.choices], required=False)

    def clean(self):
        data = super().clean()
        if len(data.get("code") or "") == 1 and not (data.get("direction") and data.get("side")):
            self.add_error("direction", _("A nature needs its direction and its cédula."))
        return data


class NotesForm(Form):
    notes = forms.CharField(
        label=_("Notes for citizens"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown on the year's pages: approvals, reforms, caveats."),
    )


class ConfirmForm(Form):
    pass
