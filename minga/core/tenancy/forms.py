from django import forms
from django.utils.translation import gettext_lazy as _

from ..forms import ModelForm
from .models import Government


class GovernmentCreateForm(ModelForm):
    admin_email = forms.EmailField(
        label=_("E-mail of its first administrator"),
        help_text=_("An account is created if none exists, and the person receives a link to choose a password."),
    )
    admin_name = forms.CharField(label=_("Name of its first administrator"), max_length=150, required=False)

    class Meta:
        model = Government
        fields = ["name", "short_name", "slug", "level", "dpa_code", "description", "contact_email"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
