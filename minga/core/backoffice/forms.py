from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..accounts.models import Membership
from ..forms import Form, ImageField, ModelForm
from ..images import clean_image
from ..permissions import role_areas
from ..tenancy.hosts import normalise_host
from ..tenancy.models import Government
from ..tenancy.selectors import host_names_of


class GovernmentProfileForm(ModelForm):
    hosts_text = forms.CharField(
        label=_("Own host names"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "One per line, e.g. transparencia.manabi.gob.ec. A new name serves the portal once the platform's "
            "operator approves it. Leave empty to use only /g/<slug>/."
        ),
    )

    class Meta:
        model = Government
        fields = [
            "name",
            "short_name",
            "description",
            "logo",
            "primary_colour",
            "accent_colour",
            "contact_email",
            "contact_phone",
            "address",
            "website",
        ]
        field_classes = {"logo": ImageField}
        widgets = {
            "primary_colour": forms.TextInput(attrs={"type": "color"}),
            "accent_colour": forms.TextInput(attrs={"type": "color"}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.host_names = list(host_names_of(self.instance)) if self.instance.pk else []
        self.fields["hosts_text"].initial = "\n".join(row.host for row in self.host_names)

    def clean_hosts_text(self):
        hosts, errors = [], []
        for line in self.cleaned_data["hosts_text"].splitlines():
            if not line.strip():
                continue
            try:
                hosts.append(normalise_host(line))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return hosts

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and logo != self.instance.logo:
            return clean_image(logo, max_side=256, max_bytes=1024 * 1024, keep_alpha=True)
        return logo


class MembershipGrantForm(Form):
    email = forms.EmailField(label=_("E-mail of the person"), help_text=_("The person must already have an account."))
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)
    module = forms.ChoiceField(
        label=_("Module"), required=False, help_text=_("Required for editors and viewers; ignored for administrators.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].choices = [("", "—"), *role_areas()]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") and cleaned["role"] != Membership.Role.ADMIN and not cleaned.get("module"):
            self.add_error("module", _("Choose the module this role applies to."))
        return cleaned


class LinesField(forms.CharField):
    """A list of short texts edited one per line (a setting of kind ``list``): blank lines are
    dropped, each line is trimmed."""

    widget = forms.Textarea(attrs={"rows": 6})

    def prepare_value(self, value):
        return "\n".join(str(line) for line in value) if isinstance(value, list | tuple) else value

    def to_python(self, value):
        text = super().to_python(value)
        return [line.strip() for line in text.splitlines() if line.strip()]


def module_settings_form_class(manifest):
    """A form with one field per setting the module declares in its manifest."""
    fields = {}
    for spec in manifest.settings:
        if spec.kind is bool:
            field = forms.BooleanField(label=spec.label, required=False, help_text=spec.help_text)
        elif spec.kind is int:
            field = forms.IntegerField(label=spec.label, help_text=spec.help_text, min_value=0)
        elif spec.kind is list:
            field = LinesField(label=spec.label, help_text=spec.help_text, required=False, max_length=20_000)
        else:
            field = forms.CharField(label=spec.label, help_text=spec.help_text, required=False, max_length=500)
        fields[spec.key] = field
    return type(f"{manifest.key.title()}SettingsForm", (Form,), fields)
