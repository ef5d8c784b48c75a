"""Memberships and a government's first administrator: a government keeps at least one
administrator (the membership service refuses to remove the last one, and the page says why
on that person's form); creating a government and naming its first administrator is one
audited change that leaves nothing behind when the administrator cannot be named."""

from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from minga.core.accounts.models import Membership, User
from minga.core.audit.models import AuditEntry
from minga.core.tenancy import services
from minga.core.tenancy.models import Government
from minga.core.testing import gov_url, login_verified, make_official

pytestmark = pytest.mark.django_db

NEW_GOVERNMENT = {
    "name": "Gobierno Autónomo Descentralizado Municipal de Portoviejo",
    "short_name": "Portoviejo",
    "slug": "portoviejo",
    "level": "canton",
    "dpa_code": "1301",
}


def test_the_last_administrator_cannot_be_removed(government):
    admin = make_official(government, "admin")
    membership = Membership.objects.get(user=admin, government=government)
    with translation.override("es"), pytest.raises(ValidationError) as refused:
        services.membership_revoke(actor=admin, membership=membership)
    assert refused.value.code == "last_admin"
    message = " ".join(refused.value.messages)
    assert "Gobierno Provincial de Manabí" in message and "al menos una persona administradora" in message
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert not AuditEntry.objects.filter(action="core.membership.revoked").exists()


def test_an_administrator_is_removed_while_another_remains(government):
    first, second = make_official(government, "admin"), make_official(government, "admin")
    services.membership_revoke(actor=second, membership=Membership.objects.get(user=first, government=government))
    assert list(Membership.objects.filter(government=government, role="admin").values_list("user", flat=True)) == [
        second.pk
    ]
    # Other roles are never held back by the rule.
    editor = make_official(government, "editor", "institution")
    services.membership_revoke(actor=second, membership=Membership.objects.get(user=editor))
    assert not Membership.objects.filter(user=editor).exists()


def test_the_members_page_explains_the_refusal_on_the_persons_form(client, government):
    admin = make_official(government, "admin")
    membership = Membership.objects.get(user=admin, government=government)
    login_verified(client, admin)
    response = client.post(gov_url(government, "core:member_revoke", membership.pk), HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 409
    body = response.content.decode()
    assert 'id="revoke-error"' in body and 'aria-describedby="revoke-error"' in body
    assert "debe conservar al menos una persona administradora" in body
    assert Membership.objects.filter(pk=membership.pk).exists()


def _root():
    root = User.objects.create_superuser("root@example.org", "clave-larga-123")
    TOTPDevice.objects.create(user=root, name="root", confirmed=True)
    return root


def test_a_government_and_its_first_administrator_are_one_audited_change(db):
    root = _root()
    government, admin, created = services.government_create_with_admin(
        actor=root, admin_email=" Alcaldesa@Example.org ", admin_name="Alcaldesa", **NEW_GOVERNMENT
    )
    assert created and admin.email == "alcaldesa@example.org" and admin.full_name == "Alcaldesa"
    assert Membership.objects.filter(user=admin, government=government, role="admin", module="").exists()
    made = AuditEntry.objects.get(action="core.government.created")
    assert made.actor == root and made.government is None and made.object_id == str(government.pk)
    granted = AuditEntry.objects.get(action="core.membership.granted")
    assert granted.actor == root and granted.government == government
    assert granted.changes["user"] == [None, "alcaldesa@example.org"] and granted.changes["role"] == [None, "admin"]
    # An existing account is named, not created again.
    _other, same, created_again = services.government_create_with_admin(
        actor=root, admin_email="alcaldesa@example.org", **{**NEW_GOVERNMENT, "slug": "manta", "dpa_code": "1308"}
    )
    assert same == admin and not created_again


def test_no_government_is_left_when_the_administrator_cannot_be_named(db):
    root = _root()
    with pytest.raises(ValidationError) as refused:
        services.government_create_with_admin(actor=root, admin_email="no es un correo", **NEW_GOVERNMENT)
    assert "admin_email" in refused.value.message_dict
    boom = ValidationError({"admin_email": "No se pudo nombrar."})
    with mock.patch.object(services, "membership_grant", side_effect=boom), pytest.raises(ValidationError):
        services.government_create_with_admin(actor=root, admin_email="nueva@example.org", **NEW_GOVERNMENT)
    assert not Government.objects.filter(slug="portoviejo").exists()
    assert not User.objects.filter(email="nueva@example.org").exists()
    assert not AuditEntry.objects.filter(action__in=["core.government.created", "core.membership.granted"]).exists()


def test_the_platform_page_shows_the_administrators_error_and_creates_nothing(client, db):
    login_verified(client, _root())
    data = {**NEW_GOVERNMENT, "description": "", "contact_email": "", "admin_email": "nueva@example.org"}
    boom = ValidationError({"admin_email": "No se pudo nombrar a esta persona."})
    with mock.patch.object(services, "membership_grant", side_effect=boom):
        response = client.post("/plataforma/gobiernos/nuevo/", data)
    assert response.status_code == 200
    assert "No se pudo nombrar a esta persona." in response.content.decode()
    assert not Government.objects.filter(slug="portoviejo").exists()
