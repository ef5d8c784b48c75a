"""The search page and the back-office list of searches without results, through HTTP."""

import datetime as dt
import re

import pytest
from django.utils import timezone, translation

from minga.core.search import services
from minga.core.search.models import ZeroResultQuery
from minga.core.search.registry import SearchEntry
from minga.core.testing import gov_url, login_verified, make_official

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


def add(government, title, object_id, *, module="institution", summary=""):
    services.index_entry(
        government=government,
        kind=f"{module}.thing",
        module=module,
        object_id=object_id,
        entry=SearchEntry(title=title, url=f"/cosas/{object_id}/", summary=summary),
    )


def page(client, government, **params):
    return client.get(gov_url(government, "core:search"), params)


def group_ids(html: str) -> list[str]:
    return re.findall(r'<h2 id="search-group-([\w-]+)"', html)


def test_results_are_shown_grouped_by_module(client, government):
    for n in range(7):
        add(government, f"Unidad de agua {n}", f"u{n}", summary="Agua potable y saneamiento")
    add(government, "Proyecto de agua potable", "w1", module="works")
    response = page(client, government, q="Agua")
    assert response.status_code == 200
    html = response.content.decode()
    assert group_ids(html) == ["institution", "works"] or group_ids(html) == ["works", "institution"]
    assert "8 results for “Agua”" in html
    assert "7 results" in html and "1 result<" in html
    assert html.count('<a href="/g/manabi/cosas/u') == 5  # the first five of the group
    assert 'href="/g/manabi/cosas/w1/"' in html
    assert "See all 7 results in Access to the government" in html
    assert "modulo=institution" in html
    assert "Agua potable y saneamiento" in html


def test_a_module_can_be_chosen_and_its_results_paged(client, government):
    for n in range(23):
        add(government, f"Unidad de agua {n}", f"u{n}")
    add(government, "Proyecto de agua", "w1", module="works")
    first = page(client, government, q="agua", modulo="institution").content.decode()
    assert group_ids(first) == ["institution"]
    assert first.count('<a href="/g/manabi/cosas/u') == 20
    assert "Page 1 of 2" in first and "pagina=2" in first
    second = page(client, government, q="agua", modulo="institution", pagina="2").content.decode()
    assert second.count('<a href="/g/manabi/cosas/u') == 3
    assert "Search all sections" in second


def test_the_module_filter_only_accepts_known_modules(client, government):
    add(government, "Proyecto de agua", "w1", module="works")
    add(government, "Unidad de salud", "u1")
    html = page(client, government).content.decode()
    assert '<option value="works">' in html and '<option value="institution">' in html
    response = page(client, government, q="agua", modulo="core_searchdocument; --")
    assert response.status_code == 200
    assert group_ids(response.content.decode()) == ["works"]  # ignored: every module searched


def test_no_results_gives_help_and_is_counted_without_personal_data(client, government):
    user = make_official(government, role="viewer", module="institution")
    login_verified(client, user)
    response = page(client, government, q="Parqueaderos  municipales")
    html = response.content.decode()
    assert "Nothing found for “Parqueaderos  municipales”." in html
    assert "Check the spelling" in html
    (row,) = ZeroResultQuery.objects.all()
    assert (row.government, row.query, row.count) == (government, "parqueaderos municipales", 1)
    assert row.day == timezone.localdate()
    page(client, government, q="parqueaderos municipales")
    row.refresh_from_db()
    assert row.count == 2


def test_an_empty_page_asks_for_words_and_counts_nothing(client, government):
    html = page(client, government).content.decode()
    assert "Type one or more words" in html
    html = page(client, government, q="de").content.decode()
    assert "Type a longer word" in html
    assert not ZeroResultQuery.objects.exists()


def test_htmx_requests_get_only_the_results(client, government):
    add(government, "Presupuesto participativo", "p1")
    response = client.get(gov_url(government, "core:search"), {"q": "presupuestos"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html and 'id="search-group-institution"' in html
    assert "HX-Request" in response["Vary"]
    restore = client.get(
        gov_url(government, "core:search"),
        {"q": "presupuestos"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in restore.content.decode()
    full = page(client, government, q="presupuestos").content.decode()
    assert "<html" in full and 'role="search"' in full and 'content="noindex"' in full


def test_another_governments_documents_are_not_shown(client, government, other_government):
    add(government, "Presupuesto de Manabí", "p1")
    add(other_government, "Presupuesto del Azuay", "p2")
    html = page(client, other_government, q="presupuesto").content.decode()
    assert "Azuay" in html and "Manabí</a>" not in html


@pytest.mark.parametrize("query", ['"', "*", "NEAR(", "-x", "()", "'; --", "a" * 500, "%", "x:y"])
def test_odd_queries_answer_200(client, government, query):
    add(government, "Presupuesto", "p1")
    assert page(client, government, q=query).status_code == 200


def test_the_page_has_no_inline_script_or_style(client, government):
    add(government, "Presupuesto", "p1")
    html = page(client, government, q="presupuesto").content.decode()
    assert "style=" not in html and "<script>" not in html and "<style" not in html


def test_admins_see_the_most_frequent_searches_without_results(client, government, other_government):
    today = timezone.localdate()
    ZeroResultQuery.objects.create(government=government, query="parqueaderos", day=today, count=4)
    ZeroResultQuery.objects.create(government=government, query="ciclovia", day=today, count=9)
    ZeroResultQuery.objects.create(government=government, query="antiguo", day=today - dt.timedelta(days=120), count=99)
    ZeroResultQuery.objects.create(government=other_government, query="ajeno", day=today, count=50)
    login_verified(client, make_official(government, role="admin"))
    response = client.get(gov_url(government, "core:search_demand"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("ciclovia") < html.index("parqueaderos")
    assert "antiguo" not in html and "ajeno" not in html


@pytest.mark.parametrize("role", [None, "viewer", "editor"])
def test_only_admins_see_the_searches_without_results(client, government, role):
    if role:
        login_verified(client, make_official(government, role=role, module="institution"))
    response = client.get(gov_url(government, "core:search_demand"))
    assert response.status_code in (302, 403)
    if role:
        assert response.status_code == 403


def test_admins_of_another_government_cannot_see_them(client, government, other_government):
    ZeroResultQuery.objects.create(government=government, query="parqueaderos", day=timezone.localdate(), count=4)
    login_verified(client, make_official(other_government, role="admin"))
    assert client.get(gov_url(government, "core:search_demand")).status_code == 403
    html = client.get(gov_url(other_government, "core:search_demand")).content.decode()
    assert "parqueaderos" not in html
