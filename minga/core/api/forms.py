import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..forms import Form


class TokenCreateForm(Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “Open data upload script”."),
    )
    expires_on = forms.DateField(
        label=_("Valid until (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The token stops working at the end of this day. Leave empty for a token that does not expire."),
    )

    def __init__(self, *args, today: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()

    def clean_expires_on(self):
        value = self.cleaned_data.get("expires_on")
        if value is not None and value < self.today:
            raise forms.ValidationError(_("Choose today or a later day."))
        return value

    def expires_at(self) -> dt.datetime | None:
        value = self.cleaned_data.get("expires_on")
        if value is None:
            return None
        next_day = dt.datetime.combine(value + dt.timedelta(days=1), dt.time.min)
        return timezone.make_aware(next_day, timezone.get_current_timezone())
