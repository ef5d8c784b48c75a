"""A worker killed (SIGKILL) in the middle of a datastore load: before the datastore write,
during it, after the datastore commit but before the catalog's, and after the catalog's.

Each test loads a first version in this process, queues a second load in the database queue,
runs `minga worker` in a forked child that kills itself at the phase, then lets the next
worker (or the periodic job) recover. Afterwards no load or task is RUNNING, an interrupted
load is FAILED with an explanation the back office shows, and the API serves the version that
the catalog's version history lists as the newest."""

import datetime as dt
import io
import signal

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from minga import datastore
from minga.core.audit.models import AuditEntry
from minga.core.jobs import leases
from minga.core.jobs.models import JobLease
from minga.core.jobs.recovery import recover
from minga.core.tasks import recover_jobs
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import gov_url, login_verified
from minga.core.testing_processes import committed_database, kill_this_process, run_in_child
from minga.datastore import backend as datastore_backend

from ..datasets.models import Resource
from ..tables import services as table_services
from ..tables import versions
from ..tables.models import ResourceLoad
from . import factories

pytestmark = pytest.mark.django_db(transaction=True)

OLD = "Cantón;Monto\nPortoviejo;1\nManta;2\n"
NEW = "Cantón;Monto\n" + "".join(f"Parroquia {n};{n}\n" for n in range(1, 5001))
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _die_before_datastore_write(monkeypatch):
    def load_table(**kwargs):
        kill_this_process()

    monkeypatch.setattr(datastore, "load_table", load_table)


def _die_during_datastore_write(monkeypatch):
    for backend_class in (datastore_backend.SQLiteBackend, datastore_backend.PostgresBackend):
        original = backend_class.insert

        def insert(self, cursor, *, table, names, batches, original=original):
            batches = iter(batches)
            original(self, cursor, table=table, names=names, batches=[next(batches)])  # some rows are in
            kill_this_process()

        monkeypatch.setattr(backend_class, "insert", insert)


def _die_after_datastore_commit(monkeypatch):
    def finished(**kwargs):
        kill_this_process()

    monkeypatch.setattr(table_services, "resource_load_finished", finished)


def _die_after_catalog_commit(monkeypatch):
    original = table_services.resource_load_finished

    def finished(**kwargs):
        original(**kwargs)
        kill_this_process()

    monkeypatch.setattr(table_services, "resource_load_finished", finished)


PHASES = {
    "before_datastore_write": _die_before_datastore_write,
    "during_datastore_write": _die_during_datastore_write,
    "after_datastore_commit": _die_after_datastore_commit,
    "after_catalog_commit": _die_after_catalog_commit,
}


def _worker():
    call_command("worker", batch=True, scheduler=False, startup_delay=False, verbosity=0)


@pytest.fixture
def loaded(government):
    """A published table resource with its first version loaded (in this process)."""
    dataset = factories.dataset(government, is_published=True)
    resource = factories.resource(government, dataset, file=factories.csv_file("montos.csv", OLD.encode()))
    with government_scope(government):
        table_services.resource_load_run(government=government, resource=resource)
        assert versions.versions(resource)[0].version == 1
    yield resource
    datastore.drop_table(table_id=resource.datastore_table_id)  # PostgreSQL keeps the schema between tests


def _queue_second_load(government, resource):
    storage = resource.file.storage
    storage.delete(resource.file.name)
    storage.save(resource.file.name, io.BytesIO(NEW.encode()))
    with override_settings(TASKS=DATABASE_QUEUE), government_scope(government):
        load = table_services.resource_load_requested(
            actor=None, government=government, resource=resource, trigger=ResourceLoad.Trigger.MANUAL
        )
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1
    return load


def _kill_worker_at(phase, monkeypatch, tmp_path):
    with monkeypatch.context() as patches:
        PHASES[phase](patches)
        with override_settings(TASKS=DATABASE_QUEUE):
            child = run_in_child(_worker)
            child.join()
    assert child.exitcode == -signal.SIGKILL, "the worker did not reach the phase"


def _api_version(client, government, resource):
    response = client.get(gov_url(government, "catalog-api:resource_data", pk=resource.pk))
    assert response.status_code == 200
    body = response.json()
    return body["version"], body["total"]


def _catalog_live_version(government, resource):
    with government_scope(government):
        return versions.versions(resource)[0].version


@pytest.mark.parametrize("phase", list(PHASES))
def test_killed_load_is_failed_by_the_next_worker_and_the_api_serves_the_catalogs_version(
    phase, government, loaded, client, monkeypatch, tmp_path
):
    resource = loaded
    with committed_database(tmp_path):
        load = _queue_second_load(government, resource)
        _kill_worker_at(phase, monkeypatch, tmp_path)

        # Straight after the crash the API already serves what the catalog lists (a version
        # written but not recorded was never made live) ...
        live = _catalog_live_version(government, resource)
        assert live == (2 if phase == "after_catalog_commit" else 1)
        assert _api_version(client, government, resource)[0] == live
        # ... and the job and its task look busy: nothing may touch them while the lease lasts.
        task = DBTaskResult.objects.get(task_path__endswith="load_resource")
        assert task.status == TaskResultStatus.RUNNING
        assert JobLease.objects.filter(name=f"task:{task.pk}").exists()
        recover()  # a worker starting now: the leases are still live
        assert DBTaskResult.objects.get(pk=task.pk).status == TaskResultStatus.RUNNING

        # The dead worker renews nothing: once its leases expire, the next worker repairs.
        JobLease.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
        with override_settings(TASKS=DATABASE_QUEUE):
            _worker()

        load.refresh_from_db()
        task.refresh_from_db()
        assert task.status == TaskResultStatus.FAILED
        assert "lease expired" in task.traceback
        assert not ResourceLoad._base_manager.filter(status=ResourceLoad.Status.RUNNING).exists()
        assert not JobLease.objects.exists()
        if phase == "after_catalog_commit":
            assert load.status == ResourceLoad.Status.SUCCEEDED and load.version == 2
            expected_rows = 5000
        else:
            assert load.status == ResourceLoad.Status.FAILED
            assert load.report["errors"][0]["code"] == "interrupted"
            assert AuditEntry.objects.filter(action="catalog.resource.load_failed").count() == 1
            expected_rows = 2
        live = _catalog_live_version(government, resource)
        assert live == (2 if phase == "after_catalog_commit" else 1)
        assert _api_version(client, government, resource) == (live, expected_rows)
        stored = datastore.list_versions(table_id=resource.datastore_table_id)
        assert max(info.version for info in stored) == live  # nothing the catalog does not list
        if phase == "after_datastore_commit":
            assert AuditEntry.objects.filter(action="catalog.resource.table_repaired").count() == 1


@pytest.mark.parametrize("phase", ["during_datastore_write", "after_datastore_commit"])
def test_the_official_sees_the_interruption_and_loads_again(
    phase, government, loaded, client, editor, monkeypatch, tmp_path
):
    resource = loaded
    with committed_database(tmp_path):
        _queue_second_load(government, resource)
        _kill_worker_at(phase, monkeypatch, tmp_path)
        recover(now=timezone.now() + leases.lease_length() + dt.timedelta(seconds=1))  # the periodic job, later

        login_verified(client, editor)
        page = client.get(gov_url(government, "catalog:office_resource", pk=resource.pk)).content.decode()
        assert "Cargando" not in page
        assert "No se pudo cargar" in page
        assert "se interrumpió" in page
        english = client.get(
            gov_url(government, "catalog:office_resource", pk=resource.pk), HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
        assert "The load was interrupted" in english

        # "Load again" (the job runs at once here) gives version 2 with the new file.
        response = client.post(gov_url(government, "catalog:office_resource_load", pk=resource.pk))
        assert response.status_code == 302
        with government_scope(government):
            newest = ResourceLoad.objects.filter(resource=resource).first()
        assert newest.status == ResourceLoad.Status.SUCCEEDED and newest.version == 2
        assert _api_version(client, government, resource) == (2, 5000)


def test_a_load_given_up_for_dead_does_not_record_its_late_outcome(government, loaded, client):
    """A worker that stalled past its lease (not dead) finds its load failed when it comes back:
    the version it wrote is dropped instead of recorded."""
    resource = loaded
    storage = resource.file.storage
    storage.delete(resource.file.name)
    storage.save(resource.file.name, io.BytesIO(NEW.encode()))
    real_finished = table_services.resource_load_finished

    def stalled(**kwargs):
        recover(now=timezone.now() + leases.lease_length() + dt.timedelta(seconds=1))
        return real_finished(**kwargs)

    with government_scope(government):
        table_services.resource_load_finished = stalled
        try:
            load = table_services.resource_load_run(government=government, resource=Resource.objects.get(pk=resource.pk))
        finally:
            table_services.resource_load_finished = real_finished
    assert load.status == ResourceLoad.Status.FAILED
    assert _catalog_live_version(government, resource) == 1
    assert _api_version(client, government, resource) == (1, 2)
    assert [info.version for info in datastore.list_versions(table_id=resource.datastore_table_id)] == [1]


def test_a_table_that_ran_ahead_is_repaired_before_the_next_load(government, loaded, client, monkeypatch, tmp_path):
    """Without any recovery run, the next load first drops the version no one recorded, so
    the version history never skips a number the datastore used."""
    resource = loaded
    with committed_database(tmp_path):
        _queue_second_load(government, resource)
        _kill_worker_at("after_datastore_commit", monkeypatch, tmp_path)
        ResourceLoad._base_manager.filter(status=ResourceLoad.Status.RUNNING).update(
            status=ResourceLoad.Status.FAILED
        )  # as an operator might have done by hand
        with government_scope(government):
            load = table_services.resource_load_run(government=government, resource=Resource.objects.get(pk=resource.pk))
        assert load.status == ResourceLoad.Status.SUCCEEDED and load.version == 2
        assert load.changes["previous_version"] == 1
        assert _api_version(client, government, resource) == (2, 5000)


def test_the_periodic_job_puts_back_the_version_the_catalog_recorded(government, loaded, client):
    """A datastore whose live version ran ahead of the catalog (made live by a process that
    died before the catalog's commit: the SQLite window, or a worker of an earlier release):
    the periodic job drops the version the catalog never recorded and makes the catalog's live."""
    resource = loaded
    report = datastore.load_table(
        table_id=resource.datastore_table_id, source=io.BytesIO(NEW.encode()), filename="montos.csv"
    )
    assert report.ok and report.version == 2
    assert _api_version(client, government, resource) == (2, 5000)  # ahead of the catalog

    repaired = recover_jobs.call()

    assert repaired["catalog"] == 1
    assert _api_version(client, government, resource) == (1, 2)
    assert [info.version for info in datastore.list_versions(table_id=resource.datastore_table_id)] == [1]
    entry = AuditEntry.objects.get(action="catalog.resource.table_repaired")
    assert entry.changes["dropped_versions"] == [None, [2]]
