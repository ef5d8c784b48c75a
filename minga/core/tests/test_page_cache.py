"""Anonymous public pages come from the cache until an official changes something."""

import pytest
from django.test import override_settings

from minga.core.tenancy.services import government_set_module, government_update
from minga.core.testing import UserFactory, gov_url, login_verified, make_official

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


@pytest.fixture
def page_cache_on():
    with override_settings(PUBLIC_PAGE_CACHE_SECONDS=60):
        yield


def test_anonymous_page_is_served_from_cache(client, government, django_assert_num_queries):
    home = f"/g/{government.slug}/"
    first = client.get(home)
    assert first.status_code == 200
    # a cached response needs no query at all (the government itself is cached too)
    with django_assert_num_queries(0):
        second = client.get(home)
    assert second.content == first.content


def test_an_official_change_shows_at_once(client, government, django_capture_on_commit_callbacks):
    home = f"/g/{government.slug}/"
    client.get(home)
    with django_capture_on_commit_callbacks(execute=True):
        government_update(actor=UserFactory(), government=government, description="Descripción nueva")
    assert "Descripción nueva" in client.get(home).content.decode()


def test_switching_a_module_off_is_not_hidden_by_the_cache(client, government, django_capture_on_commit_callbacks):
    url = gov_url(government, "institution:orgchart")
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        government_set_module(actor=UserFactory(), government=government, module="institution", enabled=False)
    assert client.get(url).status_code == 404


def test_languages_are_cached_separately(client, government):
    home = f"/g/{government.slug}/"
    assert '<html lang="es">' in client.get(home).content.decode()
    english = client.get(home, HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="en">' in english.content.decode()


def test_signed_in_people_never_get_the_anonymous_copy(client, government):
    home = f"/g/{government.slug}/"
    client.get(home)
    login_verified(client, make_official(government, "admin"))
    body = client.get(home).content.decode()
    assert "/cuenta/ingresar/" not in body and "/gestion/" in body


def test_public_pages_carry_no_per_visitor_token(client, government):
    body = client.get(f"/g/{government.slug}/").content.decode()
    assert "csrfmiddlewaretoken" not in body


def test_language_switch_by_get_sets_the_cookie_and_refuses_foreign_redirects(client, government):
    response = client.get(f"/g/{government.slug}/idioma/", {"language": "en", "next": "https://malo.example/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert response.cookies["django_language"].value == "en"


def test_home_figures_are_shared_by_signed_in_visitors_and_follow_changes(
    client, government, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    login_verified(client, UserFactory())
    home = f"/g/{government.slug}/"
    client.get(home)
    with django_assert_max_num_queries(6):  # session, user, roles: the modules' figures come from the cache
        client.get(home)
    with django_capture_on_commit_callbacks(execute=True):
        government_update(actor=UserFactory(), government=government, description="Otra descripción")
    assert "Otra descripción" in client.get(home).content.decode()
