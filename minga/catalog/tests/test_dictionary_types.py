"""A type fixed in the data dictionary: the table is loaded again with that type, and values
that do not match it are reported (the previous version stays live)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from minga import datastore
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import gov_url, login_verified

from ..datasets.models import ColumnDictionary, Resource
from ..tables import selectors as table_selectors
from . import factories
from .conftest_datastore import datastore_env  # noqa: F401

pytestmark = pytest.mark.django_db

CSV = "referencia;nombre;valor\n1301;Portoviejo;10\n1308;Manta;pendiente\n1309;Montecristi;7\n"


@pytest.fixture
def office(english, editor):
    login_verified(english, editor)
    return english


def _post_types(office, government, resource, types: dict[int, str]):
    data = {}
    for position in range(3):
        data.update({f"c{position}_label": "", f"c{position}_description": "", f"c{position}_unit": ""})
        data[f"c{position}_column_type"] = types.get(position, "")
    return office.post(gov_url(government, "catalog:office_resource_dictionary", pk=resource.pk), data)


def _uploaded(office, government, capture):
    dataset = factories.dataset(government, is_published=True)
    url = gov_url(government, "catalog:office_resource_create", dataset_pk=dataset.pk)
    data = {"title": "Cantones", "description": "", "kind": "upload", "url": "", "order": 0}
    data["upload"] = SimpleUploadedFile("cantones.csv", CSV.encode())
    with capture(execute=True):
        office.post(url, data)
    with government_scope(government):
        return Resource.objects.get()


def _types(resource):
    return {c.name: str(c.type) for c in datastore.get_table(table_id=resource.datastore_table_id).columns}


def test_fixing_a_code_column_as_text_reloads_it(office, government, django_capture_on_commit_callbacks):
    resource = _uploaded(office, government, django_capture_on_commit_callbacks)
    assert _types(resource)["referencia"] == "integer"
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_types(office, government, resource, {0: "text"})
    assert response.status_code == 302
    with government_scope(government):
        assert ColumnDictionary.objects.get(column="referencia").column_type == "text"
        load = table_selectors.last_load(resource)
    assert load.succeeded and load.version == 2
    assert _types(resource)["referencia"] == "text"


def test_a_fixed_type_reports_values_that_do_not_match(office, government, django_capture_on_commit_callbacks):
    resource = _uploaded(office, government, django_capture_on_commit_callbacks)
    # "pendiente" made the column text; the official says it holds whole numbers.
    assert _types(resource)["valor"] == "text"
    with django_capture_on_commit_callbacks(execute=True):
        _post_types(office, government, resource, {2: "integer"})
    with government_scope(government):
        load = table_selectors.last_load(resource)
    assert load.failed
    errors = load.report["errors"]
    assert errors[0]["column"] == "valor" and errors[0]["row"] == 3 and errors[0]["value"] == "pendiente"
    table = datastore.get_table(table_id=resource.datastore_table_id)
    assert table.version == 1 and _types(resource)["valor"] == "text"  # the previous version is still served
    page = office.get(gov_url(government, "catalog:office_resource", pk=resource.pk)).content.decode()
    assert "pendiente" in page


def test_unknown_type_is_refused_and_kept(office, government, django_capture_on_commit_callbacks):
    resource = _uploaded(office, government, django_capture_on_commit_callbacks)
    response = _post_types(office, government, resource, {0: "float"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    with government_scope(government):
        assert not ColumnDictionary.objects.filter(column_type="float").exists()
