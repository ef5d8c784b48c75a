"""Forms of surveys: the survey and a question in the back office, and the reading of a posted
response (one field per question, or per row and option) into what `answers.clean_answers`
checks. The response page is written by hand (templates/participation/surveys/question.html)
so that it keeps what was typed and works without JavaScript."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from minga.core.forms import Form, ModelForm

from ..processes.forms import DATETIME_INPUT_FORMATS, DateTimeInput
from ..processes.models import Process
from .models import Question, Survey


class SurveyForm(ModelForm):
    process = forms.ModelChoiceField(
        label=_("Process"), queryset=Process.objects.none(), help_text=_("The participatory process it belongs to.")
    )
    opens_at = forms.DateTimeField(
        label=_("Opens"),
        required=False,
        widget=DateTimeInput(),
        input_formats=DATETIME_INPUT_FORMATS,
        help_text=Survey._meta.get_field("opens_at").help_text,
    )
    closes_at = forms.DateTimeField(
        label=_("Closes"),
        required=False,
        widget=DateTimeInput(),
        input_formats=DATETIME_INPUT_FORMATS,
        help_text=Survey._meta.get_field("closes_at").help_text,
    )

    class Meta:
        model = Survey
        fields = ["process", "title", "slug", "introduction", "mode", "opens_at", "closes_at", "is_published"]

    def __init__(self, *args, government=None, locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["process"].queryset = Process.objects.for_government(government).order_by("-starts_at")
        self.fields["slug"].required = False
        if self.instance.pk:
            self.fields["process"].disabled = True
        if locked:
            for name in ("mode", "opens_at", "closes_at"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Fixed: voting has opened, so the survey's rules cannot change.")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class QuestionForm(Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Question.Kind.choices)
    title = forms.CharField(label=_("Question"), max_length=300)
    help_text = forms.CharField(label=_("Help"), max_length=500, required=False)
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    options = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line. For a matrix, the columns (e.g. Muy de acuerdo … Muy en desacuerdo)."),
    )
    rows = forms.CharField(
        label=_("Matrix rows"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Matrix questions only: one row per line."),
    )
    max_choices = forms.IntegerField(
        label=_("Maximum choices"),
        min_value=0,
        max_value=100,
        required=False,
        initial=0,
        help_text=_("Multiple choice only; 0: no maximum."),
    )
    position = forms.IntegerField(label=_("Position"), min_value=1, required=False, help_text=_("Empty: at the end."))
    condition_question = forms.ModelChoiceField(
        label=_("Show only if this question…"),
        queryset=Question.objects.none(),
        required=False,
        help_text=_("An earlier single or multiple choice question."),
    )
    condition_values = forms.CharField(
        label=_("…has one of these answers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The answers that show this question, one per line, written as in that question's options."),
    )

    def __init__(self, *args, survey, question=None, **kwargs):
        if question is not None and not kwargs.get("initial") and not args:
            kwargs["initial"] = {
                "kind": question.kind,
                "title": question.title,
                "help_text": question.help_text,
                "required": question.required,
                "options": "\n".join(question.options or []),
                "rows": "\n".join(question.rows or []),
                "max_choices": question.max_choices,
                "position": question.position,
                "condition_question": question.condition_question_id,
                "condition_values": "\n".join(question.condition_labels()),
            }
        super().__init__(*args, **kwargs)
        self.survey = survey
        candidates = Question.objects.for_government(survey.government_id).filter(
            survey=survey, kind__in=Question.CHOICE_KINDS
        )
        if question is not None:
            candidates = candidates.filter(position__lt=question.position)
        self.fields["condition_question"].queryset = candidates.order_by("position")
        self.fields["condition_question"].label_from_instance = lambda q: f"{q.position}. {q.title}"

    def clean(self):
        data = super().clean()
        parent = data.get("condition_question")
        wanted = _lines(data.get("condition_values", ""))
        values = []
        if parent is not None:
            options = parent.options or []
            unknown = [w for w in wanted if w not in options]
            if unknown:
                self.add_error(
                    "condition_values",
                    _("These are not options of the chosen question: %(names)s.") % {"names": ", ".join(unknown)},
                )
            values = [options.index(w) for w in wanted if w in options]
        data["condition_value_numbers"] = values
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "title": data["title"],
            "help_text": data.get("help_text", ""),
            "required": bool(data.get("required")),
            "options": _lines(data.get("options", "")),
            "rows": _lines(data.get("rows", "")),
            "max_choices": data.get("max_choices") or 0,
            "condition_question": data.get("condition_question"),
            "condition_values": data.get("condition_value_numbers", []),
            "position": data.get("position"),
        }


class ConfirmForm(Form):
    confirm = forms.BooleanField(label=_("Yes, delete it"), required=True)


# The posted response ---------------------------------------------------------------------------


def field_name(question: Question) -> str:
    return f"p{question.pk}"


def read_response(questions, data) -> dict[int, object]:
    """What a person sent, by question id, in the shapes `answers.clean_answers` reads.
    Ranking: one select per option (``p<id>_<option>``) holding its place; matrix: one radio
    group per row (``p<id>_f<row>``)."""
    raw: dict[int, object] = {}
    for question in questions:
        name = field_name(question)
        if question.kind == "multiple":
            raw[question.pk] = data.getlist(name)
        elif question.kind == "ranking":
            places = {}
            for i in range(len(question.options or [])):
                value = data.get(f"{name}_{i}", "")
                if value:
                    places[i] = value
            if not places:
                raw[question.pk] = []
                continue
            try:
                ordered = sorted(places.items(), key=lambda item: int(item[1]))
            except ValueError:
                raw[question.pk] = ["x"]
                continue
            numbers = [int(v) for _, v in ordered]
            if len(places) != len(question.options) or sorted(numbers) != list(range(1, len(question.options) + 1)):
                # Incomplete or repeated places: the checker says so.
                raw[question.pk] = [i for i, _ in ordered] + (
                    [ordered[0][0]] if len(set(numbers)) != len(numbers) else []
                )
                continue
            raw[question.pk] = [i for i, _ in ordered]
        elif question.kind == "matrix":
            raw[question.pk] = [data.get(f"{name}_f{r}") or None for r in range(len(question.rows or []))]
        else:
            raw[question.pk] = data.get(name, "")
    return raw
