"""The per-resource query API (/api/v1/datos/recursos/<id>/…): typed rows, filters, sort,
cursor pages, group-by, downloads, OpenAPI with real columns, ETag/Last-Modified, 400 on bad
queries, 429 from the rate limits, and 404 for unpublished or foreign resources."""

import csv
import io
import json

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from minga.core.tenancy.scoping import government_scope
from minga.core.testing import answered_as_documented, gov_url

from ..tables import services as table_services
from . import factories
from .conftest_datastore import datastore_env  # noqa: F401

pytestmark = pytest.mark.django_db

CANTONS = ["Portoviejo", "Manta", "Chone", "Jipijapa"]


def money(value: float) -> str:
    whole, cents = f"{value:.2f}".split(".")
    return f"{int(whole):,}".replace(",", ".") + "," + cents


def _csv(rows: int = 30) -> bytes:
    lines = ["Cantón;Año;Monto;Fecha;Nota"]
    for n in range(1, rows + 1):
        note = '=HYPERLINK("http://x")' if n == 3 else f"obra {n}"
        lines.append(f"{CANTONS[n % 4]};{2020 + n % 3};{money(n * 100 + 0.5)};{n % 28 + 1:02d}/03/2025;{note}")
    return "\n".join(lines).encode("latin-1")


def loaded_resource(government, *, published=True, rows=30):
    dataset = factories.dataset(government, is_published=published)
    resource = factories.resource(government, dataset, file=SimpleUploadedFile("obras.csv", _csv(rows)))
    with government_scope(government):
        load = table_services.resource_load_run(government=government, resource=resource)
    assert load.status == "succeeded", load.report
    return resource


@pytest.fixture
def resource(government):
    return loaded_resource(government)


def url(government, resource, name="resource_data"):
    return gov_url(government, f"catalog-api:{name}", pk=resource.pk)


def test_rows_are_typed_and_total_comes_from_the_stats(client, government, resource):
    body = client.get(url(government, resource), {"_limit": 5}).json()
    assert [c["name"] for c in body["columns"]] == ["_id", "canton", "anio", "monto", "fecha", "nota"]
    assert {c["name"]: c["type"] for c in body["columns"]}["monto"] == "decimal"
    first = body["rows"][0]
    assert first == {
        "_id": 1,
        "canton": "Manta",
        "anio": 2021,
        "monto": pytest.approx(100.5),
        "fecha": "2025-03-02",
        "nota": "obra 1",
    }
    assert body["total"] == 30 and body["next"].startswith("http")


def test_filters_sort_columns_and_pages(client, government, resource):
    base = url(government, resource)
    body = client.get(base, {"canton": "Manta", "_sort": "-monto", "_columns": "canton,monto", "_limit": 3}).json()
    assert body["total"] == 8 and len(body["rows"]) == 3
    amounts = [row["monto"] for row in body["rows"]]
    assert amounts == sorted(amounts, reverse=True) and set(body["rows"][0]) == {"_id", "canton", "monto"}
    seen = [row["_id"] for row in body["rows"]]
    next_url = body["next"]
    while next_url:
        page = client.get(next_url).json()
        seen += [row["_id"] for row in page["rows"]]
        next_url = page["next"]
    assert len(seen) == len(set(seen)) == 8
    assert client.get(base, {"anio__in": "2020,2021"}).json()["total"] == 20
    # "Año" was ``ano`` before "ñ" became "ni": older links and scripts still work.
    assert client.get(base, {"ano__in": "2020,2021"}).json()["total"] == 20
    assert client.get(base, {"monto__gte": "2000", "monto__lt": "2500"}).json()["total"] == 5
    assert client.get(base, {"canton__contains": "PORTO"}).json()["total"] == 7
    assert client.get(base, {"nota__isnull": "true"}).json()["total"] == 0
    assert client.get(base, {"canton__ne": "Manta"}).json()["total"] == 22


def test_group_by_and_aggregates(client, government, resource):
    body = client.get(
        url(government, resource), {"_group_by": "canton", "_agg": "count,sum:monto", "_sort": "-count"}
    ).json()
    names = [c["name"] for c in body["columns"]]
    assert names == ["canton", "count", "sum_monto"]
    counts = {row["canton"]: row["count"] for row in body["rows"]}
    assert counts == {"Manta": 8, "Chone": 8, "Jipijapa": 7, "Portoviejo": 7} and body["truncated"] is False
    assert body["rows"][0]["count"] == 8


def test_bad_queries_answer_400_with_the_reason(client, government, resource):
    base = url(government, resource)
    for params in (
        {"nope": "1"},
        {"monto__like": "1"},
        {"monto": "abc"},
        {"_sort": "nope"},
        {"_limit": "5000"},
        {"_limit": "x"},
        {"_agg": "sum:canton", "_group_by": "ano"},
        {"_cursor": "forged"},
        {"_unknown": "1"},
        {'canton" OR 1=1 --': "x"},
    ):
        response = client.get(base, params)
        assert response.status_code == 400, params
        assert response.json()["detail"], params


def test_downloads_are_streamed_filtered_and_formula_safe(client, government, resource):
    response = client.get(url(government, resource, "resource_csv"), {"canton": "Chone"})
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"].startswith("text/csv") and "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["canton", "anio", "monto", "fecha", "nota"] and len(rows) == 9
    whole = b"".join(client.get(url(government, resource, "resource_csv")).streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in whole  # neutralised
    data = json.loads(b"".join(client.get(url(government, resource, "resource_json")).streaming_content))
    assert len(data) == 30 and data[0]["anio"] == 2021
    content = b"".join(client.get(url(government, resource, "resource_xlsx"), {"_sort": "-anio"}).streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    values = list(sheet.values)
    assert values[0][0] == "canton" and len(values) == 31 and values[1][1] == 2022
    assert client.get(url(government, resource, "resource_csv"), {"nope": "1"}).status_code == 400
    assert client.get(url(government, resource, "resource_csv"), {"_group_by": "canton"}).status_code == 400


def test_openapi_describes_the_real_columns(client, government, resource):
    document = client.get(url(government, resource, "resource_openapi")).json()
    assert document["openapi"].startswith("3.")
    ((path, item),) = document["paths"].items()
    assert path.endswith(f"/api/v1/datos/recursos/{resource.pk}/datos/")
    names = {p["name"]: p["schema"] for p in item["get"]["parameters"]}
    assert names["monto__gte"] == {"type": "number"} and names["fecha"] == {"type": "string", "format": "date"}
    assert "canton__contains" in names and "anio__in" in names and "_cursor" in names
    properties = item["get"]["responses"]["200"]["content"]["application/json"]["schema"]["properties"]
    assert properties["rows"]["items"]["properties"]["anio"]["type"] == "integer"


def test_etag_and_last_modified_give_304(client, government, resource):
    base = url(government, resource)
    first = client.get(base, {"canton": "Manta"})
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag and modified
    assert client.get(base, {"canton": "Manta"}, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(base, {"canton": "Chone"}, HTTP_IF_NONE_MATCH=etag).status_code == 200  # another query
    assert client.get(base, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    download = url(government, resource, "resource_csv")
    tag = client.get(download)["ETag"]
    assert tag != etag and client.get(download, HTTP_IF_NONE_MATCH=tag).status_code == 304
    # A new load changes the version, so the old ETag no longer matches.
    with government_scope(government):
        table_services.resource_load_run(government=government, resource=resource)
    assert client.get(base, {"canton": "Manta"}, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_rate_limit_answers_429(client, government, resource, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "2/min", "user": "2/min"}}
    from django.core.cache import cache

    cache.clear()
    statuses = [client.get(url(government, resource)).status_code for _ in range(3)]
    cache.clear()
    assert statuses == [200, 200, 429]


def test_unpublished_unloaded_and_foreign_resources_are_404(client, government, other_government, resource):
    hidden = loaded_resource(government, published=False)
    dataset = factories.dataset(government, is_published=True)
    unloaded = factories.resource(government, dataset)
    for name in ("resource_data", "resource_csv", "resource_json", "resource_xlsx", "resource_openapi"):
        assert client.get(url(government, hidden, name)).status_code == 404, name
        assert client.get(url(government, unloaded, name)).status_code == 404, name
        foreign = url(government, resource, name).replace(f"/g/{government.slug}/", f"/g/{other_government.slug}/")
        assert client.get(foreign).status_code == 404, name


def test_json_download_answers_as_the_schema_says(government, resource):
    # The schema said a binary string; the answer is an array of rows.
    response = answered_as_documented(
        government, "/api/v1/datos/recursos/{id}/descargar.json", path_parameters={"id": resource.pk}
    )
    rows = response.json()
    assert isinstance(rows, list) and rows and isinstance(rows[0], dict)
    bad = answered_as_documented(
        government,
        "/api/v1/datos/recursos/{id}/descargar.json",
        path_parameters={"id": resource.pk},
        query={"_sort": "no_existe"},
    )
    assert bad.status_code == 400
