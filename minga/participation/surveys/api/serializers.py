"""Public representation of a survey: its questions and, once published, its results
(aggregated counts only: no response, no text answer)."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import selectors
from ..models import Question, Survey


class SurveyQuestionSerializer(serializers.ModelSerializer):
    condition_question = serializers.SerializerMethodField(
        help_text="Position of the question whose answer shows this one; null when always shown."
    )

    class Meta:
        model = Question
        fields = [
            "position",
            "kind",
            "title",
            "help_text",
            "required",
            "options",
            "rows",
            "max_choices",
            "condition_question",
            "condition_values",
        ]

    def get_condition_question(self, question) -> int | None:
        return question.condition_question.position if question.condition_question_id else None


class OptionResultSerializer(serializers.Serializer):
    label = serializers.CharField()
    count = serializers.IntegerField(help_text="People who chose it (ranking: who ranked it first).")
    percent = serializers.FloatField(help_text="Share of the people who answered the question.")
    average_position = serializers.FloatField(allow_null=True, help_text="Ranking: average place (1 = first).")
    borda = serializers.IntegerField(allow_null=True, help_text="Ranking: Borda points.")


class MatrixCellSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    percent = serializers.FloatField()


class MatrixRowSerializer(serializers.Serializer):
    row = serializers.CharField()
    answered = serializers.IntegerField()
    cells = MatrixCellSerializer(many=True, help_text="One per column (the question's options), in order.")


class QuestionResultSerializer(serializers.Serializer):
    position = serializers.IntegerField(source="question.position")
    kind = serializers.CharField(source="question.kind")
    title = serializers.CharField(source="question.title")
    answered = serializers.IntegerField(help_text="People who answered the question.")
    options = OptionResultSerializer(many=True)
    matrix = MatrixRowSerializer(many=True)


class SurveyResultsSerializer(serializers.Serializer):
    responses = serializers.IntegerField()
    questions = QuestionResultSerializer(many=True)


class SurveySerializer(serializers.ModelSerializer):
    process = serializers.CharField(source="process.slug", help_text="Slug of the process.")
    state = serializers.SerializerMethodField(help_text="open, not_yet or closed at the time of the request.")
    opens_at = serializers.SerializerMethodField()
    closes_at = serializers.SerializerMethodField()
    questions = serializers.SerializerMethodField()
    results_published = serializers.SerializerMethodField()
    results = serializers.SerializerMethodField(help_text="The results, once the process publishes them; else null.")
    url = serializers.SerializerMethodField(help_text="The survey's page.")

    class Meta:
        model = Survey
        fields = [
            "slug",
            "process",
            "title",
            "introduction",
            "mode",
            "state",
            "opens_at",
            "closes_at",
            "questions",
            "results_published",
            "results",
            "url",
        ]

    def _window(self, survey):
        cache = self.context.setdefault("windows", {})
        if survey.pk not in cache:
            cache[survey.pk] = selectors.window(survey, self.context["now"])
        return cache[survey.pk]

    def get_state(self, survey) -> str:
        return self._window(survey)[0]

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_opens_at(self, survey):
        value = self._window(survey)[1]
        return serializers.DateTimeField().to_representation(value) if value else None

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_closes_at(self, survey):
        value = self._window(survey)[2]
        return serializers.DateTimeField().to_representation(value) if value else None

    @extend_schema_field(SurveyQuestionSerializer(many=True))
    def get_questions(self, survey):
        return SurveyQuestionSerializer(selectors.questions_of(survey), many=True).data

    def get_results_published(self, survey) -> bool:
        return selectors.results_published(survey, self.context["now"])

    @extend_schema_field(SurveyResultsSerializer(allow_null=True))
    def get_results(self, survey):
        if not selectors.results_published(survey, self.context["now"]):
            return None
        total, found = selectors.results(survey)
        return SurveyResultsSerializer({"responses": total, "questions": found}).data

    def get_url(self, survey) -> str:
        path = reverse("participation:survey_detail", kwargs={"slug": survey.process.slug, "survey_slug": survey.slug})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path
