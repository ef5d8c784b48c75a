"""The CKAN Action API subset: CKAN's response shapes through ckanapi against a live server, and
through the test client the error shapes, fq filters, facets, paging, datastore_search options
and tenancy (drafts and other governments' datasets are never listed or shown)."""

import datetime as dt
import io
import json

import pytest
from django.test import Client

from minga.datastore import drop_table, load_table

from . import factories

NOW = dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC)
OBRAS = (
    "Cantón;Obra;Monto;Fecha;Terminada\n"
    "Manta;Vía a San Mateo;1.234,56;05/03/2024;Sí\n"
    "Portoviejo;Puente sobre el río;12,5;31/12/2023;no\n"
    "Manta;Alcantarillado;300;15/01/2024;si\n"
    "Jipijapa;Mercado;45.000,00;01/06/2024;no\n"
    "Chone;Parque central;780;20/07/2024;sí\n"
)


def api(government, action: str) -> str:
    return f"/g/{government.slug}/api/3/action/{action}"


def call(client, government, action: str, **params):
    response = client.get(api(government, action), params)
    return response, response.json()


@pytest.fixture(autouse=True)
def datastore_file(settings, tmp_path):
    settings.DATASTORE_SQLITE_PATH = tmp_path / "datastore.sqlite3"


@pytest.fixture
def catalog(government, other_government):
    mobility = factories.theme(government, name="Movilidad", slug="movilidad", dcat_theme="TRAN")
    budget = factories.theme(government, name="Presupuesto", slug="presupuesto", dcat_theme="ECON")
    open_licence = factories.licence(government, code="ODbL-1.0", name="Open Database License", url="")
    accidents = factories.dataset(
        government,
        title="Siniestros de tránsito por cantón",
        slug="siniestros",
        summary="Accidentes registrados por la Agencia Nacional de Tránsito.",
        themes=[mobility],
        tags=["tránsito", "seguridad vial"],
        frequency="MONTHLY",
    )
    works_csv = factories.resource(
        government, accidents, title="Obras 2024", file=factories.csv_file("obras.csv", OBRAS.encode("cp1252"))
    )
    execution = factories.dataset(
        government,
        title="Ejecución presupuestaria 2025",
        slug="ejecucion",
        summary="Ejecución del presupuesto por partida.",
        themes=[budget],
        tags=["presupuesto"],
        licence=open_licence,
    )
    factories.resource(government, execution, title="Enlace", kind="url", url="https://datos.example.org/e.json")
    schools = factories.dataset(
        government, title="Escuelas y colegios", slug="escuelas", summary="Planteles educativos.", tags=["educación"]
    )
    hidden = factories.dataset(
        government, title="Borrador secreto", slug="borrador", is_published=False, tags=["secreto"], themes=[budget]
    )
    hidden_csv = factories.resource(government, hidden, title="Secreto")
    foreign = factories.dataset(other_government, title="Datos del Azuay", slug="azuay-datos", tags=["ajeno"])
    foreign_csv = factories.resource(other_government, foreign, title="Ajeno")
    return {
        "accidents": accidents,
        "works_csv": works_csv,
        "execution": execution,
        "schools": schools,
        "hidden": hidden,
        "hidden_csv": hidden_csv,
        "foreign": foreign,
        "foreign_csv": foreign_csv,
    }


def load(resource, text: str = OBRAS):
    report = load_table(
        table_id=resource.datastore_table_id, source=io.BytesIO(text.encode("cp1252")), filename="obras.csv", now=NOW
    )
    assert report.ok, report.errors
    return report


# Through ckanapi against a live server ---------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_ckanapi_client_against_a_live_server(live_server, government, catalog):
    from ckanapi import NotFound, RemoteCKAN

    load(catalog["works_csv"])
    try:
        with RemoteCKAN(f"{live_server.url}/g/{government.slug}") as ckan:
            # ckanapi's default address is /api/action/; CKAN also serves the versioned /api/3/action/.
            ckan.base_url = "api/3/action/"
            status = ckan.action.status_show()
            assert status["site_title"] == government.name and "datastore" in status["extensions"]

            found = ckan.action.package_search(q="transito", rows=5)
            assert found["count"] == 1
            assert [package["name"] for package in found["results"]] == ["siniestros"]

            everything = ckan.action.package_search(rows=10, sort="title_string asc")
            assert [package["name"] for package in everything["results"]] == ["ejecucion", "escuelas", "siniestros"]

            package = ckan.action.package_show(id="siniestros")
            assert package["title"] == "Siniestros de tránsito por cantón"
            assert package["organization"]["name"] == government.slug
            assert {tag["name"] for tag in package["tags"]} == {"tránsito", "seguridad vial"}
            [resource] = package["resources"]
            assert resource["id"] == str(catalog["works_csv"].pk) and resource["datastore_active"] is True
            assert resource["url"].startswith(live_server.url) and resource["format"] == "CSV"

            rows = ckan.action.datastore_search(
                resource_id=resource["id"], filters={"canton": "Manta"}, sort="monto desc", limit=10
            )
            assert rows["total"] == 2
            assert [record["obra"] for record in rows["records"]] == ["Vía a San Mateo", "Alcantarillado"]
            types = {field["id"]: field["type"] for field in rows["fields"]}
            assert types == {
                "_id": "int",
                "canton": "text",
                "obra": "text",
                "monto": "numeric",
                "fecha": "date",
                "terminada": "bool",
            }

            with pytest.raises(NotFound):
                ckan.action.package_show(id="borrador")
            with pytest.raises(NotFound):
                ckan.action.package_show(id="azuay-datos")
    finally:
        drop_table(table_id=catalog["works_csv"].datastore_table_id)


# Shapes and errors -----------------------------------------------------------------------


def test_success_shape_and_cors(client, government, catalog):
    response, body = call(client, government, "package_list")
    assert response.status_code == 200
    assert body["success"] is True and "help" in body
    assert body["result"] == ["ejecucion", "escuelas", "siniestros"]
    assert response["Access-Control-Allow-Origin"] == "*"


def test_not_found_shape(client, government, catalog):
    response, body = call(client, government, "package_show", id="no-existe")
    assert response.status_code == 404
    assert body["success"] is False
    assert body["error"]["__type"] == "Not Found Error" and body["error"]["message"]


def test_validation_error_shape(client, government, catalog):
    response, body = call(client, government, "package_search", rows="muchas")
    assert response.status_code == 409
    assert body["error"]["__type"] == "Validation Error" and body["error"]["rows"] == ["Invalid integer"]
    response, body = call(client, government, "package_show")
    assert response.status_code == 409 and body["error"]["id"] == ["Missing value"]


BEYOND_64_BITS = str(2**70)


@pytest.mark.parametrize(
    ("action", "params"),
    [
        ("package_list", {"offset": BEYOND_64_BITS}),
        ("package_list", {"limit": BEYOND_64_BITS}),
        ("package_search", {"start": BEYOND_64_BITS}),
        ("package_search", {"rows": BEYOND_64_BITS}),
        ("package_search", {"facet.limit": BEYOND_64_BITS, "facet.field": '["tags"]'}),
        # within 64 bits, but offset + limit is not
        ("package_list", {"offset": str(2**63 - 1), "limit": "10"}),
    ],
)
def test_integers_beyond_the_database_range_are_validation_errors(client, government, catalog, action, params):
    # They used to reach LIMIT/OFFSET and overflow (a 500 on PostgreSQL and SQLite).
    response, body = call(client, government, action, **params)
    assert response.status_code == 409
    assert body["success"] is False and body["error"]["__type"] == "Validation Error"
    name = next(iter(params))
    assert body["error"][name] == ["Must be at most 2147483647"]


def test_infinity_in_a_json_body_is_a_validation_error(client, government, catalog):
    response = client.post(
        api(government, "package_list"), data=b'{"offset": Infinity}', content_type="application/json"
    )
    assert response.status_code == 409 and response.json()["error"]["offset"] == ["Invalid integer"]


def test_unknown_government_answers_in_ckan_shape(client, government, catalog):
    response = client.get("/g/no-existe/api/3/action/package_list")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert response.json()["success"] is False and response.json()["error"]["__type"] == "Not Found Error"


def test_bad_json_and_unknown_action_are_bad_requests(client, government, catalog):
    response = client.post(api(government, "package_show"), data=b"{no json", content_type="application/json")
    assert response.status_code == 400 and response.json()["success"] is False
    response = client.get(api(government, "package_create"))
    assert response.status_code == 400
    assert "Action name not known" in response.json()["error"]["message"]


def test_post_with_a_json_body_needs_no_csrf_token(government, catalog):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        api(government, "package_show"), data=json.dumps({"id": "ejecucion"}), content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["result"]["license_id"] == "ODbL-1.0"


def test_package_show_by_id_and_its_dictionary(client, government, catalog):
    accidents = catalog["accidents"]
    response, body = call(client, government, "package_show", id=str(accidents.pk))
    assert response.status_code == 200
    package = body["result"]
    assert package["name"] == "siniestros" and package["id"] == str(accidents.pk)
    assert package["license_id"] == "CC-BY-4.0" and package["private"] is False
    assert package["groups"][0]["name"] == "movilidad"
    assert {"key": "frequency", "value": accidents.frequency_uri} in package["extras"]
    assert package["resources"][0]["hash"] == f"sha256:{catalog['works_csv'].sha256}"
    assert package["resources"][0]["datastore_active"] is False


# package_search --------------------------------------------------------------------------


def test_package_search_fq_terms(client, government, catalog):
    def names(**params):
        response, body = call(client, government, "package_search", **params)
        assert response.status_code == 200, body
        return sorted(package["name"] for package in body["result"]["results"])

    assert names(fq='tags:"seguridad vial"') == ["siniestros"]
    assert names(fq="tags:presupuesto") == ["ejecucion"]
    assert names(fq="res_format:csv") == ["siniestros"]
    assert names(fq="groups:presupuesto") == ["ejecucion"]  # the draft in the same theme stays out
    assert names(fq="license_id:ODbL-1.0") == ["ejecucion"]
    assert names(fq=f"organization:{government.slug}") == ["ejecucion", "escuelas", "siniestros"]
    assert names(fq="organization:azuay") == []
    assert names(fq="-tags:presupuesto res_format:CSV") == ["siniestros"]
    assert names(fq="tags:secreto") == []
    response, body = call(client, government, "package_search", fq="author:nadie")
    assert response.status_code == 409 and body["error"]["__type"] == "Validation Error"


def test_package_search_date_ranges_as_harvesters_send_them(client, government, catalog):
    from ..datasets.models import Dataset

    Dataset._base_manager.filter(pk=catalog["accidents"].pk).update(updated_at=dt.datetime(2024, 5, 1, tzinfo=dt.UTC))
    Dataset._base_manager.filter(pk=catalog["schools"].pk).update(updated_at=dt.datetime(2025, 5, 1, tzinfo=dt.UTC))

    def names(fq):
        response, body = call(client, government, "package_search", fq=fq)
        assert response.status_code == 200, body
        return sorted(package["name"] for package in body["result"]["results"])

    assert names("metadata_modified:[2025-01-01T00:00:00Z TO *]") == ["ejecucion", "escuelas"]
    assert names("metadata_modified:[* TO 2025-01-01T00:00:00Z]") == ["siniestros"]
    assert names("metadata_modified:[2024-01-01T00:00:00Z TO 2025-01-01T00:00:00Z] tags:presupuesto") == []
    assert names("metadata_modified:[NOW-1DAY TO NOW]") == ["ejecucion"]
    assert names("-metadata_modified:[* TO 2025-01-01T00:00:00Z]") == ["ejecucion", "escuelas"]
    response, body = call(client, government, "package_search", fq="metadata_modified:[ayer TO *]")
    assert response.status_code == 409 and "fq" in body["error"]


def test_ckan_and_dcat_are_rate_limited(client, government, catalog, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "2/min", "user": "2/min"}}
    statuses = [call(client, government, "package_list")[0].status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    response, body = call(client, government, "package_list")
    assert body["success"] is False and body["error"]["__type"] == "Throttled"
    assert int(response["Retry-After"]) >= 1
    dcat = client.get(f"/g/{government.slug}/datos/dcat/catalog.ttl")
    assert dcat.status_code == 429 and int(dcat["Retry-After"]) >= 1


def test_package_search_facets(client, government, catalog):
    response, body = call(
        client, government, "package_search", **{"facet.field": json.dumps(["tags", "res_format", "groups"])}
    )
    result = body["result"]
    assert result["count"] == 3
    assert result["facets"]["res_format"] == {"CSV": 1, "JSON": 1}
    assert result["facets"]["groups"] == {"movilidad": 1, "presupuesto": 1}
    assert "secreto" not in result["facets"]["tags"] and result["facets"]["tags"]["presupuesto"] == 1
    items = {item["name"]: item for item in result["search_facets"]["groups"]["items"]}
    assert items["movilidad"] == {"name": "movilidad", "display_name": "Movilidad", "count": 1}
    # A bare name (a repeated key in a query string, as ckanapi sends a list) is a list of one.
    response, body = call(client, government, "package_search", **{"facet.field": "tags"})
    assert response.status_code == 200 and body["result"]["facets"]["tags"]["presupuesto"] == 1
    response, body = call(client, government, "package_search", **{"facet.field": "author"})
    assert response.status_code == 409 and body["error"]["facet.field"] == ["Unsupported field"]


def test_package_search_paging_and_sorting(client, government, catalog):
    def page(**params):
        body = call(client, government, "package_search", **params)[1]["result"]
        return body["count"], [package["name"] for package in body["results"]]

    assert page(rows=2, start=0, sort="title_string asc") == (3, ["ejecucion", "escuelas"])
    assert page(rows=2, start=2, sort="title_string asc") == (3, ["siniestros"])
    assert page(rows=1, sort="title_string desc") == (3, ["siniestros"])
    assert page(rows=0) == (3, [])
    count, names = page(sort="metadata_modified desc")
    assert names[0] == "escuelas"  # the last one changed
    response, body = call(client, government, "package_search", sort="num_resources desc")
    assert response.status_code == 409
    assert call(client, government, "package_search", rows=5000)[0].status_code == 200  # capped at 1000


def test_package_search_text_query(client, government, catalog):
    body = call(client, government, "package_search", q="presupuestos")[1]["result"]
    assert [package["name"] for package in body["results"]] == ["ejecucion"]
    body = call(client, government, "package_search", q="secreto")[1]["result"]
    assert body["count"] == 0


# Organizations, groups, tags, resources --------------------------------------------------


def test_organization_group_and_tag_lists(client, government, catalog):
    assert call(client, government, "organization_list")[1]["result"] == [government.slug]
    [organization] = call(client, government, "organization_list", all_fields="true")[1]["result"]
    assert organization["title"] == government.name and organization["package_count"] == 3
    response, body = call(client, government, "organization_show", id=government.slug, include_datasets="true")
    assert body["result"]["package_count"] == 3
    assert sorted(package["name"] for package in body["result"]["packages"]) == ["ejecucion", "escuelas", "siniestros"]
    assert call(client, government, "organization_show", id="azuay")[0].status_code == 404
    assert call(client, government, "group_list")[1]["result"] == ["movilidad", "presupuesto"]
    groups = call(client, government, "group_list", all_fields="true")[1]["result"]
    assert {group["name"]: group["package_count"] for group in groups} == {"movilidad": 1, "presupuesto": 1}
    tags = call(client, government, "tag_list")[1]["result"]
    assert set(tags) == {"tránsito", "seguridad vial", "presupuesto", "educación"}


def test_resource_show(client, government, catalog):
    works = catalog["works_csv"]
    response, body = call(client, government, "resource_show", id=str(works.pk))
    assert response.status_code == 200
    assert body["result"]["package_id"] == str(catalog["accidents"].pk) and body["result"]["size"] == works.size
    assert body["result"]["url"].endswith(f"/datos/recursos/{works.pk}/descarga/")
    for hidden in (catalog["hidden_csv"], catalog["foreign_csv"]):
        assert call(client, government, "resource_show", id=str(hidden.pk))[0].status_code == 404
    assert call(client, government, "resource_show", id="abc")[0].status_code == 404


# Tenancy ---------------------------------------------------------------------------------


def test_drafts_and_other_governments_are_never_listed_or_shown(client, government, other_government, catalog):
    hidden, foreign = catalog["hidden"], catalog["foreign"]
    for key in ("borrador", str(hidden.pk), "azuay-datos", str(foreign.pk)):
        response, body = call(client, government, "package_show", id=key)
        assert response.status_code == 404, key
    body = call(client, government, "package_search", q="Azuay", rows=1000)[1]["result"]
    assert body["count"] == 0
    body = call(client, government, "package_search", rows=1000)[1]["result"]
    assert {package["name"] for package in body["results"]} == {"ejecucion", "escuelas", "siniestros"}
    # The other government's API lists only its own.
    assert call(client, other_government, "package_list")[1]["result"] == ["azuay-datos"]
    assert call(client, other_government, "package_show", id="siniestros")[0].status_code == 404
    load(catalog["foreign_csv"])
    response, _ = call(client, government, "datastore_search", resource_id=str(catalog["foreign_csv"].pk))
    assert response.status_code == 404
    load(catalog["hidden_csv"])
    response, _ = call(client, government, "datastore_search", resource_id=str(catalog["hidden_csv"].pk))
    assert response.status_code == 404


def test_module_switched_off_answers_404(client, government, catalog):
    government.modules = {**(government.modules or {}), "catalog": {"enabled": False}}
    government.save()
    response = client.get(api(government, "package_list"))
    assert response.status_code == 404 and response.json()["error"]["__type"] == "Not Found Error"


# datastore_search ------------------------------------------------------------------------


def test_datastore_search_options(client, government, catalog):
    works = catalog["works_csv"]
    load(works)
    rid = str(works.pk)

    def search(**params):
        response = client.post(
            api(government, "datastore_search"),
            data=json.dumps({"resource_id": rid, **params}),
            content_type="application/json",
        )
        return response.status_code, response.json()

    status, body = search()
    assert status == 200
    result = body["result"]
    assert result["total"] == 5 and len(result["records"]) == 5
    assert result["records"][0] == {
        "_id": 1,
        "canton": "Manta",
        "obra": "Vía a San Mateo",
        "monto": 1234.56,
        "fecha": "2024-03-05",
        "terminada": True,
    }
    assert result["fields"][1]["info"]["label"] == "Cantón"
    assert result["_links"]["next"].startswith(f"/g/{government.slug}/api/3/action/datastore_search?")

    status, body = search(filters={"canton": ["Manta", "Chone"]}, fields="obra,monto", sort="monto asc")
    assert [record["obra"] for record in body["result"]["records"]] == [
        "Alcantarillado",
        "Parque central",
        "Vía a San Mateo",
    ]
    # CKAN returns _id only when it is among the asked fields
    assert set(body["result"]["records"][0]) == {"obra", "monto"} and body["result"]["total"] == 3
    assert [field["id"] for field in body["result"]["fields"]] == ["obra", "monto"]

    status, body = search(sort="fecha asc", limit=2, offset=2)
    assert [record["obra"] for record in body["result"]["records"]] == ["Vía a San Mateo", "Mercado"]
    status, body = search(sort="fecha asc", limit=2, offset=4)
    assert [record["obra"] for record in body["result"]["records"]] == ["Parque central"]
    status, body = search(limit=2, offset=5)
    assert body["result"]["records"] == [] and body["result"]["total"] == 5

    status, body = search(q={"obra": "rio"})  # accent-insensitive contains
    assert [record["obra"] for record in body["result"]["records"]] == ["Puente sobre el río"]
    status, body = search(q="MANTA")  # plain text: any text column, accent- and case-insensitive
    assert [record["obra"] for record in body["result"]["records"]] == ["Vía a San Mateo", "Alcantarillado"]
    assert body["result"]["total"] == 2
    status, body = search(q="rio", filters={"canton": "Manta"})
    assert body["result"]["records"] == [] and body["result"]["total"] == 0

    status, body = search(include_total=False, records_format="lists", limit=1)
    assert "total" not in body["result"] and body["result"]["records"][0][:2] == [1, "Manta"]

    status, body = search(filters={"no_existe": "1"})
    assert status == 409 and body["error"]["__type"] == "Validation Error"
    status, body = search(filters={"monto": "mucho"})
    assert status == 409
    status, body = search(offset=10**7)
    assert status == 409 and "offset" in body["error"]


def test_datastore_search_of_a_resource_without_table(client, government, catalog):
    response, body = call(client, government, "datastore_search", resource_id=str(catalog["works_csv"].pk))
    assert response.status_code == 404 and body["error"]["__type"] == "Not Found Error"
