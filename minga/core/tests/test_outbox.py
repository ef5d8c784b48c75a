"""Development e-mails go to an outbox (one .eml file each, listed for the platform administrator)
with absolute links; `minga serve` points MINGA_SITE_URL at the address it serves and repeats the
demo accounts after its start-up lines."""

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from minga.core.mail import OUTBOX_BACKEND, outbox_messages
from minga.core.management.commands import demo, serve
from minga.core.testing import UserFactory, gov_url, login_verified, make_superuser

PROJECT = Path(__file__).resolve().parents[3]


@pytest.fixture
def outbox(settings, tmp_path):
    settings.EMAIL_BACKEND = OUTBOX_BACKEND
    settings.EMAIL_FILE_PATH = str(tmp_path / "outbox")
    return tmp_path / "outbox"


def test_development_settings_write_mail_to_the_outbox_and_link_to_the_served_address(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith("MINGA_")}
    env.update(
        DJANGO_SETTINGS_MODULE="minga.settings.dev",
        MINGA_VAR_DIR=str(tmp_path / "var"),
        MINGA_DEMO_BASE_URL="http://127.0.0.1:8123",
    )
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps([settings.EMAIL_BACKEND, settings.EMAIL_FILE_PATH, settings.SITE_URL]))"
    )
    run = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120, check=True
    )
    backend, path, site_url = json.loads(run.stdout.strip().splitlines()[-1])
    assert backend == OUTBOX_BACKEND
    assert Path(path) == tmp_path / "var" / "outbox"
    assert site_url == "http://127.0.0.1:8123"


def test_a_mail_lands_in_the_outbox_with_absolute_links_and_the_administrator_reads_it(outbox, government):
    UserFactory(email="ana@example.org", preferred_language="es")
    Client().post(gov_url(government, "core:password_reset"), {"email": "ana@example.org"})
    files = list(outbox.glob("*.eml"))
    assert len(files) == 1
    [message] = outbox_messages()
    assert message.to == "ana@example.org"
    link = re.search(r"(\S+/cuenta/clave/restablecer/\S+)", message.body)[1]
    assert link.startswith(f"http://testserver/g/{government.slug}/cuenta/clave/restablecer/")

    page = reverse("core:platform_outbox")
    admin = make_superuser()
    TOTPDevice.objects.create(user=admin, name="test", confirmed=True)
    client = Client()
    login_verified(client, admin)
    body = client.get(page).content.decode()
    assert message.subject in body and f'<a href="{link}"' in body
    # Nobody else reads it.
    citizen = Client()
    citizen.force_login(UserFactory())
    assert citizen.get(page).status_code in (302, 403)


def test_the_outbox_page_is_absent_where_mail_is_sent(client, settings, db):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    admin = make_superuser()
    TOTPDevice.objects.create(user=admin, name="test", confirmed=True)
    login_verified(client, admin)
    assert client.get(reverse("core:platform_outbox")).status_code == 404


def _demo_account(email: str, *, totp: bool):
    user = UserFactory(email=email)
    if totp:
        TOTPDevice.objects.create(user=user, name="demo", key=demo.demo_totp_key(email), confirmed=True)
    return user


def test_serve_prints_the_demo_accounts_last_and_serves_links_from_its_address(settings, monkeypatch, db, outbox):
    settings.DEVELOPMENT = True
    _demo_account(f"plataforma@{demo.DEMO_DOMAIN}", totp=True)
    _demo_account(f"ciudadania1@{demo.DEMO_DOMAIN}", totp=False)
    for name in ("MINGA_SITE_URL", "MINGA_DEMO_BASE_URL"):
        # Set, then removed: the variables serve sets are taken away again after the test.
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    events = []
    monkeypatch.setattr(serve, "call_command", lambda *args, **kwargs: events.append("collectstatic"))
    monkeypatch.setattr(serve.subprocess, "Popen", lambda *args, **kwargs: events.append("worker"))

    class Exec(Exception):
        pass

    def execv(path, argv):
        events.append("gunicorn")
        raise Exec

    monkeypatch.setattr(serve.os, "execv", execv)
    out = io.StringIO()
    with pytest.raises(Exec):
        serve.Command(stdout=out).handle(host="0.0.0.0", port="8765", workers="1")  # noqa: S104
    assert events == ["collectstatic", "worker", "gunicorn"]
    assert os.environ["MINGA_SITE_URL"] == os.environ["MINGA_DEMO_BASE_URL"] == "http://127.0.0.1:8765"
    lines = out.getvalue().strip().splitlines()
    start = next(index for index, line in enumerate(lines) if line.startswith("Demo accounts"))
    assert any(line.startswith("Minga at http://127.0.0.1:8765/") for line in lines[:start])
    assert any("/plataforma/correo/" in line for line in lines[:start])
    accounts = lines[start + 1 :]
    secret = demo.totp_secret(TOTPDevice.objects.get(name="demo"))
    assert f"plataforma@{demo.DEMO_DOMAIN}" in accounts[0] and f"TOTP secret: {secret}" in accounts[0]
    assert f"ciudadania1@{demo.DEMO_DOMAIN}" in accounts[1] and "TOTP" not in accounts[1]
    assert "authenticator" in accounts[-1]
