"""Reads go to a read replica, writes to the primary, and whoever wrote reads its own writes.

The test settings give a second alias, "replica", that mirrors the test database (a separate
connection to the same database, Django's test mirror); these tests turn the router on for it
and count the queries each connection ran. Data must be committed for the other connection to
see it, hence transactional tests."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connections, router, transaction
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django_tasks import task

from minga.core import db_routing
from minga.core.db_routing import PIN_COOKIE, ReplicaRoutingMiddleware, replica_databases, unit_of_work
from minga.core.tenancy.models import Government
from minga.core.tenancy.selectors import government_for_slug, own_host
from minga.core.testing import GovernmentFactory, UserFactory, gov_url
from minga.core.ui.page_cache import CHANGED_KEY, content_changed


@pytest.fixture
def with_replica():
    with override_settings(DATABASE_REPLICAS=["replica"]):
        yield


class Queries:
    """The SQL each connection ran inside the block."""

    def __enter__(self):
        self._primary = CaptureQueriesContext(connections["default"]).__enter__()
        self._replica = CaptureQueriesContext(connections["replica"]).__enter__()
        return self

    def __exit__(self, *exc):
        self._replica.__exit__(*exc)
        self._primary.__exit__(*exc)

    @property
    def primary(self) -> list[str]:
        return [q["sql"] for q in self._primary.captured_queries]

    @property
    def replica(self) -> list[str]:
        return [q["sql"] for q in self._replica.captured_queries]


def _selects(sqls: list[str], table: str) -> list[str]:
    return [sql for sql in sqls if sql.lstrip().upper().startswith("SELECT") and table in sql]


@task()
def rename_and_read(government_id: int, name: str) -> dict:
    """A job that reads, writes, and reads again."""
    before = Government.objects.get(pk=government_id).name
    Government.objects.filter(pk=government_id).update(name=name)
    after = Government.objects.get(pk=government_id).name
    return {"before": before, "after": after}


@task()
def read_name(government_id: int) -> str:
    return Government.objects.get(pk=government_id).name


def _rename_view(government_id: int):
    def view(request):
        before = Government.objects.get(pk=government_id).name
        Government.objects.filter(pk=government_id).update(name="Nuevo nombre")
        after = Government.objects.get(pk=government_id).name
        return HttpResponse(f"{before}|{after}")

    return view


def test_settings_parse_replica_urls_separated_by_spaces_or_commas():
    databases = replica_databases("postgres://lector@db2:5432/minga, postgres://lector@db3/minga  postgres://x@db4/m")
    assert list(databases) == ["replica1", "replica2", "replica3"]
    assert databases["replica1"]["HOST"] == "db2" and databases["replica1"]["NAME"] == "minga"
    assert databases["replica3"]["HOST"] == "db4"
    assert all(config["TEST"] == {"MIRROR": "default"} for config in databases.values())
    assert replica_databases("") == {}


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_without_replicas_everything_uses_the_primary(client):
    government = GovernmentFactory()
    with Queries() as queries:
        assert client.get(gov_url(government, "core:home")).status_code == 200
    assert queries.primary and not queries.replica
    with unit_of_work():
        assert router.db_for_read(Government) == "default"


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
@pytest.mark.usefixtures("with_replica")
def test_a_request_that_only_reads_reads_from_the_replica(client):
    government = GovernmentFactory()
    with Queries() as queries:
        response = client.get(gov_url(government, "core:home"))
    assert response.status_code == 200
    assert _selects(queries.replica, "core_government")
    # Only the government's lookup, which every process then takes from the shared cache.
    assert len(queries.primary) == 1 and "slug" in queries.primary[0]
    assert PIN_COOKIE not in response.cookies
    with Queries() as queries:
        assert client.get(gov_url(government, "core:home")).status_code == 200
    assert queries.replica and queries.primary == []


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
@pytest.mark.usefixtures("with_replica")
def test_what_fills_a_shared_cache_is_read_from_the_primary():
    """A lagging replica must not put an old government (or host list) in the cache for minutes."""
    government = GovernmentFactory()
    cache.clear()
    with unit_of_work(), Queries() as queries:
        assert government_for_slug(government.slug) == government
        own_host(government)
        list(Government.objects.filter(pk=government.pk))
    assert len(queries.primary) == 2  # the government and the host names
    assert len(queries.replica) == 1  # what is not kept goes on reading from the replica


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
@pytest.mark.usefixtures("with_replica")
def test_for_a_few_seconds_after_a_change_the_governments_pages_read_from_the_primary(client):
    """Pages and memos rendered then are kept under the new content version: not from a
    replica that may not have the change yet."""
    government, other = GovernmentFactory(), GovernmentFactory()
    for each in (government, other):
        client.get(gov_url(each, "core:home"))  # the government lookups are in the cache
    content_changed(government, reason="test.page.changed")
    with Queries() as queries:
        assert client.get(gov_url(government, "core:home")).status_code == 200
    assert queries.primary and queries.replica == []
    with Queries() as queries:
        assert client.get(gov_url(other, "core:home")).status_code == 200
    assert queries.replica and queries.primary == []
    cache.delete(CHANGED_KEY.format(government_id=government.pk))  # the few seconds have passed
    with Queries() as queries:
        assert client.get(gov_url(government, "core:home")).status_code == 200
    assert queries.replica and queries.primary == []


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
@pytest.mark.usefixtures("with_replica")
def test_after_a_write_the_same_request_reads_from_the_primary():
    government = GovernmentFactory(name="Nombre anterior")
    middleware = ReplicaRoutingMiddleware(_rename_view(government.pk))
    with Queries() as queries:
        response = middleware(RequestFactory().get("/"))
    # The write is on the primary, and the read after it sees it there.
    assert response.content.decode() == "Nombre anterior|Nuevo nombre"
    assert len(_selects(queries.replica, "core_government")) == 1
    assert any(sql.startswith("UPDATE") for sql in queries.primary)
    assert len(_selects(queries.primary, "core_government")) == 1
    # …and the browser reads from the primary for a few seconds: the next page shows the change.
    assert response.cookies[PIN_COOKIE]["max-age"] == 10


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
@pytest.mark.usefixtures("with_replica")
def test_a_post_reads_the_primary_and_pins_the_next_pages_to_it(client, settings):
    # The session row is the probe: sessions in the database, as without Redis (with Redis
    # they are read from the cache and only written through to the database).
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    user = UserFactory()
    with Queries() as queries:
        response = client.post("/cuenta/ingresar/", {"email": user.email, "password": "clave-de-prueba-123"})
    assert response.status_code == 302
    assert queries.primary and queries.replica == []
    assert PIN_COOKIE in response.cookies
    # The page after the redirect: the session that was just written is read from the primary.
    with Queries() as queries:
        assert client.get("/cuenta/").status_code == 200
    assert _selects(queries.primary, "django_session") and queries.replica == []
    # Once the cookie is gone (it lasts a few seconds), reads go back to the replica.
    del client.cookies[PIN_COOKIE]
    with Queries() as queries:
        assert client.get("/cuenta/").status_code == 200
    assert _selects(queries.replica, "django_session")
    assert _selects(queries.primary, "django_session") == []


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
@pytest.mark.usefixtures("with_replica")
def test_a_job_that_writes_reads_its_own_writes():
    government = GovernmentFactory(name="Nombre anterior")
    with override_settings(DATABASE_PRIMARY_PIN_SECONDS=0), Queries() as queries:
        result = rename_and_read.enqueue(government.pk, "Nombre del trabajo")
    assert result.return_value == {"before": "Nombre anterior", "after": "Nombre del trabajo"}
    assert len(_selects(queries.replica, "core_government")) == 1  # the read before the write
    assert len(_selects(queries.primary, "core_government")) == 1  # the read after it


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
@pytest.mark.usefixtures("with_replica")
def test_a_job_enqueued_just_now_reads_from_the_primary_from_its_start():
    """What enqueued it has just written what it loads; a lagging replica might not have it yet."""
    government = GovernmentFactory(name="Nombre anterior")
    with Queries() as queries:
        rename_and_read.enqueue(government.pk, "Otro nombre")
    assert len(_selects(queries.primary, "core_government")) == 2
    assert queries.replica == []


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
@pytest.mark.usefixtures("with_replica")
def test_transactions_and_select_for_update_use_the_primary():
    government = GovernmentFactory()
    with unit_of_work() as unit, Queries() as queries:
        list(Government.objects.filter(pk=government.pk))  # outside a transaction: the replica
        assert len(queries.replica) == 1 and queries.primary == []
        with transaction.atomic():
            list(Government.objects.filter(pk=government.pk))
            list(Government.objects.select_for_update().filter(pk=government.pk))
        assert len(queries.replica) == 1
        assert len(_selects(queries.primary, "core_government")) == 2
        assert unit.wrote  # a row lock is taken for a write: what follows reads the primary
        list(Government.objects.filter(pk=government.pk))
        assert len(queries.replica) == 1


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
@pytest.mark.usefixtures("with_replica")
def test_outside_a_request_or_job_everything_uses_the_primary():
    """Commands, the worker's queue handling and the scheduler keep to the primary."""
    government = GovernmentFactory()
    with Queries() as queries:
        list(Government.objects.filter(pk=government.pk))
    assert queries.replica == [] and len(queries.primary) == 1


@pytest.mark.usefixtures("with_replica")
def test_migrations_run_only_on_the_primary():
    assert router.allow_migrate("replica", "core", model_name="government") is False
    assert router.allow_migrate("default", "core", model_name="government") is True


@pytest.mark.usefixtures("with_replica")
def test_rows_read_from_a_replica_may_be_related_to_rows_of_the_primary():
    primary, replica = Government(), Government()
    primary._state.db, replica._state.db = "default", "replica"
    assert router.allow_relation(primary, replica) is True
    assert db_routing.read_alias() == "default"  # no unit of work here


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
@pytest.mark.usefixtures("with_replica")
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}, DATABASE_PRIMARY_PIN_SECONDS=0)
def test_the_worker_runs_each_job_as_a_unit_of_its_own():
    """`minga worker`: its queue handling uses the primary; a job reads its own writes; the
    next job starts on a replica again."""
    government = GovernmentFactory(name="Nombre anterior")
    writer = rename_and_read.enqueue(government.pk, "Nombre del trabajo")
    reader = read_name.enqueue(government.pk)
    with Queries() as queries:
        call_command("worker", batch=True, scheduler=False, startup_delay=False, verbosity=0)
    writer.refresh()
    reader.refresh()
    assert writer.return_value == {"before": "Nombre anterior", "after": "Nombre del trabajo"}
    assert reader.return_value == "Nombre del trabajo"
    assert len(_selects(queries.replica, "core_government")) == 2  # before the write; the second job
    assert len(_selects(queries.primary, "core_government")) == 1  # after the write
    assert _selects(queries.primary, "django_tasks_database") and not _selects(queries.replica, "django_tasks")
