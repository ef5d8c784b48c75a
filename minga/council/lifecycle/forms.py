"""The back-office form of one stage's rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from minga.core.forms import Form

from ..acts.models import Act
from .stages import STAGE_CHOICES


class StageRuleForm(Form):
    mandatory_for = forms.MultipleChoiceField(
        label=_("Mandatory for"),
        choices=Act.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For the other kinds of act the stage may be skipped."),
    )
    deadline_days = forms.IntegerField(
        label=_("Deadline in days"), min_value=1, max_value=3650, required=False, help_text=_("Empty: no deadline.")
    )
    deadline_from = forms.ChoiceField(label=_("Counted from"), choices=[("", "—"), *STAGE_CHOICES], required=False)
    legal_reference = forms.CharField(label=_("Legal reference"), max_length=200, required=False)
