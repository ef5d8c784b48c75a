"""Test helpers every module uses: factories for governments and people, addresses inside a
government, signing in as an official (with the second factor passed), and the tenancy
check that government B gets 404 for government A's objects."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import itertools

import factory
from django.conf import settings
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from .accounts.models import Membership, User
from .tenancy.models import Government

_dpa = itertools.count(10)


class GovernmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Government

    level = "province"
    dpa_code = factory.LazyFunction(lambda: f"{next(_dpa) % 100:02d}")
    name = factory.Sequence(lambda n: f"Gobierno Provincial de Prueba {n}")
    short_name = factory.Sequence(lambda n: f"Prueba {n}")
    slug = factory.Sequence(lambda n: f"prueba-{n}")
    description = "Gobierno de prueba."


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"persona{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Persona {n}")
    # Tests read wording in English; Spanish (the default) is covered by the catalogue tests.
    preferred_language = "en"
    email_verified_at = factory.LazyFunction(lambda: dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    password = factory.PostGenerationMethodCall("set_password", "clave-de-prueba-123")

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save()


TEST_PASSWORD = "clave-de-prueba-123"  # noqa: S105


def gov_url(government: Government, name: str, *args, **kwargs) -> str:
    """Address of a named government page in path-prefix mode (/g/<slug>/…)."""
    path = reverse(name, urlconf=settings.GOVERNMENT_URLCONF, args=args or None, kwargs=kwargs or None)
    return f"/g/{government.slug}{path}"


def make_official(government: Government, role: str = "editor", module: str = "", **user_fields) -> User:
    user = UserFactory(**user_fields)
    if role == Membership.Role.ADMIN:
        module = ""
    Membership.objects.create(user=user, government=government, role=role, module=module)
    if role != Membership.Role.VIEWER:
        TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    return user


def login_verified(client, user: User) -> None:
    """Sign in as if the second factor had been passed."""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


def assert_foreign_government_404(
    client, government_b: Government, paths_of_a: list[str], government_a: Government
) -> None:
    """Each address of government A, asked for under government B, must answer 404."""
    for path in paths_of_a:
        prefix_a = f"/g/{government_a.slug}/"
        assert path.startswith(prefix_a), path
        foreign = f"/g/{government_b.slug}/" + path[len(prefix_a) :]
        response = client.get(foreign)
        assert response.status_code == 404, f"{foreign} answered {response.status_code}, expected 404"


# Who a module's back office lets in: (status for viewer pages, status for editor pages).
ROLE_MATRIX = {
    "anonymous": (302, 302),
    "citizen": (403, 403),
    "viewer": (200, 403),
    "editor": (200, 200),
    "admin": (200, 200),
    "editor_of_other_government": (403, 403),
    "editor_of_other_module": (403, 403),
}


def assert_role_matrix(
    client,
    government: Government,
    other_government: Government,
    module: str,
    *,
    other_module: str,
    public: list[str],
    viewer: list[str],
    editor: list[str],
    editor_posts: list[str] = (),
) -> None:
    """Every role against a module's addresses: public pages open to all, viewer pages to
    the module's officials, editor pages (and POST-only actions) to its editors and admins;
    officials of another government or another module are refused."""
    people = {
        "anonymous": None,
        "citizen": UserFactory(),
        "viewer": make_official(government, "viewer", module),
        "editor": make_official(government, "editor", module),
        "admin": make_official(government, "admin"),
        "editor_of_other_government": make_official(other_government, "editor", module),
        "editor_of_other_module": make_official(government, "editor", other_module),
    }
    for label, user in people.items():
        client.logout()
        if user is not None:
            login_verified(client, user)
        view_status, edit_status = ROLE_MATRIX[label]
        for url in public:
            assert client.get(url).status_code == 200, f"{label} {url}"
        for url in viewer:
            assert client.get(url).status_code == view_status, f"{label} {url}"
        for url in editor:
            assert client.get(url).status_code == edit_status, f"{label} {url}"
        for url in editor_posts:
            assert client.get(url).status_code in (edit_status, 405), f"{label} GET {url}"
            if edit_status != 200:
                assert client.post(url).status_code == edit_status, f"{label} POST {url}"
    client.logout()


def committed_api_schema():
    """The committed OpenAPI document (docs/api/openapi.yaml), loaded by schemathesis."""
    from .api.schema import COMMITTED_SCHEMA

    return _load_api_schema(str(COMMITTED_SCHEMA))


@functools.cache
def _load_api_schema(path: str):
    import schemathesis

    return schemathesis.openapi.from_path(path)


def api_conformance_checks() -> list:
    """No server error, a documented status and content type, a body the schema describes."""
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    return [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@contextlib.contextmanager
def wsgi_requests_in_the_test_transaction():
    """Let requests sent straight to Django's WSGI application (as schemathesis does) run inside
    the test's transaction, as the test client's do: the request signals must not close the
    database connection (on PostgreSQL that would end the test's transaction)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def answered_as_documented(government: Government, path: str, method: str = "GET", **request):
    """Send one request to the operation `path` of the committed OpenAPI document (Django's WSGI
    application, in process) and fail unless the answer is what the document says; returns the
    answer. `request`: path_parameters, query, headers."""
    from django.core.wsgi import get_wsgi_application

    case = committed_api_schema()[path][method].Case(**request)
    with wsgi_requests_in_the_test_transaction():
        response = case.call(base_url=f"http://testserver/g/{government.slug}", app=get_wsgi_application())
    case.validate_response(response, checks=api_conformance_checks())
    return response
