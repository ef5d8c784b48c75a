"""Officials manage their own API tokens in the back office: list, create (the full token is
shown once), revoke. Every change is audited; nobody sees or revokes another person's
tokens, nor the tokens of another government."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from minga.core.api import services
from minga.core.api.models import ApiToken
from minga.core.api.permissions import DeclaredPermission
from minga.core.audit.models import AuditEntry
from minga.core.tenancy.services import membership_grant
from minga.core.testing import UserFactory, gov_url, login_verified, make_official

pytestmark = pytest.mark.django_db


@pytest.fixture
def official(client, government):
    user = make_official(government, role="editor", module="institution")
    login_verified(client, user)
    return user


def test_token_pages_need_a_signed_in_official(client, government):
    response = client.get(gov_url(government, "core:api_tokens"))
    assert response.status_code == 302 and "/cuenta/ingresar/" in response["Location"]
    client.force_login(UserFactory())
    assert client.get(gov_url(government, "core:api_tokens")).status_code == 403


def test_officials_with_a_write_role_must_pass_the_second_factor_first(client, government):
    editor = make_official(government, role="editor", module="institution")
    client.force_login(editor)
    response = client.get(gov_url(government, "core:api_tokens"))
    assert response.status_code == 302 and "/cuenta/" in response["Location"]


def test_viewers_may_manage_their_tokens(client, government):
    viewer = make_official(government, role="viewer", module="institution")
    client.force_login(viewer)
    assert client.get(gov_url(government, "core:api_tokens")).status_code == 200


def test_create_shows_the_token_once_and_audits_it(client, government, official):
    url = gov_url(government, "core:api_token_create")
    assert client.get(url).status_code == 200
    expiry = timezone.localdate() + dt.timedelta(days=30)
    response = client.post(url, {"name": "Carga de datos", "expires_on": expiry.isoformat()})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=official, government=government)
    body = response.content.decode()
    key = response.context["key"]
    assert key.startswith(f"{token.prefix}.") and key in body
    assert timezone.localtime(token.expires_at).date() == expiry + dt.timedelta(days=1)
    entry = AuditEntry.objects.get(action="core.apitoken.created", object_id=str(token.pk))
    assert entry.actor == official and entry.government == government
    assert key.split(".")[1] not in str(entry.changes) and token.secret_hash not in str(entry.changes)
    # the key works on the API ...
    assert client.get(gov_url(government, "api:me"), HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    # ... and is never shown again
    listing = client.get(gov_url(government, "core:api_tokens")).content.decode()
    assert "Carga de datos" in listing and token.prefix in listing and key not in listing


def test_create_refuses_a_past_expiry(client, government, official):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    response = client.post(
        gov_url(government, "core:api_token_create"), {"name": "Viejo", "expires_on": yesterday.isoformat()}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["expires_on"]
    assert not ApiToken.objects.exists()


def test_revoke_is_audited_and_the_token_stops_working(client, government, official):
    issued = services.token_create(actor=official, government=government, name="Script", second_factor=True)
    response = client.post(gov_url(government, "core:api_token_revoke", issued.token.pk))
    assert response.status_code == 302
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is not None
    assert AuditEntry.objects.filter(action="core.apitoken.revoked", object_id=str(issued.token.pk)).count() == 1
    assert client.get(gov_url(government, "api:me"), HTTP_AUTHORIZATION=f"Token {issued.key}").status_code == 401
    # revoking twice changes nothing
    client.post(gov_url(government, "core:api_token_revoke", issued.token.pk))
    assert AuditEntry.objects.filter(action="core.apitoken.revoked").count() == 1


def test_revoke_needs_post(client, government, official):
    issued = services.token_create(actor=official, government=government, name="Script", second_factor=True)
    assert client.get(gov_url(government, "core:api_token_revoke", issued.token.pk)).status_code == 405


def test_nobody_sees_or_revokes_another_persons_tokens(client, government, official):
    colleague = make_official(government, role="viewer", module="institution")
    theirs = services.token_create(actor=colleague, government=government, name="Del colega")
    assert "Del colega" not in client.get(gov_url(government, "core:api_tokens")).content.decode()
    response = client.post(gov_url(government, "core:api_token_revoke", theirs.token.pk))
    assert response.status_code == 404
    theirs.token.refresh_from_db()
    assert theirs.token.revoked_at is None


def test_tokens_of_another_government_are_invisible_here(client, government, other_government, official):
    membership_grant(actor=None, government=other_government, user=official, role="viewer", module="institution")
    elsewhere = services.token_create(actor=official, government=other_government, name="En Azuay")
    assert "En Azuay" not in client.get(gov_url(government, "core:api_tokens")).content.decode()
    assert client.post(gov_url(government, "core:api_token_revoke", elsewhere.token.pk)).status_code == 404
    path_in_other = gov_url(other_government, "core:api_token_revoke", elsewhere.token.pk)
    assert path_in_other.startswith(f"/g/{other_government.slug}/")
    elsewhere.token.refresh_from_db()
    assert elsewhere.token.revoked_at is None



def test_a_token_issued_before_the_second_factor_gains_no_write_rights_later(client, government):
    """A viewer issues a token without two-factor (viewers may); once made an editor, that
    token must not act for them in the back office: editors pass the second factor first, and
    the token never saw it. It still says whose it is and can revoke itself."""
    person = make_official(government, role="viewer", module="institution")
    client.force_login(person)
    response = client.post(gov_url(government, "core:api_token_create"), {"name": "Lector"})
    assert response.status_code == 200
    key = response.context["key"]
    token = ApiToken.objects.get(user=person)
    assert token.second_factor is False
    check = DeclaredPermission()
    request = SimpleNamespace(method="GET", user=person, auth=token, government=government)
    reading = SimpleNamespace(permission_required="institution.view_backoffice")
    assert check.has_permission(request, reading)  # a viewer's token reads as a viewer

    membership_grant(actor=None, government=government, user=person, role="editor", module="institution")
    client.logout()
    request.method = "POST"
    assert not check.has_permission(request, SimpleNamespace(permission_required="institution.edit"))
    assert "doble factor" in str(check.message)
    request.method = "GET"
    assert not check.has_permission(request, reading)
    headers = {"HTTP_AUTHORIZATION": f"Token {key}"}
    assert client.get(gov_url(government, "api:me"), **headers).status_code == 200

    # After setting up and passing two-factor, the same person issues a token that acts as an editor.
    TOTPDevice.objects.create(user=person, name="teléfono", confirmed=True)
    login_verified(client, person)
    response = client.post(gov_url(government, "core:api_token_create"), {"name": "Escritor"})
    assert response.status_code == 200, response.get("Location")
    fresh = ApiToken.objects.get(user=person, name="Escritor")
    assert fresh.second_factor is True
    request.auth, request.method = fresh, "POST"
    assert check.has_permission(request, SimpleNamespace(permission_required="institution.edit"))

    # The old token can still revoke itself (one that may have leaked).
    client.logout()
    assert client.delete(gov_url(government, "api:current_token"), **headers).status_code == 204
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_token_list_says_which_tokens_need_replacing(client, government, official):
    services.token_create(actor=official, government=government, name="Antiguo")
    services.token_create(actor=official, government=government, name="Nuevo", second_factor=True)
    body = client.get(gov_url(government, "core:api_tokens"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert body.count("Issued without two-factor") == 1
