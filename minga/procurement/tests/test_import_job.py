"""An OCDS file uploaded in the back office is imported by a background job: the upload
returns at once with a queued run, the job completes it, a failing file ends failed with the
reason while the data published before stays live, the page polls while it waits, and recovery
fails a run whose worker died or whose job was lost."""

import datetime as dt
import io

import pytest
from django.test import override_settings
from django.utils import timezone, translation
from django_tasks import default_task_backend

from minga.core.audit.models import AuditEntry
from minga.core.jobs import leases
from minga.core.jobs.models import JobLease
from minga.core.jobs.recovery import recover
from minga.core.progress.models import Progress
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import assert_foreign_government_404, gov_url, login_verified, make_official

from .. import importing, services
from ..models import ImportRun, Process
from .conftest import OCID, award_release, do_import, package, tender_release

pytestmark = pytest.mark.django_db

DUMMY_QUEUE = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
SECOND_OCID = "ocds-5wno2w-SIE-GPM-2025-002-1360"


def _upload(content: bytes, name="ocds.json"):
    handle = io.BytesIO(content)
    handle.name = name
    return handle


def _post(client, government, content: bytes, name="ocds.json"):
    return client.post(gov_url(government, "procurement:office_imports"), {"file": _upload(content, name)})


def _run(government, **filters) -> ImportRun:
    with government_scope(government):
        return ImportRun.objects.get(**filters)


def _stored(run: ImportRun) -> bool:
    return bool(run.upload) and run.upload.storage.exists(run.upload.name)


def test_the_upload_returns_at_once_with_a_queued_run(
    client, english, government, editor, django_capture_on_commit_callbacks
):
    login_verified(client, editor)
    raw = package(tender_release(), award_release())
    with override_settings(TASKS=DUMMY_QUEUE):
        with django_capture_on_commit_callbacks(execute=True):  # queues the job; the dummy queue keeps it
            response = _post(client, government, raw, name="mayo.json")
        queued = list(default_task_backend.results)
    run = _run(government)
    assert response.status_code == 302 and response["Location"].endswith(f"/importaciones/{run.pk}/")
    assert run.status == ImportRun.Status.QUEUED and run.created_by == editor and run.filename == "mayo.json"
    # The file waits in the storage, under the module's private prefix and a random name.
    assert run.upload.name.startswith("procurement/imports/") and "mayo" not in run.upload.name
    assert _stored(run) and run.upload.read() == raw
    assert [(result.task.module_path, result.args) for result in queued] == [(importing.TASK, [run.pk])]
    assert run.task_id == str(queued[0].id)
    with government_scope(government):
        assert Process.objects.count() == 0
        record = importing.progress_of(run)
    assert record.state == "running" and record.phase == "queued" and record.kind == importing.KIND
    # The run's page polls its panel, and says how to follow it without JavaScript.
    page = client.get(response["Location"]).content.decode()
    assert "Waiting for a worker to start it" in page and 'hx-trigger="every 2s"' in page
    assert "Waiting to be imported" in page and "Reload this page to see how the import goes" in page
    assert "import-summary" not in page  # no counts before there are any


def test_the_job_completes_the_run(client, english, government, editor, django_capture_on_commit_callbacks):
    login_verified(client, editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, government, package(tender_release(), award_release()))
    run = _run(government)
    assert run.status == ImportRun.Status.SUCCEEDED and run.releases_added == 2 and run.started_at is not None
    assert run.sha256 and run.source_format == "release package"
    assert not run.upload  # the stored file went with the import
    record = importing.progress_of(run)
    assert record.state == "succeeded" and record.phase == "flags" and record.finished_at is not None
    entry = AuditEntry.objects.get(action="procurement.import.completed")
    assert entry.actor == editor and entry.object_id == str(run.pk)
    assert not JobLease.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "imported: 2 new releases, 0 invalid" in page and "hx-trigger" not in page


def test_a_file_that_fails_mid_import_says_why_and_the_old_data_stays(
    client, english, government, editor, monkeypatch, django_capture_on_commit_callbacks
):
    do_import(government, package(tender_release(), award_release()))
    login_verified(client, editor)

    def broken(self, chunk):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services._Importer, "_chunk", broken)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        response = _post(client, government, package(tender_release(SECOND_OCID)), name="junio.json")
    run = _run(government, filename="junio.json")
    assert run.status == ImportRun.Status.FAILED and "disk full" in run.problems[0]["message"]
    assert not run.upload
    with government_scope(government):
        assert list(Process.objects.values_list("ocid", flat=True)) == [OCID]  # the import rolled back
    record = importing.progress_of(run)
    assert record.state == "failed" and "disk full" in record.failure_reason and record.phase == "store"
    assert record.kept_live == "Nothing changed: the 1 contracting processes published before stay live."
    assert AuditEntry.objects.get(action="procurement.import.failed").actor == editor
    assert not JobLease.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "It failed." in page and "disk full" in page and record.kept_live in page
    assert "was not imported; nothing changed" in page


def test_an_unreadable_file_is_rejected_by_the_job(
    client, english, government, editor, django_capture_on_commit_callbacks
):
    do_import(government, package(tender_release(), award_release()))
    login_verified(client, editor)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        _post(client, government, b'{"releases": 1', name="roto.json")
    run = _run(government, filename="roto.json")
    assert run.status == ImportRun.Status.FAILED and "not valid JSON" in run.problems[0]["message"]
    record = importing.progress_of(run)
    assert record.state == "failed" and "not valid JSON" in record.failure_reason
    assert "the 1 contracting processes published before stay live" in record.kept_live
    assert AuditEntry.objects.get(action="procurement.import.rejected").actor == editor


def test_the_form_refuses_what_is_not_an_ocds_file(client, english, government, editor):
    login_verified(client, editor)
    for content, message in ((b"", "is empty"), (b"ocid,title\n", "This is not an OCDS file")):
        with override_settings(TASKS=DUMMY_QUEUE):
            response = _post(client, government, content, name="datos.csv")
        assert response.status_code == 400 and message in response.content.decode()
    with government_scope(government):
        assert not ImportRun.objects.exists() and not Progress.objects.exists()


def test_the_polling_partial_for_viewers_and_404_for_another_government(
    client, english, government, other_government, editor, viewer
):
    login_verified(client, editor)
    with override_settings(TASKS=DUMMY_QUEUE):
        _post(client, government, package(tender_release()))
    run = _run(government)
    record = importing.progress_of(run)
    fragment = gov_url(government, "core:progress_fragment", pk=record.pk)
    detail = gov_url(government, "procurement:office_import_detail", pk=run.pk)
    client.logout()
    login_verified(client, viewer)
    body = client.get(fragment).content.decode()
    assert "Waiting for a worker to start it" in body and 'hx-trigger="every 2s"' in body and "<html" not in body
    assert client.get(detail).status_code == 200
    client.logout()
    login_verified(client, make_official(other_government, "admin"))
    assert_foreign_government_404(client, other_government, [fragment, detail], government)
    # Once the job ended, the partial asks htmx to reload the page, which shows the outcome.
    client.logout()
    login_verified(client, viewer)
    with government_scope(government):
        importing.run_queued(government=government, run_id=run.pk)
    response = client.get(fragment, HTTP_HX_REQUEST="true")
    assert response["HX-Refresh"] == "true" and "hx-trigger" not in response.content.decode()


def test_recovery_fails_a_run_whose_worker_died(client, government, editor, settings):
    do_import(government, package(tender_release(), award_release()))
    login_verified(client, editor)
    with override_settings(TASKS=DUMMY_QUEUE):
        _post(client, government, package(tender_release(SECOND_OCID)))
    run = _run(government, status=ImportRun.Status.QUEUED)
    now = timezone.now()
    with government_scope(government):
        assert importing._mark_running(government, run.pk, now) is not None  # the worker took it…
    leases.forget(name=importing.lease_name(run.pk))  # …and died: its lease is no longer renewed
    assert recover(now=now)["procurement"] == 0  # the lease is still live
    later = now + dt.timedelta(seconds=settings.JOB_LEASE_SECONDS + 1)
    with translation.override("en"):
        assert recover(now=later)["procurement"] == 1
    assert recover(now=later)["procurement"] == 0  # once
    run = _run(government, pk=run.pk)
    assert run.status == ImportRun.Status.FAILED and "interrupted" in run.problems[0]["message"]
    assert not run.upload
    record = importing.progress_of(run)
    assert record.state == "failed" and "interrupted" in record.failure_reason
    assert "the 1 contracting processes published before stay live" in record.kept_live
    assert AuditEntry.objects.filter(action="procurement.import.failed", object_id=str(run.pk)).exists()


def test_recovery_fails_a_queued_run_whose_job_was_lost(
    client, government, editor, settings, django_capture_on_commit_callbacks
):
    login_verified(client, editor)
    with override_settings(TASKS=DATABASE_QUEUE):
        with django_capture_on_commit_callbacks(execute=True):
            _post(client, government, package(tender_release()))
        run = _run(government)
        later = timezone.now() + dt.timedelta(seconds=settings.JOB_LEASE_SECONDS + 1)
        assert recover(now=later)["procurement"] == 0  # its job waits in the queue
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.all().delete()  # the queue lost it
        with translation.override("en"):
            assert recover(now=later)["procurement"] == 1
    run = _run(government, pk=run.pk)
    assert run.status == ImportRun.Status.FAILED and "never started" in run.problems[0]["message"]
    assert importing.progress_of(run).state == "failed"


def test_queued_work_is_not_given_up_for_silence(client, government, editor, settings):
    settings.PROGRESS_SILENT_SECONDS = 60
    login_verified(client, editor)
    with override_settings(TASKS=DUMMY_QUEUE):
        _post(client, government, package(tender_release()))
    assert recover(now=timezone.now() + dt.timedelta(hours=2))["core.progress"] == 0
    assert importing.progress_of(_run(government)).state == "running"
