"""Citizens' comments on the articles of an act, through HTTP on the demo council: which acts
take comments (the procedure's stages, the module's settings, an editor's switch and closing
date), a quoted passage checked against the article (nothing saved when it is not the
article's words), the article's address and its 404s, the counts on the act's page, the
councillors' summary and its CSV, and the committee's answers."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from minga.core.comments import services as comments
from minga.core.comments.models import Comment
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import UserFactory, gov_url, login_verified

from ..acts.models import Act, Unit, Version
from ..debate import demo, selectors, services
from ..debate.models import ArticleAnswer, ArticleComment, DebateSetting
from ..debate.rules import TARGET, closed_reason
from ..debate.text import article_ref, find_quote, marked_text
from .conftest import strip_demo_activity

pytestmark = pytest.mark.django_db

OPEN, CLOSED = "PO-2026-005", "PO-2026-003"  # in first debate; approved


def _act(government, identifier) -> Act:
    with government_scope(government):
        return Act.objects.get(identifier=identifier)


def _article(act, index=0, version=None) -> Unit:
    with government_scope(act.government):
        version = version or selectors.latest_version(act)
        return list(selectors.commentable_units(version))[index]


def _page(government, act, unit, query=""):
    return gov_url(government, "council:article", slug=act.slug, ref=article_ref(unit)) + query


def _create_url(government, unit):
    return gov_url(government, "core:comment_create", target=TARGET, object_id=unit.pk)


@pytest.fixture(autouse=True)
def _without_the_demo_comments(request):
    """These tests count comments from zero: the demo's comments on articles are removed."""
    if "seeded" in request.fixturenames:
        strip_demo_activity(request.getfixturevalue("seeded"), sessions=False)


@pytest.fixture
def citizen(client):
    user = UserFactory()
    login_verified(client, user)
    return user


def _count(government, **filters):
    with government_scope(government):
        return Comment.objects.filter(target_key=TARGET, **filters).count(), ArticleComment.objects.count()


# Which acts take comments ------------------------------------------------------------------------


def test_default_rule_opens_ordinances_from_qualification_to_first_debate(seeded, today):
    with government_scope(seeded):
        by_id = {act.identifier: act for act in Act.objects.all()}
        assert closed_reason(by_id[OPEN], today) == ""
        assert closed_reason(by_id["PO-2026-007"], today) == ""  # qualified
        assert "etapas" in closed_reason(by_id[CLOSED], today)  # approved
        assert "tipo de acto" in closed_reason(by_id["RES-2026-001"], today)


def test_module_settings_and_the_editors_switch_change_the_rule(seeded, editor, today):
    act, closed = _act(seeded, OPEN), _act(seeded, CLOSED)
    seeded.modules = {"council": {"enabled": True, "settings": {"comment_stages": ["approved"]}}}
    seeded.save()
    with government_scope(seeded):
        assert closed_reason(Act.objects.get(pk=closed.pk), today) == ""
        assert closed_reason(Act.objects.get(pk=act.pk), today) != ""
    seeded.modules = {"council": {"enabled": True}}
    seeded.save()
    with government_scope(seeded):
        services.setting_save(actor=editor, government=seeded, act=act, mode="closed", closes_on=None)
        assert "cerró los comentarios" in closed_reason(Act.objects.get(pk=act.pk), today)
        services.setting_save(actor=editor, government=seeded, act=closed, mode="open", closes_on=None)
        assert closed_reason(Act.objects.get(pk=closed.pk), today) == ""
        services.setting_save(
            actor=editor, government=seeded, act=closed, mode="open", closes_on=today - dt.timedelta(days=1)
        )
        assert "se cerraron el" in closed_reason(Act.objects.get(pk=closed.pk), today)


def test_editor_sets_the_switch_through_the_back_office(client, seeded, editor):
    act = _act(seeded, CLOSED)
    login_verified(client, editor)
    url = gov_url(seeded, "council:office_article_setting", pk=act.pk)
    response = client.post(url, {"mode": "open", "closes_on": "2030-01-31"})
    assert response.status_code == 302
    with government_scope(seeded):
        setting = DebateSetting.objects.get(act=act)
        assert (setting.mode, setting.closes_on) == ("open", dt.date(2030, 1, 31))
        from minga.core.audit.models import AuditEntry

        assert AuditEntry.objects.filter(action="council.debate.configured").exists()
    assert client.post(url, {"mode": "nonsense"}).status_code == 400


def test_citizen_comments_on_an_article_of_an_open_act(client, seeded, citizen):
    act = _act(seeded, OPEN)
    unit = _article(act, 1)
    response = client.post(_create_url(seeded, unit), {"body": "Propongo precisar el plazo.", "alignment": "-1"})
    assert response.status_code == 302
    with government_scope(seeded):
        comment = Comment.objects.get(target_key=TARGET)
    assert response["Location"].endswith(f"/articulos/{article_ref(unit)}/#comentario-{comment.pk}")
    with government_scope(seeded):
        assert (comment.target_id, comment.alignment) == (unit.pk, -1)
        extra = ArticleComment.objects.get(comment=comment)
        assert extra.unit_id == unit.pk and extra.quote == ""
    page = client.get(_page(seeded, act, unit)).content.decode()
    assert "Propongo precisar el plazo." in page


def test_closed_act_explains_why_and_keeps_comments_readable(client, seeded, citizen, editor):
    act = _act(seeded, OPEN)
    unit = _article(act)
    client.post(_create_url(seeded, unit), {"body": "Primer comentario.", "alignment": "1"})
    with government_scope(seeded):
        services.setting_save(actor=editor, government=seeded, act=act, mode="closed", closes_on=None)
    page = client.get(_page(seeded, act, unit)).content.decode()
    assert "Primer comentario." in page
    assert "cerró los comentarios sobre este acto" in page
    assert 'name="body"' not in page
    response = client.post(_create_url(seeded, unit), {"body": "Otro más.", "alignment": "1"})
    assert response.status_code == 400
    assert _count(seeded) == (1, 1)


def test_closed_act_sentence_is_spanish_for_citizens(client, seeded):
    act = _act(seeded, CLOSED)
    page = client.get(_page(seeded, act, _article(act))).content.decode()
    assert "Los comentarios están abiertos solo mientras" in page


def test_an_earlier_version_takes_no_comments(client, seeded, citizen):
    act = _act(seeded, OPEN)
    with government_scope(seeded):
        first = Version.objects.get(act=act, number=1)
    unit = _article(act, 0, first)
    page = client.get(_page(seeded, act, unit, "?version=1")).content.decode()
    assert 'id="older-version"' in page
    assert client.post(_create_url(seeded, unit), {"body": "Tarde.", "alignment": "0"}).status_code == 400
    assert _count(seeded) == (0, 0)


def test_verification_level_from_the_settings(client, seeded, citizen):
    seeded.modules = {"council": {"enabled": True, "settings": {"comment_level": "cedula"}}}
    seeded.save()
    act = _act(seeded, OPEN)
    unit = _article(act)
    assert client.post(_create_url(seeded, unit), {"body": "Sin cédula.", "alignment": "0"}).status_code == 400
    assert _count(seeded) == (0, 0)


# Quoted passages ----------------------------------------------------------------------------------


def test_quote_with_offsets_is_stored_and_marked(client, seeded, citizen):
    act = _act(seeded, OPEN)
    unit = _article(act)
    start = 5
    end = start + 20
    quote = unit.body[start:end].strip()
    start = unit.body.index(quote, start)
    data = {"body": "Sobre este fragmento.", "alignment": "0", "quote": quote}
    data.update(quote_start=start, quote_end=start + len(quote))
    assert client.post(_create_url(seeded, unit), data).status_code == 302
    with government_scope(seeded):
        extra = ArticleComment.objects.get()
        assert (extra.quote, extra.quote_start, extra.quote_end) == (quote, start, start + len(quote))
    page = client.get(_page(seeded, act, unit)).content.decode()
    assert "<mark>" in page and "Fragmento citado por la ciudadanía" in page


def test_quote_offsets_that_do_not_match_are_refused_and_nothing_is_saved(client, seeded, citizen):
    act = _act(seeded, OPEN)
    unit = _article(act)
    quote = unit.body[0:15]
    data = {"body": "Con cita desplazada.", "alignment": "1", "quote": quote, "quote_start": 1, "quote_end": 16}
    response = client.post(_create_url(seeded, unit), data)
    assert response.status_code == 400
    assert "no coincide con el texto del artículo" in response.content.decode()
    assert _count(seeded) == (0, 0)


def test_pasted_passage_is_found_or_refused(client, seeded, citizen):
    act = _act(seeded, OPEN)
    unit = _article(act)
    words = " ".join(unit.body.split()[2:6])
    response = client.post(_create_url(seeded, unit), {"body": "Pegado.", "alignment": "0", "quote": words})
    assert response.status_code == 302
    with government_scope(seeded):
        extra = ArticleComment.objects.get()
        assert unit.body[extra.quote_start : extra.quote_end] == extra.quote
    missing = {"body": "Inventado.", "alignment": "0", "quote": "palabras que no están en el artículo"}
    response = client.post(_create_url(seeded, unit), missing)
    assert response.status_code == 400
    assert "no están en el texto del artículo" in response.content.decode()
    assert _count(seeded) == (1, 1)


def test_find_quote_and_marked_text():
    text = "Uno dos\ntres <b> cuatro"
    assert find_quote(text, "dos tres") == (4, 12)
    assert find_quote(text, "cinco") is None
    html = marked_text(text, [(4, 12), (8, 10)])
    assert html.count("<mark>") == 1 and "&lt;b&gt;" in html and "<br>" in html
    assert 'data-o="8"' in html


# Addresses and 404s ---------------------------------------------------------------------------------


def test_non_public_act_and_unknown_article_answer_404(client, seeded, citizen):
    act = _act(seeded, OPEN)
    unit = _article(act)
    assert client.get(gov_url(seeded, "council:article", slug=act.slug, ref="999")).status_code == 404
    with government_scope(seeded):
        Act.objects.filter(pk=act.pk).update(is_public=False)
    assert client.get(_page(seeded, act, unit)).status_code == 404
    assert client.post(_create_url(seeded, unit), {"body": "x", "alignment": "0"}).status_code == 404
    assert _count(seeded) == (0, 0)


def test_foreign_government_answers_404(client, seeded, other_government, citizen):
    act = _act(seeded, OPEN)
    unit = _article(act)
    page = _page(seeded, act, unit).replace(f"/g/{seeded.slug}/", f"/g/{other_government.slug}/")
    assert client.get(page).status_code == 404
    create = _create_url(other_government, unit)
    assert client.post(create, {"body": "x", "alignment": "0"}).status_code == 404
    assert _count(seeded) == (0, 0)


# The act's page, the summary, the committee's answers ---------------------------------------------


@pytest.fixture
def debated(seeded):
    now = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
    with government_scope(seeded):
        demo.seed(seeded, now=now, stdout=io.StringIO())
    return seeded


def test_demo_comments_quotes_and_answers(debated):
    with government_scope(debated):
        assert Comment.objects.filter(target_key=TARGET, is_official=False).count() == 15
        assert Comment.objects.filter(target_key=TARGET, is_official=True).count() == 1
        assert ArticleComment.objects.exclude(quote="").count() >= 3
        assert ArticleAnswer.objects.count() == 1


def test_act_page_counts_comments_per_article_in_one_query(client, debated, django_assert_max_num_queries):
    act = _act(debated, OPEN)
    url = gov_url(debated, "council:act_detail", slug=act.slug)
    page = client.get(url).content.decode()
    assert "Ver 2 comentarios" in page and "Comentar este artículo" in page
    assert 'id="comentarios-articulos"' in page and "<caption>" in page
    from django.core.cache import cache

    cache.clear()
    with django_assert_max_num_queries(40) as queries:
        client.get(url)
    counting = [q for q in queries.captured_queries if "core_comment" in q["sql"]]
    assert len(counting) == 1


def test_article_page_shows_the_committee_answer_and_official_answer(client, debated):
    act = _act(debated, OPEN)
    unit = _article(act)
    page = client.get(_page(debated, act, unit)).content.decode()
    assert "Respuesta de la comisión" in page and demo.COMMITTEE_ANSWER in page
    assert demo.OFFICIAL_ANSWER in page


def test_summary_page_and_csv(client, debated, viewer):
    act = _act(debated, OPEN)
    login_verified(client, viewer)
    page = client.get(gov_url(debated, "council:office_article_comments", pk=act.pk)).content.decode()
    with government_scope(debated):
        version = selectors.latest_version(act)
        rows = selectors.summary(version)
    first = rows[0]
    assert (first.counts.in_favour, first.counts.neutral, first.counts.against) == (1, 0, 1)
    assert first.official_answers == 1 and first.answer is not None
    assert first.top[0].votes_up >= first.top[-1].votes_up
    assert "Comentarios con más apoyos" in page and demo.COMMITTEE_ANSWER in page
    assert "Marcar como tomado en cuenta" not in page  # viewers read only
    response = client.get(gov_url(debated, "council:office_article_comments_csv", pk=act.pk))
    body = b"".join(response.streaming_content).decode()
    assert response["Content-Type"].startswith("text/csv")
    lines = body.strip().splitlines()
    assert len(lines) == len(rows) + 1
    assert lines[1].split(",")[2:6] == ["1", "0", "1", "2"]


def test_committee_answer_and_considered_mark(client, debated, editor):
    act = _act(debated, OPEN)
    unit = _article(act, 2)
    login_verified(client, editor)
    answer_url = gov_url(debated, "council:office_article_answer", pk=act.pk, unit_pk=unit.pk)
    assert client.post(answer_url, {"body": "La comisión amplió el plazo."}).status_code == 302
    with government_scope(debated):
        assert ArticleAnswer.objects.get(unit=unit).body == "La comisión amplió el plazo."
        comment = Comment.objects.filter(target_key=TARGET, target_id=unit.pk, depth=0).first()
    mark = gov_url(debated, "council:office_article_considered", pk=act.pk, comment_pk=comment.pk)
    assert client.post(mark, {"considered": "1"}).status_code == 302
    with government_scope(debated):
        assert ArticleComment.objects.get(comment=comment).considered
    client.logout()
    page = client.get(_page(debated, act, unit)).content.decode()
    assert "La comisión amplió el plazo." in page and "Tomado en cuenta por la comisión" in page
    with government_scope(debated):
        from minga.core.audit.models import AuditEntry

        codes = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"council.article_answer.saved", "council.article_comment.considered"} <= codes


def test_official_answer_through_core_moderation(debated, editor):
    act = _act(debated, OPEN)
    unit = _article(act, 1)
    with government_scope(debated):
        comment = Comment.objects.filter(target_key=TARGET, target_id=unit.pk, depth=0).first()
        answer = comments.comment_answer(actor=editor, government=debated, comment=comment, body="Gracias.")
        assert answer.is_official and answer.parent_id == comment.pk
        assert selectors.summary(selectors.latest_version(act))[1].official_answers == 1


def test_deleting_an_act_deletes_the_comments_on_its_articles(debated, editor):
    from ..acts import services as act_services

    act = _act(debated, OPEN)
    with government_scope(debated):
        kept = Comment.objects.filter(target_key=TARGET).exclude(
            target_id__in=Unit.objects.filter(version__act=act).values("pk")
        )
        expected = kept.count()
        assert expected and Comment.objects.filter(target_key=TARGET).count() > expected
        act_services.act_delete(actor=editor, government=debated, act=act)
        assert Comment.objects.filter(target_key=TARGET).count() == expected


def test_comment_level_setting_is_read_safely(government):
    from minga.core.verification.levels import Level

    from ..debate.rules import comment_level

    assert comment_level(government) == Level.EMAIL
    government.modules = {"council": {"enabled": True, "settings": {"comment_level": "census"}}}
    assert comment_level(government) == Level.CENSUS
    government.modules = {"council": {"enabled": True, "settings": {"comment_level": "nonsense"}}}
    assert comment_level(government) == Level.EMAIL


def test_administrator_sets_the_stages_in_the_module_settings(client, seeded, today):
    from minga.core.testing import make_official

    login_verified(client, make_official(seeded, "admin"))
    url = gov_url(seeded, "core:module_configure", key="council")
    assert "comment_stages" in client.get(url).content.decode()
    data = {"comment_stages": "approved\nfirst_debate", "comment_kinds": "ordinance", "comment_level": "email"}
    assert client.post(url, data).status_code == 302
    seeded.refresh_from_db()
    with government_scope(seeded):
        assert closed_reason(Act.objects.get(identifier=CLOSED), today) == ""
        assert closed_reason(Act.objects.get(identifier="PO-2026-007"), today) != ""  # qualified: no longer


def test_council_editors_moderate_article_comments_in_the_queue(client, debated, editor):
    act = _act(debated, OPEN)
    login_verified(client, editor)
    page = client.get(gov_url(debated, "core:comment_queue") + "?estado=todos").content.decode()
    assert f"{act.identifier} · Art. 1" in page
    with government_scope(debated):
        comment = Comment.objects.filter(target_key=TARGET, depth=0).first()
    assert client.get(gov_url(debated, "core:comment_moderation", pk=comment.pk)).status_code == 200


def test_checked_quote_across_lines_with_browser_line_breaks():
    from django.core.exceptions import ValidationError

    unit = Unit(body="Primera línea del artículo.\nSegunda línea.", position=1, kind="article")
    start = unit.body.index("artículo")
    end = unit.body.index("Segunda") + len("Segunda")
    assert services.checked_quote(unit, "artículo.\r\nSegunda", start, end) == ("artículo.\nSegunda", start, end)
    with pytest.raises(ValidationError):
        services.checked_quote(unit, "artículo.\r\nSegunda", start + 1, end)
    with pytest.raises(ValidationError):
        services.checked_quote(unit, "", 0, 3)
