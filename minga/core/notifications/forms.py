"""The notice preferences: one choice per kind of followed record."""

from __future__ import annotations

from django import forms

from ..forms import Form
from .models import Delivery


class PreferencesForm(Form):
    """A radio group per followable kind (``entries``: core.notifications.followables.Entry)."""

    def __init__(self, *args, entries, initial_choices: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = {}
        for number, entry in enumerate(entries):
            name = f"aviso_{number}"
            self.kinds[name] = entry.kind
            self.fields[name] = forms.ChoiceField(
                label=entry.label,
                help_text=entry.followable.description,
                choices=Delivery.choices,
                initial=initial_choices.get(entry.kind),
                widget=forms.RadioSelect,
            )

    def choices(self) -> dict[str, str]:
        return {self.kinds[name]: value for name, value in self.cleaned_data.items()}
