"""A layer file is imported by a background job with its progress record (reading, storing;
features stored of how many): the upload returns at once with a queued import, the job
completes it, a refused or failing file ends failed with the reason while the version before
stays live, the import's page polls while it waits, and recovery fails the import of a worker
that died."""

from __future__ import annotations

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
from ..models import Feature, Layer, LayerImport
from .conftest import feature_collection, make_layer, point

pytestmark = pytest.mark.django_db

DUMMY_QUEUE = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def _post(client, government, layer, data: bytes, name="v2.geojson"):
    return client.post(
        gov_url(government, "geo:office_layer_upload", pk=layer.pk),
        {"crs": "", "file": SimpleUploadedFile(name, data)},
    )


def _import(government, **filters) -> LayerImport:
    with government_scope(government):
        return LayerImport.objects.get(**filters)


def _features(government, layer) -> int:
    with government_scope(government):
        return Feature.objects.filter(layer=layer).count()


def test_phases_reach_the_callback(government, editor):
    layer = make_layer(government)
    heard = []
    with government_scope(government):
        report = services.layer_import(
            actor=editor,
            government=government,
            layer=layer,
            file_name="v2.geojson",
            data=feature_collection(point(-80.3, -0.9), point(-80.4, -0.8)),
            progress=lambda *a: heard.append(a),
        )
    assert report.ok
    assert heard[0] == ("reading", 0, None) and heard[-1] == ("storing", 2, 2)


def test_the_upload_returns_at_once_with_a_queued_import(
    english, government, editor, django_capture_on_commit_callbacks
):
    client = english
    layer = make_layer(government)
    login_verified(client, editor)
    data = feature_collection(point(-80.3, -0.9))
    with override_settings(TASKS=DUMMY_QUEUE):
        with django_capture_on_commit_callbacks(execute=True):  # queues the job; the dummy queue keeps it
            response = _post(client, government, layer, data, name="centros-2026.geojson")
        queued = list(default_task_backend.results)
    found = _import(government)
    assert response.status_code == 302
    assert response["Location"] == gov_url(government, "geo:office_layer_import", pk=found.pk)
    assert found.status == LayerImport.Status.QUEUED and found.created_by == editor
    assert found.file.name.startswith("geo/imports/") and "centros" not in found.file.name
    assert found.file.read() == data
    assert [(result.task.module_path, result.args) for result in queued] == [(importing.TASK, [found.pk])]
    assert found.task_id == str(queued[0].id)
    assert _features(government, layer) == 3
    record = importing.progress_of(found)
    assert record.state == "running" and record.phase == "queued" and record.kind == importing.KIND
    page = client.get(response["Location"]).content.decode()
    assert "Waiting to be imported" in page and "Waiting for a worker to start it" in page
    assert 'hx-trigger="every 2s"' in page and "Reload this page to see how the import goes" in page
    assert "Version 1 stays live with 3 features until the new one is stored whole." in page
    # The upload page links to it and shows its panel.
    page = client.get(gov_url(government, "geo:office_layer_upload", pk=layer.pk)).content.decode()
    assert "Last import: centros-2026.geojson (Waiting to be imported)" in page and "hx-trigger" in page


def test_the_job_completes_the_import(english, government, editor, django_capture_on_commit_callbacks):
    client = english
    layer = make_layer(government)
    login_verified(client, editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, government, layer, feature_collection(point(-80.3, -0.9), point(-80.4, -0.8)))
    found = _import(government)
    assert found.status == LayerImport.Status.SUCCEEDED and found.version == 2 and not found.file
    assert found.report["feature_count"] == 2 and found.started_at and found.finished_at
    assert _features(government, layer) == 2
    record = importing.progress_of(found)
    assert record.state == "succeeded" and record.total == 2 and record.done == 2
    assert AuditEntry.objects.get(action="geo.layer.imported").actor == editor
    assert not JobLease.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "Version 2 with 2 features." in page and "hx-trigger" not in page


def test_a_refused_file_says_why_and_what_stayed_live(english, government, editor, django_capture_on_commit_callbacks):
    client = english
    layer = make_layer(government)
    login_verified(client, editor)
    empty = feature_collection({"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": []}})
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        response = _post(client, government, layer, empty)
    found = _import(government)
    assert (
        found.status == LayerImport.Status.FAILED and "its geometry is empty" in found.report["problems"][0]["message"]
    )
    record = importing.progress_of(found)
    assert record.state == "failed" and "its geometry is empty" in record.failure_reason
    assert record.kept_live == "Version 1 of the layer, with 3 features, stays live."
    assert _features(government, layer) == 3
    assert AuditEntry.objects.get(action="geo.layer.import_failed").actor == editor
    page = client.get(response["Location"]).content.decode()
    assert "It failed." in page and "What stayed live:" in page and record.kept_live in page
    assert "1 problem prevents the import" in page


def test_an_error_mid_import_rolls_back_and_says_why(
    english, government, editor, monkeypatch, django_capture_on_commit_callbacks
):
    client = english
    layer = make_layer(government)
    login_verified(client, editor)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Feature.objects, "bulk_create", broken)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        _post(client, government, layer, feature_collection(point(-80.3, -0.9)))
    monkeypatch.undo()
    found = _import(government)
    assert found.status == LayerImport.Status.FAILED and "disk full" in found.report["problems"][0]["message"]
    assert _features(government, layer) == 3  # the features of version 1 are back
    with government_scope(government):
        assert Layer.objects.get(pk=layer.pk).version == 1
    record = importing.progress_of(found)
    assert record.state == "failed" and "disk full" in record.failure_reason and record.phase == "storing"
    assert record.kept_live == "Version 1 of the layer, with 3 features, stays live."
    assert not JobLease.objects.exists() and not found.file


def test_the_polling_partial_for_viewers_and_404_for_another_government(
    client, government, other_government, editor, viewer
):
    layer = make_layer(government)
    login_verified(client, editor)
    with override_settings(TASKS=DUMMY_QUEUE):
        _post(client, government, layer, feature_collection(point(-80.3, -0.9)))
    found = _import(government)
    record = importing.progress_of(found)
    fragment = gov_url(government, "core:progress_fragment", pk=record.pk)
    detail = gov_url(government, "geo:office_layer_import", pk=found.pk)
    client.logout()
    login_verified(client, viewer)
    assert 'hx-trigger="every 2s"' in client.get(fragment).content.decode()
    assert client.get(detail).status_code == 200
    client.logout()
    login_verified(client, make_official(other_government, "admin"))
    assert_foreign_government_404(client, other_government, [fragment, detail], government)


def test_recovery_fails_an_import_whose_worker_died(client, government, editor, settings):
    layer = make_layer(government)
    login_verified(client, editor)
    with override_settings(TASKS=DUMMY_QUEUE):
        _post(client, government, layer, feature_collection(point(-80.3, -0.9)))
    found = _import(government)
    now = timezone.now()
    with government_scope(government):
        assert importing._mark_running(government, found.pk, now) is not None
    leases.forget(name=importing.lease_name(found.pk))  # the worker died
    assert recover(now=now)["geo"] == 0  # its lease is still live
    with translation.override("en"):
        assert recover(now=now + dt.timedelta(seconds=settings.JOB_LEASE_SECONDS + 1))["geo"] == 1
    found = _import(government)
    assert found.status == LayerImport.Status.FAILED and "interrupted" in found.report["problems"][0]["message"]
    assert not found.file
    record = importing.progress_of(found)
    assert record.state == "failed" and record.kept_live == "Version 1 of the layer, with 3 features, stays live."


def test_deleting_a_layer_removes_its_waiting_files(client, government, editor, django_capture_on_commit_callbacks):
    layer = make_layer(government)
    login_verified(client, editor)
    with override_settings(TASKS=DUMMY_QUEUE):
        _post(client, government, layer, feature_collection(point(-80.3, -0.9)))
    found = _import(government)
    storage, name = found.file.storage, found.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(gov_url(government, "geo:office_layer_delete", pk=layer.pk), {"confirm": "on"})
    assert response.status_code == 302 and not storage.exists(name)
