"""Forms of events: the guest registration (public), and in the back office the convocation,
the minutes with attendance counts, an agreement and an event type."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from minga.core.forms import Form

from .. import territories as territory_sources
from ..processes.forms import DATETIME_INPUT_FORMATS, DateTimeInput
from . import selectors, services
from .models import ACCESSIBILITY, Agreement


class GuestRegistrationForm(Form):
    name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(
        label=_("Your e-mail"), help_text=_("We send a link to confirm it; it is used only for this event.")
    )


class EventForm(Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    event_type = forms.ModelChoiceField(label=_("Type"), queryset=None, empty_label=None)
    process = forms.ModelChoiceField(
        label=_("Process"),
        queryset=None,
        required=False,
        empty_label=_("None (a standalone event)"),
        help_text=_("Optional: the process it is part of."),
    )
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 4}))
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One item per line, in order."),
    )
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DateTimeInput(), input_formats=DATETIME_INPUT_FORMATS)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DateTimeInput(), input_formats=DATETIME_INPUT_FORMATS)
    territory_code = forms.ChoiceField(label=_("Territory"), required=False)
    address = forms.CharField(label=_("Place"), max_length=300, required=False, help_text=_("Venue and address."))
    latitude = forms.DecimalField(
        label=_("Latitude"), required=False, max_digits=9, decimal_places=6, min_value=-90, max_value=90
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), required=False, max_digits=9, decimal_places=6, min_value=-180, max_value=180
    )
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    accessibility = forms.MultipleChoiceField(
        label=_("Accessibility"), required=False, choices=ACCESSIBILITY, widget=forms.CheckboxSelectMultiple
    )
    accessibility_notes = forms.CharField(label=_("Other accessibility information"), max_length=500, required=False)
    registration_enabled = forms.BooleanField(label=_("Take registrations"), required=False)
    capacity = forms.IntegerField(
        label=_("Capacity"), required=False, min_value=1, help_text=_("Places; empty: no limit.")
    )
    is_published = forms.BooleanField(label=_("Published"), required=False)

    def __init__(self, *args, government, event=None, **kwargs):
        if event is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{name: getattr(event, name) for name in services.EVENT_FIELDS if name != "agenda"},
                "agenda": "\n".join(event.agenda or []),
            }
        super().__init__(*args, **kwargs)
        self.fields["event_type"].queryset = selectors.event_types(government)
        self.fields["process"].queryset = services.process_choices(government)
        choices = [("", _("Whole territory"))]
        choices += [(t.code, f"{t.name} ({t.code})") for t in territory_sources.available(government)]
        if event is not None and event.territory_code and event.territory_code not in dict(choices):
            choices.append((event.territory_code, event.territory_name or event.territory_code))
        self.fields["territory_code"].choices = choices

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["agenda"] = services.parse_agenda(data.get("agenda", ""))
        data["accessibility"] = list(data.get("accessibility") or [])
        return data


class MinutesForm(Form):
    minutes_text = forms.CharField(
        label=_("Minutes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Markdown: blank lines separate paragraphs; lists with -."),
    )
    minutes_file = forms.FileField(
        label=_("Minutes as PDF"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
        help_text=_("Optional; a signed PDF, at most 20 MB."),
    )
    remove_file = forms.BooleanField(label=_("Remove the current PDF"), required=False)
    publish = forms.BooleanField(label=_("Publish the minutes"), required=False)
    attendance_total = forms.IntegerField(label=_("Total attendance"), required=False, min_value=0)
    attendance_women = forms.IntegerField(label=_("Women"), required=False, min_value=0)
    attendance_men = forms.IntegerField(label=_("Men"), required=False, min_value=0)
    attendance_other = forms.IntegerField(label=_("Other or not stated"), required=False, min_value=0)

    ATTENDANCE = ("attendance_total", "attendance_women", "attendance_men", "attendance_other")

    @classmethod
    def initial_for(cls, event) -> dict:
        return {
            "minutes_text": event.minutes_text,
            "publish": event.minutes_published_at is not None,
            **{name: getattr(event, name) for name in cls.ATTENDANCE},
        }

    def attendance(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.ATTENDANCE}


class AgreementForm(Form):
    text = forms.CharField(label=_("Agreement or commitment"), widget=forms.Textarea(attrs={"rows": 3}))
    responsible = forms.CharField(label=_("Responsible"), max_length=200)
    due_on = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    status = forms.ChoiceField(label=_("Status"), choices=Agreement.Status.choices)
    status_note = forms.CharField(label=_("Status note"), max_length=500, required=False)


class EventTypeForm(Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    key = forms.SlugField(label=_("Key"), max_length=60, help_text=_("Used in the calendar's filter address."))
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    position = forms.IntegerField(label=_("Position"), min_value=0, initial=0)
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)
