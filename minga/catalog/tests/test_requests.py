"""Data requests and following through HTTP: creating needs a verified e-mail, one support
per person (enforced by the database), officials answer, and followers get an e-mail in their
language when a dataset or a request changes."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from minga.core.audit.models import AuditEntry
from minga.core.notifications import services as notifications
from minga.core.notifications.models import Follow, Notification
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import UserFactory, gov_url, login_verified, make_official

from ..datasets import services
from ..requests import services as request_services
from ..requests.models import DataRequest, DataRequestSupport
from . import factories

pytestmark = pytest.mark.django_db


def test_create_request_requires_a_verified_email(client, government):
    url = gov_url(government, "catalog:request_create")
    assert client.get(url).status_code == 302  # anonymous: sign in first
    unverified = UserFactory(email_verified_at=None)
    client.force_login(unverified)
    response = client.get(url)
    assert response.status_code == 200 and 'id="verify-first"' in response.content.decode()
    response = client.post(url, {"title": "Datos de riego", "description": "Para planificar."})
    assert response.status_code == 403
    with government_scope(government):
        assert not DataRequest.objects.exists()

    citizen = UserFactory()
    client.force_login(citizen)
    response = client.post(url, {"title": "", "description": ""})
    assert response.status_code == 200 and response.context["form"].errors.keys() == {"title", "description"}
    response = client.post(url, {"title": "Datos de riego", "description": "Para planificar."})
    with government_scope(government):
        created = DataRequest.objects.get()
        assert created.requester == citizen and created.status == "open"
        assert Follow.objects.filter(user=citizen, kind="catalog.request", object_id=created.pk).exists()
    assert response.status_code == 302 and response["Location"].endswith(f"/solicitudes/{created.pk}/")
    page = client.get(gov_url(government, "catalog:request_list")).content.decode()
    assert "Datos de riego" in page


def test_a_refusal_of_the_service_is_shown_on_the_request_form(client, government, english, monkeypatch):
    def refuse(**kwargs):
        raise ValidationError("Requests are paused for maintenance.")

    monkeypatch.setattr(request_services, "request_create", refuse)
    login_verified(client, UserFactory())
    response = client.post(gov_url(government, "catalog:request_create"), {"title": "Riego", "description": "Para."})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["Requests are paused for maintenance."]
    assert "Requests are paused for maintenance." in response.content.decode()


def test_one_support_per_person(client, government):
    data_request = factories.data_request(government, UserFactory())
    supporter = UserFactory()
    login_verified(client, supporter)
    url = gov_url(government, "catalog:request_support", pk=data_request.pk)
    client.post(url)
    client.post(url)
    with government_scope(government):
        data_request.refresh_from_db()
        assert data_request.support_count == 1
        assert DataRequestSupport.objects.filter(request=data_request).count() == 1
        assert Follow.objects.filter(user=supporter, kind="catalog.request", object_id=data_request.pk).exists()
        # The database itself refuses a second row.
        with pytest.raises(IntegrityError), transaction.atomic():
            DataRequestSupport.objects.create(
                government=government, request=data_request, user=supporter, created_at=data_request.created_at
            )
    page = client.get(gov_url(government, "catalog:request_detail", pk=data_request.pk)).content.decode()
    assert 'id="supported"' in page and 'id="support-count">1<' in page


def test_unverified_people_cannot_support(client, government):
    data_request = factories.data_request(government, UserFactory())
    client.force_login(UserFactory(email_verified_at=None))
    client.post(gov_url(government, "catalog:request_support", pk=data_request.pk))
    with government_scope(government):
        data_request.refresh_from_db()
    assert data_request.support_count == 0


def test_answer_fulfil_notifies_followers_in_their_language(client, government, django_capture_on_commit_callbacks):
    requester = UserFactory(preferred_language="es")
    data_request = factories.data_request(government, requester)
    follower = UserFactory(preferred_language="en")
    with government_scope(government):
        notifications.follow(user=follower, government=government, target=data_request)
    dataset = factories.dataset(government, title="Riego parroquial", slug="riego")
    editor = make_official(government, "editor", "catalog")
    login_verified(client, editor)
    url = gov_url(government, "catalog:office_request_answer", pk=data_request.pk)
    response = client.post(url, {"status": "fulfilled", "answer": "Ya está publicado."})
    assert response.status_code == 200 and "fulfilled_by" in response.context["form"].errors
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"status": "fulfilled", "answer": "Ya está publicado.", "fulfilled_by": dataset.pk})
    assert response.status_code == 302
    recipients = {message.to[0]: message for message in mail.outbox}
    assert set(recipients) == {requester.email, follower.email}
    assert recipients[follower.email].subject.startswith("Data request answered")
    assert recipients[requester.email].subject.startswith("Solicitud de datos respondida")  # her language
    assert f"/g/{government.slug}/datos/solicitudes/{data_request.pk}/" in recipients[follower.email].body
    assert (
        "Status: Fulfilled" in recipients[follower.email].body
        and "Ya está publicado." in recipients[follower.email].body
    )
    assert recipients[follower.email].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # The official who answered follows nothing; each follower also finds the notice in the portal.
    with government_scope(government):
        assert Notification.objects.filter(object_id=data_request.pk, kind="catalog.request").count() == 2
    page = client.get(gov_url(government, "catalog:request_detail", pk=data_request.pk)).content.decode()
    assert 'id="fulfilled-by"' in page and "Ya está publicado." in page
    assert AuditEntry.objects.filter(action="catalog.request.fulfilled").exists()


def test_following_a_dataset_gets_an_email_when_it_changes(client, government, django_capture_on_commit_callbacks):
    dataset = factories.dataset(government, slug="agua", title="Calidad del agua")
    citizen = UserFactory()
    login_verified(client, citizen)
    # The cached dataset page loads the person's button with htmx; without JavaScript it links
    # to the follow page.
    page = client.get(gov_url(government, "catalog:dataset_detail", slug="agua")).content.decode()
    follow_url = gov_url(government, "core:follow", kind="catalog.dataset", pk=dataset.pk)
    assert f'hx-get="{follow_url}"' in page
    fragment = client.get(follow_url, HTTP_HX_REQUEST="true")
    button = f'id="follow-catalog-dataset-{dataset.pk}-button"'
    assert button in fragment.content.decode() and "<html" not in fragment.content.decode()
    assert "no-store" in fragment["Cache-Control"]
    response = client.post(follow_url, {"seguir": "1"})
    assert response.status_code == 302
    client.post(follow_url, {"seguir": "1"})  # twice: still one follow
    with government_scope(government):
        assert Follow.objects.filter(user=citizen, kind="catalog.dataset", object_id=dataset.pk).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        factories.resource(government, dataset, title="Muestras 2026")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [citizen.email]
    assert "Calidad del agua" in mail.outbox[0].subject and "New data was added." in mail.outbox[0].body
    # Unfollow: no more e-mails.
    client.post(follow_url, {"seguir": "0"})
    with django_capture_on_commit_callbacks(execute=True), government_scope(government):
        services.dataset_update(actor=None, government=government, dataset=dataset, summary="Cambió.")
    assert len(mail.outbox) == 1


def test_unpublished_changes_send_nothing(government, django_capture_on_commit_callbacks):
    dataset = factories.dataset(government)
    with government_scope(government):
        notifications.follow(user=UserFactory(), government=government, target=dataset)
    with django_capture_on_commit_callbacks(execute=True), government_scope(government):
        services.dataset_set_published(actor=None, government=government, dataset=dataset, is_published=False)
        services.dataset_update(actor=None, government=government, dataset=dataset, summary="Borrador.")
    assert mail.outbox == []


def test_anonymous_follow_asks_to_sign_in(client, government):
    dataset = factories.dataset(government, slug="agua")
    follow_url = gov_url(government, "core:follow", kind="catalog.dataset", pk=dataset.pk)
    response = client.get(follow_url)
    assert response.status_code == 200 and "/cuenta/" in response.content.decode()
    response = client.post(follow_url, {"seguir": "1"})
    assert response.status_code == 302 and "/cuenta/" in response["Location"]


def test_requests_can_be_switched_off(client, government):
    government.modules = {"catalog": {"settings": {"requests_enabled": False}}}
    government.save()
    cache.clear()
    login_verified(client, UserFactory())
    assert client.get(gov_url(government, "catalog:request_create")).status_code == 404
