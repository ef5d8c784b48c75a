"""The council's effectiveness review reaches the open data catalog as a dataset with one row
per month (through core.opendata; the council does not import the catalog)."""

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from minga import datastore
from minga.catalog.datasets.models import Dataset, Resource
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import make_official
from minga.core.usage import services as usage
from minga.council.effectiveness import services as effectiveness
from minga.council.members import services as members

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _datastore_in_tmp(settings, tmp_path):
    settings.DATASTORE_SQLITE_PATH = tmp_path / "datastore.sqlite3"


def test_the_review_is_published_as_a_monthly_dataset(government):
    editor = make_official(government, "editor", "council")
    today = timezone.localdate()
    three_months_ago = (today.replace(day=1) - dt.timedelta(days=70)).replace(day=3)
    with override_settings(MINGA_USAGE_BUFFER=False):
        usage.count_use(government.pk, "council", "home", day=three_months_ago)
        usage.count_use(government.pk, "council", "home", day=today)
    with government_scope(government):
        members.council_save(
            actor=editor, government=government, fields={"name": "Consejo Provincial de Manabí", "kind": "provincial"}
        )
        effectiveness.launch_save(actor=editor, government=government, launched_on=today.replace(day=1))
    dataset = Dataset._base_manager.get(government=government, source_key="council.effectiveness")
    resource = Resource._base_manager.get(dataset=dataset, source_key="table")
    with government_scope(government):
        table = datastore.get_table(table_id=resource.datastore_table_id)
    assert dataset.is_published and dataset.title == "Efectividad del Concejo Abierto"
    assert table.row_count >= 3  # every month from the first visit to this one
