"""The catalog metadata API (/api/v1/datos/conjuntos/, temas/, publicadores/): shapes, the
catalog page's filters and sorts, pages, freshness and quality, links to each resource's APIs,
ETag/304, 429, usage counted as API use, and tenancy: another government's datasets and
unpublished ones never appear, a province lists its cantons' as the catalog page does."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db.models import F
from django.utils import timezone

from minga.core.tenancy.scoping import government_scope, scopes_disabled
from minga.core.testing import gov_url
from minga.core.usage import services as counts

from ..datasets import services
from ..datasets.models import Dataset
from ..quality import scores as quality
from ..usage.models import UsageDaily
from . import factories
from .conftest_datastore import datastore_env  # noqa: F401
from .test_query_api import loaded_resource

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def api(government, name, **kwargs):
    return gov_url(government, f"catalog-api:{name}", **kwargs)


def slugs(body) -> list[str]:
    return [item["slug"] for item in body["results"]]


@pytest.fixture
def catalog(government):
    roads = factories.theme(government, slug="vialidad", name="Vialidad")
    money = factories.theme(government, slug="presupuesto", name="Presupuesto")
    budget = factories.dataset(
        government,
        slug="presupuesto",
        title="Presupuesto 2025",
        themes=[money],
        tags=["gasto"],
        frequency="MONTHLY",
        publisher="Dirección Financiera",
    )
    works = factories.dataset(
        government, slug="obras", title="Obras viales", themes=[roads], publisher="Dirección de Obras Públicas"
    )
    draft = factories.dataset(government, slug="borrador", title="Borrador de tránsito", is_published=False)
    return {"budget": budget, "works": works, "draft": draft, "roads": roads, "money": money}


def test_list_shape_pages_and_only_published(client, government, catalog):
    response = client.get(api(government, "datasets"), {"page_size": 1, "orden": "titulo"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2 and body["next"] and body["previous"] is None
    item = body["results"][0]
    assert item["slug"] == "obras"
    assert set(item) >= {
        "slug",
        "title",
        "summary",
        "government",
        "themes",
        "publisher",
        "licence",
        "frequency",
        "formats",
        "freshness",
        "quality_score",
        "updated_at",
        "url",
        "api_url",
    }
    assert item["government"] == {"slug": "manabi", "name": government.name}
    assert item["themes"] == [{"slug": "vialidad", "name": "Vialidad"}]
    assert item["publisher"]["name"] == "Dirección de Obras Públicas" and item["publisher"]["unit"] is None
    assert item["url"].endswith("/g/manabi/datos/conjuntos/obras/")
    assert item["api_url"].endswith("/g/manabi/api/v1/datos/conjuntos/obras/")
    second = client.get(body["next"]).json()
    assert slugs(second) == ["presupuesto"]
    everything = client.get(api(government, "datasets"), {"page_size": 100}).json()
    assert "borrador" not in slugs(everything)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"tema": "vialidad"}, ["obras"]),
        ({"etiqueta": "gasto"}, ["presupuesto"]),
        ({"frecuencia": "MONTHLY"}, ["presupuesto"]),
        ({"publicador": "Dirección Financiera"}, ["presupuesto"]),
        ({"licencia": "CC-BY-4.0"}, ["obras", "presupuesto"]),
        ({"formato": "CSV"}, ["presupuesto"]),
        ({"q": "viales"}, ["obras"]),
        ({"q": "transito"}, []),  # the draft matches, but drafts are never listed
        ({"tema": "no-existe"}, []),
    ],
)
def test_filters_are_the_catalog_pages(client, government, catalog, params, expected):
    factories.resource(government, catalog["budget"])
    body = client.get(api(government, "datasets"), {**params, "orden": "titulo"}).json()
    assert slugs(body) == expected


def test_ordering_like_the_catalog_page(client, government, catalog):
    with scopes_disabled():
        Dataset.objects.filter(pk=catalog["budget"].pk).update(updated_at=timezone.now() + dt.timedelta(hours=1))
        Dataset.objects.filter(pk=catalog["works"].pk).update(usage_recent=5)
    base = api(government, "datasets")
    assert slugs(client.get(base).json()) == ["presupuesto", "obras"]  # recently updated by default
    assert slugs(client.get(base, {"orden": "titulo"}).json()) == ["obras", "presupuesto"]
    assert slugs(client.get(base, {"orden": "mas-usados"}).json()) == ["obras", "presupuesto"]
    assert slugs(client.get(base, {"orden": "desconocido"}).json()) == ["presupuesto", "obras"]


def test_detail_with_resources_tables_freshness_and_quality(client, government):
    resource = loaded_resource(government)
    dataset = resource.dataset
    link = factories.resource(government, dataset, kind="url", url="https://datos.example.org/x.pdf")
    with government_scope(government):
        quality.refresh(government=government, dataset_ids=[dataset.pk])
        Dataset.objects.filter(pk=dataset.pk).update(next_update_due=dt.date(2020, 1, 1))
    body = client.get(api(government, "dataset", slug=dataset.slug)).json()
    assert body["slug"] == dataset.slug and body["version"] >= 1
    assert body["contact"] == {"name": "", "email": ""}
    freshness = body["freshness"]
    assert freshness["overdue"] is True and freshness["state"] == "late" and freshness["days_late"] > 0
    assert freshness["next_update_due"] == "2020-01-01" and freshness["last_updated"]
    assert isinstance(body["quality"]["score"], int) and body["quality_score"] == body["quality"]["score"]
    assert {check["key"] for check in body["quality"]["checks"]} >= {"metadata", "open_licence", "on_time"}
    assert all(check["state"] in ("ok", "fail", "na") and check["text"] for check in body["quality"]["checks"])
    table_resource, link_resource = body["resources"]
    assert table_resource["id"] == resource.pk and table_resource["format"] == "CSV"
    assert table_resource["size"] > 0 and len(table_resource["sha256"]) == 64
    assert table_resource["media_type"].startswith("text/csv")
    assert table_resource["download_url"].endswith(f"/datos/recursos/{resource.pk}/descarga/")
    table = table_resource["table"]
    assert table["rows"] == 30
    assert table["query"].endswith(f"/api/v1/datos/recursos/{resource.pk}/datos/")
    assert table["openapi"].endswith(f"/api/v1/datos/recursos/{resource.pk}/openapi.json")
    assert table["csv"].endswith("descargar.csv") and table["xlsx"].endswith("descargar.xlsx")
    assert client.get(table["query"]).status_code == 200  # the links work
    assert link_resource["id"] == link.pk and link_resource["table"] is None and link_resource["kind"] == "url"


def test_themes_and_publishers(client, government, catalog):
    themes = client.get(api(government, "themes")).json()
    counts = {item["slug"]: item["dataset_count"] for item in themes["results"]}
    assert counts == {"vialidad": 1, "presupuesto": 1}
    roads = next(item for item in themes["results"] if item["slug"] == "vialidad")
    assert roads["dcat_theme"] == "GOVE" and roads["datasets_url"].endswith("/api/v1/datos/conjuntos/?tema=vialidad")
    assert slugs(client.get(roads["datasets_url"]).json()) == ["obras"]
    found = client.get(api(government, "publishers")).json()["results"]
    assert [(p["name"], p["dataset_count"], p["unit"]) for p in found] == [
        ("Dirección de Obras Públicas", 1, None),
        ("Dirección Financiera", 1, None),
    ]
    assert slugs(client.get(found[1]["datasets_url"]).json()) == ["presupuesto"]


def test_another_governments_datasets_never_appear(client, government, other_government, catalog):
    foreign_theme = factories.theme(other_government, slug="vialidad", name="Vialidad")
    factories.dataset(other_government, slug="ajeno", title="Obras viales ajenas", themes=[foreign_theme])
    for params in ({}, {"q": "viales"}, {"tema": "vialidad"}, {"publicador": "Dirección Financiera"}):
        assert "ajeno" not in slugs(client.get(api(government, "datasets"), params).json())
    assert client.get(api(government, "dataset", slug="ajeno")).status_code == 404
    assert client.get(api(other_government, "dataset", slug="obras")).status_code == 404
    themes = client.get(api(government, "themes")).json()["results"]
    assert next(t for t in themes if t["slug"] == "vialidad")["dataset_count"] == 1
    publishers = client.get(api(other_government, "publishers")).json()["results"]
    assert [p["government"]["slug"] for p in publishers] == ["azuay"]


def test_unpublished_dataset_detail_is_404(client, government, catalog):
    assert client.get(api(government, "dataset", slug="borrador")).status_code == 404
    with government_scope(government):
        services.dataset_set_published(actor=None, government=government, dataset=catalog["works"], is_published=False)
    assert client.get(api(government, "dataset", slug="obras")).status_code == 404
    assert slugs(client.get(api(government, "datasets")).json()) == ["presupuesto"]


def test_province_lists_its_cantons_datasets_as_the_catalog_page(client, government, canton, catalog):
    factories.dataset(canton, slug="agua-portoviejo", title="Agua de Portoviejo")
    factories.dataset(canton, slug="borrador-canton", title="Borrador cantonal", is_published=False)
    body = client.get(api(government, "datasets"), {"orden": "titulo"}).json()
    assert slugs(body) == ["agua-portoviejo", "obras", "presupuesto"]
    cantonal = body["results"][0]
    assert cantonal["government"]["slug"] == "portoviejo"
    assert "/g/portoviejo/api/v1/datos/conjuntos/agua-portoviejo/" in cantonal["api_url"]
    assert client.get(cantonal["api_url"]).status_code == 200
    # The detail is served by the dataset's own government only.
    assert client.get(api(government, "dataset", slug="agua-portoviejo")).status_code == 404
    # The canton's catalog does not list the province's datasets.
    assert slugs(client.get(api(canton, "datasets")).json()) == ["agua-portoviejo"]
    publishers = client.get(api(government, "publishers")).json()["results"]
    assert [p["government"]["slug"] for p in publishers] == ["manabi", "manabi", "portoviejo"]


def test_province_that_switched_off_its_cantons_lists_only_its_own(client, government, canton, catalog):
    factories.dataset(canton, slug="agua-portoviejo", title="Agua de Portoviejo")
    government.modules = {"catalog": {"settings": {"include_child_governments": False}}}
    government.save()
    cache.clear()  # the government is cached; the settings form clears it
    assert "agua-portoviejo" not in slugs(client.get(api(government, "datasets")).json())


def test_etag_gives_304_until_something_changes(client, government, catalog):
    for name, kwargs in (("datasets", {}), ("dataset", {"slug": "obras"}), ("themes", {}), ("publishers", {})):
        url = api(government, name, **kwargs)
        first = client.get(url)
        etag = first["ETag"]
        assert first["Cache-Control"] == "public, no-cache"
        again = client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304 and again["ETag"] == etag, name
        assert client.get(url, {"page_size": 1}, HTTP_IF_NONE_MATCH=etag).status_code == 200  # other query
    detail = api(government, "dataset", slug="obras")
    first = client.get(detail)
    assert client.get(detail, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    listing = client.get(api(government, "datasets"))
    with government_scope(government):
        services.dataset_update(actor=None, government=government, dataset=catalog["works"], title="Obras 2026")
    assert client.get(detail, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
    assert client.get(api(government, "datasets"), HTTP_IF_NONE_MATCH=listing["ETag"]).status_code == 200


def test_a_quality_score_computed_later_changes_the_etag(client, government, catalog):
    url = api(government, "dataset", slug="obras")
    etag = client.get(url)["ETag"]
    with scopes_disabled():
        Dataset.objects.filter(pk=catalog["works"].pk).update(
            quality_score=F("quality_score"), quality_checked_at=timezone.now() + dt.timedelta(minutes=5)
        )
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_rate_limit_answers_429(client, government, catalog, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "2/min", "user": "2/min"}}
    statuses = [client.get(api(government, "datasets")).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_detail_is_counted_as_api_use(client, government, catalog):
    dataset = catalog["works"]
    client.get(api(government, "dataset", slug="obras"), HTTP_USER_AGENT="python-requests/2.32")
    client.get(api(government, "dataset", slug="obras"), HTTP_USER_AGENT="Googlebot/2.1")  # a crawler
    client.head(api(government, "dataset", slug="obras"))
    client.get(api(government, "dataset", slug="borrador"))  # 404: nothing to count
    counts.flush()
    with scopes_disabled():
        rows = list(UsageDaily.objects.filter(government=government).values_list("kind", "dataset_id", "count"))
    assert rows == [("api", dataset.pk, 1)]


def test_writes_are_refused(client, government, catalog):
    assert client.post(api(government, "datasets"), {}).status_code in (401, 403, 405)
    assert client.delete(api(government, "dataset", slug="obras")).status_code in (401, 403, 405)
