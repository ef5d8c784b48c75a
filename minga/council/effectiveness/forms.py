from django import forms
from django.utils.translation import gettext_lazy as _

from minga.core.forms import Form

from .services import MAX_ATTENDANCE


class LaunchForm(Form):
    launched_on = forms.DateField(
        label=_("Portal launch date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "The day the Open Council portal opened to the public. Leave it empty to use the day the first act "
            "was registered."
        ),
    )


class AttendanceForm(Form):
    attendance = forms.IntegerField(
        label=_("Citizens attending"),
        required=False,
        min_value=0,
        max_value=MAX_ATTENDANCE,
        help_text=_("Members of the public in the room, as the secretariat counted them. Empty: not counted."),
    )
