"""Tables that other modules publish through core.opendata become datasets: created and
loaded after the module's transaction commits, reloaded only when their content changes,
typed by the module's data dictionary, withdrawn when the module stops offering them, and
never published for a government whose catalog is switched off."""

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import transaction

from minga import datastore
from minga.core import opendata
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import gov_url

from ..datasets.models import ColumnDictionary, Dataset, DatasetVersion, Resource
from ..tables.models import ResourceLoad

pytestmark = pytest.mark.django_db(transaction=True)

ROWS = {"value": [("5.1.01.05", "Remuneraciones unificadas", Decimal("1200.50"), dt.date(2026, 1, 31))]}
OFFERED = {"years": [2026]}


def _tables(government):
    return [
        opendata.OpenDataTable(
            key=f"budget.execution.{year}",
            module="budget",
            title=f"Ejecución presupuestaria {year}",
            summary="Cuánto se planificó, comprometió, devengó y pagó en cada partida.",
            description="Cédula presupuestaria por partida.",
            columns=(
                opendata.OpenDataColumn("codigo", "Código de la partida"),
                opendata.OpenDataColumn("descripcion", "Descripción"),
                opendata.OpenDataColumn("devengado", "Monto devengado", "Obligaciones reconocidas.", "number", "USD"),
                opendata.OpenDataColumn("corte", "Fecha de corte", type="date"),
            ),
            rows=lambda: list(ROWS["value"]),
            frequency="MONTHLY",
            keywords=("presupuesto",),
            temporal_start=dt.date(year, 1, 1),
            temporal_end=dt.date(year, 12, 31),
            files=(
                opendata.OpenDataFile(
                    "diccionario.csv", "Diccionario de datos", lambda: b"campo,descripcion\ncodigo,Partida\n"
                ),
            ),
        )
        for year in OFFERED["years"]
    ]


@pytest.fixture
def budget_tables(monkeypatch, settings, tmp_path):
    settings.DATASTORE_SQLITE_PATH = tmp_path / "datastore.sqlite3"
    config = apps.get_app_config("budget")
    monkeypatch.setattr(config, "manifest", replace(config.manifest, opendata_tables=_tables))
    ROWS["value"] = [("5.1.01.05", "Remuneraciones unificadas", Decimal("1200.50"), dt.date(2026, 1, 31))]
    OFFERED["years"] = [2026]


def _announce(government):
    with transaction.atomic():
        opendata.tables_changed(government=government, module="budget")


def _dataset(government, key="budget.execution.2026"):
    return Dataset._base_manager.get(government=government, source_key=key)


def test_announced_tables_become_loaded_typed_datasets(government, budget_tables, client):
    _announce(government)
    dataset = _dataset(government)
    assert dataset.is_published and dataset.source_module == "budget" and dataset.frequency == "MONTHLY"
    assert dataset.temporal_start == dt.date(2026, 1, 1)
    table_resource = Resource._base_manager.get(dataset=dataset, source_key="table")
    assert table_resource.format == "CSV"
    with government_scope(government):
        table = datastore.get_table(table_id=table_resource.datastore_table_id)
    assert table.row_count == 1
    assert [c.name for c in table.columns] == ["codigo", "descripcion", "devengado", "corte"]
    types = dict(ColumnDictionary._base_manager.filter(resource=table_resource).values_list("column", "column_type"))
    assert types == {"codigo": "text", "descripcion": "text", "devengado": "decimal", "corte": "date"}
    # Read once, with the dictionary's types (not once inferred and again typed).
    assert ResourceLoad._base_manager.filter(resource=table_resource).count() == 1
    assert Resource._base_manager.filter(dataset=dataset, source_key="file:diccionario.csv").exists()
    page = client.get(gov_url(government, "catalog:dataset_detail", slug=dataset.slug))
    assert page.status_code == 200 and "Ejecución presupuestaria 2026" in page.content.decode()


def test_unchanged_tables_cost_nothing_and_changes_make_a_version(government, budget_tables):
    _announce(government)
    dataset = _dataset(government)
    loads = ResourceLoad._base_manager.filter(resource__dataset=dataset).count()
    _announce(government)
    assert ResourceLoad._base_manager.filter(resource__dataset=dataset).count() == loads
    ROWS["value"] = ROWS["value"] + [
        ("5.3.08.11", "Materiales de construcción", Decimal("99.00"), dt.date(2026, 2, 28))
    ]
    _announce(government)
    table_resource = Resource._base_manager.get(dataset=dataset, source_key="table")
    with government_scope(government):
        assert datastore.get_table(table_id=table_resource.datastore_table_id).row_count == 2
    changes = list(DatasetVersion._base_manager.filter(dataset=dataset).values_list("change", flat=True))
    assert DatasetVersion.Change.RESOURCE_REPLACED in changes


def test_tables_no_longer_offered_are_withdrawn(government, budget_tables):
    OFFERED["years"] = [2025, 2026]
    _announce(government)
    OFFERED["years"] = [2026]
    _announce(government)
    assert not _dataset(government, "budget.execution.2025").is_published
    assert _dataset(government, "budget.execution.2026").is_published


def test_nothing_is_published_where_the_catalog_is_off(government, budget_tables):
    government.modules = {"catalog": {"enabled": False}}
    government.save()
    _announce(government)
    assert not Dataset._base_manager.filter(government=government).exists()


def test_nothing_is_published_when_the_transaction_rolls_back(government, budget_tables):
    with pytest.raises(RuntimeError), transaction.atomic():
        opendata.tables_changed(government=government, module="budget")
        raise RuntimeError("import failed")
    assert not Dataset._base_manager.filter(government=government).exists()


def test_one_transaction_gives_one_notice(government, budget_tables, monkeypatch):
    from ..datasets import module_tables

    calls = []
    monkeypatch.setattr(opendata, "_publishers", [lambda government_id, module: calls.append((government_id, module))])
    with transaction.atomic():
        for _ in range(5):
            opendata.tables_changed(government=government, module="budget")
        opendata.tables_changed(government=government, module="works")
    assert calls == [(government.pk, "budget"), (government.pk, "works")]
    assert module_tables.publish_later not in opendata._publishers
