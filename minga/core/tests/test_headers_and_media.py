"""Response headers, the language cookie under production settings, and uploaded files
served the way docs/deployment.md tells nginx to serve them."""

import re
import runpy
from pathlib import Path

import pytest
from django.conf import settings
from django.http import Http404
from django.test import RequestFactory, override_settings

from minga.core.ui import media

pytestmark = pytest.mark.django_db

DEPLOYMENT = Path(settings.BASE_DIR).parent / "docs" / "deployment.md"


@pytest.fixture
def production(monkeypatch):
    """The production settings module's values, read without making it the active settings."""
    monkeypatch.setenv("MINGA_SECRET_KEY", "p" * 64)
    monkeypatch.setenv("MINGA_AUDIT_KEY", "prod-2026:" + "k" * 48)
    monkeypatch.setenv("MINGA_IDENTITY_KEY", "i" * 48)
    return runpy.run_module("minga.settings.production")


def test_permissions_policy_switches_off_unused_browser_features(client, government):
    for url in (f"/g/{government.slug}/", "/", f"/g/{government.slug}/no-existe/", f"/g/{government.slug}/api/v1/"):
        policy = client.get(url)["Permissions-Policy"]
        for feature in ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"):
            assert f"{feature}=()" in policy, (url, feature)


def test_no_page_script_asks_for_the_position():
    """geolocation=() would break a page that asks for it: none does (vendor files excepted)."""
    scripts = [p for p in Path(settings.BASE_DIR).rglob("*.js") if "vendor" not in p.parts]
    assert scripts and not [p for p in scripts if "geolocation" in p.read_text(encoding="utf-8")]


@pytest.mark.parametrize("method", ["get", "post"])
def test_language_cookie_is_secure_and_lax_under_production_settings(client, government, production, method):
    names = ("LANGUAGE_COOKIE_SECURE", "LANGUAGE_COOKIE_SAMESITE", "LANGUAGE_COOKIE_HTTPONLY")
    home = f"/g/{government.slug}/"
    with override_settings(**{name: production[name] for name in names}):
        response = getattr(client, method)(f"{home}idioma/", {"language": "en", "next": home}, secure=True)
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert cookie["secure"] is True and cookie["samesite"] == "Lax" and cookie["httponly"] is True


def _nginx_block() -> str:
    text = DEPLOYMENT.read_text(encoding="utf-8")
    blocks = re.findall(r"```nginx\n(.*?)```", text, re.S)
    assert len(blocks) == 1, "docs/deployment.md shows one nginx configuration"
    return blocks[0]


def test_documented_nginx_serves_media_as_the_settings_and_the_app_do():
    block = _nginx_block()
    var_dir = re.search(r"^\s*MINGA_VAR_DIR=(\S+)", DEPLOYMENT.read_text(encoding="utf-8"), re.M).group(1)
    assert settings.MEDIA_ROOT == settings.VAR_DIR / "media" and settings.MEDIA_URL == "/media/"
    locations = re.findall(r"location ~ \^/media/\(([a-z|]+)\)/\.\+\\\.\(([a-z|]+)\)\$ \{(.*?)\n\s*\}", block, re.S)
    assert locations, "the media locations are documented"
    served = set()
    for prefixes, extensions, body in locations:
        # Only the public folders: a catalog file (catalog/…) is never served from disk.
        assert {f"{prefix}/" for prefix in prefixes.split("|")} == set(media.PUBLIC_PREFIXES)
        served |= {f".{extension}" for extension in extensions.split("|")}
        assert re.search(r"^\s*root (\S+);", body, re.M).group(1) == var_dir  # root + /media/… = MEDIA_ROOT
        for header, value in media.INERT_HEADERS.items():
            assert f'add_header {header} "{value}" always;' in body
        downloads = {media.SERVED_TYPES[f".{extension}"][1] for extension in extensions.split("|")}
        assert downloads == {'add_header Content-Disposition "attachment" always;' in body}
    assert served == set(media.SERVED_TYPES)
    assert re.search(r"location /media/ \{\s*return 404;\s*\}", block)
    assert re.search(r"alias " + re.escape(var_dir) + r"/static/;", block)


def test_the_app_serves_media_inert_and_only_pictures_and_pdfs(tmp_path):
    (tmp_path / "works").mkdir()
    (tmp_path / "works" / "a1.jpg").write_bytes(b"\xff\xd8\xff<html><script>alert(1)</script>")
    (tmp_path / "works" / "b2.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "works" / "c3.html").write_bytes(b"<script>alert(1)</script>")
    (tmp_path / "works" / "d4.svg").write_bytes(b"<svg/>")
    factory = RequestFactory()
    with override_settings(MEDIA_ROOT=tmp_path):
        picture = media.serve_media(factory.get("/media/works/a1.jpg"), "works/a1.jpg")
        document = media.serve_media(factory.get("/media/works/b2.pdf"), "works/b2.pdf")
    (tmp_path / "catalog" / "resources").mkdir(parents=True)
    (tmp_path / "catalog" / "resources" / "e5.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "catalog" / "resources" / "f6.png").write_bytes(b"\x89PNG")
    with override_settings(MEDIA_ROOT=tmp_path):
        # The catalog's files are served by its views (published datasets only), never here.
        outside = ("catalog/resources/e5.pdf", "catalog/resources/f6.png", "works/../catalog/resources/e5.pdf")
        for path in ("works/c3.html", "works/d4.svg", "works/none.jpg", *outside):
            with pytest.raises(Http404):
                media.serve_media(factory.get(f"/media/{path}"), path)
    for response in (picture, document):
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert picture["Content-Type"] == "image/jpeg" and picture["Content-Disposition"] == "inline"
    assert document["Content-Type"] == "application/pdf" and document["Content-Disposition"] == "attachment"
