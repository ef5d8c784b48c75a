"""A datastore load shows where it stands (phase, rows done of how many) and a failed one says
why and what stayed live, on the resource's back-office page and the progress page."""

import io

import pytest
from django.utils import translation

from minga import datastore
from minga.core.progress.models import Progress
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import gov_url, login_verified

from ..tables import selectors as table_selectors
from ..tables import services as table_services
from . import factories
from .conftest_datastore import csv_file, datastore_env  # noqa: F401

pytestmark = pytest.mark.django_db

CSV = "canton;monto\nPortoviejo;10\nManta;20\nChone;30\n"


def test_the_datastore_reports_each_phase():
    heard = []
    report = datastore.load_table(
        table_id="t1", source=csv_file(CSV), filename="m.csv", progress=lambda *a: heard.append(a)
    )
    assert report.ok
    phases = [phase for phase, _done, _total in heard]
    assert phases[0] == "reading" and phases[-1] == "indexing"
    assert [p for i, p in enumerate(phases) if i == 0 or phases[i - 1] != p] == [
        "reading",
        "inserting",
        "statistics",
        "indexing",
    ]
    assert ("reading", 3, None) in heard  # the total is not known while reading
    assert ("inserting", 3, 3) in heard  # rows stored of the rows read


def _load(government, resource):
    with government_scope(government), translation.override("en"):
        return table_services.resource_load_run(government=government, resource=resource)


def test_a_load_records_its_progress(government):
    dataset = factories.dataset(government)
    resource = factories.resource(government, dataset, file=factories.csv_file(content=CSV.encode()))
    load = _load(government, resource)
    record = table_services.load_progress(load)
    assert record.state == "succeeded" and record.kind == "catalog.load"
    assert record.phase == "indexing" and record.module == "catalog"


def test_a_failed_load_says_why_and_what_stayed_live(english, government, editor):
    dataset = factories.dataset(government)
    resource = factories.resource(government, dataset, file=factories.csv_file(content=CSV.encode()))
    _load(government, resource)
    storage = resource.file.storage
    storage.delete(resource.file.name)
    storage.save(resource.file.name, io.BytesIO(b"\x00\x01\x02\xff" * 200))
    with government_scope(government):
        resource.refresh_from_db()
    load = _load(government, resource)
    assert load.status == "failed"
    with government_scope(government):
        record = Progress.objects.get(object_id=str(load.pk))
    assert record.state == "failed" and record.failure_reason
    assert record.kept_live == "Version 1 of the table (3 rows) stays published."
    with government_scope(government):
        assert table_selectors.last_load(resource).pk == load.pk
    client = english
    login_verified(client, editor)
    page = client.get(gov_url(government, "catalog:office_resource", pk=resource.pk)).content.decode()
    assert "It failed." in page and "What stayed live:" in page
    assert "Version 1 of the table (3 rows) stays published." in page
    page = client.get(gov_url(government, "core:progress", pk=record.pk)).content.decode()
    assert record.failure_reason.splitlines()[0] in page
