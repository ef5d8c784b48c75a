"""Who may open which survey address (role × URL matrix), and tenancy: another government's
survey, question or answer answers 404."""

from __future__ import annotations

import pytest

from minga.core.tenancy.scoping import government_scope
from minga.core.testing import assert_foreign_government_404, assert_role_matrix, gov_url, login_verified, make_official

from .. import services
from .. import urls as survey_urls
from ..api import urls as survey_api_urls
from ..models import Answer, Question, Survey
from .support import consultation, full_answers, now, survey_with_questions

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(government):
    process = consultation(government, slug="consulta")
    survey, q = survey_with_questions(government, process)
    with government_scope(government):
        services.response_submit(
            government=government, survey=survey, user=None, session_token="t", raw=full_answers(q), now=now()
        )
        answer = Answer.objects.get(question=q["short"])
    return survey, q, answer


def addresses(government, survey, q, answer) -> dict[str, list[str]]:
    public = {"slug": survey.process.slug, "survey_slug": survey.slug}
    return {
        "public": [
            gov_url(government, "participation:survey_detail", **public),
            gov_url(government, "participation:survey_results", **public),  # a notice until published
            gov_url(government, "participation-api:surveys", slug=survey.process.slug),
            gov_url(government, "participation-api:survey", **public),
        ],
        "viewer": [
            gov_url(government, "participation:office_surveys"),
            gov_url(government, "participation:office_survey_results", pk=survey.pk),
        ],
        "editor": [
            gov_url(government, "participation:office_survey_create"),
            gov_url(government, "participation:office_survey_edit", pk=survey.pk),
            gov_url(government, "participation:office_survey_delete", pk=survey.pk),
            gov_url(government, "participation:office_question_create", pk=survey.pk),
            gov_url(government, "participation:office_question_edit", pk=survey.pk, question_pk=q["long"].pk),
        ],
        "editor_posts": [
            gov_url(government, "participation:office_question_delete", pk=survey.pk, question_pk=q["long"].pk),
            gov_url(government, "participation:office_answer_moderate", pk=survey.pk, answer_pk=answer.pk),
        ],
        # Published results only (404 before; officials see them on the results page).
        "csv": [
            gov_url(government, "participation:survey_results_csv", **public),
            gov_url(government, "participation:survey_responses_csv", **public),
        ],
    }


def test_every_survey_url_is_in_the_matrix(government, built):
    covered = {u for urls in addresses(government, *built).values() for u in urls}
    assert len(covered) == len(survey_urls.urlpatterns) + len(survey_api_urls.urlpatterns)


def test_role_matrix(client, government, other_government, built):
    found = addresses(government, *built)
    found.pop("csv")
    assert_role_matrix(client, government, other_government, "participation", other_module="works", **found)
    survey, q, answer = built
    with government_scope(government):
        assert Question.objects.filter(pk=q["long"].pk).exists()  # the refused POSTs deleted nothing
        assert not Answer.objects.get(pk=answer.pk).is_hidden


def test_foreign_government_gets_404(client, government, other_government, built):
    survey, q, answer = built
    found = addresses(government, *built)
    assert_foreign_government_404(client, other_government, found["public"], government)
    login_verified(client, make_official(other_government, "admin"))
    office = [u for u in found["viewer"] + found["editor"] if str(survey.pk) in u]
    assert_foreign_government_404(client, other_government, office, government)
    for address in found["editor_posts"]:
        foreign = address.replace(f"/g/{government.slug}/", f"/g/{other_government.slug}/", 1)
        assert client.post(foreign, {"ocultar": "1"}).status_code == 404, foreign
    with government_scope(government):
        assert Survey.objects.filter(pk=survey.pk).exists()
        assert not Answer.objects.get(pk=answer.pk).is_hidden
