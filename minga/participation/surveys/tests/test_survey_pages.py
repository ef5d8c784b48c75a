"""Survey pages through HTTP: the form keeps what was typed on errors, answers are recorded
once, closed surveys say so, results only when published (officials always), CSV files, the
section of the process page, and XSS in questions and answers escaped."""

from __future__ import annotations

import csv
import io

import pytest

from minga.core.tenancy.scoping import government_scope
from minga.core.testing import gov_url, login_verified

from .. import services
from ..models import Answer, Participation, Response, Survey
from .support import DAY, consultation, full_answers, now, survey_with_questions

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script>'


@pytest.fixture
def open_survey(government):
    process = consultation(government, slug="consulta")
    return survey_with_questions(government, process)


def url(government, survey, name="participation:survey_detail"):
    return gov_url(government, name, slug=survey.process.slug, survey_slug=survey.slug)


def form_data(q, **changes) -> dict:
    data = {
        f"p{q['single'].pk}": "0",
        f"p{q['multiple'].pk}": ["0", "2"],
        f"p{q['ranking'].pk}_0": "2",
        f"p{q['ranking'].pk}_1": "3",
        f"p{q['ranking'].pk}_2": "1",
        f"p{q['short'].pk}": "Centro",
        f"p{q['long'].pk}": "",
        f"p{q['matrix'].pk}_f0": "0",
        f"p{q['matrix'].pk}_f1": "1",
        f"p{q['conditional'].pk}": "1",
    }
    data.update(changes)
    return data


def test_answering_through_the_page(client, government, open_survey):
    survey, q = open_survey
    page = client.get(url(government, survey))
    assert page.status_code == 200
    html = page.content.decode()
    assert "¿Cómo se mueve?" in html and 'data-condition-question="' in html
    assert "Responda solo si respondió" in html or "Answer only if" in html
    answered = client.post(url(government, survey), form_data(q))
    assert answered.status_code == 302
    with government_scope(government):
        response = Response.objects.get()
        ranking = Answer.objects.get(response=response, question=q["ranking"])
    assert ranking.choices == [2, 0, 1]  # places 2, 3, 1 → option 2 first
    again = client.get(url(government, survey))
    assert 'id="survey-answered"' in again.content.decode()
    refused = client.post(url(government, survey), form_data(q))
    assert refused.status_code == 409
    with government_scope(government):
        assert Participation.objects.count() == 1


def test_errors_keep_what_was_typed(client, government, open_survey):
    survey, q = open_survey
    data = form_data(q, **{f"p{q['multiple'].pk}": ["0", "1", "2"], f"p{q['short'].pk}": "Barrio Los Esteros"})
    page = client.post(url(government, survey), data)
    assert page.status_code == 400
    html = page.content.decode()
    assert 'value="Barrio Los Esteros"' in html
    assert f'name="p{q["multiple"].pk}" value="2" checked' in html
    assert (
        f'id="p{q["ranking"].pk}_2" name="p{q["ranking"].pk}_2"><option value="">—</option><option value="1" selected'
        in html
    )
    assert f'name="p{q["matrix"].pk}_f1" value="1" aria-label' in html
    assert 'aria-invalid="true"' in html
    with government_scope(government):
        assert not Response.objects.exists() and not Participation.objects.exists()


def test_xss_in_questions_and_answers_is_escaped(client, government, editor):
    process = consultation(government, results_now=True, slug="consulta-xss")
    survey, q = survey_with_questions(government, process, title=XSS)
    with government_scope(government):
        services.question_update(
            actor=None, government=government, question=q["single"], now=process.starts_at, title=XSS
        )
    # Answers come in while voting was open.
    with government_scope(government):
        vote_time = now() - 5 * DAY  # inside the voting phase, which ended two days ago
        services.response_submit(
            government=government,
            survey=survey,
            user=None,
            session_token="t",
            raw={**full_answers(q), q["short"].pk: XSS},
            now=vote_time,
        )
    for address in (url(government, survey), url(government, survey, "participation:survey_results")):
        html = client.get(address).content.decode()
        assert XSS not in html and "&lt;script&gt;" in html, address
    login_verified(client, editor)
    html = client.get(gov_url(government, "participation:office_survey_results", pk=survey.pk)).content.decode()
    assert XSS not in html and "&lt;script&gt;" in html


def test_closed_survey_says_so_and_refuses(client, government):
    process = consultation(government, vote_in_days=3, slug="pronto")
    survey, q = survey_with_questions(government, process)
    page = client.get(url(government, survey))
    assert 'id="survey-closed"' in page.content.decode() and "survey-form" not in page.content.decode()
    assert client.post(url(government, survey), form_data(q)).status_code == 409


def test_results_hidden_until_the_phase_shows_them(client, government, open_survey, viewer):
    survey, q = open_survey
    client.post(url(government, survey), form_data(q))
    page = client.get(url(government, survey, "participation:survey_results"))
    assert 'id="results-hidden"' in page.content.decode()
    assert client.get(url(government, survey, "participation:survey_results_csv")).status_code == 404
    assert client.get(url(government, survey, "participation:survey_responses_csv")).status_code == 404
    login_verified(client, viewer)  # officials always see them
    page = client.get(url(government, survey, "participation:survey_results"))
    assert 'id="results-officials"' in page.content.decode() and "<svg" in page.content.decode()


def _published_results(government):
    process = consultation(government, results_now=True, slug="resultados")
    survey, q = survey_with_questions(government, process)
    vote_time = now() - 5 * DAY  # inside the voting phase, which ended two days ago
    with government_scope(government):
        for token, single in (("a", 0), ("b", 0), ("c", 1)):
            raw = full_answers(q)
            raw[q["single"].pk] = single
            if single != 0:
                raw.pop(q["conditional"].pk)
            services.response_submit(
                government=government, survey=survey, user=None, session_token=token, raw=raw, now=vote_time
            )
    return survey, q


def test_published_results_with_charts_and_csv(client, government):
    survey, q = _published_results(government)
    html = client.get(url(government, survey, "participation:survey_results")).content.decode()
    assert "<svg" in html and "66,7" in html  # 2 of 3 chose Bus
    aggregated = client.get(url(government, survey, "participation:survey_results_csv"))
    rows = list(csv.reader(io.StringIO(b"".join(aggregated.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:6] == ["pregunta_numero", "pregunta", "tipo", "fila", "opcion", "respuestas"]
    bus = next(r for r in rows if r[1] == "¿Cómo se mueve?" and r[4] == "Bus")
    assert bus[5] == "2" and bus[6] == "66.7"
    ranking = {r[4]: r for r in rows if r[1] == "Ordene"}
    assert ranking["Costo"][8] == "6" and ranking["Costo"][7] == "1.0"  # first everywhere: 2 points × 3
    responses = client.get(url(government, survey, "participation:survey_responses_csv"))
    rows = list(csv.reader(io.StringIO(b"".join(responses.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 4 and rows[0][0] == "respuesta" and len(rows[0]) == 2 + 7
    assert {r[2] for r in rows[1:]} == {"Bus", "Bicicleta"}
    assert all(r[3] == "Veredas; Buses" for r in rows[1:])
    assert all(r[4] == "Costo > Seguridad > Rapidez" for r in rows[1:])


def test_csv_neutralises_formulas_and_hides_moderated_text(client, government, editor):
    survey, q = _published_results(government)
    with government_scope(government):
        answer = Answer.objects.filter(question=q["short"]).first()
        Answer.objects.filter(pk=answer.pk).update(text="=HYPERLINK(1)")
        other = Answer.objects.filter(question=q["short"]).exclude(pk=answer.pk).first()
        services.answer_set_hidden(actor=editor, government=government, answer=other, hidden=True)
    body = b"".join(client.get(url(government, survey, "participation:survey_responses_csv")).streaming_content)
    text = body.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text and "=HYPERLINK" not in text.replace("'=HYPERLINK", "")
    assert "moderador" in text
    html = client.get(url(government, survey, "participation:survey_results")).content.decode()
    assert "moderador" in html


def test_the_process_page_shows_the_survey_section(client, government, open_survey):
    survey, _q = open_survey
    html = client.get(gov_url(government, "participation:process_detail", slug=survey.process.slug)).content.decode()
    assert 'id="encuestas"' in html and survey.title in html and url(government, survey) in html


def test_office_builds_a_survey(client, government, editor):
    process = consultation(government, vote_in_days=5, slug="futura")
    login_verified(client, editor)
    created = client.post(
        gov_url(government, "participation:office_survey_create"),
        {"process": process.pk, "title": "Encuesta nueva", "mode": "anonymous", "is_published": "on"},
    )
    assert created.status_code == 302
    with government_scope(government):
        survey = Survey.objects.get(title="Encuesta nueva")
    add = gov_url(government, "participation:office_question_create", pk=survey.pk)
    bad = client.post(add, {"kind": "single", "title": "¿Una?", "options": "Sola"})
    assert bad.status_code == 200 and "¿Una?" in bad.content.decode()  # typed values kept with the error
    assert (
        client.post(add, {"kind": "single", "title": "¿Una?", "options": "Sí\nNo", "required": "on"}).status_code == 302
    )
    with government_scope(government):
        first = survey.questions.get()
    conditional = client.post(
        add,
        {"kind": "long_text", "title": "¿Por qué no?", "condition_question": first.pk, "condition_values": "Quizás"},
    )
    assert conditional.status_code == 200 and "Quizás" in conditional.content.decode()
    assert (
        client.post(
            add,
            {"kind": "long_text", "title": "¿Por qué no?", "condition_question": first.pk, "condition_values": "No"},
        ).status_code
        == 302
    )
    with government_scope(government):
        assert survey.questions.get(title="¿Por qué no?").condition_values == [1]


def test_office_edit_after_opening_is_refused_on_the_page(client, government, open_survey, editor):
    survey, q = open_survey
    login_verified(client, editor)
    page = client.post(
        gov_url(government, "participation:office_question_edit", pk=survey.pk, question_pk=q["single"].pk),
        {"kind": "single", "title": "Cambiada", "options": "Bus\nBicicleta\nA pie"},
    )
    assert page.status_code == 200 and "Cambiada" in page.content.decode()
    assert "audit" in page.content.decode() or "auditor" in page.content.decode()


def test_api_lists_surveys_and_only_published_results(client, government, open_survey):
    survey, q = open_survey
    data = client.get(gov_url(government, "participation-api:surveys", slug=survey.process.slug)).json()
    assert data["count"] == 1
    item = data["results"][0]
    assert item["slug"] == survey.slug and item["state"] == "open" and item["results"] is None
    assert [question["kind"] for question in item["questions"]][:3] == ["single", "multiple", "ranking"]
    assert item["questions"][6]["condition_question"] == 1
    published, _q = _published_results(government)
    detail = client.get(
        gov_url(government, "participation-api:survey", slug=published.process.slug, survey_slug=published.slug)
    ).json()
    assert detail["results_published"] and detail["results"]["responses"] == 3
    first = detail["results"]["questions"][0]
    assert first["options"][0] == {"label": "Bus", "count": 2, "percent": 66.7, "average_position": None, "borda": None}
    assert "Centro" not in str(detail)  # no text answer in the API
    missing = gov_url(government, "participation-api:survey", slug=published.process.slug, survey_slug="nada")
    assert client.get(missing).status_code == 404


def test_open_data_table_holds_published_results_only(government, open_survey):
    from minga.core.opendata import tables_for

    survey, q = open_survey  # voting now: results not published
    published, _q = _published_results(government)
    with government_scope(government):
        (table,) = [t for t in tables_for(government, "participation") if t.key == "participation.survey_results"]
        names = [column.name for column in table.columns]
        rows = [dict(zip(names, row, strict=True)) for row in table.rows()]
    assert {row["encuesta"] for row in rows} == {published.slug} and {row["proceso"] for row in rows} == {"resultados"}
    bus = next(row for row in rows if row["pregunta"] == "¿Cómo se mueve?" and row["opcion"] == "Bus")
    assert bus["respuestas"] == 2 and bus["porcentaje"] == 66.7
    text = next(row for row in rows if row["pregunta"] == "Su barrio")
    assert text["respuestas"] == 3 and "Centro" not in str(rows)  # no text answers


def test_demo_consultation_gets_a_survey_with_responses(client, government):
    import io

    from ... import demo

    with government_scope(government):
        for _ in range(2):  # idempotent
            demo.seed(government, now=now(), stdout=io.StringIO())
        survey = Survey.objects.get(process__slug="consulta-movilidad")
        kinds = [q.kind for q in survey.questions.order_by("position")]
        assert set(kinds) == {"single", "multiple", "ranking", "matrix", "short_text", "long_text"}
        assert survey.questions.filter(condition_question__isnull=False).count() == 1
        assert Participation.objects.filter(survey=survey).count() == Response.objects.filter(survey=survey).count()
        assert Response.objects.filter(survey=survey).count() >= 200
        bus = survey.questions.get(position=1)
        rating = survey.questions.get(position=2)
        bus_users = Answer.objects.filter(question=bus, choices=[0]).count()
        assert Answer.objects.filter(question=rating).count() == bus_users  # the condition holds in the data
    page = client.get(url(government, survey))
    assert page.status_code == 200 and "Prioridades de movilidad" in page.content.decode()


def test_anonymous_responses_are_rate_limited_per_address(client, government, open_survey, monkeypatch):
    from django.test import Client

    from ..views import public

    survey, q = open_survey
    monkeypatch.setattr(public, "ANONYMOUS_PER_HOUR", 1)
    assert client.post(url(government, survey), form_data(q)).status_code == 302
    other_browser = Client()
    refused = other_browser.post(url(government, survey), form_data(q, **{f"p{q['short'].pk}": "Tarqui"}))
    assert refused.status_code == 429 and 'value="Tarqui"' in refused.content.decode()
    with government_scope(government):
        assert Participation.objects.count() == 1


def test_verified_survey_tells_what_is_missing_and_refuses(client, government):
    process = consultation(government, slug="verificada", settings={"verification_vote": "cedula"})
    survey, q = survey_with_questions(government, process, mode="verified")
    html = client.get(url(government, survey)).content.decode()
    assert "Para responder la encuesta necesita registrar su cédula." in html
    refused = client.post(url(government, survey), form_data(q))
    assert refused.status_code == 403 and 'value="Centro"' in refused.content.decode()
    with government_scope(government):
        assert not Participation.objects.exists()
