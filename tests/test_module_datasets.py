"""Publish once, satisfy many: what officials keep in a module reaches the open data catalog
as datasets without re-keying (through core.opendata; the modules do not import each other)."""

import pytest

from minga import datastore
from minga.catalog.datasets.models import Dataset, Resource
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import gov_url, make_official
from minga.institution import services as institution

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _datastore_in_tmp(settings, tmp_path):
    settings.DATASTORE_SQLITE_PATH = tmp_path / "datastore.sqlite3"


def _rows(government, key):
    dataset = Dataset._base_manager.get(government=government, source_key=key)
    resource = Resource._base_manager.get(dataset=dataset, source_key="table")
    with government_scope(government):
        return dataset, datastore.get_table(table_id=resource.datastore_table_id)


def test_the_organisation_chart_is_published_and_follows_its_changes(government, client):
    official = make_official(government, "editor", "institution")
    with government_scope(government):
        institution.unit_create(actor=official, government=government, name="Dirección Financiera", acronym="DF")
    dataset, table = _rows(government, "institution.units")
    assert dataset.is_published and table.row_count == 1
    assert {"institution.authorities", "institution.agenda"} <= set(
        Dataset._base_manager.filter(government=government).values_list("source_key", flat=True)
    )
    with government_scope(government):
        institution.unit_create(actor=official, government=government, name="Dirección de Obras Públicas")
    assert _rows(government, "institution.units")[1].row_count == 2
    page = client.get(gov_url(government, "catalog:dataset_detail", slug=dataset.slug))
    assert page.status_code == 200 and "Publicado automáticamente" in page.content.decode()


def test_nothing_reaches_the_catalog_of_another_government(government, other_government):
    official = make_official(government, "editor", "institution")
    with government_scope(government):
        institution.unit_create(actor=official, government=government, name="Dirección Financiera")
    assert not Dataset._base_manager.filter(government=other_government).exists()


def test_a_published_budget_year_becomes_a_lotaip_dataset(government):
    from minga.budget.tests import factories as budget

    with government_scope(government):
        budget.published_budget(government, year=2026, months=(3,))
    dataset, table = _rows(government, "budget.execution.2026")
    assert dataset.is_published and table.row_count > 0
    files = set(Resource._base_manager.filter(dataset=dataset).values_list("source_key", flat=True))
    assert len(files) >= 3  # the table plus its LOTAIP metadata and dictionary files (and more)
