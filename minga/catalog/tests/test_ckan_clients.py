"""The CKAN Action API driven by the real clients against a live server: ckanapi's RemoteCKAN
(POST with a JSON body, and GET with a query string, where a list is a repeated key), and
ckanext-harvest's CKAN harvester gather stage, replayed request by request.

ckanext-harvest cannot run here without CKAN itself (its harvester imports ``ckan.model``,
``ckan.logic`` and ``ckan.plugins``), so ``gather`` below follows, step by step, the
behaviour of ``CKANHarvester.gather_stage`` and ``_search_for_datasets`` of ckanext-harvest
1.6.3 (ckanext/harvest/harvesters/ckanharvester.py): GET ``<source>/api/3/action/package_search``
with ``rows=100``, ``start=0``, ``sort=id asc`` and ``fq`` the filter terms joined by spaces
(``organization:a OR organization:b`` for ``organizations_filter_include``; after an
error-free job also ``metadata_modified:[<gather_started - 1 hour, ISO>Z TO *]``); ``start``
grows by ``rows`` until a page comes back empty; a page identical to the previous one is an
error ("paging doesn't seem to work"); ids already seen on earlier pages are dropped (datasets
changed while paging), and each remaining package dictionary is kept whole as the harvest
object's content."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from urllib.parse import urlencode

import pytest
import requests
from ckanapi import NotFound, RemoteCKAN, ValidationError

from minga.catalog.models import Dataset
from minga.core.testing import GovernmentFactory
from minga.datastore import drop_table, load_table

from . import factories

pytestmark = pytest.mark.django_db(transaction=True)

NOW = dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC)
OBRAS = (
    "Cantón;Obra;Monto;Terminada\n"
    "Manta;Vía a San Mateo;1.234,56;Sí\n"
    "Portoviejo;Puente sobre el río;12,5;no\n"
    "Manta;Alcantarillado;300;si\n"
    "Jipijapa;Mercado;45.000,00;no\n"
    "Manta;Alcantarillado;300;si\n"
)


@pytest.fixture(autouse=True)
def datastore_file(settings, tmp_path):
    settings.DATASTORE_SQLITE_PATH = tmp_path / "datastore.sqlite3"
    # A harvest makes hundreds of calls in a minute; the API's rate limit is tested elsewhere.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {}}


def remote(base: str, **kwargs) -> RemoteCKAN:
    ckan = RemoteCKAN(base, **kwargs)
    ckan.base_url = "api/3/action/"  # ckanapi's default is the unversioned /api/action/
    return ckan


def many(government, count: int, prefix: str = "conjunto") -> list[Dataset]:
    return [
        factories.dataset(government, title=f"Datos {prefix} {i}", slug=f"{prefix}-{i:03d}", tags=[f"t{i % 3}"])
        for i in range(count)
    ]


# ckanapi: package_search ------------------------------------------------------------------


def test_package_search_through_ckanapi(live_server, government):
    datasets = many(government, 23)
    budget = factories.theme(government, name="Presupuesto", slug="presupuesto")
    factories.dataset(government, title="Ejecución presupuestaria", slug="ejecucion", themes=[budget], tags=["t0"])
    factories.dataset(government, title="Borrador", slug="borrador", is_published=False)
    base = f"{live_server.url}/g/{government.slug}"
    for ckan in (remote(base), remote(base, get_only=True)):  # JSON body; query string
        with ckan:
            # facet.field as a list: a JSON list in the body, a repeated key in the query string
            found = ckan.action.package_search(**{"facet.field": ["tags", "groups"], "rows": 0})
            assert found["count"] == 24 and found["results"] == []
            assert found["facets"]["tags"] == {"t0": 9, "t1": 8, "t2": 7}
            assert found["facets"]["groups"] == {"presupuesto": 1}

            # q as a field query, as CKAN passes it to Solr
            [package] = ckan.action.package_search(q="name:ejecucion")["results"]
            assert package["name"] == "ejecucion" and package["groups"][0]["name"] == "presupuesto"
            assert ckan.action.package_search(q="name:borrador")["count"] == 0

            # dataset_type:dataset (what CKAN's own search pages add) leaves everything published
            assert ckan.action.package_search(fq="dataset_type:dataset")["count"] == 24
            assert ckan.action.package_search(fq="+dataset_type:harvest")["count"] == 0
            both = ckan.action.package_search(fq="name:ejecucion OR name:conjunto-004", rows=5)
            assert sorted(p["name"] for p in both["results"]) == ["conjunto-004", "ejecucion"]

            # sort=id asc, paged with rows and start over more datasets than a page
            seen = []
            for start in range(0, 30, 10):
                page = ckan.action.package_search(sort="id asc", rows=10, start=start)
                assert page["count"] == 24
                seen += [int(p["id"]) for p in page["results"]]
            assert seen == sorted(d.pk for d in [*datasets, Dataset.objects.for_government(government).get(slug="ejecucion")])

            with pytest.raises(ValidationError):
                ckan.action.package_search(sort="num_resources desc")
            with pytest.raises(ValidationError):
                ckan.action.package_search(fq="organization:(a OR")


def test_package_search_fq_organizations_on_the_platform(live_server, government, other_government):
    third = GovernmentFactory(name="Gobierno Provincial de Loja", short_name="Loja", slug="loja", dpa_code="11")
    many(government, 3, "manabi")
    many(other_government, 2, "azuay")
    many(third, 4, "loja")
    switched_off = GovernmentFactory(
        name="Gobierno Provincial de El Oro", short_name="El Oro", slug="el-oro", dpa_code="07",
        modules={"catalog": {"enabled": False}},
    )  # fmt: skip
    many(switched_off, 2, "oro")
    with remote(live_server.url) as ckan:
        found = ckan.action.package_search(fq=f"organization:{government.slug} OR organization:{third.slug}", rows=50)
        assert found["count"] == 7
        assert {p["organization"]["name"] for p in found["results"]} == {government.slug, third.slug}
        found = ckan.action.package_search(fq=f"-organization:{government.slug}", rows=50, **{"facet.field": ["organization"]})
        assert found["facets"]["organization"] == {"azuay": 2, "loja": 4}
        assert sorted(ckan.action.organization_list()) == ["azuay", "loja", "manabi"]  # not El Oro's
        assert ckan.action.package_search(fq="organization:el-oro")["count"] == 0
        assert len(ckan.action.package_list()) == 9


# ckanapi: datastore_search ----------------------------------------------------------------


def test_datastore_search_through_ckanapi(live_server, government):
    dataset = factories.dataset(government, title="Obras", slug="obras")
    works = factories.resource(government, dataset, title="Obras", file=factories.csv_file("obras.csv", OBRAS.encode()))
    report = load_table(table_id=works.datastore_table_id, source=io.BytesIO(OBRAS.encode()), filename="o.csv", now=NOW)
    assert report.ok, report.errors
    rid = str(works.pk)
    try:
        for ckan in (remote(f"{live_server.url}/g/{government.slug}"), remote(live_server.url, get_only=True)):
            with ckan:
                # limit=0: the fields and the total, no records
                nothing = ckan.action.datastore_search(resource_id=rid, limit=0)
                assert nothing["records"] == [] and nothing["total"] == 5
                assert [f["id"] for f in nothing["fields"]] == ["_id", "canton", "obra", "monto", "terminada"]

                # fields without _id: CKAN does not add it
                rows = ckan.action.datastore_search(resource_id=rid, fields="obra,canton", sort="obra asc", limit=2)
                assert rows["records"] == [
                    {"obra": "Alcantarillado", "canton": "Manta"},
                    {"obra": "Alcantarillado", "canton": "Manta"},
                ]
                assert [f["id"] for f in rows["fields"]] == ["obra", "canton"]
                with_id = ckan.action.datastore_search(resource_id=rid, fields=["_id", "obra"], limit=1)
                assert with_id["records"] == [{"_id": 1, "obra": "Vía a San Mateo"}]
                only_id = ckan.action.datastore_search(resource_id=rid, fields="obra,_id", limit=1, records_format="lists")
                assert only_id["records"] == [["Vía a San Mateo", 1]]
                assert [f["id"] for f in only_id["fields"]] == ["obra", "_id"]
                assert ckan.action.datastore_search(resource_id=rid, fields="_id", limit=2)["records"] == [
                    {"_id": 1},
                    {"_id": 2},
                ]

                # distinct rows of the asked fields; the total counts the distinct rows
                distinct = ckan.action.datastore_search(
                    resource_id=rid, fields="canton", distinct=True, sort="canton asc"
                )
                assert distinct["records"] == [{"canton": "Jipijapa"}, {"canton": "Manta"}, {"canton": "Portoviejo"}]
                assert distinct["total"] == 3
                whole = ckan.action.datastore_search(resource_id=rid, distinct=True)
                assert whole["total"] == 4 and all("_id" not in record for record in whole["records"])

                # records_format: lists, csv (no header), objects. (filters as JSON text: in a
                # query string requests would send only a dict's keys.)
                lists = ckan.action.datastore_search(
                    resource_id=rid, fields="obra,monto", records_format="lists", filters=json.dumps({"canton": "Manta"})
                )
                assert lists["records"] == [["Vía a San Mateo", 1234.56], ["Alcantarillado", 300], ["Alcantarillado", 300]]
                text = ckan.action.datastore_search(
                    resource_id=rid, records_format="csv", fields="canton,obra,terminada", limit=2
                )
                assert text["records_format"] == "csv"
                assert list(csv.reader(io.StringIO(text["records"]))) == [
                    ["Manta", "Vía a San Mateo", "true"],
                    ["Portoviejo", "Puente sobre el río", "false"],
                ]
                objects = ckan.action.datastore_search(resource_id=rid, records_format="objects", limit=1)
                assert objects["records"][0]["obra"] == "Vía a San Mateo"

                with pytest.raises(ValidationError):
                    ckan.action.datastore_search(resource_id=rid, records_format="xml")
                with pytest.raises(ValidationError):
                    ckan.action.datastore_search(resource_id=rid, fields="no_existe")
    finally:
        drop_table(table_id=works.datastore_table_id)


# Same-named datasets of two governments ----------------------------------------------------


def test_same_named_datasets_of_two_governments_stay_apart_on_the_platform(live_server, government, other_government):
    our_theme = factories.theme(government, name="Finanzas", slug="finanzas")
    their_theme = factories.theme(other_government, name="Finanzas", slug="finanzas")
    ours = factories.dataset(government, title="Presupuesto de Manabí", slug="presupuesto", themes=[our_theme])
    factories.resource(government, ours, title="Enlace", kind="url", url="https://datos.example.org/m.csv")
    theirs = factories.dataset(other_government, title="Presupuesto del Azuay", slug="presupuesto", themes=[their_theme])
    with remote(live_server.url) as ckan:
        assert ckan.action.package_list() == ["azuay--presupuesto", "manabi--presupuesto"]
        mine = ckan.action.package_show(id="manabi--presupuesto")
        other = ckan.action.package_show(id="azuay--presupuesto")
        assert (mine["id"], mine["title"], mine["owner_org"]) == (str(ours.pk), "Presupuesto de Manabí", "manabi")
        assert (other["id"], other["title"], other["owner_org"]) == (str(theirs.pk), "Presupuesto del Azuay", "azuay")
        assert mine["url"] == f"{live_server.url}/g/manabi/datos/conjuntos/presupuesto/"
        assert ckan.action.package_show(id=str(theirs.pk))["name"] == "azuay--presupuesto"
        with pytest.raises(NotFound):
            ckan.action.package_show(id="presupuesto")  # ambiguous without the government
        found = ckan.action.package_search(q="name:presupuesto", rows=10, **{"facet.field": ["groups"]})
        assert sorted(p["name"] for p in found["results"]) == ["azuay--presupuesto", "manabi--presupuesto"]
        assert found["facets"]["groups"] == {"azuay--finanzas": 1, "manabi--finanzas": 1}
        [only] = ckan.action.package_search(q="name:azuay--presupuesto")["results"]
        assert only["id"] == str(theirs.pk)
        [only] = ckan.action.package_search(fq="groups:manabi--finanzas")["results"]
        assert only["id"] == str(ours.pk) and only["groups"][0]["name"] == "manabi--finanzas"
        assert ckan.action.group_list() == ["azuay--finanzas", "manabi--finanzas"]
        harvested = gather(live_server.url, organizations=["manabi", "azuay"])
        assert sorted((p["name"], p["id"]) for p in harvested) == sorted(
            [("manabi--presupuesto", str(ours.pk)), ("azuay--presupuesto", str(theirs.pk))]
        )
    # A government's own portal keeps its plain names.
    with remote(f"{live_server.url}/g/{government.slug}") as ckan:
        assert ckan.action.package_list() == ["presupuesto"]
        assert ckan.action.package_show(id="presupuesto")["id"] == str(ours.pk)


# ckanext-harvest's CKAN harvester ------------------------------------------------------------


class SearchError(Exception):
    pass


def search_for_datasets(source: str, fq_terms: list[str], after_page=None) -> list[dict]:
    """``CKANHarvester._search_for_datasets`` of ckanext-harvest 1.6.3, step by step."""
    base_search_url = source.rstrip("/") + "/api/3/action/package_search"
    params = {"rows": "100", "start": "0", "sort": "id asc"}
    if fq_terms:
        params["fq"] = " ".join(fq_terms)
    pkg_dicts, pkg_ids, previous_content = [], set(), None
    while True:
        url = base_search_url + "?" + urlencode(params)
        response = requests.get(url, timeout=30)
        response.raise_for_status()
        content = response.content
        if previous_content and content == previous_content:
            raise SearchError(f"The paging doesn't seem to work. URL: {url}")
        previous_content = content  # (1.6.3 never updates it: kept here, it can only be stricter)
        page = json.loads(content).get("result", {}).get("results", [])
        ids_in_page = {p["id"] for p in page}
        duplicate_ids = ids_in_page & pkg_ids
        if duplicate_ids:
            page = [p for p in page if p["id"] not in duplicate_ids]
        pkg_ids |= ids_in_page
        pkg_dicts.extend(page)
        if after_page is not None:
            after_page(int(params["start"]))
        if len(page) == 0:
            break
        params["start"] = str(int(params["start"]) + int(params["rows"]))
    return pkg_dicts


def gather(source: str, *, organizations=(), since: dt.datetime | None = None, after_page=None) -> list[dict]:
    """``CKANHarvester.gather_stage``: the filter terms, the search, one object per id."""
    fq_terms = []
    if organizations:
        fq_terms.append(" OR ".join(f"organization:{name}" for name in organizations))
    if since is not None:  # the last error-free job's gather_started (naive UTC), less an hour
        fq_terms.append(f"metadata_modified:[{(since - dt.timedelta(hours=1)).isoformat()}Z TO *]")
    objects, package_ids = [], set()
    for pkg_dict in search_for_datasets(source, fq_terms, after_page):
        if pkg_dict["id"] in package_ids:
            continue
        package_ids.add(pkg_dict["id"])
        objects.append(json.loads(json.dumps(pkg_dict)))  # HarvestObject content
    return objects


def test_harvester_gathers_every_public_dataset_of_a_government_once_unchanged(
    live_server, government, other_government
):
    ours = many(government, 230, "m")
    for dataset in ours[::50]:
        factories.resource(government, dataset, title="Enlace", kind="url", url=f"https://datos.example.org/{dataset.slug}")
    factories.dataset(government, title="Borrador", slug="borrador", is_published=False)
    many(other_government, 5, "a")
    late = {}

    def change_between_pages(start: int) -> None:
        # After the first page: one dataset of a later page changes, one already read changes,
        # and a new one is published; none may be lost or arrive twice.
        if start == 0:
            with_scope = Dataset.objects.for_government(government)
            for dataset in (with_scope.get(pk=ours[150].pk), with_scope.get(pk=ours[10].pk)):
                dataset.title += " (corregido)"
                dataset.save()
            late["new"] = factories.dataset(government, title="Nuevo", slug="nuevo")

    harvested = gather(live_server.url, organizations=[government.slug], after_page=change_between_pages)
    ids = [p["id"] for p in harvested]
    assert len(ids) == len(set(ids))
    expected = {str(d.pk) for d in ours} | {str(late["new"].pk)}
    assert set(ids) == expected

    with remote(live_server.url) as ckan:
        for package in harvested:
            current = ckan.action.package_show(id=package["id"])
            if package["id"] == str(ours[10].pk):  # read before it changed: the next harvest brings it
                assert current["metadata_modified"] > package["metadata_modified"]
                continue
            for resource in current["resources"]:
                del resource["datastore_active"]  # package_show's only addition to search results
            assert package == current
        assert next(p for p in harvested if p["id"] == str(ours[150].pk))["title"].endswith("(corregido)")

    # The next (incremental) job asks only for what changed since the last one started.
    started = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    Dataset.objects.for_government(government).filter(pk__in=[d.pk for d in ours[:200]]).update(
        updated_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    )
    changed = gather(live_server.url, organizations=[government.slug], since=started)
    assert {p["id"] for p in changed} == expected - {str(d.pk) for d in ours[:200]}

    # The same gather through a government's own portal finds the same datasets by the same ids.
    own = gather(f"{live_server.url}/g/{government.slug}", organizations=[government.slug])
    assert {p["id"] for p in own} == expected
    assert {p["name"] for p in own} == {f"m-{i:03d}" for i in range(230)} | {"nuevo"}
