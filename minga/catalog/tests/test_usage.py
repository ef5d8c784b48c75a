"""Use counted privately: daily totals only (no address, cookie, account or browser string in
the rows or the cache keys), crawlers and HEAD requests left out, the buffer flushed once and
safely, pages served from the page cache still counted, sorting by most used, and the public
statistics page (never-used datasets, searches without results, no other government's data)."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from minga.core.search.models import ZeroResultQuery
from minga.core.search.services import zero_result_record
from minga.core.tenancy.scoping import government_scope, scopes_disabled
from minga.core.testing import gov_url, login_verified, make_official
from minga.core.usage import services as counts

from ..datasets.models import Dataset
from ..usage import services as usage
from ..usage.models import UsageDaily
from . import factories
from .conftest_datastore import datastore_env  # noqa: F401
from .test_query_api import loaded_resource

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"
SECRET_IP = "203.0.113.77"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def browser_client(client):
    client.defaults.update(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=SECRET_IP)
    return client


@pytest.fixture
def resource(government):
    return loaded_resource(government, rows=10)


def _rows(government):
    with scopes_disabled():
        return list(UsageDaily.objects.filter(government=government).order_by("kind", "resource_id"))


def _counts(government) -> dict:
    return {(row.kind, row.dataset_id, row.resource_id): row.count for row in _rows(government)}


def _dataset(pk) -> Dataset:
    with scopes_disabled():
        return Dataset.objects.get(pk=pk)


def _usage_keys() -> list[str]:
    return [key for key in cache._cache if "minga:counts:" in key]  # the local-memory test cache


# Counting --------------------------------------------------------------------------------


def test_each_kind_is_counted_from_its_page_after_a_flush(browser_client, government, resource):
    dataset = _dataset(resource.dataset_id)  # as loaded (a load moves updated_at)
    browser_client.get(gov_url(government, "catalog:dataset_detail", slug=dataset.slug))
    browser_client.get(gov_url(government, "catalog:dataset_detail", slug=dataset.slug))
    browser_client.get(gov_url(government, "catalog:resource_download", pk=resource.pk))
    browser_client.get(gov_url(government, "catalog:resource_table", pk=resource.pk))
    browser_client.get(gov_url(government, "catalog-api:resource_data", pk=resource.pk))
    browser_client.get(gov_url(government, "catalog-api:resource_csv", pk=resource.pk))
    browser_client.get(gov_url(government, "catalog-ckan:datastore_search"), {"resource_id": resource.pk})
    assert _rows(government) == []  # buffered until the flush

    assert counts.flush() == 7
    assert _counts(government) == {
        ("api", dataset.pk, resource.pk): 3,
        ("download", dataset.pk, resource.pk): 1,
        ("preview", dataset.pk, resource.pk): 1,
        ("view", dataset.pk, None): 2,
    }
    assert {row.day for row in _rows(government)} == {timezone.localdate()}
    fresh = _dataset(dataset.pk)
    assert (fresh.usage_total, fresh.usage_recent) == (7, 7)
    assert fresh.updated_at == dataset.updated_at and fresh.version == dataset.version


def test_nothing_about_the_visitor_is_stored(browser_client, government, resource, monkeypatch):
    # The counts wait in this process until pushed: keep them here for the look below, whatever
    # time has passed since the module was imported.
    monkeypatch.setattr(counts, "PUSH_SECONDS", 3600.0)
    counts.discard_pending()
    browser_client.get(gov_url(government, "catalog:dataset_detail", slug=resource.dataset.slug))
    browser_client.get(gov_url(government, "catalog:resource_download", pk=resource.pk))
    assert {descriptor[2] for descriptor in counts._pending} == {"view", "download"}
    assert SECRET_IP not in repr(counts._pending) and "Chrome" not in repr(counts._pending)
    counts.push_pending()
    keys = _usage_keys()
    assert keys
    stored = repr(keys) + repr([cache.get(key.split(":", 2)[-1]) for key in keys])
    for secret in (SECRET_IP, "Chrome", "Mozilla", "sessionid", "csrftoken"):
        assert secret not in stored
    counts.flush()
    columns = {field.attname for field in UsageDaily._meta.concrete_fields}
    assert columns == {"id", "government_id", "day", "kind", "dataset_id", "resource_id", "count"}
    for row in _rows(government):
        assert SECRET_IP not in repr(row.__dict__) and "Chrome" not in repr(row.__dict__)


def test_anonymous_catalog_pages_set_no_cookie(browser_client, government, resource):
    for url in (
        gov_url(government, "catalog:dataset_list"),
        gov_url(government, "catalog:dataset_detail", slug=resource.dataset.slug),
        gov_url(government, "catalog:resource_table", pk=resource.pk),
        gov_url(government, "catalog:stats"),
    ):
        response = browser_client.get(url)
        assert response.status_code == 200, url
        assert not response.cookies, (url, response.cookies)
        assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize(
    "agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0)",
        "facebookexternalhit/1.1",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0",
    ],
)
def test_crawlers_are_not_counted(client, government, resource, agent):
    client.get(gov_url(government, "catalog:dataset_detail", slug=resource.dataset.slug), HTTP_USER_AGENT=agent)
    client.get(gov_url(government, "catalog:resource_download", pk=resource.pk), HTTP_USER_AGENT=agent)
    assert counts.flush() == 0
    assert _rows(government) == []


def test_head_requests_and_the_back_office_are_not_counted(browser_client, government, resource):
    browser_client.head(gov_url(government, "catalog:dataset_detail", slug=resource.dataset.slug))
    browser_client.head(gov_url(government, "catalog:resource_download", pk=resource.pk))
    login_verified(browser_client, make_official(government, "editor", "catalog"))
    browser_client.get(gov_url(government, "catalog:office_dataset", pk=resource.dataset.pk))
    browser_client.get(gov_url(government, "catalog:office_resource", pk=resource.pk))
    assert counts.flush() == 0


def test_scripts_calling_the_api_are_counted(client, government, resource):
    client.get(gov_url(government, "catalog-api:resource_data", pk=resource.pk), HTTP_USER_AGENT="curl/8.5.0")
    counts.flush()
    assert _counts(government) == {("api", resource.dataset.pk, resource.pk): 1}


def test_flushing_twice_does_not_count_twice(government):
    dataset = factories.dataset(government)
    for _ in range(3):
        usage.count_use(government.pk, "view", dataset.pk)
    assert counts.flush() == 3
    assert counts.flush() == 0
    usage.count_use(government.pk, "view", dataset.pk)
    assert counts.flush() == 1
    assert _counts(government) == {("view", dataset.pk, None): 4}
    assert _dataset(dataset.pk).usage_total == 4


def test_a_flush_running_elsewhere_is_not_repeated(government):
    dataset = factories.dataset(government)
    usage.count_use(government.pk, "view", dataset.pk)
    cache.add(f"{counts.PREFIX}:flush-lock", 1)  # another worker is flushing
    assert counts.flush() == 0
    cache.delete(f"{counts.PREFIX}:flush-lock")
    assert counts.flush() == 1
    assert _counts(government) == {("view", dataset.pk, None): 1}


def test_a_row_created_meanwhile_is_added_to_not_duplicated(government, monkeypatch):
    """Another process created the day's row between our update and our insert: the unique
    constraint refuses the insert and the uses are added to that row."""
    dataset = factories.dataset(government)
    today = timezone.localdate()
    original = UsageDaily.objects.filter

    class NotYetVisible:
        """The first update finds no row, as if the other process's insert came just after."""

        def __init__(self, rows):
            self.rows, self.updates = rows, 0

        def update(self, **changes):
            self.updates += 1
            return 0 if self.updates == 1 else self.rows.update(**changes)

    with government_scope(government):
        UsageDaily.objects.create(government=government, day=today, kind="view", dataset=dataset, count=5)
        usage._add(government, today, "view", dataset.pk, None, 2)
        monkeypatch.setattr(UsageDaily.objects, "filter", lambda *a, **kw: NotYetVisible(original(*a, **kw)))
        usage._add(government, today, "view", dataset.pk, None, 3)
        monkeypatch.undo()
    assert _counts(government) == {("view", dataset.pk, None): 10}


def test_uses_of_a_removed_dataset_are_dropped(government):
    dataset = factories.dataset(government)
    usage.count_use(government.pk, "view", dataset.pk)
    with government_scope(government):
        Dataset.objects.filter(pk=dataset.pk).delete()
    assert counts.flush() == 0
    assert _rows(government) == []


def test_synchronous_counting_without_the_buffer(browser_client, government, resource):
    with override_settings(MINGA_USAGE_BUFFER=False):
        browser_client.get(gov_url(government, "catalog:dataset_detail", slug=resource.dataset.slug))
    assert _counts(government) == {("view", resource.dataset.pk, None): 1}
    assert _usage_keys() == []


def test_page_cache_hits_are_counted(browser_client, government, resource):
    url = gov_url(government, "catalog:dataset_detail", slug=resource.dataset.slug)
    table = gov_url(government, "catalog:resource_table", pk=resource.pk)
    with override_settings(PUBLIC_PAGE_CACHE_SECONDS=60):
        first = browser_client.get(url)
        for _ in range(3):
            again = browser_client.get(url)
            assert again.content == first.content
        browser_client.get(table)
        browser_client.get(table)
        browser_client.head(url)  # served from the cache too, and not counted
    assert any(key.startswith(":1:minga:page:") for key in cache._cache)
    counts.flush()
    assert _counts(government) == {
        ("preview", resource.dataset.pk, resource.pk): 2,
        ("view", resource.dataset.pk, None): 4,
    }


def test_usage_recent_forgets_old_uses(government):
    dataset = factories.dataset(government)
    today = timezone.localdate()
    with government_scope(government):
        UsageDaily.objects.create(
            government=government, day=today - dt.timedelta(days=40), kind="view", dataset=dataset, count=6
        )
        UsageDaily.objects.create(
            government=government, day=today - dt.timedelta(days=3), kind="api", dataset=dataset, count=2
        )
        usage.refresh_totals(government, [dataset.pk], today=today)
    fresh = _dataset(dataset.pk)
    assert (fresh.usage_total, fresh.usage_recent) == (8, 2)
    usage.refresh_recent(today=today + dt.timedelta(days=30))
    assert _dataset(dataset.pk).usage_recent == 0


# Sorting ---------------------------------------------------------------------------------


def _titles(response) -> list[str]:
    return re.findall(r'<h2><a href="[^"]+">([^<]+)</a></h2>', response.content.decode())


def _set_usage(dataset, *, recent, total):
    with scopes_disabled():
        Dataset.objects.filter(pk=dataset.pk).update(usage_recent=recent, usage_total=total)


def test_sorting_by_most_used(english, government):
    quiet = factories.dataset(government, title="Alpha quiet")
    popular = factories.dataset(government, title="Beta popular")
    steady = factories.dataset(government, title="Gamma steady")
    old_fame = factories.dataset(government, title="Delta old fame")
    _set_usage(quiet, recent=0, total=0)
    _set_usage(popular, recent=50, total=60)
    _set_usage(steady, recent=10, total=300)
    _set_usage(old_fame, recent=0, total=900)
    response = english.get(gov_url(government, "catalog:dataset_list"), {"orden": "mas-usados"})
    assert _titles(response) == ["Beta popular", "Gamma steady", "Delta old fame", "Alpha quiet"]
    assert re.search(r'<a href="\?orden=mas-usados" aria-current="true">Most used</a>', response.content.decode())


def test_ckan_package_search_sorts_by_views(client, government):
    first = factories.dataset(government, title="Uno")
    second = factories.dataset(government, title="Dos")
    _set_usage(first, recent=1, total=1)
    _set_usage(second, recent=9, total=9)
    body = client.get(gov_url(government, "catalog-ckan:package_search"), {"sort": "views_recent desc"}).json()
    assert [item["title"] for item in body["result"]["results"]] == ["Dos", "Uno"]


# Statistics page -------------------------------------------------------------------------


@pytest.fixture
def used_catalog(government, other_government):
    today = timezone.localdate()
    used = factories.dataset(government, title="Presupuesto participativo usado")
    never = factories.dataset(government, title="Inventario de luminarias nunca usado")
    draft = factories.dataset(government, title="Borrador sin publicar", is_published=False)
    foreign = factories.dataset(other_government, title="Conjunto del Azuay sin uso")
    foreign_used = factories.dataset(other_government, title="Conjunto del Azuay muy usado")
    with government_scope(government):
        for back, count in ((0, 4), (1, 3), (45, 2)):
            UsageDaily.objects.create(
                government=government, day=today - dt.timedelta(days=back), kind="view", dataset=used, count=count
            )
        UsageDaily.objects.create(government=government, day=today, kind="api", dataset=used, count=5)
        usage.refresh_totals(government, [used.pk], today=today)
    with government_scope(other_government):
        UsageDaily.objects.create(government=other_government, day=today, kind="view", dataset=foreign_used, count=777)
        usage.refresh_totals(other_government, [foreign_used.pk], today=today)
    return {"used": used, "never": never, "draft": draft, "foreign": foreign, "foreign_used": foreign_used}


def test_statistics_page(english, government, used_catalog):
    response = english.get(gov_url(government, "catalog:stats"))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<dd id="usage-recent-total">12</dd>' in body
    assert '<dd id="usage-all-total">14</dd>' in body
    top = body[body.index('id="usage-top"') : body.index('id="usage-never"')]
    assert "Presupuesto participativo usado" in top
    assert re.search(r"<td class=\"num\">7</td><td class=\"num\">0</td><td class=\"num\">5</td>", top)
    never = body[body.index('id="usage-never"') : body.index('id="usage-demand"')]
    assert "Inventario de luminarias nunca usado" in never
    assert "Presupuesto participativo usado" not in never
    assert "Borrador sin publicar" not in body
    assert "Azuay" not in body and "777" not in body
    # the chart is an SVG drawn on the server, with a table of the same figures
    assert '<svg class="usage-chart"' in body and 'role="img"' in body
    assert body.count('<rect class="usage-bar"') == usage.TREND_DAYS
    assert "style=" not in body
    assert "<script" not in body.replace('<script src="', "")  # no inline script


def test_the_catalog_links_to_the_statistics(english, government):
    body = english.get(gov_url(government, "catalog:dataset_list")).content.decode()
    assert f'href="{gov_url(government, "catalog:stats")}"' in body


def test_repeated_searches_without_results_are_listed_with_a_request_link(english, government, other_government):
    today = timezone.localdate()
    for back in (0, 0, 1, 2):
        zero_result_record(government=government, query="Catastro rural", day=today - dt.timedelta(days=back))
    for _ in range(5):  # many searches, but all on one day: maybe one person; not shown
        zero_result_record(government=government, query="juan perez", day=today)
    for back in (0, 1, 2):
        zero_result_record(government=other_government, query="mineria ilegal", day=today - dt.timedelta(days=back))
    body = english.get(gov_url(government, "catalog:stats")).content.decode()
    demand = body[body.index('id="usage-demand"') :]
    assert "catastro rural" in demand
    assert 'href="/g/manabi/datos/solicitudes/nueva/?titulo=catastro+rural"' in demand
    assert "juan perez" not in demand and "mineria" not in demand


def test_the_request_form_is_prefilled_from_the_statistics_link(client, government):
    from minga.core.testing import UserFactory

    login_verified(client, UserFactory())
    body = client.get(gov_url(government, "catalog:request_create"), {"titulo": "catastro rural"}).content.decode()
    assert 'value="catastro rural"' in body


def test_catalog_searches_without_results_are_counted_even_from_the_page_cache(browser_client, government):
    factories.dataset(government, title="Presupuesto del año")
    url = gov_url(government, "catalog:dataset_list")
    with override_settings(PUBLIC_PAGE_CACHE_SECONDS=60):
        browser_client.get(url, {"q": "Catastro Rural"})
        browser_client.get(url, {"q": "Catastro Rural"})
        browser_client.get(url, {"q": "presupuestos"})  # finds something: not counted
        browser_client.get(url, {"q": "catastro", "tema": "x"})  # narrowed by a filter: not counted
    assert counts.flush() == 2
    rows = ZeroResultQuery.objects.filter(government=government)
    assert [(row.query, row.count) for row in rows] == [("catastro rural", 2)]


# Alternate links -------------------------------------------------------------------------


def test_dataset_and_catalog_pages_link_their_machine_readable_descriptions(client, government):
    dataset = factories.dataset(government, slug="presupuesto")
    body = client.get(gov_url(government, "catalog:dataset_detail", slug="presupuesto")).content.decode()
    base = f"/g/{government.slug}/datos/dcat/"
    assert f'<link rel="alternate" type="application/ld+json" href="{base}presupuesto.jsonld">' in body
    assert f'<link rel="alternate" type="text/turtle" href="{base}presupuesto.ttl">' in body
    assert f'<link rel="alternate" type="application/json" href="{base}presupuesto/datapackage.json">' in body
    for path in (f"{base}presupuesto.jsonld", f"{base}presupuesto.ttl", f"{base}presupuesto/datapackage.json"):
        assert client.get(path).status_code == 200, path
    listing = client.get(gov_url(government, "catalog:dataset_list")).content.decode()
    assert f'<link rel="alternate" type="application/ld+json" href="{base}catalog.jsonld">' in listing
    assert client.get(f"{base}catalog.jsonld").status_code == 200
    assert dataset.slug in client.get(f"{base}catalog.jsonld").content.decode()


# Demo ------------------------------------------------------------------------------------


def test_demo_usage_is_skewed_leaves_some_unused_and_is_idempotent(government):
    datasets = [factories.dataset(government, title=f"Demo {n}") for n in range(12)]
    now = timezone.now()
    with government_scope(government):
        created = usage.seed_demo(government, now=now)
        assert created > 0
        assert usage.seed_demo(government, now=now) == 0
    totals = sorted((_dataset(d.pk).usage_total for d in datasets), reverse=True)
    assert totals[-4:] == [0, 0, 0, 0]
    assert totals[0] > 5 * totals[7] > 0
    days = {row.day for row in _rows(government)}
    assert min(days) >= timezone.localdate(now) - dt.timedelta(days=usage.TREND_DAYS - 1)
    assert ZeroResultQuery.objects.filter(government=government).count() > 0


def test_cores_periodic_flush_writes_the_catalogs_counts(government):
    from minga.core.scheduling.services import periodic_jobs
    from minga.core.usage.tasks import flush_usage

    names = {job.name for job in periodic_jobs()}
    assert "core.flush_usage" in names and "catalog.flush_usage" not in names  # one flush for all
    dataset = factories.dataset(government)
    usage.count_use(government.pk, "download", dataset.pk)
    flush_usage.enqueue()  # the immediate backend runs it at once in tests
    assert _counts(government) == {("download", dataset.pk, None): 1}


def test_counts_wait_in_the_process_and_reach_the_cache_in_one_push(government, monkeypatch):
    """Requests add to a counter in memory; the shared cache sees one addition per counter
    every few seconds, not one cache round trip per request."""
    dataset = factories.dataset(government)
    buffered_calls = []
    original = counts._buffer
    monkeypatch.setattr(counts, "_buffer", lambda d, n=1: (buffered_calls.append((d[2], n)), original(d, n)))
    monkeypatch.setattr(counts, "_last_push", [counts.time.monotonic()])
    for _ in range(5):
        usage.count_use(government.pk, "view", dataset.pk)
    assert buffered_calls == []
    monkeypatch.setattr(counts, "_last_push", [counts.time.monotonic() - counts.PUSH_SECONDS])
    usage.count_use(government.pk, "view", dataset.pk)
    assert buffered_calls == [("view", 6)]
    assert counts.flush() == 6
