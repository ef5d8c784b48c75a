"""Citizens' comments and field observations are not audited, yet the cached project page
shows them at once: core's comment_create makes the one core call
(`page_cache.content_changed`), and so do replies, votes and deletions."""

import pytest
from django.test import override_settings

from minga.core.testing import UserFactory, gov_url

from .. import services
from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on():
    with override_settings(PUBLIC_PAGE_CACHE_SECONDS=60):
        yield


@pytest.fixture
def bridge(government):
    return factories.project(government, title="Puente Río Chico")


@pytest.mark.parametrize("kind", ["comment", "observation"])
def test_a_citizens_comment_or_observation_shows_on_the_cached_page(
    client, government, bridge, kind, django_capture_on_commit_callbacks
):
    url = gov_url(government, "works:project_detail", slug=bridge.slug)
    assert "Las barandas están flojas." not in client.get(url).content.decode()  # now in the cache
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(
            actor=UserFactory(), government=government, project=bridge, body="Las barandas están flojas.", kind=kind
        )
    assert "Las barandas están flojas." in client.get(url).content.decode()


def test_a_comment_posted_through_the_page_shows_on_the_cached_page(
    client, government, bridge, django_capture_on_commit_callbacks
):
    url = gov_url(government, "works:project_detail", slug=bridge.slug)
    client.get(url)
    client.force_login(UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            gov_url(government, "core:comment_create", target="works.project", object_id=bridge.pk),
            {"kind": "observation", "body": "No hay señalización.", "photos": [factories.jpeg()]},
        )
    assert response.status_code == 302
    client.logout()
    assert "No hay señalización." in client.get(url).content.decode()


def test_the_authors_new_name_and_erased_account_show_on_the_cached_page(
    client, government, bridge, django_capture_on_commit_callbacks
):
    """The name beside a comment is the person's: core does not know on which governments
    they wrote, so a rename or an erased account refreshes every government's pages."""
    from minga.core.accounts import services as accounts

    citizen = UserFactory(full_name="Rosa Intriago")
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(actor=citizen, government=government, project=bridge, body="Las barandas.")
    url = gov_url(government, "works:project_detail", slug=bridge.slug)
    assert "Rosa Intriago" in client.get(url).content.decode()  # now in the cache
    with django_capture_on_commit_callbacks(execute=True):
        accounts.account_update_profile(
            actor=citizen, user=citizen, full_name="Rosa I.", preferred_language=citizen.preferred_language
        )
    body = client.get(url).content.decode()
    assert "Rosa I." in body and "Rosa Intriago" not in body
    with django_capture_on_commit_callbacks(execute=True):
        accounts.account_delete(user=citizen, now=citizen.date_joined)
    assert "Rosa I." not in client.get(url).content.decode()


def test_a_reply_a_vote_and_a_deletion_show_on_the_cached_page(
    english, government, bridge, django_capture_on_commit_callbacks
):
    client = english
    from minga.core.comments import services as comments

    author, neighbour = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        comment = services.comment_create(actor=author, government=government, project=bridge, body="Primero")
    url = gov_url(government, "works:project_detail", slug=bridge.slug)
    assert "Respuesta del vecino" not in client.get(url).content.decode()  # now in the cache
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(
            actor=neighbour, government=government, project=bridge, body="Respuesta del vecino", parent=comment
        )
    assert "Respuesta del vecino" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        comments.comment_vote(actor=neighbour, government=government, comment=comment, value=1)
    assert "Agree:</span> 1" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        comments.comment_delete(actor=author, government=government, comment=comment)
    body = client.get(url).content.decode()
    assert "Primero" not in body and "Respuesta del vecino" in body
