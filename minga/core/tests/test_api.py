"""The API plumbing through HTTP: tokens scoped to one government, declared permissions,
pagination, rate limits, CORS, the OpenAPI schema and the documentation page."""

import datetime as dt
import json

import pytest
import yaml
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from minga.core.accounts.models import Membership
from minga.core.api import services
from minga.core.api.models import ApiToken
from minga.core.audit.models import AuditEntry
from minga.core.testing import GovernmentFactory, UserFactory, approve_host, gov_url, login_verified, make_official

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def auth(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


def issue(government, user=None, **fields):
    user = user or make_official(government, role="editor", module="institution")
    fields.setdefault("second_factor", True)
    return services.token_create(actor=user, government=government, name="Script", **fields)


# Tokens ---------------------------------------------------------------------------------


def test_token_authenticates_its_owner_in_its_government(client, government):
    issued = issue(government)
    response = client.get(gov_url(government, "api:me"), **auth(issued.key))
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == issued.token.user.email
    assert body["government"] == government.slug
    assert body["roles"] == {"institution": "editor"}
    assert body["token"]["prefix"] == issued.token.prefix
    issued.token.refresh_from_db()
    assert issued.token.last_used_at is not None


def test_only_a_hash_of_the_secret_is_stored(government):
    issued = issue(government)
    prefix, secret = issued.key.split(".")
    assert issued.token.prefix == prefix and 8 <= len(prefix) <= 10
    assert secret not in issued.token.secret_hash and len(issued.token.secret_hash) == 64


def test_token_of_one_government_is_refused_by_another(client, government, other_government):
    issued = issue(government)
    response = client.get(gov_url(other_government, "api:me"), **auth(issued.key))
    assert response.status_code == 401
    assert "another government" in response.json()["detail"] or "otro gobierno" in response.json()["detail"]
    # also on public endpoints: a foreign token is an error, not an anonymous request
    assert client.get(gov_url(other_government, "api:government"), **auth(issued.key)).status_code == 401


def test_unknown_api_path_answers_404(client, government):
    issued = issue(government)
    assert client.get(f"/g/{government.slug}/api/v1/no-existe/", **auth(issued.key)).status_code == 404
    assert client.get(f"/g/{government.slug}/api/v1/no-existe/").status_code == 404


@pytest.mark.parametrize(
    "spoil",
    [
        lambda token: ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now()),
        lambda token: ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1)),
        lambda token: type(token.user).objects.filter(pk=token.user_id).update(is_active=False),
        lambda token: Membership.objects.filter(user=token.user).delete(),
    ],
    ids=["revoked", "expired", "inactive-user", "no-longer-official"],
)
def test_unusable_tokens_are_refused_with_a_reason(client, government, spoil):
    issued = issue(government)
    spoil(issued.token)
    response = client.get(gov_url(government, "api:me"), **auth(issued.key))
    assert response.status_code == 401
    assert response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Token")


@pytest.mark.parametrize("key", ["nonsense", "0123456789.wrongsecretwrongsecretwrongsecret", ""])
def test_malformed_or_unknown_tokens_are_refused(client, government, key):
    issue(government)
    response = client.get(gov_url(government, "api:me"), HTTP_AUTHORIZATION=f"Token {key}".strip())
    assert response.status_code == 401


def test_wrong_secret_with_a_real_prefix_is_refused(client, government):
    issued = issue(government)
    prefix = issued.key.split(".")[0]
    response = client.get(gov_url(government, "api:me"), **auth(f"{prefix}.{'x' * 43}"))
    assert response.status_code == 401


def test_last_use_is_written_at_most_once_a_minute(government):
    issued = issue(government)
    now = timezone.now()
    services.token_mark_used(token=issued.token, now=now)
    services.token_mark_used(token=issued.token, now=now + dt.timedelta(seconds=30))
    issued.token.refresh_from_db()
    assert issued.token.last_used_at == now
    services.token_mark_used(token=issued.token, now=now + dt.timedelta(seconds=61))
    issued.token.refresh_from_db()
    assert issued.token.last_used_at == now + dt.timedelta(seconds=61)


def test_token_holder_can_revoke_the_token_in_use(client, government):
    issued = issue(government)
    response = client.delete(gov_url(government, "api:current_token"), **auth(issued.key))
    assert response.status_code == 204
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is not None
    assert AuditEntry.objects.filter(action="core.apitoken.revoked", object_id=str(issued.token.pk)).exists()
    assert client.get(gov_url(government, "api:me"), **auth(issued.key)).status_code == 401


# Declared permissions -------------------------------------------------------------------


def test_public_endpoints_are_readable_anonymously(client, government):
    for name in ("api:index", "api:government", "api:government_children", "api:schema", "api:docs"):
        assert client.get(gov_url(government, name)).status_code == 200, name


def test_writes_are_refused_anonymously(client, government):
    assert client.delete(gov_url(government, "api:current_token")).status_code == 401
    assert client.get(gov_url(government, "api:me")).status_code == 401
    # a method the endpoint does not serve: 405, as the schema lists none, before credentials
    assert client.post(gov_url(government, "api:government"), {}).status_code == 405


def test_public_endpoints_are_read_only_even_with_a_token(client, government):
    issued = issue(government)
    response = client.post(gov_url(government, "api:government"), {}, **auth(issued.key))
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD, OPTIONS"


def test_session_writes_of_an_editor_need_the_second_factor(client, government):
    editor = make_official(government, role="editor", module="institution")
    issued = issue(government, user=editor)
    client.force_login(editor)  # signed in, second factor not passed
    response = client.delete(gov_url(government, "api:current_token"))
    assert response.status_code == 403
    assert "two-factor" in response.json()["detail"]
    # reads of one's own account stay possible (needed to set up the second factor)
    assert client.get(gov_url(government, "api:me")).status_code == 200
    login_verified(client, editor)
    # verified, but a session carries no token to revoke
    assert client.delete(gov_url(government, "api:current_token")).status_code == 400
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is None


def test_citizens_cannot_use_official_endpoints(client, government):
    client.force_login(UserFactory())
    assert client.get(gov_url(government, "api:me")).status_code == 200
    assert client.delete(gov_url(government, "api:current_token")).status_code == 403


# Core endpoints and pagination ----------------------------------------------------------


def test_government_endpoint_describes_the_current_government(client, government, other_government):
    body = client.get(gov_url(government, "api:government")).json()
    assert body["slug"] == government.slug and body["name"] == government.name
    assert body["portal"].endswith(f"/g/{government.slug}/")
    assert "institution" in [m["key"] for m in body["modules"]]
    assert other_government.name not in json.dumps(body)


def test_government_endpoint_lists_only_enabled_modules(client, government):
    government.modules = {"institution": {"enabled": False}}
    government.save()
    body = client.get(gov_url(government, "api:government")).json()
    assert "institution" not in [m["key"] for m in body["modules"]]


def test_lists_are_paginated(client, government):
    for n in range(3):
        GovernmentFactory(level="canton", dpa_code=f"13{n + 1:02d}", parent=government)
    url = gov_url(government, "api:government_children")
    body = client.get(url, {"page_size": 2}).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3 and len(body["results"]) == 2 and body["previous"] is None
    assert f"/g/{government.slug}/api/v1/gobierno/gobiernos/?page=2" in body["next"]
    second = client.get(body["next"]).json()
    assert len(second["results"]) == 1 and second["next"] is None
    assert client.get(url, {"page": 99}).status_code == 404
    # page_size is capped at 500
    assert len(client.get(url, {"page_size": 100000}).json()["results"]) == 3


def test_index_links_the_entry_points(client, government):
    body = client.get(gov_url(government, "api:index")).json()
    assert body["links"]["docs"].endswith(f"/g/{government.slug}/api/v1/docs/")
    assert "/api/v1/gobierno/" in body["endpoints"]


# Rate limits ----------------------------------------------------------------------------


def _rates(anon: str, user: str):
    return override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": anon, "user": user}}
    )


def test_anonymous_clients_get_429_with_retry_after(client, government):
    cache.clear()
    url = gov_url(government, "api:government")
    with _rates("2/min", "5/min"):
        assert client.get(url).status_code == 200
        assert client.get(url).status_code == 200
        response = client.get(url)
        assert response.status_code == 429
        assert 1 <= int(response["Retry-After"]) <= 60
        assert response.json()["retry_after"] == int(response["Retry-After"])
        assert "Demasiadas solicitudes" in response.json()["detail"] or "Too many requests" in response.json()["detail"]
        english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert english.status_code == 429
        assert english.json()["detail"].startswith("Too many requests. Try again in")
    cache.clear()


def test_token_clients_are_limited_per_person(client, government):
    cache.clear()
    issued = issue(government)
    url = gov_url(government, "api:me")
    with _rates("1/min", "2/min"):
        assert client.get(url, **auth(issued.key)).status_code == 200
        assert client.get(url, **auth(issued.key)).status_code == 200
        response = client.get(url, **auth(issued.key))
        assert response.status_code == 429 and response["Retry-After"]
    cache.clear()


def test_forged_forwarded_for_does_not_escape_the_limit(client, government):
    cache.clear()
    url = gov_url(government, "api:government")
    with _rates("1/min", "5/min"):
        assert client.get(url, HTTP_X_FORWARDED_FOR="10.0.0.1").status_code == 200
        assert client.get(url, HTTP_X_FORWARDED_FOR="10.0.0.2").status_code == 429
    cache.clear()


# CORS -----------------------------------------------------------------------------------


def test_public_api_is_readable_from_other_origins(client, government):
    response = client.get(gov_url(government, "api:government"), HTTP_ORIGIN="https://datos.example.org")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response


def test_pages_outside_the_api_send_no_cors_headers(client, government):
    response = client.get(f"/g/{government.slug}/", HTTP_ORIGIN="https://datos.example.org")
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response


def test_cors_preflight_does_not_allow_writes(client, government):
    response = client.options(
        gov_url(government, "api:current_token"),
        HTTP_ORIGIN="https://datos.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    allowed = {m.strip() for m in response.get("Access-Control-Allow-Methods", "").split(",")}
    assert "POST" not in allowed and "DELETE" not in allowed
    assert allowed <= {"GET", "HEAD", "OPTIONS"}


# Schema and documentation ---------------------------------------------------------------


def test_schema_endpoint_serves_openapi_3(client, government):
    response = client.get(gov_url(government, "api:schema"))
    assert response.status_code == 200
    document = yaml.safe_load(response.content)
    assert document["openapi"].startswith("3.")
    assert "/api/v1/gobierno/" in document["paths"]
    assert document["servers"][0]["url"].endswith(f"/g/{government.slug}")
    assert "tokenAuth" in document["components"]["securitySchemes"]
    as_json = client.get(gov_url(government, "api:schema"), {"format": "json"})
    assert as_json.status_code == 200 and as_json.json()["openapi"] == document["openapi"]


def test_schema_marks_public_and_protected_operations(client, government):
    document = yaml.safe_load(client.get(gov_url(government, "api:schema")).content)
    government_get = document["paths"]["/api/v1/gobierno/"]["get"]
    assert government_get["security"] == [{}] and government_get["x-permission"] == "public"
    revoke = document["paths"]["/api/v1/yo/token/"]["delete"]
    assert {"tokenAuth": []} in revoke["security"] and revoke["x-permission"] == "core.manage_own_tokens"


def test_docs_page_is_built_from_the_schema(client, government):
    response = client.get(gov_url(government, "api:docs"))
    assert response.status_code == 200
    body = response.content.decode()
    assert len(response.content) < 100_000
    assert "GET /api/v1/gobierno/" in body and "DELETE /api/v1/yo/token/" in body
    assert f"http://testserver/g/{government.slug}/api/v1/gobierno/" in body
    assert "Authorization: Token $MINGA_TOKEN" in body
    assert "Retry-After" in body and "page_size" in body and "120 requests per minute" in body
    assert "<script>" not in body and 'style="' not in body


@override_settings(ALLOWED_HOSTS=["datos.manabi.gob.ec", "testserver"])
def test_api_on_the_governments_own_host(client, government, other_government):
    approve_host(government, "datos.manabi.gob.ec")
    host = {"HTTP_HOST": "datos.manabi.gob.ec"}
    response = client.get("/api/v1/gobierno/", HTTP_ORIGIN="https://otro.example.org", **host)
    assert response.status_code == 200 and response.json()["slug"] == government.slug
    assert response["Access-Control-Allow-Origin"] == "*"
    assert client.get("/api/v1/yo/", **host, **auth(issue(government).key)).status_code == 200
    assert client.get("/api/v1/yo/", **host, **auth(issue(other_government).key)).status_code == 401
    document = yaml.safe_load(client.get("/api/v1/schema/", **host).content)
    assert document["servers"][0]["url"] == "http://datos.manabi.gob.ec"
