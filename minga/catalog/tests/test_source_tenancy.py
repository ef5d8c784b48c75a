"""What the operator gives each government, and what a government cannot take for itself.

A source database exists only for the governments the operator named: a canton's editor is
not offered the province's, cannot save it by hand (form or service) and a scheduled check
refuses to run a source taken away later. A government's own outbound host list narrows the
public hosts its resources are fetched from; it opens no loopback, link-local, cloud-metadata
or private address, whether named directly or behind a host name."""

import datetime as dt
import socket
import sqlite3

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import translation

from minga.core import outbound
from minga.core.tenancy.scoping import government_scope
from minga.core.tenancy.services import government_set_module_settings
from minga.core.testing import assert_foreign_government_404, gov_url, login_verified, make_official
from minga.core.testing_http import LocalServer

from ..datasets.models import Resource
from ..refresh import services as refresh
from ..refresh import sources
from ..tables.models import ResourceLoad
from . import factories

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def source_dbs(tmp_path, settings, government, canton):
    """One database given to the province (manabi), one to the canton (portoviejo)."""
    paths = {}
    for name, rows in (("provincia", [(1, "Secreto provincial")]), ("canton", [(1, "Puente"), (2, "Vía")])):
        path = tmp_path / f"{name}.sqlite3"
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE obras (id INTEGER PRIMARY KEY, nombre TEXT)")
        conn.executemany("INSERT INTO obras VALUES (?, ?)", rows)
        conn.commit()
        conn.close()
        paths[name] = path
    settings.SQL_SOURCES = {
        "catastro-manabi": {"url": f"sqlite:///{paths['provincia']}", "governments": [government.slug]},
        "obras-portoviejo": {"url": f"sqlite:///{paths['canton']}", "governments": [canton.slug]},
    }
    return paths


@pytest.fixture
def canton_office(english, canton):
    login_verified(english, make_official(canton, "editor", "catalog"))
    return english


def check(government, resource):
    with government_scope(government):
        return refresh.refresh_resource(government=government, resource=resource, now=NOW)


def test_setting_format_gives_each_source_to_named_governments():
    from minga.settings.base import parse_sql_sources

    parsed = parse_sql_sources(
        "catastro@manabi,Portoviejo=postgres://lector:cl@ve=x@10.0.0.5:5432/catastro "
        "viejo=sqlite:////srv/viejo.sqlite3 roto"
    )
    assert parsed == {
        "catastro": {
            "url": "postgres://lector:cl@ve=x@10.0.0.5:5432/catastro",
            "governments": ["manabi", "portoviejo"],
        },
        "viejo": {"url": "sqlite:////srv/viejo.sqlite3", "governments": []},
    }


def test_a_source_without_governments_is_given_to_none(settings, government, canton):
    settings.SQL_SOURCES = {"viejo": {"url": "sqlite:////nada", "governments": []}, "plano": "sqlite:////nada"}
    assert sources.sql_source_names(government) == [] and sources.sql_source_names(canton) == []


def test_canton_form_offers_only_its_own_source(canton_office, canton, source_dbs):
    dataset = factories.dataset(canton)
    form = canton_office.get(gov_url(canton, "catalog:office_resource_create", dataset_pk=dataset.pk)).content.decode()
    assert 'value="sql"' in form and '<option value="obras-portoviejo">' in form
    assert "catastro-manabi" not in form


def test_canton_editor_cannot_post_the_province_source(canton_office, canton, source_dbs):
    dataset = factories.dataset(canton)
    url = gov_url(canton, "catalog:office_resource_create", dataset_pk=dataset.pk)
    response = canton_office.post(
        url, {"title": "Q", "kind": "sql", "sql_source": "catastro-manabi", "sql_query": "SELECT * FROM obras"}
    )
    assert response.status_code == 200
    assert 'id="id_sql_source_error"' in response.content.decode() or "valid choice" in response.content.decode()
    assert not Resource._base_manager.filter(dataset=dataset).exists()
    assert not ResourceLoad._base_manager.filter(government=canton).exists()


def test_service_refuses_another_government_source_in_both_languages(canton, source_dbs):
    dataset = factories.dataset(canton)
    expected = {
        "en": "Choose one of the source databases given to your government.",
        "es": "Elija una de las bases de datos de origen entregadas a su gobierno.",
    }
    for language, message in expected.items():
        with translation.override(language), pytest.raises(ValidationError) as caught:
            factories.resource(
                canton, dataset, kind="sql", sql_source="catastro-manabi", sql_query="SELECT * FROM obras"
            )
        assert caught.value.message_dict["sql_source"] == [message]
    assert not Resource._base_manager.filter(dataset=dataset).exists()
    # Its own source is accepted and loads.
    own = factories.resource(
        canton, dataset, kind="sql", sql_source="obras-portoviejo", sql_query="SELECT * FROM obras"
    )
    assert check(canton, own).status == refresh.LOADED


def test_refresh_refuses_a_source_taken_away_or_not_given(canton_office, canton, source_dbs, settings):
    dataset = factories.dataset(canton)
    resource = factories.resource(
        canton, dataset, kind="sql", sql_source="obras-portoviejo", sql_query="SELECT * FROM obras"
    )
    # The operator takes the source away from the canton.
    settings.SQL_SOURCES = {**settings.SQL_SOURCES, "obras-portoviejo": {**settings.SQL_SOURCES["obras-portoviejo"]}}
    settings.SQL_SOURCES["obras-portoviejo"]["governments"] = []
    with translation.override("en"):
        outcome = check(canton, resource)
    assert outcome.status == refresh.FAILED
    assert "is not available to this government" in outcome.message
    stored = Resource._base_manager.get(pk=resource.pk)
    assert stored.check_failures == 1 and "not available to this government" in stored.check_error
    page = canton_office.get(gov_url(canton, "catalog:office_resource", pk=resource.pk)).content.decode()
    assert 'id="check-error"' in page and "not available to this government" in page
    assert not ResourceLoad._base_manager.filter(resource_id=resource.pk).exists()
    with translation.override("es"):
        assert "no está disponible para este gobierno" in check(canton, resource).message
    # A name written into the row behind the service's back reads nothing either.
    Resource._base_manager.filter(pk=resource.pk).update(sql_source="catastro-manabi")
    assert check(canton, resource).status == refresh.FAILED
    assert not ResourceLoad._base_manager.filter(resource_id=resource.pk).exists()


def test_sql_resource_pages_are_the_canton_own(client, government, canton, source_dbs):
    dataset = factories.dataset(canton)
    resource = factories.resource(
        canton, dataset, kind="sql", sql_source="obras-portoviejo", sql_query="SELECT * FROM obras"
    )
    login_verified(client, make_official(government, "editor", "catalog"))
    paths = [
        gov_url(canton, "catalog:office_resource", pk=resource.pk),
        gov_url(canton, "catalog:office_resource_edit", pk=resource.pk),
        gov_url(canton, "catalog:office_resource_create", dataset_pk=dataset.pk),
    ]
    assert_foreign_government_404(client, government, paths, canton)


# The government's own host list ---------------------------------------------------------------


@pytest.fixture
def server():
    with LocalServer() as running:
        yield running


@pytest.fixture
def dns(monkeypatch):
    """Names resolve as the test says; every socket that would open is recorded (and goes to
    the test server), so a refused address shows as no connection at all."""
    names: dict[str, str] = {}
    connected: list[str] = []
    real_open = outbound._open_socket

    def resolve(host, port):
        address = names.get(host, host)
        return [(socket.AF_INET6 if ":" in address else socket.AF_INET, address)]

    def open_socket(family, address, port, timeout, options):
        connected.append(address)
        return real_open(socket.AF_INET, "127.0.0.1", port, timeout, options)

    monkeypatch.setattr(outbound, "_resolve", resolve)
    monkeypatch.setattr(outbound, "_open_socket", open_socket)
    return names, connected


def set_government_hosts(government, hosts: str) -> None:
    """What a government administrator saves in the catalog settings (every outbound host
    setting the module declares), plus a value left under the older key."""
    keys = [spec.key for spec in apps.get_app_config("catalog").manifest.settings if spec.key.startswith("outbound")]
    assert keys
    government_set_module_settings(
        actor=None,
        government=government,
        module="catalog",
        values={**dict.fromkeys(keys, hosts), "outbound_allowed_hosts": hosts},
    )
    government.refresh_from_db()


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("127.0.0.1", None),
        ("169.254.169.254", None),
        ("localhost.example.org", "127.0.0.1"),
        ("metadata.example.org", "169.254.169.254"),
        ("metadata.google.internal", "169.254.169.254"),
        ("v6.example.org", "fd00:ec2::254"),
        ("datos.intranet.gob.ec", "10.0.0.8"),
    ],
)
def test_government_list_cannot_reach_internal_addresses(canton, server, dns, settings, host, address):
    names, connected = dns
    if address:
        names[host] = address
    settings.OUTBOUND_ALLOWED_HOSTS = []
    set_government_hosts(canton, f"127.0.0.1, 169.254.169.254, {host}, .example.org, .internal")
    server.route("/latest/meta-data/", 200, {"Content-Type": "text/csv"}, b"clave,valor\nsecreto,1\n")
    resource = factories.resource(
        canton,
        factories.dataset(canton),
        kind="url",
        url=f"http://{host}:{server.port}/latest/meta-data/",
        auto_refresh=True,
    )
    with translation.override("en"):
        outcome = check(canton, resource)
    assert outcome.status == refresh.FAILED and "internal address" in outcome.message
    with translation.override("en"):
        refresh.check_links(now=NOW)
    assert Resource._base_manager.get(pk=resource.pk).reachable is False
    assert connected == [] and server.requests == []


def test_government_list_narrows_public_hosts(canton, server, dns):
    names, connected = dns
    names["datos.gob.ec"] = "93.184.216.34"
    names["otro.example.org"] = "93.184.216.35"
    server.route("/d.csv", 200, {"Content-Type": "text/csv"}, b"a,b\n1,2\n")
    set_government_hosts(canton, "datos.gob.ec")
    dataset = factories.dataset(canton)
    listed = factories.resource(canton, dataset, kind="url", url=f"http://datos.gob.ec:{server.port}/d.csv")
    other = factories.resource(canton, dataset, kind="url", url=f"http://otro.example.org:{server.port}/d.csv")
    assert check(canton, listed).status == refresh.LOADED
    with translation.override("en"):
        outcome = check(canton, other)
    assert outcome.status == refresh.FAILED and "not among the hosts" in outcome.message
    assert connected == ["93.184.216.34"]


def test_operator_list_alone_opens_an_intranet_host(canton, server, dns, settings):
    names, connected = dns
    names["datos.intranet.gob.ec"] = "10.0.0.8"
    server.route("/d.csv", 200, {"Content-Type": "text/csv"}, b"a,b\n1,2\n")
    settings.OUTBOUND_ALLOWED_HOSTS = ["datos.intranet.gob.ec"]
    resource = factories.resource(
        canton, factories.dataset(canton), kind="url", url=f"http://datos.intranet.gob.ec:{server.port}/d.csv"
    )
    assert check(canton, resource).status == refresh.LOADED
    assert connected == ["10.0.0.8"]


def test_check_warns_about_a_source_given_to_none(settings):
    from ..refresh.checks import sql_sources_check

    settings.SQL_SOURCES = {
        "viejo": {"url": "sqlite:////nada", "governments": []},
        "bien": {"url": "x", "governments": ["a"]},
    }
    warnings = sql_sources_check(None)
    assert [warning.id for warning in warnings] == ["minga.W201"] and "viejo" in warnings[0].msg



def test_the_source_check_runs_with_minga_check():
    """Registered when the app loads (a fresh process, so no test has imported it before)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    env = {**os.environ, "MINGA_SQL_SOURCES": "viejo=sqlite:////nada", "DJANGO_SETTINGS_MODULE": "minga.settings.test"}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"], cwd=root, env=env, capture_output=True, text=True, timeout=300
    )
    assert "minga.W201" in result.stdout + result.stderr
