"""Loading tabular resources into the datastore: upload → background job → report; a failed
load keeps the previous table live and shows the official what went wrong; "load again";
the data dictionary; the demo's tables."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from minga import datastore
from minga.core.audit.models import AuditEntry
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import gov_url, login_verified

from .. import demo
from ..datasets.models import ColumnDictionary, Resource
from ..tables import selectors as table_selectors
from ..tables import services as table_services
from ..tables.models import ResourceLoad
from . import factories
from .conftest_datastore import datastore_env  # noqa: F401

pytestmark = pytest.mark.django_db

CSV = "Cantón;Año;Monto;Fecha\nPortoviejo;2025;1.234,56;05/03/2025\nManta;2024;987,10;17/11/2024\nTOTAL;;2.221,66;\n"


@pytest.fixture
def office(english, editor):
    client = english
    login_verified(client, editor)
    return client


def _upload(office, government, dataset, content: bytes, name="montos.csv", capture=None):
    url = gov_url(government, "catalog:office_resource_create", dataset_pk=dataset.pk)
    data = {"title": "Montos", "description": "", "kind": "upload", "url": "", "order": 0}
    data["upload"] = SimpleUploadedFile(name, content)
    with capture(execute=True):
        return office.post(url, data)


def test_upload_queues_a_load_that_succeeds_and_reports(office, government, django_capture_on_commit_callbacks):
    dataset = factories.dataset(government, is_published=True)
    response = _upload(office, government, dataset, CSV.encode("latin-1"), capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302
    with government_scope(government):
        resource = Resource.objects.get()
        load = ResourceLoad.objects.get()
    assert response["Location"].endswith(f"/gestion/recursos/{resource.pk}/")
    assert load.status == "succeeded" and load.row_count == 2 and load.version == 1
    assert load.started_at and load.finished_at and load.report["ok"] is True
    table = datastore.get_table(table_id=resource.datastore_table_id)
    assert [(c.name, str(c.type)) for c in table.columns] == [
        ("canton", "text"),
        ("anio", "integer"),
        ("monto", "decimal"),
        ("fecha", "date"),
    ]
    assert AuditEntry.objects.filter(action="catalog.resource.loaded").count() == 1
    page = office.get(response["Location"]).content.decode()
    assert "2 rows and 4 columns" in page
    assert "total row was not loaded" in page  # the TOTAL row, flagged in plain words
    assert "Load again" in page
    # The dataset page links to the resource's load status.
    body = office.get(gov_url(government, "catalog:office_dataset", pk=dataset.pk)).content.decode()
    assert "Loaded" in body


def test_failed_load_keeps_previous_version_and_explains(office, government, django_capture_on_commit_callbacks):
    dataset = factories.dataset(government, is_published=True)
    _upload(office, government, dataset, CSV.encode("latin-1"), capture=django_capture_on_commit_callbacks)
    with government_scope(government):
        resource = Resource.objects.get()
    # The stored file is now damaged (a binary blob where the CSV was): load it again.
    storage = resource.file.storage
    storage.delete(resource.file.name)
    storage.save(resource.file.name, io.BytesIO(b"\x00\x01\x02\xff" * 200))
    with django_capture_on_commit_callbacks(execute=True):
        response = office.post(gov_url(government, "catalog:office_resource_load", pk=resource.pk))
    assert response.status_code == 302
    with government_scope(government):
        load = table_selectors.last_load(resource)
    assert load.status == "failed" and load.report["errors"]
    assert AuditEntry.objects.filter(action="catalog.resource.load_failed").count() == 1
    page = office.get(gov_url(government, "catalog:office_resource", pk=resource.pk)).content.decode()
    assert "could not be loaded" in page and 'id="load-errors"' in page
    # Version 1 is still served, publicly and through the API.
    assert datastore.get_table(table_id=resource.datastore_table_id).version == 1
    api = office.get(gov_url(government, "catalog-api:resource_data", pk=resource.pk)).json()
    assert api["version"] == 1 and api["total"] == 2
    assert office.get(gov_url(government, "catalog:resource_table", pk=resource.pk)).status_code == 200
    # The download follows the live table: the rejected file is not what citizens get.
    download = office.get(gov_url(government, "catalog:resource_download", pk=resource.pk), follow=True)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == CSV.encode("latin-1")


def test_replacing_with_a_link_drops_the_table(office, government, django_capture_on_commit_callbacks):
    dataset = factories.dataset(government, is_published=True)
    _upload(office, government, dataset, CSV.encode("latin-1"), capture=django_capture_on_commit_callbacks)
    with government_scope(government):
        resource = Resource.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        office.post(
            gov_url(government, "catalog:office_resource_edit", pk=resource.pk),
            {"title": "Montos", "kind": "url", "url": "https://datos.example.org/m.csv", "order": 0},
        )
    assert datastore.get_table(table_id=resource.datastore_table_id) is None
    page = office.get(gov_url(government, "catalog:office_resource", pk=resource.pk)).content.decode()
    assert "Links to remote files are not loaded yet" in page or "Load again" not in page


def test_non_tabular_upload_is_not_loaded(office, government, django_capture_on_commit_callbacks):
    dataset = factories.dataset(government)
    response = _upload(
        office, government, dataset, b'{"a": 1}', name="datos.json", capture=django_capture_on_commit_callbacks
    )
    assert response.status_code == 302 and response["Location"].endswith(f"/gestion/conjuntos/{dataset.pk}/")
    with government_scope(government):
        assert not ResourceLoad.objects.exists()


def test_dictionary_edit_is_audited_and_labels_reach_the_public(office, government, django_capture_on_commit_callbacks):
    dataset = factories.dataset(government, is_published=True)
    _upload(office, government, dataset, CSV.encode("latin-1"), capture=django_capture_on_commit_callbacks)
    with government_scope(government):
        resource = Resource.objects.get()
    url = gov_url(government, "catalog:office_resource_dictionary", pk=resource.pk)
    page = office.get(url)
    assert page.status_code == 200 and "decimal" not in page.content.decode().split("<form")[0]
    data = {}
    for position in range(4):
        data.update({f"c{position}_label": "", f"c{position}_description": "", f"c{position}_unit": ""})
    data.update({"c2_label": "Monto ejecutado", "c2_unit": "USD", "c2_description": "Valor devengado."})
    response = office.post(url, data)
    assert response.status_code == 302
    with government_scope(government):
        entry = ColumnDictionary.objects.get(column="monto")
    assert (entry.label, entry.unit) == ("Monto ejecutado", "USD")
    audit = AuditEntry.objects.get(action="catalog.dictionary.updated")
    assert audit.changes["monto.label"] == ["", "Monto ejecutado"]
    # Saving the same values again records nothing new.
    office.post(url, data)
    assert AuditEntry.objects.filter(action="catalog.dictionary.updated").count() == 1
    office.logout()
    public = office.get(gov_url(government, "catalog:resource_table", pk=resource.pk)).content.decode()
    assert "Monto ejecutado" in public and "(USD)" in public
    api = office.get(gov_url(government, "catalog-api:resource_data", pk=resource.pk)).json()
    monto = {"name": "monto", "label": "Monto ejecutado", "type": "decimal", "unit": "USD"}
    assert {**monto, "role": "amount", "adds_up": True} in api["columns"]


def test_dictionary_needs_a_loaded_table(office, government):
    dataset = factories.dataset(government)
    resource = factories.resource(government, dataset)  # no load ran (outside on_commit)
    response = office.get(gov_url(government, "catalog:office_resource_dictionary", pk=resource.pk))
    assert response.status_code == 302


def test_job_runs_by_id_inside_the_scope(government):
    from ..tasks import load_resource

    dataset = factories.dataset(government)
    resource = factories.resource(government, dataset)
    result = load_resource.enqueue(resource.pk)
    assert result.return_value == "succeeded"
    with government_scope(government):
        assert ResourceLoad.objects.get().status == "succeeded"
    assert load_resource.enqueue(999999).return_value == "gone"


def test_demo_loads_its_tables(government):
    with government_scope(government):
        demo.seed(government, now=timezone.now(), stdout=io.StringIO())
        loads = list(ResourceLoad.objects.all())
        # The GeoJSON and PDF files of the previews are not tables.
        resources = Resource.objects.exclude(format__in=("GeoJSON", "PDF")).count()
    assert len(loads) == resources and all(load.status == "succeeded" for load in loads)
    with government_scope(government):
        demo.seed(government, now=timezone.now(), stdout=io.StringIO())
        assert ResourceLoad.objects.count() == resources  # idempotent


def test_load_service_without_file(government):
    dataset = factories.dataset(government)
    resource = factories.resource(government, dataset, kind="url", url="https://datos.example.org/a.csv")
    with government_scope(government):
        with pytest.raises(Exception, match="CSV (and|y) XLSX"):
            table_services.resource_load_requested(actor=None, government=government, resource=resource)
        load = table_services.resource_load_run(government=government, resource=resource)
    assert load.status == "failed" and load.report["errors"][0]["code"] == "not_tabular"


def test_xlsx_upload_is_loaded(office, government, django_capture_on_commit_callbacks):
    from .conftest_datastore import xlsx_file

    dataset = factories.dataset(government, is_published=True)
    content = xlsx_file([["Parroquia", "Habitantes"], ["Picoazá", 12000], ["Colón", 8500]]).getvalue()
    response = _upload(
        office, government, dataset, content, name="parroquias.xlsx", capture=django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    with government_scope(government):
        resource = Resource.objects.get()
        assert resource.format == "XLSX" and table_selectors.last_load(resource).status == "succeeded"
    body = office.get(gov_url(government, "catalog-api:resource_data", pk=resource.pk), {"_sort": "-habitantes"}).json()
    assert [row["parroquia"] for row in body["rows"]] == ["Picoazá", "Colón"] and body["rows"][0]["habitantes"] == 12000
