"""Surveys and votes of a participatory process, and their unlinkable ballots.

A `Survey` belongs to a process and takes answers while the process's voting phase is on (or
inside its own window within that phase). Its `Question`s (single choice, multiple choice with
a maximum, ranking, short and long text, matrix) are voting rules: once voting opens they are
fixed.

Who took part and what was answered are two tables that cannot be joined:

- `Participation` (who): the survey, a keyed hash of the person (their verified identity or
  account, or a random token of an anonymous browser session) and the day. A unique
  constraint on (survey, voter) makes "one person, one response" a database rule.
- `Response` and its `Answer`s (what): the survey, the day, the answers. No person, no
  foreign key, column or timestamp finer than the day that points at a participation; the
  primary keys are random UUIDs, so no sequence correlates the two tables, and every list and
  export reads responses in the order of those random keys."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from minga.core.tenancy.models import GovernmentOwned, scoped_manager


class SurveyQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True, process__is_published=True)


class Survey(GovernmentOwned):
    class Mode(models.TextChoices):
        ANONYMOUS = "anonymous", _("Anonymous: anyone, one response per browser")
        VERIFIED = "verified", _("Verified: one response per person, with the process's verification for voting")

    process = models.ForeignKey(
        "participation.Process",
        verbose_name=_("process"),
        on_delete=models.CASCADE,
        related_name="surveys",
        help_text=_("The participatory process the survey belongs to."),
    )
    slug = models.SlugField(
        _("public identifier"),
        max_length=80,
        help_text=_("Stable identifier used in the survey's address; unique within the process."),
    )
    title = models.CharField(_("title"), max_length=200, help_text=_("What the survey asks about."))
    introduction = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("Shown above the questions: what the survey is for and how its results will be used."),
    )
    mode = models.CharField(
        _("participation"),
        max_length=20,
        choices=Mode.choices,
        default=Mode.VERIFIED,
        help_text=_("Who may answer and how a second response is prevented."),
    )
    opens_at = models.DateTimeField(
        _("opens"),
        null=True,
        blank=True,
        help_text=_("Optional: when answers start, inside the voting phase. Empty: when the voting phase starts."),
    )
    closes_at = models.DateTimeField(
        _("closes"),
        null=True,
        blank=True,
        help_text=_("Optional: when answers stop, inside the voting phase. Empty: when the voting phase ends."),
    )
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Shown on the process page (when the process is published).")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = scoped_manager(SurveyQuerySet)

    class Meta:
        ordering = ["process", "title"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            models.UniqueConstraint(fields=["process", "slug"], name="participation_survey_slug_unique"),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True) | Q(closes_at__isnull=True) | Q(closes_at__gt=models.F("opens_at")),
                name="participation_survey_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(mode__in=["anonymous", "verified"]), name="participation_survey_mode_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Question(GovernmentOwned):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        RANKING = "ranking", _("Ranking (order the options)")
        SHORT_TEXT = "short_text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")
        MATRIX = "matrix", _("Matrix (one choice per row)")

    CHOICE_KINDS = ("single", "multiple")
    OPTION_KINDS = ("single", "multiple", "ranking", "matrix")
    TEXT_KINDS = ("short_text", "long_text")

    survey = models.ForeignKey(
        Survey,
        verbose_name=_("survey"),
        on_delete=models.CASCADE,
        related_name="questions",
        help_text=_("The survey the question belongs to."),
    )
    position = models.PositiveIntegerField(_("position"), help_text=_("Order of the question in the survey, from 1."))
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, help_text=_("How the question is answered.")
    )
    title = models.CharField(_("question"), max_length=300, help_text=_("The question as citizens read it."))
    help_text = models.CharField(
        _("help"), max_length=500, blank=True, help_text=_("Optional explanation shown under the question.")
    )
    required = models.BooleanField(
        _("required"), default=True, help_text=_("Must be answered (when it is shown, for a conditional question).")
    )
    options = models.JSONField(
        _("options"),
        default=list,
        blank=True,
        help_text=_("The options (choice, ranking) or the columns (matrix), in order; answers store their number."),
    )
    rows = models.JSONField(
        _("rows"), default=list, blank=True, help_text=_("The rows of a matrix question, in order.")
    )
    max_choices = models.PositiveIntegerField(
        _("maximum choices"),
        default=0,
        help_text=_("Multiple choice: how many options one person may choose; 0: as many as there are."),
    )
    condition_question = models.ForeignKey(
        "self",
        verbose_name=_("shown only if"),
        on_delete=models.RESTRICT,  # deleting the whole survey (or process) takes both
        null=True,
        blank=True,
        related_name="dependents",
        help_text=_("An earlier single or multiple choice question whose answer decides whether this one is shown."),
    )
    condition_values = models.JSONField(
        _("condition answers"),
        default=list,
        blank=True,
        help_text=_("Numbers of the options of that question: this one is shown if any of them was chosen."),
    )

    objects = scoped_manager(models.QuerySet)

    class Meta:
        ordering = ["survey", "position"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["survey", "position"], name="participation_question_position_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=["single", "multiple", "ranking", "short_text", "long_text", "matrix"]),
                name="participation_question_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_text(self) -> bool:
        return self.kind in self.TEXT_KINDS

    def condition_labels(self) -> list[str]:
        if self.condition_question is None:
            return []
        options = self.condition_question.options or []
        return [options[i] for i in self.condition_values or [] if isinstance(i, int) and 0 <= i < len(options)]


class Participation(GovernmentOwned):
    """Who took part: never what they answered."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="+", help_text=_("The survey.")
    )
    voter = models.CharField(
        _("voter"),
        max_length=64,
        help_text=_("Keyed hash of the verified person, the account or an anonymous browser session; never a name."),
    )
    created_on = models.DateField(_("day"), help_text=_("The day of the participation (no time)."))

    objects = scoped_manager(models.QuerySet)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [models.UniqueConstraint(fields=["survey", "voter"], name="participation_survey_one_per_voter")]


class Response(GovernmentOwned):
    """What was answered: never who answered."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="+", help_text=_("The survey.")
    )
    submitted_on = models.DateField(_("day"), help_text=_("The day of the response (no time)."))

    objects = scoped_manager(models.QuerySet)

    class Meta:
        ordering = ["id"]  # random: says nothing of the order responses came in
        verbose_name = _("response")
        verbose_name_plural = _("responses")


class Answer(GovernmentOwned):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(
        Response,
        verbose_name=_("response"),
        on_delete=models.CASCADE,
        related_name="answers",
        help_text=_("The response it is part of."),
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="+", help_text=_("The question.")
    )
    choices = models.JSONField(
        _("choices"),
        default=list,
        blank=True,
        help_text=_(
            "Option numbers: the one chosen, those chosen, the ranking from first to last, or one per matrix row "
            "(null: row not answered)."
        ),
    )
    text = models.TextField(_("text"), blank=True, help_text=_("The answer to a text question, as typed."))
    is_hidden = models.BooleanField(
        _("hidden"), default=False, help_text=_("Hidden by a moderator: not shown in the public results.")
    )

    objects = scoped_manager(models.QuerySet)

    class Meta:
        ordering = ["id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="participation_answer_once")]
