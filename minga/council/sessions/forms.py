"""Back-office forms of sessions: the session, an agenda item, attendance and a vote (one
select per member), the outcome of an item, a document, the minutes and the CSV import."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from minga.core.forms import Form

from .models import AgendaItem, Attendance, Session, SessionDocument, VoteEvent, VoteOption

PDF = forms.FileInput(attrs={"accept": "application/pdf,.pdf"})


class SessionForm(Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Session.Kind.choices)
    committee = forms.ModelChoiceField(
        label=pgettext_lazy("council committee", "Committee"),
        queryset=None,
        required=False,
        help_text=_("Only for a committee session."),
    )
    number = forms.CharField(label=_("Number"), max_length=60, required=False, help_text=_("E.g. 012-2026."))
    title = forms.CharField(label=_("Title"), max_length=250, help_text=_("E.g. Sesión ordinaria n.º 12."))
    starts_at = forms.DateTimeField(
        label=_("Date and time"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    place = forms.CharField(label=_("Place"), max_length=250, required=False)
    stream_url = forms.URLField(label=_("Stream link"), required=False, assume_scheme="https")
    notes = forms.CharField(label=_("Public notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, committees=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees


class ItemForm(Form):
    title = forms.CharField(label=_("Agenda item"), max_length=400, help_text=_("As the convocation reads it."))
    description = forms.CharField(label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    act = forms.ModelChoiceField(
        label=_("Act dealt with"), queryset=None, required=False, help_text=_("If the item deals with an act.")
    )

    def __init__(self, *args, acts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["act"].queryset = acts


class OutcomeForm(Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=AgendaItem.Outcome.choices)
    note = forms.CharField(label=_("The decision in a sentence"), max_length=400, required=False)


class PeopleForm(Form):
    """One select per member (``p<pk>``), built from the members on the day of the session."""

    per_person_choices: list = []
    default = ""

    def __init__(self, *args, people=(), initial_values=None, alternates=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.people = list(people)
        for person in self.people:
            default = "" if person.pk in alternates else self.default
            self.fields[f"p{person.pk}"] = forms.ChoiceField(
                label=person.name,
                choices=[("", _("— (did not sit)")), *self.per_person_choices],
                required=False,
                initial=(initial_values or {}).get(person.pk, default),
                help_text=_("Alternate: choose only when standing in for the principal.")
                if person.pk in alternates
                else "",
            )

    def person_values(self) -> list[tuple]:
        """(person, choice) for each person with a choice (alternates who did not sit have none)."""
        return [
            (person, self.cleaned_data[f"p{person.pk}"]) for person in self.people if self.cleaned_data[f"p{person.pk}"]
        ]

    def person_fields(self):
        return [self[f"p{person.pk}"] for person in self.people]


class AttendanceForm(PeopleForm):
    per_person_choices = Attendance.Status.choices
    default = Attendance.Status.PRESENT


class VoteForm(PeopleForm):
    per_person_choices = VoteOption.choices
    default = VoteOption.YES
    motion = forms.CharField(
        label=_("Motion"), max_length=400, help_text=_("What was put to the vote, e.g. Aprobar en primer debate.")
    )
    result = forms.ChoiceField(
        label=_("Result"),
        choices=[("", _("Count it from the votes")), *VoteEvent.Result.choices],
        required=False,
        help_text=_("Passed when the yes votes are more than half of the members present."),
    )
    empty_chair_option = forms.ChoiceField(
        label=_("Vote of the empty chair"), choices=[("", _("Nobody occupied it")), *VoteOption.choices], required=False
    )
    empty_chair_name = forms.CharField(label=_("Occupant of the empty chair"), max_length=200, required=False)

    def __init__(self, *args, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"] = forms.ModelChoiceField(label=_("Agenda item"), queryset=items)
        self.order_fields(["item", "motion", "result", "empty_chair_option", "empty_chair_name"])


class DocumentForm(Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SessionDocument.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("Document (PDF)"), widget=PDF, help_text=_("A PDF of at most 20 MB."))

    def __init__(self, *args, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"] = forms.ModelChoiceField(
            label=_("Agenda item"), queryset=items, required=False, help_text=_("Empty: a document of the session.")
        )


class MinutesForm(Form):
    file = forms.FileField(label=_("Minutes (PDF)"), widget=PDF, required=False, help_text=_("A PDF of at most 20 MB."))
    summary = forms.CharField(
        label=_("Summary of the minutes"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )


class ImportForm(Form):
    file = forms.FileField(
        label=_("Votes (CSV)"),
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
        help_text=_(
            "Columns punto, mocion, miembro, voto (and optionally resultado); separated by ; or , in UTF-8. "
            "Votes: Sí, No, Abstención, Blanco, Ausente."
        ),
    )
