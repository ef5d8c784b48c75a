"""The Frictionless Data Package per dataset: licences, resources with absolute paths, sizes
and hashes, and a Table Schema for the resources loaded in the datastore."""

import datetime as dt
import io

import pytest

from minga.datastore import load_table

from . import factories

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC)
OBRAS = "Cantón;Obra;Monto;Fecha;Terminada\nManta;Vía;1.234,56;05/03/2024;Sí\nChone;Parque;780;20/07/2024;no\n"


@pytest.fixture(autouse=True)
def datastore_file(settings, tmp_path):
    settings.DATASTORE_SQLITE_PATH = tmp_path / "datastore.sqlite3"


@pytest.fixture
def dataset(government):
    found = factories.dataset(
        government, title="Obras públicas", slug="obras", summary="Obras por cantón.", tags=["obras"]
    )
    table = factories.resource(
        government, found, title="Obras 2024", file=factories.csv_file("obras.csv", OBRAS.encode("cp1252"))
    )
    other = factories.resource(government, found, title="Obras 2024", file=factories.csv_file("copia.csv"))
    link = factories.resource(government, found, title="Informe", kind="url", url="https://example.org/informe.pdf")
    report = load_table(
        table_id=table.datastore_table_id, source=io.BytesIO(OBRAS.encode("cp1252")), filename="obras.csv", now=NOW
    )
    assert report.ok, report.errors
    return {"dataset": found, "table": table, "other": other, "link": link}


def path(government, slug: str) -> str:
    return f"/g/{government.slug}/datos/dcat/{slug}/datapackage.json"


def test_datapackage_describes_the_dataset(client, government, dataset):
    response = client.get(path(government, "obras"))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    package = response.json()
    assert package["name"] == "obras" and package["title"] == "Obras públicas"
    assert package["profile"] == "data-package"  # not every resource is tabular
    assert package["keywords"] == ["obras"]
    assert package["licenses"][0]["name"] == "CC-BY-4.0" and package["licenses"][0]["path"].startswith("http")
    assert package["homepage"] == f"http://testserver/g/{government.slug}/datos/conjuntos/obras/"

    resources = package["resources"]
    assert [resource["name"] for resource in resources] == ["obras-2024", "obras-2024-2", "informe"]
    table, other, link = resources
    uploaded = dataset["table"]
    assert table["path"] == f"http://testserver/g/{government.slug}/datos/recursos/{uploaded.pk}/descarga/"
    assert table["format"] == "csv" and table["mediatype"] == "text/csv"
    assert table["bytes"] == uploaded.size and table["hash"] == f"sha256:{uploaded.sha256}"
    assert table["profile"] == "tabular-data-resource"
    fields = {field["name"]: field for field in table["schema"]["fields"]}
    assert list(fields) == ["canton", "obra", "monto", "fecha", "terminada"]
    assert fields["canton"] == {"name": "canton", "title": "Cantón", "type": "string"}
    assert fields["monto"]["type"] == "number"
    assert fields["fecha"]["type"] == "date" and fields["fecha"]["format"] == "%Y-%m-%d"
    assert fields["terminada"]["type"] == "boolean"
    assert "schema" not in other  # not loaded in the datastore
    assert link["path"] == "https://example.org/informe.pdf" and "bytes" not in link


def test_datapackage_of_drafts_and_other_governments_is_not_found(client, government, other_government, dataset):
    factories.dataset(government, title="Borrador", slug="borrador", is_published=False)
    assert client.get(path(government, "borrador")).status_code == 404
    assert client.get(path(other_government, "obras")).status_code == 404
    assert client.get(path(government, "no-existe")).status_code == 404
