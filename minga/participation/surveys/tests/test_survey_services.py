"""Surveys' services: each kind of question checked, conditional questions, the window, the
rules locked once voting opens (refused and audited), one response per person or browser,
and the unlinkable ballots."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from minga.core.audit.models import AuditEntry
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import UserFactory, make_verified_person
from minga.core.verification.levels import Level

from .. import answers, services
from ..models import Answer, Participation, Question, Response
from .support import DAY, consultation, full_answers, now, survey_with_questions

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_survey(government):
    process = consultation(government)
    return survey_with_questions(government, process)


def submit(government, survey, raw, *, token="navegador-1", user=None):  # noqa: S107
    with government_scope(government):
        return services.response_submit(
            government=government, survey=survey, user=user, session_token=token, raw=raw, now=now()
        )


def errors_of(government, survey, raw) -> dict:
    with pytest.raises(ValidationError) as refused:
        submit(government, survey, raw)
    return refused.value.message_dict


def test_a_complete_response_is_stored_as_answers(government, open_survey):
    survey, q = open_survey
    response = submit(government, survey, full_answers(q))
    with government_scope(government):
        stored = {a.question_id: a for a in Answer.objects.filter(response=response)}
        assert Participation.objects.filter(survey=survey).count() == 1
    assert stored[q["single"].pk].choices == [0]
    assert stored[q["multiple"].pk].choices == [0, 2]
    assert stored[q["ranking"].pk].choices == [2, 0, 1]
    assert stored[q["short"].pk].text == "Centro"
    assert stored[q["matrix"].pk].choices == [0, 1]
    assert stored[q["conditional"].pk].choices == [1]
    assert q["long"].pk not in stored  # optional and empty: nothing stored


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("multiple", [0, 1, 2], "como máximo 2 opciones"),
        ("multiple", [0, 0], "una sola vez"),
        ("single", [0, 1], "solo una opción"),
        ("single", 7, "opciones ofrecidas"),
        ("ranking", [0, 1], "Dé un lugar a cada opción, del 1 al 3"),
        ("ranking", [0, 0, 1], "un lugar distinto"),
        ("matrix", [0, None], "faltan: Veredas"),
        ("matrix", [0, 5], "en cada fila"),
        ("short", "x" * 201, "como máximo 200 caracteres"),
        ("short", "", "obligatoria"),
    ],
)
def test_each_kind_of_question_is_checked(government, open_survey, key, value, message):
    """Each refusal is a Spanish sentence next to its question; nothing is written."""
    survey, q = open_survey
    raw = full_answers(q)
    raw[q[key].pk] = value
    found = errors_of(government, survey, raw)
    assert message in " ".join(found[str(q[key].pk)])
    with government_scope(government):
        assert not Response.objects.exists() and not Participation.objects.exists()


def test_a_hidden_conditional_question_is_discarded_and_not_required(government, open_survey):
    survey, q = open_survey
    raw = full_answers(q)
    raw[q["single"].pk] = 1  # Bicicleta: question 7 is not shown
    raw[q["conditional"].pk] = 0  # sent anyway (a page without JavaScript shows every question)
    response = submit(government, survey, raw)
    with government_scope(government):
        assert not Answer.objects.filter(response=response, question=q["conditional"]).exists()
    # Shown (Bus) and required: missing is refused.
    raw = full_answers(q)
    raw.pop(q["conditional"].pk)
    assert str(q["conditional"].pk) in errors_of(government, survey, raw)


def test_shown_questions_follow_chains_of_conditions(government, open_survey):
    survey, q = open_survey
    with government_scope(government):
        questions = list(Question.objects.filter(survey=survey).order_by("position"))
    shown = answers.shown_questions(questions, {q["single"].pk: [2]})
    assert q["conditional"].pk not in shown and q["single"].pk in shown


def test_one_response_per_browser_and_nothing_half_saved(government, open_survey):
    survey, q = open_survey
    submit(government, survey, full_answers(q))
    with pytest.raises(services.AlreadyAnswered):
        submit(government, survey, full_answers(q))
    submit(government, survey, full_answers(q), token="otro-navegador")
    with government_scope(government):
        assert Participation.objects.count() == 2
        assert Response.objects.count() == 2
        assert Answer.objects.count() == 12


def test_verified_survey_needs_the_process_level_and_counts_the_person_once(government):
    process = consultation(government, settings={"verification_vote": "cedula"})
    survey, q = survey_with_questions(government, process, mode="verified")
    with pytest.raises(PermissionDenied):
        submit(government, survey, full_answers(q), user=UserFactory())
    person = make_verified_person(government, Level.CEDULA)
    submit(government, survey, full_answers(q), user=person, token="a")
    with pytest.raises(services.AlreadyAnswered):
        submit(government, survey, full_answers(q), user=person, token="b")  # another browser: the same person


def test_outside_the_window_answers_are_refused(government):
    before = consultation(government, vote_in_days=3)
    survey, q = survey_with_questions(government, before)
    with pytest.raises(services.SurveyClosed, match="abre el"):
        submit(government, survey, full_answers(q))
    after = consultation(government, results_now=True)
    survey, q = survey_with_questions(government, after, title="Otra")
    with pytest.raises(services.SurveyClosed):
        submit(government, survey, full_answers(q))
    with government_scope(government):
        assert not Participation.objects.exists() and not Response.objects.exists()


def test_the_surveys_own_window_inside_the_phase(government, open_survey):
    survey, q = open_survey
    with government_scope(government):
        survey.closes_at = now() - DAY / 24
        survey.save()
    with pytest.raises(services.SurveyClosed, match="cerró el"):
        submit(government, survey, full_answers(q))


def test_questions_are_locked_once_voting_opens_refused_and_audited(government, open_survey, editor):
    survey, q = open_survey
    with government_scope(government):
        with pytest.raises(services.SurveyLocked):
            services.question_update(actor=editor, government=government, question=q["single"], title="Otra cosa")
        with pytest.raises(services.SurveyLocked):
            services.question_create(
                actor=editor, government=government, survey=survey, kind="short_text", title="Nueva"
            )
        with pytest.raises(services.SurveyLocked):
            services.question_delete(actor=editor, government=government, question=q["long"])
        with pytest.raises(services.SurveyLocked):
            services.survey_update(actor=editor, government=government, survey=survey, mode="verified")
        with pytest.raises(services.SurveyLocked):
            services.survey_delete(actor=editor, government=government, survey=survey)
        assert Question.objects.get(pk=q["single"].pk).title == "¿Cómo se mueve?"
        assert Question.objects.filter(survey=survey).count() == 7
        refused = AuditEntry.objects.filter(action="participation.survey.change_refused")
        assert refused.count() == 5
        # What is not a voting rule still changes.
        services.survey_update(actor=editor, government=government, survey=survey, title="Nuevo título")


def test_building_a_survey_before_voting_checks_questions(government, editor):
    process = consultation(government, vote_in_days=5)
    with government_scope(government):
        survey = services.survey_create(actor=editor, government=government, process=process, title="Encuesta")
        with pytest.raises(ValidationError) as refused:
            services.question_create(
                actor=editor, government=government, survey=survey, kind="single", title="A", options=["x"]
            )
        assert "options" in refused.value.message_dict
        first = services.question_create(
            actor=editor, government=government, survey=survey, kind="single", title="A", options=["x", "y"]
        )
        with pytest.raises(ValidationError) as refused:
            services.question_create(
                actor=editor,
                government=government,
                survey=survey,
                kind="multiple",
                title="B",
                options=["x", "y"],
                max_choices=3,
            )
        assert "max_choices" in refused.value.message_dict
        second = services.question_create(
            actor=editor,
            government=government,
            survey=survey,
            kind="short_text",
            title="C",
            condition_question=first,
            condition_values=[1],
        )
        with pytest.raises(ValidationError):
            services.question_update(
                actor=editor, government=government, question=first, condition_question=second, condition_values=[0]
            )
        services.question_update(actor=editor, government=government, question=second, title="C2")
        assert AuditEntry.objects.filter(action="participation.survey.question_updated").count() == 1
        with pytest.raises(ValidationError):
            services.question_delete(actor=editor, government=government, question=first)  # second depends on it
        services.question_delete(actor=editor, government=government, question=second)
        services.question_delete(actor=editor, government=government, question=first)
        services.survey_delete(actor=editor, government=government, survey=survey)


def _columns(model) -> set[str]:
    return {field.column for field in model._meta.concrete_fields}


def test_who_and_what_cannot_be_joined(government, open_survey):
    """Participation (who) and Response/Answer (what) share only the survey and the day: no
    foreign key, no column, no timestamp finer than a day, no sequential id."""
    assert _columns(Participation) == {"id", "government_id", "survey_id", "voter", "created_on"}
    assert _columns(Response) == {"id", "government_id", "survey_id", "submitted_on"}
    assert _columns(Answer) == {"id", "government_id", "response_id", "question_id", "choices", "text", "is_hidden"}
    for model in (Participation, Response, Answer):
        assert model._meta.pk.get_internal_type() == "UUIDField"
        for field in model._meta.concrete_fields:
            assert field.get_internal_type() not in ("DateTimeField", "AutoField", "BigAutoField"), (model, field)
            if field.is_relation:
                assert field.related_model not in (Participation, Response) or model is Answer, (model, field)
    survey, q = open_survey
    for token in ("a", "b", "c"):
        submit(government, survey, full_answers(q), token=token)
    with government_scope(government):
        # Listed in the order of random ids, not the order people answered.
        assert list(Response.objects.filter(survey=survey).values_list("id", flat=True)) == sorted(
            Response.objects.filter(survey=survey).values_list("id", flat=True)
        )
    # No table of the app refers to both.
    tables = connection.introspection.table_names()
    assert "participation_participation" in tables and "participation_response" in tables


def test_submissions_are_not_in_the_audit_log(government, open_survey):
    survey, q = open_survey
    before = AuditEntry.objects.count()
    submit(government, survey, full_answers(q))
    assert AuditEntry.objects.count() == before


def test_moderators_hide_a_text_answer_audited(government, open_survey, editor):
    survey, q = open_survey
    submit(government, survey, full_answers(q))
    with government_scope(government):
        answer = Answer.objects.get(question=q["short"])
        services.answer_set_hidden(actor=editor, government=government, answer=answer, hidden=True)
        assert Answer.objects.get(pk=answer.pk).is_hidden
    assert AuditEntry.objects.filter(action="participation.survey.answer_hidden").count() == 1


def test_deleting_a_process_takes_its_surveys_with_conditional_questions(government, editor):
    from ...processes import services as process_services

    process = consultation(government, vote_in_days=5)
    survey, _q = survey_with_questions(government, process)
    with government_scope(government):
        process_services.process_delete(actor=editor, government=government, process=process)
        assert not Question.objects.filter(survey_id=survey.pk).exists()


def test_a_question_others_depend_on_keeps_its_options(government, editor):
    process = consultation(government, vote_in_days=5)
    survey, q = survey_with_questions(government, process)
    with government_scope(government):
        with pytest.raises(ValidationError) as refused:
            services.question_update(actor=editor, government=government, question=q["single"], kind="short_text")
        assert "depende" in " ".join(refused.value.message_dict["kind"])
        services.question_update(
            actor=editor, government=government, question=q["single"], options=["Bus", "Bicicleta", "A pie", "Auto"]
        )
