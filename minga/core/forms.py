"""Form conventions for every module: errors are tied to their field for assistive
technology (aria-describedby + aria-invalid), inputs keep what the person typed, and
messages come through gettext. Templates render forms with core/includes/form.html."""

from django import forms
from django.forms.boundfield import BoundField


class AccessibleBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if self.errors:
            described = [attrs.get("aria-describedby", ""), f"{self.auto_id}_error"]
            if self.help_text:
                described.insert(0, f"{self.auto_id}_helptext")
            attrs["aria-describedby"] = " ".join(part for part in described if part).strip()
            attrs["aria-invalid"] = "true"
        return attrs


class MingaFormMixin:
    bound_field_class = AccessibleBoundField
    template_name = "core/includes/form.html"


class Form(MingaFormMixin, forms.Form):
    pass


class ModelForm(MingaFormMixin, forms.ModelForm):
    pass
