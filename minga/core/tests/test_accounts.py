"""Accounts through HTTP: sign-up and e-mail verification, sign-in without user enumeration,
password reset and change, profile, account deletion (throttling: test_login_throttle.py)."""

import re

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from minga.core.accounts.models import Membership, User
from minga.core.api.models import ApiToken
from minga.core.audit.models import AuditEntry
from minga.core.testing import TEST_PASSWORD, UserFactory, gov_url, make_official

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

NEW_PASSWORD = "otra-clave-muy-segura-2026"
LINK = re.compile(r"https?://testserver(/\S+)")


def page(response, *volatile: str) -> str:
    """Page text without what legitimately differs between two requests (CSRF tokens, the
    address typed)."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    for value in volatile:
        html = html.replace(value, "")
    return html


def signup_data(email="nueva@example.org", **overrides):
    data = {"full_name": "Ana Zambrano", "email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    data.update(overrides)
    return data


def login(client, url, email, password=TEST_PASSWORD, **extra):
    return client.post(url, {"email": email, "password": password}, **extra)


def test_argon2_is_the_first_password_hasher():
    from minga.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


# Sign-up and verification -------------------------------------------------------------------


def test_signup_sends_a_verification_link_that_confirms_the_address(client, government):
    response = client.post(gov_url(government, "core:signup"), signup_data(email="Nueva@Example.org"))
    assert response.status_code == 302
    assert response["Location"] == gov_url(government, "core:verification_sent")
    user = User.objects.get(email="nueva@example.org")
    assert user.full_name == "Ana Zambrano"
    assert user.email_verified_at is None
    assert user.check_password(NEW_PASSWORD)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nueva@example.org"]
    path = LINK.search(message.body).group(1)
    assert path.startswith(f"/g/{government.slug}/cuenta/verificar/")

    response = client.get(path)
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.email_verified_at is not None


def test_signup_on_the_platform_links_back_to_the_platform(client, db):
    client.post(reverse("core:signup"), signup_data())
    path = LINK.search(mail.outbox[0].body).group(1)
    assert path.startswith("/cuenta/verificar/")
    assert client.get(path).status_code == 200
    assert User.objects.get(email="nueva@example.org").email_verified_at is not None


def test_expired_verification_link_is_refused(client, government):
    client.post(gov_url(government, "core:signup"), signup_data())
    path = LINK.search(mail.outbox[0].body).group(1)
    with override_settings(EMAIL_VERIFICATION_MAX_AGE=-1):
        response = client.get(path)
    assert response.status_code == 400
    assert "expired" in response.content.decode()
    assert User.objects.get(email="nueva@example.org").email_verified_at is None


def test_tampered_verification_link_is_refused(client, government):
    client.post(gov_url(government, "core:signup"), signup_data())
    path = LINK.search(mail.outbox[0].body).group(1)
    token = path.rstrip("/").rsplit("/", 1)[1]
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    response = client.get(path.replace(token, tampered))
    assert response.status_code == 400
    assert User.objects.get(email="nueva@example.org").email_verified_at is None


def test_signup_with_an_existing_address_looks_the_same_and_warns_the_owner(government):
    owner = UserFactory(email="ya@example.org", full_name="Dueña", preferred_language="en")
    first, second = Client(HTTP_ACCEPT_LANGUAGE="en"), Client(HTTP_ACCEPT_LANGUAGE="en")
    new = first.post(gov_url(government, "core:signup"), signup_data(email="otra@example.org"), follow=True)
    existing = second.post(gov_url(government, "core:signup"), signup_data(email="YA@example.org"), follow=True)
    assert new.redirect_chain == existing.redirect_chain
    assert page(new) == page(existing)

    assert User.objects.filter(email__iexact="ya@example.org").count() == 1
    owner.refresh_from_db()
    assert owner.full_name == "Dueña"
    assert owner.check_password(TEST_PASSWORD)
    assert [m.to for m in mail.outbox] == [["otra@example.org"], ["ya@example.org"]]
    notice = mail.outbox[1]
    assert "tried to register" in notice.subject
    assert "/cuenta/verificar/" not in notice.body
    assert f"/g/{government.slug}/cuenta/clave/olvido/" in notice.body


def test_signup_errors_keep_what_was_typed(client, government):
    response = client.post(gov_url(government, "core:signup"), signup_data(password2="no-coincide-2026"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Ana Zambrano"' in html
    assert 'value="nueva@example.org"' in html
    assert 'aria-invalid="true"' in html
    assert 'id="id_password2_error"' in html
    assert not User.objects.filter(email="nueva@example.org").exists()
    assert mail.outbox == []


def test_weak_password_is_refused_by_django_validators(client, government):
    response = client.post(gov_url(government, "core:signup"), signup_data(password1="12345678", password2="12345678"))
    assert response.status_code == 200
    assert 'id="id_password1_error"' in response.content.decode()
    assert not User.objects.exists()


def test_unverified_person_can_sign_in_and_sees_a_notice(client, government):
    UserFactory(email="sin@example.org", email_verified_at=None)
    response = login(client, gov_url(government, "core:login"), "sin@example.org")
    assert response.status_code == 302
    html = client.get(gov_url(government, "core:profile")).content.decode()
    assert "Please confirm your e-mail address." in html
    assert gov_url(government, "core:resend_verification") in html

    response = client.post(gov_url(government, "core:resend_verification"))
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["sin@example.org"]
    # A second request within the minute does not send another message.
    client.post(gov_url(government, "core:resend_verification"))
    assert len(mail.outbox) == 1


def test_anonymous_resend_does_not_reveal_accounts(government):
    UserFactory(email="sin@example.org", email_verified_at=None)
    UserFactory(email="hecha@example.org")
    url = gov_url(government, "core:resend_verification")
    answers = [
        Client(HTTP_ACCEPT_LANGUAGE="en").post(url, {"email": email})
        for email in ("sin@example.org", "nadie@example.org", "hecha@example.org")
    ]
    assert {a["Location"] for a in answers} == {gov_url(government, "core:verification_sent")}
    assert [m.to for m in mail.outbox] == [["sin@example.org"]]


# Sign-in ------------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["platform", "government"])
def test_login_signs_in_and_sets_the_language(client, government, where):
    UserFactory(email="ana@example.org", preferred_language="en")
    url = gov_url(government, "core:login") if where == "government" else reverse("core:login")
    response = login(client, url, "ANA@example.org ")
    assert response.status_code == 302
    profile = gov_url(government, "core:profile") if where == "government" else reverse("core:profile")
    assert response["Location"] == profile
    assert response.cookies["django_language"].value == "en"
    assert client.get(profile).status_code == 200


def test_login_follows_a_safe_next_only(client, government):
    UserFactory(email="ana@example.org")
    url = gov_url(government, "core:login")
    inside = f"/g/{government.slug}/"
    response = client.post(f"{url}?next={inside}", {"email": "ana@example.org", "password": TEST_PASSWORD})
    assert response["Location"] == inside

    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = other.post(
        url, {"email": "ana@example.org", "password": TEST_PASSWORD, "next": "https://evil.example/robar"}
    )
    assert response["Location"] == gov_url(government, "core:profile")


def test_wrong_password_and_unknown_address_get_the_same_answer(government):
    UserFactory(email="ana@example.org")
    url = gov_url(government, "core:login")
    wrong = login(Client(HTTP_ACCEPT_LANGUAGE="en"), url, "ana@example.org", "no-es-la-clave")
    unknown = login(Client(HTTP_ACCEPT_LANGUAGE="en"), url, "nadie@example.org", "no-es-la-clave")
    assert wrong.status_code == unknown.status_code == 200
    assert "The e-mail address or the password is not correct." in wrong.content.decode()
    assert page(wrong, "ana@example.org") == page(unknown, "nadie@example.org")


def test_inactive_account_gets_the_generic_error(client, government):
    UserFactory(email="ana@example.org", is_active=False)
    response = login(client, gov_url(government, "core:login"), "ana@example.org")
    assert response.status_code == 200
    assert "The e-mail address or the password is not correct." in response.content.decode()


def test_unknown_address_still_runs_the_password_hasher(client, government, monkeypatch):
    calls = []
    original = MD5PasswordHasher.encode

    def counting(self, password, salt):
        calls.append(password)
        return original(self, password, salt)

    monkeypatch.setattr(MD5PasswordHasher, "encode", counting)
    login(client, gov_url(government, "core:login"), "nadie@example.org", "alguna-clave")
    assert "alguna-clave" in calls


def test_logout_returns_to_the_portal(client, government):
    user = UserFactory()
    client.force_login(user)
    response = client.post(gov_url(government, "core:logout"))
    assert response["Location"] == gov_url(government, "core:home")
    assert client.get(gov_url(government, "core:profile")).status_code == 302


# Passwords ----------------------------------------------------------------------------------


def test_password_reset_does_not_reveal_accounts_and_the_link_works(government):
    UserFactory(email="ana@example.org", preferred_language="en")
    url = gov_url(government, "core:password_reset")
    known_client = Client(HTTP_ACCEPT_LANGUAGE="en")
    known = known_client.post(url, {"email": "ana@example.org"}, follow=True)
    unknown = Client(HTTP_ACCEPT_LANGUAGE="en").post(url, {"email": "nadie@example.org"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain == [(gov_url(government, "core:password_reset_done"), 302)]
    assert page(known) == page(unknown)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ana@example.org"]
    assert "Choose a new password" in mail.outbox[0].subject

    path = LINK.search(mail.outbox[0].body).group(1)
    assert path.startswith(f"/g/{government.slug}/cuenta/clave/restablecer/")
    form_page = known_client.get(path, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    response = known_client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == gov_url(government, "core:password_reset_complete")
    assert User.objects.get(email="ana@example.org").check_password(NEW_PASSWORD)
    entry = AuditEntry.objects.get(action="core.account.password_reset")
    assert NEW_PASSWORD not in str(entry.changes)
    # The link works once.
    assert "not valid" in known_client.get(path, follow=True).content.decode()


def test_password_change_keeps_the_session(client, government):
    user = UserFactory()
    client.force_login(user)
    url = gov_url(government, "core:password_change")
    wrong = client.post(url, {"old_password": "mala", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert wrong.status_code == 200 and 'id="id_old_password_error"' in wrong.content.decode()
    response = client.post(
        url, {"old_password": TEST_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response["Location"] == gov_url(government, "core:profile")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.get(gov_url(government, "core:profile")).status_code == 200
    assert AuditEntry.objects.filter(action="core.account.password_changed", actor=user).exists()


# Profile ------------------------------------------------------------------------------------


def test_profile_requires_signing_in(client, government):
    response = client.get(gov_url(government, "core:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(gov_url(government, "core:login") + "?next=")


def test_profile_edit_saves_and_switches_language(client, government):
    user = UserFactory(full_name="Ana", preferred_language="es")
    client.force_login(user)
    url = gov_url(government, "core:profile")
    response = client.post(url, {"full_name": "Ana María Zambrano", "preferred_language": "en"})
    assert response["Location"] == url
    assert response.cookies["django_language"].value == "en"
    user.refresh_from_db()
    assert (user.full_name, user.preferred_language) == ("Ana María Zambrano", "en")


def test_profile_edit_keeps_typed_values_on_error(client, government):
    user = UserFactory(full_name="Ana", preferred_language="es")
    client.force_login(user)
    too_long = "Ana " + "x" * 200
    response = client.post(gov_url(government, "core:profile"), {"full_name": too_long, "preferred_language": "en"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'value="{too_long}"' in html
    described = re.search(r'<input[^>]*name="full_name"[^>]*aria-describedby="([^"]*)"', html).group(1).split()
    assert {"id_full_name_helptext", "id_full_name_error"} <= set(described)
    assert 'id="id_full_name_error"' in html
    assert '<option value="en" selected>' in html
    user.refresh_from_db()
    assert (user.full_name, user.preferred_language) == ("Ana", "es")


def test_profile_shows_status_and_memberships(client, government):
    official = make_official(government, role="viewer", module="institution")
    client.force_login(official)
    html = client.get(gov_url(government, "core:profile")).content.decode()
    assert government.name in html
    assert "Viewer" in html
    assert "Please confirm your e-mail address." not in html
    assert "Two-factor authentication" in html


# Deletion -----------------------------------------------------------------------------------


def test_delete_account_needs_the_password(client, government):
    user = UserFactory()
    client.force_login(user)
    response = client.post(gov_url(government, "core:delete_account"), {"password": "mala"})
    assert response.status_code == 200
    assert 'id="id_password_error"' in response.content.decode()
    user.refresh_from_db()
    assert user.is_active and user.anonymised_at is None


def test_delete_account_anonymises_and_keeps_the_row(government):
    user = make_official(government, role="editor", module="institution", email="borrar@example.org")
    ApiToken.objects.create(government=government, user=user, name="script", prefix="abc123", secret_hash="0" * 64)
    elsewhere = Client(HTTP_ACCEPT_LANGUAGE="en")
    elsewhere.force_login(user)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    sessions_before = Session.objects.count()

    response = client.post(gov_url(government, "core:delete_account"), {"password": TEST_PASSWORD})
    assert response["Location"] == gov_url(government, "core:home")

    user.refresh_from_db()
    assert re.fullmatch(r"deleted-[0-9a-f]+@invalid\.minga", user.email)
    assert user.full_name == ""
    assert not user.has_usable_password()
    assert not user.is_active
    assert user.anonymised_at is not None
    assert user.public_name == "Deleted account"
    assert not Membership.objects.filter(user=user).exists()
    assert not ApiToken.objects.filter(user=user).exists()
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert Session.objects.count() == sessions_before - 2

    entry = AuditEntry.objects.get(action="core.account.deleted")
    assert entry.object_id == str(user.pk)
    assert "borrar@example.org" not in f"{entry.actor_label} {entry.object_repr} {entry.changes}"

    for c in (client, elsewhere):
        assert c.get(gov_url(government, "core:profile")).status_code == 302
    refused = login(Client(HTTP_ACCEPT_LANGUAGE="en"), gov_url(government, "core:login"), "borrar@example.org")
    assert refused.status_code == 200


def test_signed_in_people_skip_the_sign_in_and_sign_up_forms(client, government):
    client.force_login(UserFactory())
    profile = gov_url(government, "core:profile")
    assert client.get(gov_url(government, "core:login"))["Location"] == profile
    assert client.get(gov_url(government, "core:signup"))["Location"] == profile


def test_a_verification_link_can_be_opened_twice(client, government):
    client.post(gov_url(government, "core:signup"), signup_data())
    body = mail.outbox[0].body
    assert "3 days" in body
    path = LINK.search(body).group(1)
    assert client.get(path).status_code == 200
    first = User.objects.get(email="nueva@example.org").email_verified_at
    assert client.get(path).status_code == 200
    assert User.objects.get(email="nueva@example.org").email_verified_at == first


def test_the_last_administrator_cannot_delete_their_account(government):
    """A government keeps an administrator: deleting the only admin's account is refused with
    the reason, nothing changes; once someone else holds the role, the deletion goes through."""
    admin = make_official(government, role="admin", email="unica@example.org")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(admin)
    response = client.post(gov_url(government, "core:delete_account"), {"password": TEST_PASSWORD})
    assert response.status_code == 409
    assert "You are the only administrator of" in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_active and admin.anonymised_at is None
    assert Membership.objects.filter(user=admin, role="admin").exists()
    assert not AuditEntry.objects.filter(action="core.account.deleted").exists()

    make_official(government, role="admin", email="otra@example.org")
    response = client.post(gov_url(government, "core:delete_account"), {"password": TEST_PASSWORD})
    assert response.status_code == 302
    admin.refresh_from_db()
    assert admin.anonymised_at is not None


def test_deleted_accounts_get_no_password_reset_mail(client, government):
    user = UserFactory(email="borrar@example.org")
    client.force_login(user)
    client.post(gov_url(government, "core:delete_account"), {"password": TEST_PASSWORD})
    user.refresh_from_db()
    Client(HTTP_ACCEPT_LANGUAGE="en").post(gov_url(government, "core:password_reset"), {"email": user.email})
    Client(HTTP_ACCEPT_LANGUAGE="en").post(gov_url(government, "core:password_reset"), {"email": "borrar@example.org"})
    assert mail.outbox == []
