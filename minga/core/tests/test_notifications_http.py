"""Follows and notices through HTTP: the follow button (page, htmx fragment, POST), "My
notifications" with read marks and the header's count, the notice settings, the one-click
unsubscribe (GET confirms, POST acts without sign-in, altered links refused), who may open
which address, and another government's addresses answering 404."""

import pytest
from django.core import mail
from django.test import Client, override_settings

from minga.core.notifications import emails, services
from minga.core.notifications.models import Follow, Notification
from minga.core.tenancy.scoping import government_scope
from minga.core.tenancy.selectors import forget_government
from minga.core.testing import (
    UserFactory,
    assert_foreign_government_404,
    gov_url,
    login_verified,
    make_official,
    make_superuser,
)

from .notification_helpers import KIND, NOW, document, followable  # noqa: F401  (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("followable")]


def _follow_url(government, target):
    return gov_url(government, "core:follow", kind=KIND, pk=target.pk)


def _notice(government, person, title="Nuevos datos", path="/datos/conjuntos/agua/"):
    target = document(government, title)
    with government_scope(government):
        return Notification.objects.create(
            government=government, user=person, kind=KIND, object_id=target.pk, event="changed", title=title,
            path=path, created_at=NOW,
        )  # fmt: skip


def _follows(government, person):
    with government_scope(government):
        return Follow.objects.filter(user=person).count()


# The follow button -----------------------------------------------------------------------


def test_following_without_javascript_and_with_htmx(english, government):
    target = document(government)
    url = _follow_url(government, target)
    response = english.get(url)
    assert response.status_code == 200 and "Sign in to follow" in response.content.decode()
    assert english.post(url, {"seguir": "1"})["Location"].startswith(gov_url(government, "core:login"))

    person = UserFactory()
    english.force_login(person)
    page = english.get(url)
    assert (
        "no-store" in page["Cache-Control"] and f'id="follow-test-document-{target.pk}-button"' in page.content.decode()
    )
    response = english.post(url, {"seguir": "1", "next": "/g/manabi/datos/"})
    assert response.status_code == 302 and response["Location"] == "/g/manabi/datos/"
    assert _follows(government, person) == 1
    # An address on another site is not followed back.
    response = english.post(url, {"seguir": "1", "next": "https://elsewhere.example/"})
    assert response["Location"] == f"/g/{government.slug}{target.url}"
    fragment = english.post(url, {"seguir": "0"}, HTTP_HX_REQUEST="true").content.decode()
    assert (
        "<html" not in fragment
        and "Follow: tell me when it changes" in fragment
        and "0 people follow this." in fragment
    )
    assert _follows(government, person) == 0
    fragment = english.post(url, {"seguir": "1"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Stop following" in fragment and "1 person follows this." in fragment


def test_what_is_not_public_has_no_follow_button(client, government):
    owner = UserFactory()
    draft = document(government, "Borrador", public=False, owner=owner)
    url = _follow_url(government, draft)
    assert client.get(url).status_code == 404
    login_verified(client, UserFactory())
    assert client.get(url).status_code == 404
    assert client.post(url, {"seguir": "1"}).status_code == 404
    login_verified(client, owner)  # the module's rule lets its author see it
    assert client.post(url, {"seguir": "1"}).status_code == 302
    assert _follows(government, owner) == 1


def test_unknown_kinds_and_switched_off_modules_answer_404(client, government):
    target = document(government)
    assert client.get(gov_url(government, "core:follow", kind="nothing.here", pk=target.pk)).status_code == 404
    government.modules = {"testdocs": {"enabled": False}}
    government.save()
    forget_government(government)
    assert client.get(_follow_url(government, target)).status_code == 404


# My notifications ------------------------------------------------------------------------


def test_my_notifications_with_read_marks_and_the_header_count(english, government):
    person = UserFactory()
    first, second = _notice(government, person, "Primero"), _notice(government, person, "Segundo")
    _notice(government, UserFactory(), "De otra persona")
    services.follow(user=person, government=government, target=document(government, "Seguido"))
    english.force_login(person)
    page = english.get(gov_url(government, "core:notifications")).content.decode()
    assert "Primero" in page and "Segundo" in page and "De otra persona" not in page
    assert "2 unread notifications." in page and 'id="notice-bell"' in page and ">2<" in page
    assert "Seguido" in page  # what the person follows, with a button to stop

    response = english.get(gov_url(government, "core:notification_open", pk=first.pk))
    assert response.status_code == 302 and response["Location"] == f"/g/{government.slug}/datos/conjuntos/agua/"
    first.refresh_from_db()
    assert first.read_at is not None
    english.post(gov_url(government, "core:notification_read", pk=second.pk))
    second.refresh_from_db()
    assert second.read_at is not None
    _notice(government, person, "Tercero")
    english.post(gov_url(government, "core:notifications_read_all"))
    with government_scope(government):
        assert not Notification.objects.filter(user=person, read_at__isnull=True).exists()
    home = english.get(gov_url(government, "core:home")).content.decode()
    assert 'id="notice-bell"' in home and "notice-count" not in home


def test_another_persons_or_governments_notice_is_404(client, government, other_government):
    person = UserFactory()
    notice = _notice(government, person)
    login_verified(client, UserFactory())
    assert client.get(gov_url(government, "core:notification_open", pk=notice.pk)).status_code == 404
    assert client.post(gov_url(government, "core:notification_read", pk=notice.pk)).status_code == 404
    login_verified(client, person)
    addresses = [
        gov_url(government, "core:notification_open", pk=notice.pk),
        _follow_url(government, document(government, "Seguible")),
    ]
    assert_foreign_government_404(client, other_government, addresses, government)
    foreign = gov_url(other_government, "core:notification_read", pk=notice.pk)
    assert client.post(foreign).status_code == 404
    assert client.post(_follow_url(other_government, document(government, "Otro")), {"seguir": "1"}).status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None and _follows(government, person) == 0


def test_who_may_open_the_personal_pages(client, government, other_government):
    pages = [gov_url(government, "core:notifications"), gov_url(government, "core:notification_preferences")]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302 and "/cuenta/ingresar/" in response["Location"], url
    people = [
        UserFactory(),
        make_official(government, "viewer", "catalog"),
        make_official(government, "editor", "catalog"),
        make_official(government, "admin"),
        make_official(other_government, "editor", "catalog"),
    ]
    for person in people:
        login_verified(client, person)
        for url in pages:
            assert client.get(url).status_code == 200, (person, url)
    client.logout()
    client.force_login(make_superuser())  # one's own account needs no second factor
    for url in pages:
        assert client.get(url).status_code == 200, url
    # On the platform too: the settings are the person's, for every government.
    assert client.get("/cuenta/avisos/").status_code == 200


# Notice settings -------------------------------------------------------------------------


def test_notice_settings_per_kind(english, government):
    person = UserFactory()
    english.force_login(person)
    url = gov_url(government, "core:notification_preferences")
    page = english.get(url)
    form = page.context["form"]
    field = next(name for name, kind in form.kinds.items() if kind == KIND)
    assert form.fields[field].initial == "immediate" and "Test documents" in page.content.decode()
    response = english.post(url, {**{name: "immediate" for name in form.kinds}, field: "weekly"})
    assert response.status_code == 302
    assert services.preferences_of(person)[KIND] == "weekly"
    response = english.post(url, {**{name: "immediate" for name in form.kinds}, field: "sometimes"})
    assert response.status_code == 400 and field in response.context["form"].errors
    assert services.preferences_of(person)[KIND] == "weekly"


# One-click unsubscribe -------------------------------------------------------------------


def test_unsubscribe_get_confirms_and_post_acts_without_sign_in(government):
    person = UserFactory()
    url = gov_url(government, "core:unsubscribe", token=emails.kinds_token(person, [KIND]))
    browser = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    page = browser.get(url)
    assert page.status_code == 200 and "Test documents" in page.content.decode()
    assert services.preferences_of(person)[KIND] == "immediate"  # a link scanner's GET does nothing
    # RFC 8058: the mail program posts "List-Unsubscribe=One-Click", with no form token.
    response = browser.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert services.preferences_of(person)[KIND] == "in_app"


def test_an_altered_unsubscribe_link_is_refused(client, government):
    person = UserFactory()
    token = emails.kinds_token(person, [KIND])
    forged = emails.kinds_token(UserFactory(), [KIND]).split(":")[0] + ":" + token.split(":", 1)[1]
    for bad in (forged, token[:-3] + "xyz", "nada"):
        url = gov_url(government, "core:unsubscribe", token=bad)
        assert client.get(url).status_code == 400
        assert client.post(url).status_code == 400
    assert services.preferences_of(person)[KIND] == "immediate"


def test_the_unfollow_link_of_an_email(client, government, other_government):
    person, target = UserFactory(), document(government)
    services.follow(user=person, government=government, target=target)
    token = emails.follow_token(person, government_id=government.pk, kind=KIND, object_id=target.pk)
    url = gov_url(government, "core:unsubscribe", token=token)
    assert target.title in client.get(url).content.decode() and _follows(government, person) == 1
    assert client.post(gov_url(other_government, "core:unsubscribe", token=token)).status_code == 404
    assert client.post(url).status_code == 200 and _follows(government, person) == 0


@override_settings(SITE_URL="https://minga.example")
def test_the_links_of_a_sent_email_work(client, government, django_capture_on_commit_callbacks):
    person, target = UserFactory(), document(government)
    services.follow(user=person, government=government, target=target)
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(government=government, target=target, event="changed", title="Cambió")
    header = mail.outbox[0].extra_headers["List-Unsubscribe"]
    path = header[1:-1].removeprefix("https://minga.example")
    assert (
        client.post(path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded").status_code
        == 200
    )
    assert services.preferences_of(person)[KIND] == "in_app"
