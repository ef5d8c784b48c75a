"""Own host names: a government's administrator can only ask for one; it serves the government
once the platform's operator approves it; a name belongs to one government at most (a unique
index) and never to the platform, whose names are looked at first."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from minga.core.audit.models import AuditEntry
from minga.core.tenancy.hosts import is_platform_host, normalise_host
from minga.core.tenancy.models import GovernmentHost
from minga.core.tenancy.selectors import government_for_host, own_host
from minga.core.tenancy.services import government_host_approve
from minga.core.testing import GovernmentFactory, approve_host, gov_url, login_verified, make_official, make_superuser

pytestmark = pytest.mark.django_db

MANABI_HOST = "transparencia.manabi.gob.ec"
MANTA_HOST = "transparencia.manta.gob.ec"
HOSTS = [MANABI_HOST, MANTA_HOST, "127.0.0.1", "localhost", "testserver"]


@pytest.fixture
def manta(government):
    return GovernmentFactory(
        name="GAD Municipal de Manta", short_name="Manta", slug="manta", level="canton", dpa_code="1308"
    )


@pytest.fixture
def manta_admin(client, manta):
    admin = make_official(manta, "admin")
    login_verified(client, admin)
    return admin


def profile_data(government, hosts: str) -> dict:
    return {
        "name": government.name,
        "short_name": government.short_name,
        "description": "Descripción cambiada",
        "primary_colour": "#0b5563",
        "accent_colour": "#b4531a",
        "hosts_text": hosts,
    }


def host_table():
    return sorted(GovernmentHost.objects.values_list("host", "government_id", "status"))


@override_settings(ALLOWED_HOSTS=HOSTS)
@pytest.mark.parametrize(
    ("typed", "spanish"),
    [
        (MANABI_HOST, "ya pertenece a otro gobierno"),
        ("127.0.0.1", "pertenece a la propia plataforma"),
        ("127.0.0.1:8000", "no es un dominio válido"),
        ("LOCALHOST.", "pertenece a la propia plataforma"),
        ("manta.localhost", "pertenece a la propia plataforma"),
    ],
)
def test_an_administrator_cannot_take_another_governments_or_the_platforms_host(
    client, government, manta, manta_admin, typed, spanish
):
    approve_host(government, MANABI_HOST)
    before = host_table()
    entries = AuditEntry.objects.count()

    response = client.post(gov_url(manta, "core:government_profile"), profile_data(manta, f"{MANTA_HOST}\n{typed}"))

    assert response.status_code == 200
    body = response.content.decode()
    assert spanish in body and 'id="id_hosts_text_error"' in body
    manta.refresh_from_db()
    assert manta.description != "Descripción cambiada"  # nothing of the profile changed either
    assert host_table() == before and AuditEntry.objects.count() == entries
    # The host map is intact: Manabí's name serves Manabí, the platform's names the platform.
    assert government_for_host(MANABI_HOST) == government
    assert government.name in client.get("/", HTTP_HOST=MANABI_HOST).content.decode()
    platform = client.get("/", HTTP_HOST="127.0.0.1")
    assert platform.status_code == 200 and platform.resolver_match.url_name == "platform_home"
    assert client.get("/g/manabi/", HTTP_HOST="127.0.0.1").status_code == 200
    assert client.get("/g/manta/", HTTP_HOST="127.0.0.1").status_code == 200


def test_a_name_another_government_asked_for_is_taken_too(client, government, manta, manta_admin):
    GovernmentHost.objects.create(government=government, host=MANABI_HOST, requested_at="2026-01-01T00:00:00Z")
    response = client.post(gov_url(manta, "core:government_profile"), profile_data(manta, MANABI_HOST))
    assert response.status_code == 200
    assert not GovernmentHost.objects.filter(government=manta).exists()


def test_the_database_refuses_a_second_government_with_the_same_host(government, manta):
    approve_host(government, MANABI_HOST)
    with pytest.raises(IntegrityError), transaction.atomic():
        GovernmentHost.objects.create(government=manta, host=MANABI_HOST, requested_at="2026-01-01T00:00:00Z")
    with pytest.raises(IntegrityError), transaction.atomic():
        GovernmentHost.objects.create(government=manta, host="Portal.Manta.gob.ec", requested_at="2026-01-01T00:00:00Z")
    with pytest.raises(IntegrityError), transaction.atomic():  # approved without a date
        GovernmentHost.objects.create(
            government=manta, host=MANTA_HOST, status="approved", requested_at="2026-01-01T00:00:00Z"
        )
    assert host_table() == [(MANABI_HOST, government.pk, "approved")]


@override_settings(ALLOWED_HOSTS=HOSTS)
def test_a_requested_host_serves_only_after_the_operator_approves_it(client, government, manta, manta_admin):
    response = client.post(gov_url(manta, "core:government_profile"), profile_data(manta, MANTA_HOST))
    assert response.status_code == 302
    request = GovernmentHost.objects.get(host=MANTA_HOST)
    assert request.government == manta and request.status == "requested" and request.requested_by == manta_admin
    assert AuditEntry.objects.filter(action="core.government.host_requested", government=manta).exists()
    # Not approved: the name serves nothing of Manta.
    assert government_for_host(MANTA_HOST) is None and own_host(manta) is None
    response = client.get("/", HTTP_HOST=MANTA_HOST)
    assert response.resolver_match.url_name == "platform_home"
    assert (
        "awaiting approval"
        in client.get(gov_url(manta, "core:government_profile"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )

    # The government's administrator cannot approve it.
    approve = f"/plataforma/dominios/{request.pk}/aprobar/"
    assert client.post(approve).status_code == 403
    # The platform's operator (past the second factor) sees it and approves it.
    operator = make_superuser()
    TOTPDevice.objects.create(user=operator, name="phone", confirmed=True)
    login_verified(client, operator)
    listing = client.get("/plataforma/dominios/")
    assert listing.status_code == 200 and MANTA_HOST in listing.content.decode()
    assert client.post(approve)["Location"] == "/plataforma/dominios/"
    request.refresh_from_db()
    assert request.status == "approved" and request.approved_by == operator and request.approved_at is not None
    entry = AuditEntry.objects.get(action="core.government.host_approved")
    assert entry.actor == operator and entry.government == manta
    assert government_for_host(MANTA_HOST) == manta and own_host(manta) == MANTA_HOST
    assert manta.name in client.get("/", HTTP_HOST=MANTA_HOST).content.decode()


def test_the_operator_rejects_a_request_or_takes_a_host_back(client, government, manta):
    operator = make_superuser()
    TOTPDevice.objects.create(user=operator, name="phone", confirmed=True)
    login_verified(client, operator)
    request = GovernmentHost.objects.create(government=manta, host=MANABI_HOST, requested_at="2026-01-01T00:00:00Z")
    approved = approve_host(government, "datos.manabi.gob.ec")
    assert client.post(f"/plataforma/dominios/{request.pk}/rechazar/").status_code == 302
    assert client.post(f"/plataforma/dominios/{approved.pk}/rechazar/").status_code == 302
    assert not GovernmentHost.objects.exists()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"core.government.host_rejected", "core.government.host_withdrawn"} <= actions
    assert government_for_host("datos.manabi.gob.ec") is None


def test_a_platform_name_stored_anyway_never_shadows_the_platform(client, government):
    # Rows written before the platform's names were set, or by hand in the database.
    for host in ("127.0.0.1", "www.localhost"):
        GovernmentHost.objects.create(
            government=government,
            host=host,
            status="approved",
            requested_at="2026-01-01T00:00:00Z",
            approved_at="2026-01-01T00:00:00Z",
        )
    for host in ("127.0.0.1", "127.0.0.1:8000", "www.localhost"):
        assert government_for_host(host) is None
        assert client.get("/", HTTP_HOST=host).resolver_match.url_name == "platform_home"
    assert own_host(government) is None
    # Approving such a name again is refused.
    row = GovernmentHost.objects.get(host="127.0.0.1")
    row.status, row.approved_at = "requested", None
    row.save()
    with pytest.raises(ValidationError):
        government_host_approve(actor=None, host=row, now=row.requested_at)


@override_settings(PLATFORM_HOSTS=["minga.example.ec"])
def test_host_names_are_written_one_way():
    assert normalise_host(" Transparencia.Manabí.gob.ec. ") == "transparencia.xn--manab-3sa.gob.ec"
    assert is_platform_host("MINGA.example.ec:443") and is_platform_host("datos.minga.example.ec")
    assert not is_platform_host("minga.example.ec.evil.org") and not is_platform_host("otraminga.example.ec")
    for bad in ("https://x.gob.ec", "x.gob.ec/ruta", "x..gob.ec", "-x.gob.ec", "x.gob.ec:8000", "", "a" * 64 + ".ec"):
        with pytest.raises(ValidationError):
            normalise_host(bad)
    with pytest.raises(ValidationError):
        normalise_host("www.minga.example.ec")


@pytest.mark.django_db(transaction=True)
def test_host_lists_of_before_move_over_as_approved_names():
    """The migration keeps every government's working host names (approved), gives a name
    listed twice to the government created first, and drops the platform's and broken names."""
    executor = MigrationExecutor(connection)
    before = [("core", "0003_periodic_runs")]
    executor.migrate(before)
    Government = executor.loader.project_state(before).apps.get_model("core", "Government")
    fields = {"level": "province", "primary_colour": "#0b5563", "accent_colour": "#b4531a", "modules": {}}
    first = Government.objects.create(
        name="Primero",
        short_name="Primero",
        slug="primero",
        dpa_code="13",
        **fields,
        hosts=["Portal.Manabi.gob.ec", "127.0.0.1:8000", "no es un dominio"],
    )
    second = Government.objects.create(
        name="Segundo",
        short_name="Segundo",
        slug="segundo",
        dpa_code="09",
        **fields,
        hosts=["portal.manabi.gob.ec", "datos.guayas.gob.ec"],
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert host_table() == [
        ("datos.guayas.gob.ec", second.pk, "approved"),
        ("portal.manabi.gob.ec", first.pk, "approved"),
    ]
    assert government_for_host("portal.manabi.gob.ec").pk == first.pk
