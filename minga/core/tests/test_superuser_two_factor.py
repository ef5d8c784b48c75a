"""A platform superuser is granted every permission in every government, so the second factor
is asked of them before any back-office page or write of any government, on pages and API
alike: signed in with the password only they are sent to two-factor and nothing changes."""

from types import SimpleNamespace

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from minga.core.accounts import services as account_services
from minga.core.accounts.models import Membership
from minga.core.api import services as api_services
from minga.core.api.permissions import DeclaredPermission
from minga.core.audit.models import AuditEntry
from minga.core.testing import UserFactory, gov_url, login_verified, make_official, make_superuser

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_password_only_superuser_is_sent_to_two_factor_in_a_government(client, government):
    superuser = make_superuser()
    client.force_login(superuser)
    for name in ("core:backoffice", "core:members", "core:government_profile", "core:audit_log"):
        response = client.get(gov_url(government, name))
        assert response.status_code == 302, name
        assert response["Location"].startswith(gov_url(government, "core:otp_setup") + "?next="), name
    # With a device but the session not verified: to the verification page.
    TOTPDevice.objects.create(user=superuser, name="phone", confirmed=True)
    response = client.get(gov_url(government, "core:backoffice"))
    assert response["Location"].startswith(gov_url(government, "core:otp_verify") + "?next=")
    # Verified: the superuser's access is what it was.
    login_verified(client, superuser)
    assert client.get(gov_url(government, "core:members")).status_code == 200


def test_password_only_superuser_cannot_grant_a_role(client, government):
    client.force_login(make_superuser())
    person = UserFactory(email="cuenta.tomada@example.org")
    entries = AuditEntry.objects.count()
    response = client.post(gov_url(government, "core:members"), {"email": person.email, "role": "admin", "module": ""})
    assert response.status_code == 302 and "/cuenta/doble-factor/" in response["Location"]
    assert not Membership.objects.filter(user=person).exists()
    assert AuditEntry.objects.count() == entries


def test_staff_account_needs_the_second_factor_too(client, government):
    staff = UserFactory(is_staff=True)
    Membership.objects.create(user=staff, government=government, role="viewer", module="institution")
    client.force_login(staff)
    response = client.get(gov_url(government, "core:backoffice"))
    assert response.status_code == 302 and "/cuenta/doble-factor/" in response["Location"]


def test_password_only_superuser_cannot_write_through_the_api(client, government):
    editor = make_official(government, role="editor", module="institution")
    issued = api_services.token_create(actor=editor, government=government, name="Script")
    client.force_login(make_superuser())
    response = client.delete(gov_url(government, "api:current_token"))
    assert response.status_code == 403
    assert "two-factor" in response.json()["detail"]
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is None
    # Reading one's own account stays possible (it is how the second factor is set up).
    assert client.get(gov_url(government, "api:me")).status_code == 200


def _api_request(user, government, *, auth=None, method="POST"):
    return SimpleNamespace(method=method, user=user, auth=auth, government=government)


def _view(permission):
    return SimpleNamespace(permission_required=permission)


def test_api_permission_asks_a_session_superuser_for_the_second_factor(government):
    superuser = make_superuser()
    superuser.is_verified = lambda: False
    check = DeclaredPermission()
    assert not check.has_permission(_api_request(superuser, government), _view("institution.edit"))
    superuser.is_verified = lambda: True
    assert check.has_permission(_api_request(superuser, government), _view("institution.edit"))


def test_a_token_carries_its_owners_roles_not_the_superuser_shortcut(government):
    """A superuser who is a viewer in a government holds a token there: it reads as a viewer
    and writes nothing, whatever `is_superuser` grants a verified session."""
    superuser = make_superuser()
    Membership.objects.create(user=superuser, government=government, role="viewer", module="institution")
    token = api_services.token_create(actor=superuser, government=government, name="Script").token
    check = DeclaredPermission()
    assert check.has_permission(_api_request(superuser, government, auth=token), _view("institution.view_backoffice"))
    assert not check.has_permission(_api_request(superuser, government, auth=token), _view("institution.edit"))
    assert not check.has_permission(
        _api_request(superuser, government, auth=token), _view("core.administer_government")
    )


def test_superuser_must_keep_two_factor(db):
    superuser = make_superuser()
    TOTPDevice.objects.create(user=superuser, name="phone", confirmed=True)
    assert superuser.must_use_two_factor()
    with pytest.raises(PermissionError):
        account_services.otp_devices_remove(user=superuser, token="000000")
    assert TOTPDevice.objects.filter(user=superuser).exists()
    assert not UserFactory().must_use_two_factor()
