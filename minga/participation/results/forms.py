"""Back-office forms of results: a result, a timeline entry, a link, the CSV import."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from minga.core import registry

from . import catalog
from .models import MAX_DEPTH, Result

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ResultForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    parent = forms.TypedChoiceField(label=_("Parent result"), required=False, coerce=int, empty_value=None)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Blank lines separate paragraphs; **bold**, lists with - and links [text](https://…) are kept."),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    progress = forms.DecimalField(label=_("Progress (%)"), min_value=0, max_value=100, decimal_places=2, required=False)
    progress_by_hand = forms.BooleanField(
        label=_("Progress set by hand"),
        required=False,
        help_text=_(
            "For a result with sub-results: keep the progress typed instead of the weighted average of its sub-results."
        ),
    )
    weight = forms.DecimalField(
        label=_("Weight"),
        min_value=0,
        decimal_places=2,
        required=False,
        initial=1,
        help_text=_("How much this result counts in its parent's progress (1 by default)."),
    )
    start_date = forms.DateField(label=_("Start"), required=False, widget=DATE_WIDGET)
    end_date = forms.DateField(label=_("End"), required=False, widget=DATE_WIDGET)
    unit_key = forms.ChoiceField(label=_("Responsible unit"), required=False)
    unit_name = forms.CharField(label=_("Responsible unit"), max_length=200, required=False)
    reference = forms.CharField(
        label=_("Reference"),
        max_length=60,
        required=False,
        help_text=_("Optional code, unique in the process; the CSV import matches rows by it."),
    )
    position = forms.IntegerField(label=_("Position"), min_value=1, required=False)
    is_published = forms.BooleanField(label=_("Published"), required=False)

    def __init__(self, *args, government, process, result: Result | None = None, parents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.government = government
        statuses = catalog.statuses(government)
        choices = [("", "—")] + [(status.key, status.name) for status in statuses]
        if result is not None and result.status and result.status not in {s.key for s in statuses}:
            choices.append((result.status, result.status))
        self.fields["status"].choices = choices
        self.fields["parent"].choices = [("", _("None (first level)"))] + [
            (node.result.pk, "— " * (node.depth - 1) + node.result.title)
            for node in parents
            if node.depth < MAX_DEPTH and (result is None or node.result.pk != result.pk)
        ]
        units = registry.directory_units(government)
        self.units = units
        if units:
            self.fields["unit_key"].choices = [("", "—")] + [(unit.key, unit.name) for unit in units]
            del self.fields["unit_name"]
        else:
            del self.fields["unit_key"]
            self.fields["unit_name"].help_text = _("The institution has no unit directory: write the unit's name.")

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("parent", None)
        if data.get("weight") is None:
            data["weight"] = 1
        if data.get("position") is None:
            data.pop("position")
        if "unit_key" in self.fields:
            data["unit_name"] = ""
        else:
            data["unit_key"] = ""
        return data


class TimelineForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    text = forms.CharField(label=_("What happened"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    progress = forms.DecimalField(
        label=_("Progress on that date (%)"), min_value=0, max_value=100, decimal_places=2, required=False
    )


class LinkForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[(item.kind, item.label) for item in catalog.LINK_KINDS])
    key = forms.CharField(label=_("Record"), max_length=200)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_("UTF-8, separated by commas or semicolons; at most 2 MB."))


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(label=_("Yes, delete it"))
