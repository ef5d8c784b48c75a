"""Two-factor authentication through HTTP: the two-step sign-in, set-up with a QR code, the
officials' loop (back office -> set-up or verification -> back office) and switching it off."""

import re
import time

import pytest
from django.test import Client, override_settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from minga.core.accounts.models import Membership
from minga.core.audit.models import AuditEntry
from minga.core.testing import TEST_PASSWORD, UserFactory, gov_url, login_verified, make_official

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def code_for(device, steps_ahead=0) -> str:
    """The code an authenticator app shows (a later step to avoid replaying a used code)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def password_step(client, government, email, next_url=""):
    url = gov_url(government, "core:login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"email": email, "password": TEST_PASSWORD})


@pytest.fixture
def with_device(db):
    user = UserFactory(email="dos@example.org", preferred_language="en")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user, device


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)
def test_login_with_two_factor_takes_two_steps(client, government, with_device):
    user, device = with_device
    home = f"/g/{government.slug}/"
    response = password_step(client, government, user.email, next_url=home)
    assert response["Location"] == gov_url(government, "core:login_otp")
    assert "_auth_user_id" not in client.session  # not signed in after the password alone
    assert client.get(gov_url(government, "core:profile")).status_code == 302

    page = client.get(gov_url(government, "core:login_otp"))
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in page.content.decode()

    wrong = client.post(
        gov_url(government, "core:login_otp"), {"code": "000000" if code_for(device) != "000000" else "111111"}
    )
    assert wrong.status_code == 200
    assert 'id="id_code_error"' in wrong.content.decode()
    assert "_auth_user_id" not in client.session

    response = client.post(gov_url(government, "core:login_otp"), {"code": code_for(device)})
    assert response["Location"] == home
    assert response.cookies["django_language"].value == "en"
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    # The pending sign-in is used up.
    assert client.get(gov_url(government, "core:login_otp"))["Location"] == gov_url(government, "core:login")


def test_second_step_without_a_password_step_goes_back_to_sign_in(client, government):
    response = client.get(gov_url(government, "core:login_otp"))
    assert response["Location"] == gov_url(government, "core:login")


def test_second_step_expires(client, government, with_device):
    user, device = with_device
    password_step(client, government, user.email)
    session = client.session
    session["minga_pending_login"]["expires"] = time.time() - 1
    session.save()
    response = client.post(gov_url(government, "core:login_otp"), {"code": code_for(device)})
    assert response["Location"] == gov_url(government, "core:login")
    assert "_auth_user_id" not in client.session


@override_settings(LOGIN_FAILURES_PER_ACCOUNT=2, OTP_TOTP_THROTTLE_FACTOR=0)
def test_wrong_codes_are_throttled(client, government, with_device):
    user, device = with_device
    password_step(client, government, user.email)
    url = gov_url(government, "core:login_otp")
    bad = "000000" if code_for(device) != "000000" else "111111"
    for _ in range(2):
        client.post(url, {"code": bad})
    refused = client.post(url, {"code": code_for(device)})
    assert refused.status_code == 429
    assert "please wait" in refused.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(OTP_TOTP_THROTTLE_FACTOR=60)
def test_device_throttling_refuses_a_right_code_right_after_a_wrong_one(client, government, with_device):
    user, device = with_device
    password_step(client, government, user.email)
    url = gov_url(government, "core:login_otp")
    client.post(url, {"code": "000000" if code_for(device) != "000000" else "111111"})
    refused = client.post(url, {"code": code_for(device)})
    assert refused.status_code == 200
    assert "_auth_user_id" not in client.session


def test_official_is_sent_to_set_up_two_factor_before_the_back_office(client, government):
    official = UserFactory(email="editora@example.org")
    Membership.objects.create(user=official, government=government, role="editor", module="institution")
    backoffice = gov_url(government, "core:backoffice")

    assert password_step(client, government, official.email).status_code == 302  # no device: one step
    response = client.get(backoffice)
    assert response.status_code == 302
    setup_url = response["Location"]
    assert setup_url.startswith(gov_url(government, "core:otp_setup") + "?next=")

    page = client.get(setup_url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="data:image/svg+xml' in html
    assert "Your role requires it." in html
    assert 'style="' not in html and "<script>" not in html
    device = TOTPDevice.objects.get(user=official, confirmed=False)
    secret = re.search(r"<code>([A-Z2-7 ]+)</code>", html).group(1)
    assert len(secret.replace(" ", "")) == 32
    assert client.get(setup_url).content.decode().count(secret) == 1  # reloading keeps the same secret

    wrong = client.post(setup_url, {"code": "000000" if code_for(device) != "000000" else "111111"})
    assert wrong.status_code == 200
    assert not TOTPDevice.objects.filter(user=official, confirmed=True).exists()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()

    response = client.post(setup_url, {"code": code_for(device)})
    assert response["Location"] == backoffice
    assert TOTPDevice.objects.get(user=official).confirmed
    assert client.get(backoffice).status_code == 200
    entry = AuditEntry.objects.get(action="core.account.otp_enabled")
    assert entry.actor_id == official.pk and device.key not in str(entry.changes)


def test_official_with_a_device_verifies_the_session_then_returns(client, government):
    official = make_official(government, role="admin")
    device = TOTPDevice.objects.get(user=official)
    client.force_login(official)  # signed in without the second factor
    backoffice = gov_url(government, "core:backoffice")
    response = client.get(backoffice)
    verify_url = response["Location"]
    assert verify_url.startswith(gov_url(government, "core:otp_verify") + "?next=")
    assert client.get(verify_url).status_code == 200
    # The set-up page does not offer a second device: it sends to verification too.
    assert client.get(gov_url(government, "core:otp_setup"))["Location"].startswith(
        gov_url(government, "core:otp_verify")
    )

    response = client.post(verify_url, {"code": code_for(device)})
    assert response["Location"] == backoffice
    assert client.get(backoffice).status_code == 200


def test_verify_refuses_an_outside_next(client, government):
    official = make_official(government, role="editor", module="institution")
    device = TOTPDevice.objects.get(user=official)
    client.force_login(official)
    response = client.post(
        gov_url(government, "core:otp_verify") + "?next=https://evil.example/", {"code": code_for(device)}
    )
    assert response["Location"] == gov_url(government, "core:profile")


def test_citizen_removes_two_factor_only_with_a_valid_code(client, government, with_device):
    user, device = with_device
    login_verified(client, user)
    url = gov_url(government, "core:otp_setup")
    page = client.get(url).content.decode()
    assert "Turn off two-factor authentication" in page

    with override_settings(OTP_TOTP_THROTTLE_FACTOR=0):
        wrong = client.post(url, {"code": "000000" if code_for(device) != "000000" else "111111"})
        assert wrong.status_code == 200
        assert TOTPDevice.objects.filter(user=user).exists()
        response = client.post(url, {"code": code_for(device)})
    assert response["Location"] == gov_url(government, "core:profile")
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert AuditEntry.objects.filter(action="core.account.otp_disabled", actor=user).exists()
    # Signing in is one step again.
    other = Client()
    assert password_step(other, government, user.email)["Location"] == gov_url(government, "core:profile")


def test_official_with_a_write_role_cannot_remove_two_factor(client, government):
    official = make_official(government, role="editor", module="institution")
    device = TOTPDevice.objects.get(user=official)
    login_verified(client, official)
    url = gov_url(government, "core:otp_setup")
    html = client.get(url).content.decode()
    assert "must keep two-factor authentication" in html
    assert "Turn off two-factor authentication" not in html
    client.post(url, {"code": code_for(device)})
    assert TOTPDevice.objects.filter(user=official, confirmed=True).exists()


def test_platform_pages_work_for_two_factor_setup(client, db):
    user = UserFactory()
    client.force_login(user)
    response = client.get("/cuenta/doble-factor/")
    assert response.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/cuenta/doble-factor/", {"code": code_for(device)})
    assert response["Location"] == "/cuenta/"
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_official_signs_in_with_two_steps_and_reaches_the_back_office(client, government):
    official = make_official(government, role="editor", module="institution")
    device = TOTPDevice.objects.get(user=official)
    backoffice = gov_url(government, "core:backoffice")
    response = client.get(backoffice)
    login_url = response["Location"]
    assert login_url.startswith(gov_url(government, "core:login") + "?next=")
    response = client.post(login_url, {"email": official.email, "password": TEST_PASSWORD})
    assert response["Location"] == gov_url(government, "core:login_otp")
    response = client.post(response["Location"], {"code": code_for(device)})
    assert response["Location"] == backoffice
    assert client.get(backoffice).status_code == 200
