"""Citizens' writes are not audited, yet the cached public pages that show them follow at
once: a new data request and a new support reach the cached request list through the one
core call (`page_cache.content_changed`) made by the services."""

import pytest
from django.test import override_settings

from minga.core.testing import UserFactory, gov_url, login_verified

from ..requests import services as request_services
from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on():
    with override_settings(PUBLIC_PAGE_CACHE_SECONDS=60):
        yield


def _list(client, government) -> str:
    return client.get(gov_url(government, "catalog:request_list")).content.decode()


def test_a_new_request_shows_on_the_cached_list(client, government, django_capture_on_commit_callbacks):
    factories.data_request(government, UserFactory(), title="Datos de riego")
    assert "Datos de riego" in _list(client, government)
    assert "Datos de riego" in _list(client, government)  # now served from the cache
    with django_capture_on_commit_callbacks(execute=True):
        request_services.request_create(
            actor=UserFactory(), government=government, title="Calidad del agua", description="Por parroquia."
        )
    assert "Calidad del agua" in _list(client, government)


def test_a_new_support_shows_on_the_cached_list(english, government, django_capture_on_commit_callbacks):
    data_request = factories.data_request(government, UserFactory(), title="Datos de riego")
    assert "0 supports" in _list(english, government)
    assert "0 supports" in _list(english, government)  # now served from the cache
    login_verified(english, UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        english.post(gov_url(government, "catalog:request_support", pk=data_request.pk))
    english.logout()
    body = _list(english, government)
    assert "1 support" in body and "0 supports" not in body


def test_a_request_created_through_the_page_shows_on_the_cached_list(
    client, government, django_capture_on_commit_callbacks
):
    assert "Calidad del agua" not in _list(client, government)
    login_verified(client, UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            gov_url(government, "catalog:request_create"),
            {"title": "Calidad del agua", "description": "Por parroquia."},
        )
    assert response.status_code == 302
    client.logout()
    assert "Calidad del agua" in _list(client, government)
