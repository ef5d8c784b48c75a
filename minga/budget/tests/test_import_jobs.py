"""A cédula uploaded in the back office is read by a background job and published by another:
the upload returns at once with an import being read, the jobs complete it, a failing file or
publication ends failed with the reason while the figures published before stay live, the page
polls while a job runs, and recovery ends the import of a worker that died."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone, translation
from django_tasks import default_task_backend

from minga.core.audit.models import AuditEntry
from minga.core.jobs import leases
from minga.core.jobs.models import JobLease
from minga.core.jobs.recovery import recover
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import assert_foreign_government_404, gov_url, login_verified, make_official

from .. import importing, services
from ..models import BudgetImport, CutOff, LineExecution
from . import factories

pytestmark = pytest.mark.django_db

DUMMY_QUEUE = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def _csv(rows=None):
    return factories.csv_bytes(factories.EXPENSE_HEADERS, rows if rows is not None else factories.good_expense_rows())


def _post_upload(client, government, data, name="cedula.csv", month=3):
    return client.post(
        gov_url(government, "budget:office_upload"),
        {"year": 2026, "month": month, "scope": "expense", "file": SimpleUploadedFile(name, data)},
    )


def _import(government, **filters) -> BudgetImport:
    with government_scope(government):
        return BudgetImport.objects.get(**filters)


def _lines(government) -> int:
    with government_scope(government):
        return LineExecution.objects.count()


def test_the_upload_returns_at_once_with_an_import_being_read(
    english, government, editor, django_capture_on_commit_callbacks
):
    client = english
    login_verified(client, editor)
    data = _csv()
    with override_settings(TASKS=DUMMY_QUEUE):
        with django_capture_on_commit_callbacks(execute=True):  # queues the job; the dummy queue keeps it
            response = _post_upload(client, government, data, name="marzo.csv")
        queued = list(default_task_backend.results)
    budget_import = _import(government)
    assert response.status_code == 302
    assert response["Location"] == gov_url(government, "budget:office_import", pk=budget_import.pk)
    assert budget_import.status == BudgetImport.Status.READING and budget_import.raw_rows == []
    assert budget_import.file.name.startswith("budget/imports/") and "marzo" not in budget_import.file.name
    assert budget_import.file.read() == data
    assert [(result.task.module_path, result.args) for result in queued] == [(importing.READ_TASK, [budget_import.pk])]
    assert budget_import.task_id == str(queued[0].id)
    record = importing.latest_progress(budget_import)
    assert record.state == "running" and record.phase == "queued" and record.kind == importing.READ_KIND
    page = client.get(response["Location"]).content.decode()
    assert "Being read and checked" in page and "Waiting for a worker to start it" in page
    assert 'hx-trigger="every 2s"' in page and "Reload this page to see how it goes" in page
    assert "mapping-submit" not in page and "import-discard" not in page


def test_the_jobs_read_and_publish_the_file(english, government, editor, django_capture_on_commit_callbacks):
    client = english
    login_verified(client, editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_upload(client, government, _csv())
    budget_import = _import(government)
    assert budget_import.status == BudgetImport.Status.READY and len(budget_import.raw_rows) == 5
    assert budget_import.sha256 and not budget_import.file  # the stored file went once read
    read = importing.latest_progress(budget_import)
    assert read.state == "succeeded" and read.kind == importing.READ_KIND and read.done == read.total
    assert AuditEntry.objects.get(action="budget.import.uploaded").actor == editor
    url = gov_url(government, "budget:office_import_publish", pk=budget_import.pk)
    with override_settings(TASKS=DUMMY_QUEUE):  # publishing waits for a worker …
        client.post(url)
    assert _import(government).status == BudgetImport.Status.PUBLISHING and _lines(government) == 0
    page = client.get(response["Location"]).content.decode()
    assert "Being published" in page and 'hx-trigger="every 2s"' in page and 'id="import-publish"' not in page
    with government_scope(government):  # … which takes it up
        importing.publish_queued(government=government, import_id=budget_import.pk, actor=editor)
    budget_import = _import(government)
    assert budget_import.status == BudgetImport.Status.PUBLISHED and _lines(government) == 3
    publication = importing.latest_progress(budget_import)
    assert publication.state == "succeeded" and publication.kind == importing.KIND and publication.done == 3
    assert AuditEntry.objects.get(action="budget.cutoff.published").actor == editor
    assert not JobLease.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "The cut-off 2026-03 is published." in page and "hx-trigger" not in page


def test_an_unreadable_file_is_rejected_by_the_job(english, government, editor, django_capture_on_commit_callbacks):
    client = english
    login_verified(client, editor)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        response = _post_upload(client, government, b"\xff\xfe\x00\x01binario", name="cedula.csv")
    budget_import = _import(government)
    assert budget_import.status == BudgetImport.Status.REJECTED and budget_import.report["unreadable"]
    record = importing.latest_progress(budget_import)
    assert record.state == "failed" and "looks binary" in record.failure_reason
    assert record.kept_live == "Nothing changed: no figures of the cut-off 2026-03 were published, and none are now."
    page = client.get(response["Location"]).content.decode()
    assert "It failed." in page and "looks binary" in page and "The file has 1 problem." in page
    assert "mapping-submit" not in page and "import-discard" in page  # nothing to map; it can go


def test_a_publication_that_fails_says_why_and_the_old_figures_stay(
    english, government, editor, monkeypatch, django_capture_on_commit_callbacks
):
    factories.publish(government, _csv(), actor=editor)
    before = _lines(government)
    rows = factories.good_expense_rows()
    rows[0][13] = "1,00"  # a new devengado for the same cut-off
    client = english
    login_verified(client, editor)
    with django_capture_on_commit_callbacks(execute=True):
        _post_upload(client, government, _csv(rows))
    budget_import = _import(government, status=BudgetImport.Status.READY)

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "publish_lines", broken)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        response = client.post(gov_url(government, "budget:office_import_publish", pk=budget_import.pk))
    budget_import = _import(government, pk=budget_import.pk)
    assert budget_import.status == BudgetImport.Status.READY  # it may be published again
    assert _lines(government) == before
    with government_scope(government):
        assert CutOff.objects.get().published_at is not None
    record = importing.latest_progress(budget_import)
    assert record.state == "failed" and "disk full" in record.failure_reason
    assert record.kept_live.startswith("Nothing changed: the figures of the cut-off 2026-03 published on ")
    assert AuditEntry.objects.get(action="budget.import.job_failed").actor == editor
    assert not JobLease.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "It failed." in page and "disk full" in page and 'id="import-publish"' in page


def test_the_polling_partial_for_viewers_and_404_for_another_government(
    client, government, other_government, editor, viewer
):
    login_verified(client, editor)
    with override_settings(TASKS=DUMMY_QUEUE):
        _post_upload(client, government, _csv())
    budget_import = _import(government)
    record = importing.latest_progress(budget_import)
    fragment = gov_url(government, "core:progress_fragment", pk=record.pk)
    detail = gov_url(government, "budget:office_import", pk=budget_import.pk)
    client.logout()
    login_verified(client, viewer)
    response = client.get(fragment)
    assert response.status_code == 200 and 'hx-trigger="every 2s"' in response.content.decode()
    assert client.get(detail).status_code == 200
    client.logout()
    login_verified(client, make_official(other_government, "admin"))
    assert_foreign_government_404(client, other_government, [fragment, detail], government)


def test_recovery_ends_an_import_whose_worker_died(client, government, editor, settings):
    login_verified(client, editor)
    with override_settings(TASKS=DUMMY_QUEUE):
        _post_upload(client, government, _csv())
    budget_import = _import(government)
    now = timezone.now()
    with government_scope(government):
        assert importing._start(government, budget_import.pk, BudgetImport.Status.READING, now) is not None
    leases.forget(name=importing.lease_name(budget_import.pk))  # the worker died
    assert recover(now=now)["budget"] == 0  # its lease is still live
    with translation.override("en"):
        assert recover(now=now + dt.timedelta(seconds=settings.JOB_LEASE_SECONDS + 1))["budget"] == 1
    budget_import = _import(government)
    assert budget_import.status == BudgetImport.Status.REJECTED and not budget_import.file
    record = importing.latest_progress(budget_import)
    assert record.state == "failed" and "interrupted" in record.failure_reason
    assert AuditEntry.objects.filter(action="budget.import.job_failed", object_id=str(budget_import.pk)).exists()


def test_busy_imports_cannot_be_changed(client, english, government, editor):
    login_verified(english, editor)
    with override_settings(TASKS=DUMMY_QUEUE):
        _post_upload(english, government, _csv())
    budget_import = _import(government)
    response = english.post(gov_url(government, "budget:office_import_discard", pk=budget_import.pk), follow=True)
    assert "is being read or published" in response.content.decode()
    assert _import(government).status == BudgetImport.Status.READING
