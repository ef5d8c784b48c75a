"""Test helpers every module uses: factories for governments and people, addresses inside a
government, signing in as an official (with the second factor passed), and the tenancy
check that government B gets 404 for government A's objects."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import io
import itertools
import struct
import zipfile
import zlib
from collections.abc import Iterable

import factory
from django.conf import settings
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from .accounts.models import Membership, User
from .audit.models import AuditEntry
from .audit.services import open_chain
from .tenancy.models import Government, GovernmentHost
from .tenancy.selectors import forget_hosts
from .verification import keys as identity_keys
from .verification.cedula import check_digit
from .verification.levels import Level
from .verification.models import CensusEntry, CensusRoll, Identity, Verification

_dpa = itertools.count(10)
_cedula_serial = itertools.count(1)
# The codes the shared fixtures give Manabí and Azuay by name (conftest.py): the factory never
# hands them out, or a test's extra government would collide with them depending on how many
# governments earlier tests in the same process made.
_FIXTURE_DPA_CODES = frozenset({"13", "01"})


def _free_dpa_code() -> str:
    """A two-digit province code no government holds yet (the column is unique)."""
    for _ in range(100):
        code = f"{next(_dpa) % 100:02d}"
        if code not in _FIXTURE_DPA_CODES and not Government.objects.filter(dpa_code=code).exists():
            return code
    raise RuntimeError("no free two-digit DPA code left for a test government")


class GovernmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Government
        skip_postgeneration_save = True

    level = "province"
    dpa_code = factory.LazyFunction(_free_dpa_code)
    name = factory.Sequence(lambda n: f"Gobierno Provincial de Prueba {n}")
    short_name = factory.Sequence(lambda n: f"Prueba {n}")
    slug = factory.Sequence(lambda n: f"prueba-{n}")
    description = "Gobierno de prueba."

    @factory.post_generation
    def audit_chain(government, create, extracted, **kwargs):
        """Its audit chain, as `government_create` opens it."""
        if create:
            open_chain(government=government)


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


def approve_host(government: Government, host: str) -> GovernmentHost:
    """Give a government an own host name as if the platform's operator had approved it."""
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    row = GovernmentHost.objects.create(
        government=government, host=host, status=GovernmentHost.Status.APPROVED, requested_at=now, approved_at=now
    )
    forget_hosts()
    return row


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


def make_cedula(serial: int | None = None, province: str = "13") -> str:
    """A valid cédula number (made up): a new one on each call, or the one of ``serial``."""
    serial = next(_cedula_serial) if serial is None else serial
    body = f"{province}{serial % 6}{serial % 1_000_000:06d}"
    return body + str(check_digit(body))


def make_verified_person(
    government: Government | None = None, level=Level.CEDULA, *, territory: str = "", **user_fields
):
    """A person at ``level`` (a module's tests of binding actions): a registered cédula, and in
    ``government`` a desk verification (ASSISTED) or a census one, on a live roll made for the
    purpose when the government has none. Written straight to the tables, not through the
    services (those are tested in core)."""
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    user = UserFactory(**user_fields)
    if level < Level.CEDULA:
        if level < Level.EMAIL:
            user.email_verified_at = None
            user.save(update_fields=["email_verified_at"])
        return user
    hashed = identity_keys.cedula_hash(make_cedula())
    identity = Identity.objects.create(cedula_hash=hashed, user=user, method="online", created_at=now, linked_at=now)
    if level == Level.CENSUS:
        rolls = CensusRoll.objects.for_government(government)
        roll = rolls.filter(status=CensusRoll.Status.LIVE).first() or rolls.create(
            government=government,
            label="Padrón de prueba",
            status=CensusRoll.Status.LIVE,
            uploaded_at=now,
            published_at=now,
        )
        CensusEntry.objects.for_government(government).create(
            government=government, roll=roll, cedula_hash=hashed, territory_code=territory
        )
    if level >= Level.CENSUS:
        Verification.objects.create(
            government=government, identity=identity, level=level, territory_code=territory, created_at=now
        )
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
    # Every permission is granted to a superuser, so the second factor comes first: each
    # back-office address sends to its set-up (see assert_second_factor_first).
    "superuser_without_two_factor": (302, 302),
}


def make_superuser(**user_fields) -> User:
    """A platform superuser (and staff) with no two-factor device."""
    return UserFactory(is_superuser=True, is_staff=True, **user_fields)


def assert_second_factor_first(client, government: Government, urls: list[str], posts: list[str] = ()) -> None:
    """The signed-in person has not passed two-factor: every address answers a redirect to
    the two-factor set-up (or verification) page, and a POST changes nothing (every official
    change writes an audit entry, and none appears)."""
    setup = gov_url(government, "core:otp_setup")
    verify = gov_url(government, "core:otp_verify")
    entries = AuditEntry.objects.count()
    for method, url in [("get", url) for url in urls] + [("post", url) for url in posts]:
        response = getattr(client, method)(url)
        location = response.get("Location", "")
        assert response.status_code == 302 and location.startswith((setup + "?", verify + "?")), (
            f"{method.upper()} {url} answered {response.status_code} {location}, expected the two-factor page"
        )
    assert AuditEntry.objects.count() == entries, "a write happened without the second factor"


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
        "superuser_without_two_factor": make_superuser(),
    }
    for label, user in people.items():
        client.logout()
        if label == "superuser_without_two_factor":
            client.force_login(user)  # the password only
            assert_second_factor_first(client, government, [*viewer, *editor], [*editor, *editor_posts])
            continue
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


@functools.cache
def bomb_png_bytes(width: int = 8_900, height: int = 8_900) -> bytes:
    """A valid single-colour RGB PNG of width × height: a few hundred kilobytes that decode to
    width × height × 3 bytes (8,900² is about 240 MB). Written row by row, never decoded."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    compressor = zlib.compressobj(9)
    row = b"\x00" + b"\x7f\xa0\xc8" * width  # filter byte, then the pixels
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def xlsx_with_part(data: bytes, name: str, chunks: Iterable[bytes]) -> bytes:
    """The XLSX workbook ``data`` with its part ``name`` replaced (or added) by ``chunks``,
    written one at a time so that a part of hundreds of megabytes never sits whole in memory."""
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != name:
                target.writestr(item, source.read(item.filename), compress_type=zipfile.ZIP_DEFLATED)
        with target.open(name, "w") as part:
            for chunk in chunks:
                part.write(chunk)
    return output.getvalue()


def xlsx_with_padded_sheet(data: bytes, megabytes: int) -> bytes:
    """The workbook with ``megabytes`` MB of blank space inside its first worksheet's data:
    the same rows, a few tens of kilobytes more in the file, that much more XML to inflate."""
    name = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        head, tag, tail = source.read(name).rpartition(b"</sheetData>")
    block = b" " * 1024 * 1024
    return xlsx_with_part(data, name, [head, *([block] * megabytes), tag, tail])


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
