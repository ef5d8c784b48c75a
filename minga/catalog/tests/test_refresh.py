"""Automatic refresh of remote resources: change detection (conditional request, checksum),
new versions with their change summary, bad sources that keep the previous version live,
read-only SQL sources, schedules, the periodic jobs, the public version history and tenancy."""

import datetime as dt
import sqlite3

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from minga import datastore
from minga.core.scheduling import services as scheduling
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import GovernmentFactory, gov_url, login_verified
from minga.core.testing_http import LocalServer

from .. import tasks
from ..datasets import services
from ..datasets.models import Dataset, Resource
from ..refresh import schedules, sources
from ..refresh import services as refresh
from ..tables import services as table_services
from ..tables.models import ResourceLoad
from . import factories

pytestmark = pytest.mark.django_db

V1 = b"codigo,canton,monto\n1,Portoviejo,10\n2,Manta,20\n3,Jipijapa,30\n"
# row 1 changed, row 3 removed, rows 4 and 5 added
V2 = b"codigo,canton,monto\n1,Portoviejo,15\n2,Manta,20\n4,Chone,40\n5,Sucre,50\n"
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def messages_in_english():
    """The messages below are checked in English; the Spanish ones are the same catalogue entries."""
    with translation.override("en"):
        yield


@pytest.fixture
def server():
    with LocalServer() as running:
        yield running


@pytest.fixture(autouse=True)
def operator_hosts(settings):
    """A list of the test's own: ``allow_local`` adds the test server to it."""
    settings.OUTBOUND_ALLOWED_HOSTS = []


def allow_local():
    """The test server listens on 127.0.0.1, which only the operator's list can open."""
    from django.conf import settings

    settings.OUTBOUND_ALLOWED_HOSTS.append("127.0.0.1")


def remote(government, url, **fields):
    dataset = factories.dataset(government, frequency=fields.pop("frequency", "DAILY"))
    values = {"kind": "url", "url": url, "auto_refresh": True}
    values.update(fields)
    return factories.resource(government, dataset, **values)


def check(government, resource, **kwargs):
    with government_scope(government):
        return refresh.refresh_resource(government=government, resource=resource, **kwargs)


def reload(resource):
    return Resource._base_manager.get(pk=resource.pk)


def loads(resource):
    return list(ResourceLoad._base_manager.filter(resource_id=resource.pk).order_by("pk"))


def test_first_check_loads_then_unchanged_costs_nothing(government, server):
    allow_local()
    server.route("/d.csv", 200, {"Content-Type": "text/csv", "ETag": '"v1"'}, V1)
    resource = remote(government, server.url("/d.csv"))
    assert reload(resource).next_check_at is not None
    outcome = check(government, resource, now=NOW)
    assert outcome.status == refresh.LOADED
    resource = reload(resource)
    assert resource.format == "CSV" and resource.source_etag == '"v1"' and resource.check_error == ""
    assert resource.data_updated_at == NOW and resource.last_checked_at == NOW
    assert resource.next_check_at == NOW + dt.timedelta(days=1)
    assert resource.is_tabular
    first = loads(resource)[0]
    assert first.trigger == "schedule" and first.succeeded and first.row_count == 3
    assert first.source_file.read() == V1 and first.source_sha256 == resource.sha256
    dataset = Dataset._base_manager.get(pk=resource.dataset_id)
    # Refreshed data counts as an update: feeds, "recently updated" and harvesters see it.
    assert dataset.data_updated_at == NOW and dataset.updated_at == NOW

    # The server honours If-None-Match: 304, no new version, only the check is noted.
    def conditional(request):
        if request.headers.get("If-None-Match") == '"v1"':
            return 304, {"ETag": '"v1"'}, b""
        return 200, {"ETag": '"v1"'}, V1

    server.handle("/d.csv", conditional)
    later = NOW + dt.timedelta(days=1)
    assert check(government, resource, now=later).status == refresh.UNCHANGED
    assert server.requests[-1].headers["If-None-Match"] == '"v1"'
    assert len(loads(resource)) == 1
    resource = reload(resource)
    assert resource.last_checked_at == later and resource.data_updated_at == NOW

    # A server without validators sending the same bytes: the checksum says unchanged.
    server.route("/d.csv", 200, {"Content-Type": "text/csv"}, V1)
    assert check(government, resource, now=later).status == refresh.UNCHANGED
    assert len(loads(resource)) == 1


def test_changed_data_is_a_new_version_with_its_diff(government, server):
    allow_local()
    server.route("/d.csv", 200, {"Content-Type": "text/csv"}, V1)
    resource = remote(government, server.url("/d.csv"))
    check(government, resource, now=NOW)
    server.route("/d.csv", 200, {"Content-Type": "text/csv"}, V2)
    outcome = check(government, resource, now=NOW + dt.timedelta(hours=1))
    assert outcome.status == refresh.LOADED
    changes = outcome.load.changes
    assert (changes["rows_added"], changes["rows_removed"], changes["rows_changed"]) == (2, 1, 1)
    assert changes["key"] == "codigo"
    assert changes["columns_added"] == [] and changes["columns_removed"] == []
    assert datastore.get_table(table_id=resource.datastore_table_id).row_count == 4
    assert outcome.load.source_file.read() == V2


def test_diff_without_a_key_and_with_new_columns(government, server):
    allow_local()
    server.route("/d.csv", 200, {}, b"canton,monto\nPortoviejo,10\nPortoviejo,10\nManta,20\n")
    resource = remote(government, server.url("/d.csv"))
    check(government, resource, now=NOW)
    server.route("/d.csv", 200, {}, b"canton,monto,anio\nPortoviejo,10,2026\nChone,5,2026\n")
    changes = check(government, resource, now=NOW).load.changes
    assert changes["key"] is None  # the first column repeats
    assert changes["columns_added"] == ["anio"]
    assert (changes["rows_added"], changes["rows_removed"], changes["rows_changed"]) == (1, 1, 0)


@pytest.mark.parametrize(
    ("headers", "body", "code_text"),
    [
        ({"Content-Type": "text/html"}, b"<!DOCTYPE html><html><body>Login</body></html>", "web page (HTML)"),
        ({}, "canton,monto\nPortoviejo,10\n".encode("utf-16-le"), "not text in a known encoding"),
        ({}, b"%PDF-1.4 a report", "not a table"),
        ({}, b"", "empty file"),
    ],
)
def test_bad_content_keeps_the_previous_version(government, server, headers, body, code_text):
    allow_local()
    server.route("/d.csv", 200, {}, V1)
    resource = remote(government, server.url("/d.csv"))
    check(government, resource, now=NOW)
    server.route("/d.csv", 200, headers, body)
    outcome = check(government, resource, now=NOW + dt.timedelta(hours=1))
    assert outcome.status == refresh.FAILED
    assert code_text in outcome.message
    resource = reload(resource)
    assert code_text in resource.check_error
    assert resource.check_failures == 1
    assert resource.next_check_at == NOW + dt.timedelta(hours=1) + schedules.BACKOFF[0]
    assert datastore.get_table(table_id=resource.datastore_table_id).row_count == 3
    assert len(loads(resource)) == 1


@pytest.mark.parametrize(
    ("body", "text"),
    [
        (b'codigo,canton,monto\n1,Portoviejo,10\n2,"Manta,20\n3,Jipijapa,30\n', "quoted value is not closed"),
        (b"codigo,canton,monto\n1,Portoviejo,10\n2,Manta,20,99,7\n", "line 3 has 5 values but the table has 3"),
        (b"codigo,canton,monto\n", "no rows of data"),
    ],
)
def test_malformed_csv_keeps_the_previous_version(government, server, body, text):
    allow_local()
    server.route("/d.csv", 200, {}, V1)
    resource = remote(government, server.url("/d.csv"))
    check(government, resource, now=NOW)
    server.route("/d.csv", 200, {}, body)
    outcome = check(government, resource, now=NOW)
    assert outcome.status == refresh.FAILED
    assert text in outcome.message and "previous version stays published" in outcome.message
    assert datastore.get_table(table_id=resource.datastore_table_id).row_count == 3
    assert reload(resource).check_failures == 1


def test_csv_with_title_lines_and_padding_is_not_malformed(government, server):
    allow_local()
    body = "Reporte de obras;;;\nAño 2025;;;\ncódigo;obra;monto;;\n1;Puente;1.234,56;;\n2;Vía;99,10;;\n".encode(
        "cp1252"
    )
    server.route("/d.csv", 200, {}, body)
    resource = remote(government, server.url("/d.csv"))
    outcome = check(government, resource, now=NOW)
    assert outcome.status == refresh.LOADED, outcome.message
    assert datastore.get_table(table_id=resource.datastore_table_id).row_count == 2


def test_timeout_too_large_and_blocked_host(government, server, settings):
    server.route("/d.csv", 200, {}, V1)
    resource = remote(government, server.url("/d.csv"))
    # No allowlist: 127.0.0.1 is an internal address.
    outcome = check(government, resource, now=NOW)
    assert outcome.status == refresh.FAILED and "internal address" in outcome.message
    assert server.requests == []
    allow_local()
    settings.DATASET_UPLOAD_MAX_BYTES = 20
    outcome = check(government, resource, now=NOW)
    assert "larger than the limit" in outcome.message
    assert reload(resource).check_failures == 2
    settings.DATASET_UPLOAD_MAX_BYTES = 10_000
    settings.OUTBOUND_TIMEOUT_SECONDS = 0.3
    import threading

    release = threading.Event()
    server.handle("/d.csv", lambda request: (release.wait(5), (200, {}, V1))[1])
    try:
        outcome = check(government, resource, now=NOW)
    finally:
        release.set()
    assert "did not answer in time" in outcome.message
    resource = reload(resource)
    assert resource.check_failures == 3
    assert resource.next_check_at == NOW + schedules.BACKOFF[2]


def test_json_sources_become_tables(government, server):
    allow_local()
    server.route(
        "/d.json",
        200,
        {"Content-Type": "application/json"},
        b'{"records": [{"canton": "Manta", "monto": 5}, {"canton": "Chone", "monto": 7, "extra": true}]}',
    )
    resource = remote(government, server.url("/d.json"))
    outcome = check(government, resource, now=NOW)
    assert outcome.status == refresh.LOADED, outcome.message
    table = datastore.get_table(table_id=resource.datastore_table_id)
    assert [c.name for c in table.columns] == ["canton", "monto", "extra"] and table.row_count == 2
    assert reload(resource).format == "JSON"
    assert outcome.load.source_file.read().startswith(b'{"records"')
    server.route("/d.json", 200, {}, b'{"a": 1}')
    assert "not a table" in check(government, resource, now=NOW).message


# SQL sources ------------------------------------------------------------------------------


@pytest.fixture
def source_db(tmp_path, settings):
    path = tmp_path / "fuente.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE obras (id INTEGER PRIMARY KEY, nombre TEXT, monto REAL)")
    conn.executemany("INSERT INTO obras VALUES (?, ?, ?)", [(1, "Puente", 100.5), (2, "Vía", 200.0)])
    conn.commit()
    conn.close()
    settings.SQL_SOURCES = {"obras": {"url": f"sqlite:///{path}", "governments": ["manabi"]}}
    return path


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("INSERT INTO obras VALUES (3, 'x', 1)", "start with SELECT"),
        ("UPDATE obras SET monto = 0", "start with SELECT"),
        ("SELECT 1; DELETE FROM obras", "single query"),
        ("WITH x AS (DELETE FROM obras RETURNING *) SELECT * FROM x", "“DELETE” is not"),
        ("SELECT * INTO copia FROM obras", "INTO is not allowed"),
        ("", "Write the query"),
    ],
)
def test_sql_queries_must_only_read(query, message):
    with pytest.raises(ValidationError) as caught:
        sources.check_sql_query(query)
    assert message in " ".join(caught.value.messages)


def test_sql_check_ignores_strings_and_comments():
    query = "SELECT nombre, 'a;b' AS \"delete\" -- update; drop\nFROM obras /* insert */;"
    assert sources.check_sql_query(query).startswith("SELECT nombre")


def test_sql_source_loads_read_only(government, source_db):
    dataset = factories.dataset(government)
    resource = factories.resource(
        government, dataset, kind="sql", sql_source="obras", sql_query="SELECT id, nombre, monto FROM obras ORDER BY id"
    )
    outcome = check(government, resource, now=NOW)
    assert outcome.status == refresh.LOADED, outcome.message
    assert datastore.get_table(table_id=resource.datastore_table_id).row_count == 2
    assert outcome.load.source_file.read().decode().splitlines()[0] == "id,nombre,monto"
    assert check(government, resource, now=NOW).status == refresh.UNCHANGED
    # Even a query that slipped past the check cannot write: the connection is read-only.
    with pytest.raises(sqlite3.OperationalError):
        names, rows, conn = sources._rows_sqlite(str(source_db), "INSERT INTO obras VALUES (9, 'x', 1)", 1e12)
        list(rows)
    assert sqlite3.connect(source_db).execute("SELECT COUNT(*) FROM obras").fetchone()[0] == 2


def test_sql_resource_validation(government, source_db):
    dataset = factories.dataset(government)
    with pytest.raises(ValidationError) as caught:
        factories.resource(government, dataset, kind="sql", sql_source="nope", sql_query="DELETE FROM obras")
    assert set(caught.value.message_dict) == {"sql_source", "sql_query"}
    with pytest.raises(ValidationError) as caught:
        remote(government, "https://datos.example.org/x.csv", refresh_cron="every day")
    assert "refresh_cron" in caught.value.message_dict


# Schedules ----------------------------------------------------------------------------------


def test_schedule_from_frequency_and_cron(settings):
    settings.TIME_ZONE = "America/Guayaquil"
    assert schedules.next_check(cron="", frequency="DAILY", now=NOW) == NOW + dt.timedelta(days=1)
    assert schedules.next_check(cron="", frequency="CONT", now=NOW) == NOW + dt.timedelta(hours=1)
    assert schedules.next_check(cron="", frequency="WEEKLY", now=NOW) == NOW + dt.timedelta(days=7)
    assert schedules.next_check(cron="", frequency="IRREG", now=NOW) == NOW + dt.timedelta(days=1)
    # 12:00 UTC is 07:00 in Guayaquil; "0 6 * * *" is 06:00 local the next day = 11:00 UTC.
    with timezone.override("America/Guayaquil"):
        following = schedules.next_check(cron="0 6 * * *", frequency="DAILY", now=NOW)
    assert following == dt.datetime(2026, 11, 26, 11, 0, tzinfo=dt.UTC)
    assert schedules.next_check(cron="0 6 * * *", frequency="DAILY", now=NOW, failures=2) == NOW + schedules.BACKOFF[1]
    assert schedules.validate_cron(" 0  6 * * 1 ") == "0 6 * * 1"
    for bad in ("* * * * *", "0 6 * *", "61 * * * *"):
        with pytest.raises(ValidationError):
            schedules.validate_cron(bad)


def test_periodic_job_enqueues_due_resources_once(government, server):
    allow_local()
    server.route("/d.csv", 200, {}, V1)
    resource = remote(government, server.url("/d.csv"))
    with government_scope(government):
        Resource.objects.filter(pk=resource.pk).update(next_check_at=timezone.now() - dt.timedelta(minutes=1))
    assert refresh.claim_due() == [resource.pk]
    assert refresh.claim_due() == []  # claimed: a second scheduler finds nothing
    Resource._base_manager.filter(pk=resource.pk).update(next_check_at=timezone.now() - dt.timedelta(minutes=1))
    assert tasks.refresh_due_resources.call() == 1
    resource = reload(resource)
    assert resource.data_updated_at is not None and resource.next_check_at > timezone.now()
    names = {job.name for job in scheduling.periodic_jobs()}
    assert {"catalog.refresh_due_resources", "catalog.check_links"} <= names


def test_link_check(government, server):
    allow_local()
    server.route("/ok.pdf", 200, {}, b"%PDF")
    dataset = factories.dataset(government)
    link = factories.resource(government, dataset, kind="url", url=server.url("/ok.pdf"))
    broken = factories.resource(government, dataset, kind="url", url=server.url("/missing.pdf"))
    upload = factories.resource(government, dataset)
    assert refresh.check_links() >= 3
    assert reload(link).reachable is True
    assert reload(broken).reachable is False
    assert reload(upload).reachable is True and reload(upload).reachability_checked_at is not None


# Uploads are versions too ---------------------------------------------------------------------


def test_uploads_keep_a_snapshot_and_a_diff(government, settings, django_capture_on_commit_callbacks):
    settings.CATALOG_SNAPSHOTS_KEPT = 2
    dataset = factories.dataset(government, frequency="MONTHLY")
    resource = factories.resource(government, dataset, file=factories.csv_file("a.csv", V1))
    for content in (None, V2, V1):
        with government_scope(government), django_capture_on_commit_callbacks(execute=True):
            if content is not None:
                services.resource_update(
                    actor=None, government=government, resource=resource, file=factories.csv_file("b.csv", content)
                )
            table_services.resource_data_changed(actor=None, government=government, resource=reload(resource))
    history = loads(resource)
    assert all(load.succeeded and load.trigger == "upload" for load in history)
    assert [load.changes.get("rows_added") for load in history] == [3, 2, 1]
    assert [load.changes.get("rows_changed") for load in history] == [None, 1, 1]
    assert not history[0].source_file  # beyond the two kept
    assert history[1].source_file.read() == V2 and history[2].source_file.read() == V1
    dataset = Dataset._base_manager.get(pk=dataset.pk)
    assert dataset.data_updated_at is not None and dataset.next_update_due is not None


# Public version history -----------------------------------------------------------------------


def test_public_version_history_and_download(client, government, server):
    allow_local()
    server.route("/d.csv", 200, {}, V1)
    resource = remote(government, server.url("/d.csv"))
    check(government, resource, now=NOW)
    server.route("/d.csv", 200, {}, V2)
    check(government, resource, now=NOW + dt.timedelta(hours=1))
    first, second = loads(resource)
    page = client.get(gov_url(government, "catalog:resource_versions", pk=resource.pk), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    text = page.content.decode()
    assert "+2" in text and "−1" in text and "~1" in text
    download = client.get(gov_url(government, "catalog:resource_version_download", pk=resource.pk, load_pk=first.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == V1
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    table = client.get(gov_url(government, "catalog:resource_table", pk=resource.pk))
    assert table.status_code == 200
    assert gov_url(government, "catalog:resource_versions", pk=resource.pk) in table.content.decode()
    detail = client.get(gov_url(government, "catalog:dataset_detail", slug=resource.dataset.slug))
    assert gov_url(government, "catalog:resource_versions", pk=resource.pk) in detail.content.decode()


def test_version_history_is_scoped_and_published_only(client, government, server):
    allow_local()
    server.route("/d.csv", 200, {}, V1)
    resource = remote(government, server.url("/d.csv"))
    check(government, resource, now=NOW)
    load = loads(resource)[0]
    other = GovernmentFactory()
    assert client.get(gov_url(other, "catalog:resource_versions", pk=resource.pk)).status_code == 404
    assert (
        client.get(gov_url(other, "catalog:resource_version_download", pk=resource.pk, load_pk=load.pk)).status_code
        == 404
    )
    with government_scope(government):
        services.dataset_set_published(actor=None, government=government, dataset=resource.dataset, is_published=False)
    assert client.get(gov_url(government, "catalog:resource_versions", pk=resource.pk)).status_code == 404
    assert (
        client.get(
            gov_url(government, "catalog:resource_version_download", pk=resource.pk, load_pk=load.pk)
        ).status_code
        == 404
    )


# Back office ----------------------------------------------------------------------------------


@pytest.fixture
def office(english, editor):
    login_verified(english, editor)
    return english


def test_editor_adds_a_link_kept_current_and_sees_its_versions(
    office, government, server, django_capture_on_commit_callbacks
):
    allow_local()
    server.route("/d.csv", 200, {"ETag": '"a"'}, V1)
    dataset = factories.dataset(government)
    form = office.get(gov_url(government, "catalog:office_resource_create", dataset_pk=dataset.pk)).content.decode()
    assert 'name="auto_refresh"' in form and 'name="refresh_cron"' in form
    assert 'name="sql_query"' not in form and 'value="sql"' not in form  # no source databases configured
    with django_capture_on_commit_callbacks(execute=True):
        response = office.post(
            gov_url(government, "catalog:office_resource_create", dataset_pk=dataset.pk),
            {"title": "Obras", "kind": "url", "url": server.url("/d.csv"), "auto_refresh": "on", "order": 0},
        )
    resource = Resource._base_manager.get(dataset=dataset)
    assert response.status_code == 302 and response["Location"].endswith(f"/recursos/{resource.pk}/")
    assert reload(resource).data_updated_at is not None
    page = office.get(response["Location"]).content.decode()
    assert 'id="resource-source"' in page and 'id="check-now"' in page
    assert "Next check" in page and 'id="office-versions"' in page and "First version" in page

    server.route("/d.csv", 200, {}, b"<html><body>Mantenimiento</body></html>")
    with django_capture_on_commit_callbacks(execute=True):
        office.post(gov_url(government, "catalog:office_resource_check", pk=resource.pk))
    page = office.get(gov_url(government, "catalog:office_resource", pk=resource.pk)).content.decode()
    assert 'id="check-error"' in page and "web page (HTML)" in page
    assert reload(resource).check_failures == 1
    dataset_page = office.get(gov_url(government, "catalog:office_dataset", pk=dataset.pk)).content.decode()
    assert "Last check failed" in dataset_page
    load = loads(resource)[0]
    assert load.trigger == "manual" and load.requested_by_id is not None  # fetched at once on saving
    with government_scope(government):
        from minga.core.audit.models import AuditEntry

        assert AuditEntry.objects.filter(action="catalog.resource.check_requested").count() == 2


def test_resource_form_explains_bad_sources(office, government, source_db):
    dataset = factories.dataset(government)
    url = gov_url(government, "catalog:office_resource_create", dataset_pk=dataset.pk)
    form = office.get(url).content.decode()
    assert 'value="sql"' in form and '<option value="obras">' in form
    response = office.post(url, {"title": "Q", "kind": "sql", "sql_source": "obras", "sql_query": "DELETE FROM obras"})
    assert response.status_code == 200
    assert "Only queries that read data are allowed" in response.content.decode()
    response = office.post(
        url, {"title": "L", "kind": "url", "url": "https://datos.example.org/x.csv", "refresh_cron": "* * * * *"}
    )
    assert "at most every five minutes" in response.content.decode()
    response = office.post(url, {"title": "U", "kind": "upload", "auto_refresh": "on"})
    assert "has no source to check" in response.content.decode()
    assert not Resource._base_manager.filter(dataset=dataset).exists()


def test_government_setting_for_allowed_hosts():
    from django.apps import apps

    specs = {spec.key: spec for spec in apps.get_app_config("catalog").manifest.settings}
    assert specs["outbound_only_hosts"].default == ""


# Demo sources -----------------------------------------------------------------------------------


def test_demo_source_changes_with_the_clock_and_is_demo_only(client, government):
    from .. import demo_sources

    government.is_demo = True
    government.save()
    url = gov_url(government, "catalog:demo_source", "nivel-rios")
    first = client.get(url)
    assert first.status_code == 200 and first["Content-Type"].startswith("text/csv")
    assert first.content.startswith(b"lectura,estacion,fecha_hora,nivel_m\n")
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(gov_url(government, "catalog:demo_source", "nada")).status_code == 404
    now = timezone.now()
    for name in ("nivel-rios", "parqueaderos", "precios-mercado"):
        source = demo_sources.BY_NAME[name]
        assert (
            demo_sources.document(government, name, now=now).body
            != demo_sources.document(government, name, now=now + source.period).body
        )
    other = GovernmentFactory()
    assert client.get(gov_url(other, "catalog:demo_source", "nivel-rios")).status_code == 404


def test_demo_seed_adds_remote_sources_loaded(government, settings):
    from .. import demo

    settings.DEMO_BASE_URL = "http://127.0.0.1:8000"
    import io

    for _run in (1, 2):
        with government_scope(government):
            demo.seed(government, now=timezone.now(), stdout=io.StringIO())
    with government_scope(government):
        remote_resources = list(Resource.objects.filter(kind="url", auto_refresh=True))
        assert len(remote_resources) == 3
        for resource in remote_resources:
            assert resource.url.startswith("http://127.0.0.1:8000/g/") and "/datos/fuentes-demo/" in resource.url
            assert resource.data_updated_at and resource.next_check_at
            assert ResourceLoad.objects.filter(resource=resource, status="succeeded").count() == 1
    government.refresh_from_db()
    # The demo host is opened by the operator's settings, never by the government's own list.
    assert sources.only_hosts(government) == []


def test_postgresql_source_runs_read_only(settings, government):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL source databases are tested on PostgreSQL")
    db = connection.settings_dict
    url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    settings.SQL_SOURCES = {"pg": {"url": url, "governments": ["manabi"]}}
    data = sources.run_query(government, "pg", "WITH t AS (SELECT 1 AS uno, 'Manta' AS canton) SELECT * FROM t")
    assert data.table.read().decode() == "uno,canton\r\n1,Manta\r\n"
    # What slipped past the check still cannot write: a server-side cursor only takes a query,
    # and the transaction is read-only.
    with pytest.raises(Exception, match="syntax error"):
        sources._rows_postgres(url, "CREATE TABLE minga_never (a int)")
    _names, rows, conn = sources._rows_postgres(url, "SELECT nextval('core_periodicrun_id_seq')")
    try:
        with pytest.raises(Exception, match="read-only transaction"):
            list(rows)
    finally:
        conn.close()
    with pytest.raises(sources.SourceError, match="single query"):
        sources.run_query(government, "pg", "SELECT 1; SELECT 2")


def test_refreshed_data_reaches_followers_at_most_once_a_day(
    government, server, mailoutbox, django_capture_on_commit_callbacks
):
    from minga.core.notifications.models import Follow
    from minga.core.testing import UserFactory

    from ..datasets.models import DatasetVersion

    allow_local()
    server.route("/d.csv", 200, {"Content-Type": "text/csv"}, V1)
    resource = remote(government, server.url("/d.csv"))
    Dataset._base_manager.filter(pk=resource.dataset_id).update(is_published=True)
    follower = UserFactory(preferred_language="en", email="sigue@example.org")
    Follow.objects.with_scope(government=government).create(
        government=government, user=follower, kind="catalog.dataset", object_id=resource.dataset_id, created_at=NOW
    )
    with django_capture_on_commit_callbacks(execute=True):
        check(government, resource, now=NOW)  # the first version is not news
    assert mailoutbox == []
    server.route("/d.csv", 200, {"Content-Type": "text/csv"}, V2)
    with django_capture_on_commit_callbacks(execute=True):
        check(government, resource, now=NOW + dt.timedelta(hours=1))
    assert len(mailoutbox) == 1 and "New data arrived from its source." in mailoutbox[0].body
    history = DatasetVersion._base_manager.filter(dataset_id=resource.dataset_id, change="data_refreshed")
    assert history.count() == 1
    # Another change two hours later: a new version of the table, but no second notice that day.
    server.route("/d.csv", 200, {"Content-Type": "text/csv"}, V1)
    with django_capture_on_commit_callbacks(execute=True):
        assert check(government, resource, now=NOW + dt.timedelta(hours=3)).status == refresh.LOADED
    assert len(mailoutbox) == 1 and history.count() == 1
    server.route("/d.csv", 200, {"Content-Type": "text/csv"}, V2)
    with django_capture_on_commit_callbacks(execute=True):
        check(government, resource, now=NOW + dt.timedelta(days=1, hours=2))
    assert len(mailoutbox) == 2 and history.count() == 2
