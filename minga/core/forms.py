"""Form conventions for every module. Django 5.2 already ties help texts and errors to their
field (aria-describedby "<id>_helptext <id>_error", aria-invalid); our form template renders
those ids, inputs keep what the person typed, and messages come through gettext. Templates
render forms with core/includes/form.html."""

from django import forms


class MingaFormMixin:
    template_name = "core/includes/form.html"


class Form(MingaFormMixin, forms.Form):
    pass


class ModelForm(MingaFormMixin, forms.ModelForm):
    pass
