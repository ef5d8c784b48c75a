from django import forms
from django.utils.translation import gettext_lazy as _

from ..forms import Form
from .text import MAX_QUERY_LENGTH


class SearchForm(Form):
    q = forms.CharField(
        label=_("Search for"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text=_("Accents, capitals and plurals do not matter."),
    )
    modulo = forms.ChoiceField(label=_("In"), required=False)

    def __init__(self, *args, modules: list[tuple[str, object]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["modulo"].choices = [("", _("All sections")), *modules]
