"""Form conventions for every module. Django 5.2 already ties help texts and errors to their
field (aria-describedby "<id>_helptext <id>_error", aria-invalid); our form template renders
those ids, inputs keep what the person typed, and messages come through gettext. Templates
render forms with core/includes/form.html."""

from django import forms

from .images import check_image


class MingaFormMixin:
    template_name = "core/includes/form.html"


class Form(MingaFormMixin, forms.Form):
    pass


class ModelForm(MingaFormMixin, forms.ModelForm):
    pass


class ImageField(forms.ImageField):
    """Django's image field with the picture's declared size checked first (core/images.py):
    Django's own check opens the file with Pillow, which only warns up to twice its pixel
    limit. Use it for every model image field a form exposes."""

    def to_python(self, data):
        if data not in self.empty_values and hasattr(data, "seek"):
            check_image(data)
        return super().to_python(data)
