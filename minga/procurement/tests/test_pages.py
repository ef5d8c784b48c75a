import csv
import io
import json

import pytest

from minga.core.registry import LinkedRecord
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import (
    answered_as_documented,
    assert_foreign_government_404,
    assert_role_matrix,
    gov_url,
    login_verified,
    make_official,
)

from .. import urls as page_urls
from ..api import urls as api_urls
from ..models import BudgetYear, Buyer, ImportRun, Process, Supplier
from .conftest import OCID, award_release, do_import, package, tender_release

SECOND = "ocds-5wno2w-LICO-GPM-2025-002-1360"


@pytest.fixture
def data(government):
    do_import(
        government,
        package(
            tender_release(),
            award_release(),
            tender_release(
                SECOND,
                tender={
                    "title": "Construcción del puente sobre el río Chone",
                    "procurementMethodDetails": "Licitación Obras",
                    "value": {"amount": "x"},
                },
            ),
            tender_release(
                SECOND,
                number=2,
                tender={
                    "title": "Construcción del puente sobre el río Chone",
                    "procurementMethodDetails": "Licitación Obras",
                    "value": {"amount": 2500000, "currency": "USD"},
                    "items": [{"id": "1", "description": "Puente", "classification": {"id": "5324200015"}}],
                    "numberOfTenderers": 1,
                },
            ),
        ),
    )
    with government_scope(government):
        return {
            "process": Process.objects.get(ocid=OCID),
            "bridge": Process.objects.get(ocid=SECOND),
            "supplier": Supplier.objects.get(),
            "buyer": Buyer.objects.get(),
            "run": ImportRun.objects.get(),
        }


def _public_urls(government, data):
    return [
        gov_url(government, "procurement:search"),
        gov_url(government, "procurement:search_csv"),
        gov_url(government, "procurement:search_ocds"),
        gov_url(government, "procurement:process_detail", ocid=OCID),
        gov_url(government, "procurement:process_ocds", ocid=OCID),
        gov_url(government, "procurement:supplier_list"),
        gov_url(government, "procurement:supplier_detail", pk=data["supplier"].pk),
        gov_url(government, "procurement:buyer_list"),
        gov_url(government, "procurement:buyer_detail", pk=data["buyer"].pk),
        gov_url(government, "procurement:flags"),
        gov_url(government, "procurement-api:processes"),
        gov_url(government, "procurement-api:process", ocid=OCID),
        gov_url(government, "procurement-api:suppliers"),
        gov_url(government, "procurement-api:supplier", pk=data["supplier"].pk),
        gov_url(government, "procurement-api:buyers"),
        gov_url(government, "procurement-api:buyer", pk=data["buyer"].pk),
    ]


def _office_urls(government, data):
    return [
        gov_url(government, "procurement:office_imports"),
        gov_url(government, "procurement:office_import_detail", pk=data["run"].pk),
        gov_url(government, "procurement:office_procedures"),
        gov_url(government, "procurement:office_flags"),
    ]


def test_public_pages_answer(client, government, data):
    for url in _public_urls(government, data):
        assert client.get(url).status_code == 200, url


def test_foreign_government_gets_404_everywhere(client, government, other_government, data):
    with government_scope(government):
        procedure = data["process"].procedure
        year = BudgetYear.objects.create(government=government, year=2025, pie_amount=36_000_000_000)
    urls = _public_urls(government, data) + _office_urls(government, data)
    urls += [
        gov_url(government, "procurement:office_procedure_edit", pk=procedure.pk),
        gov_url(government, "procurement:office_pie_delete", pk=year.pk),
    ]
    admin_b = make_official(other_government, "admin")
    login_verified(client, admin_b)
    paths = [url for url in urls if "/procesos/" not in url or OCID in url]
    # Lists answer for B too (with B's own, empty data): only object addresses must 404.
    objects = [
        url
        for url in paths
        if any(
            part in url
            for part in (
                OCID,
                f"/{data['supplier'].pk}/",
                f"/{data['buyer'].pk}/",
                "/importaciones/",
                "/editar/",
                "/eliminar/",
            )
        )
    ]
    assert_foreign_government_404(client, other_government, objects, government)


def _editor_urls(government, data):
    with government_scope(government):
        procedure = data["process"].procedure
        year = BudgetYear.objects.create(government=government, year=2025, pie_amount=36_000_000_000)
    return [
        gov_url(government, "procurement:office_procedure_create"),
        gov_url(government, "procurement:office_procedure_edit", pk=procedure.pk),
        gov_url(government, "procurement:office_pie_delete", pk=year.pk),
    ]


def test_every_procurement_url_is_in_the_matrix(government, data):
    """The lists name every route of the module, so a new URL must join the matrix."""
    covered = set(_public_urls(government, data) + _office_urls(government, data) + _editor_urls(government, data))
    assert len(covered) == len(page_urls.urlpatterns) + len(api_urls.urlpatterns)


def test_role_matrix(client, government, other_government, data):
    assert_role_matrix(
        client,
        government,
        other_government,
        "procurement",
        other_module="institution",
        public=_public_urls(government, data),
        viewer=_office_urls(government, data),
        editor=_editor_urls(government, data),
    )
    # A viewer opens the imports and the red flags but may not import or recompute them.
    login_verified(client, make_official(government, "viewer", "procurement"))
    upload = io.BytesIO(package(tender_release("ocds-5wno2w-X-9")))
    upload.name = "x.json"
    assert client.post(gov_url(government, "procurement:office_imports"), {"file": upload}).status_code == 403
    assert client.post(gov_url(government, "procurement:office_flags"), {"confirm": "on"}).status_code == 403


def test_search_filters_and_facets(client, english, government, data):
    url = gov_url(government, "procurement:search")
    page = client.get(url, {"q": "puentes"}).content.decode()
    assert "Construcción del puente" in page and "papel bond" not in page
    page = client.get(url, {"q": "papelera"}).content.decode()  # supplier name
    assert "Adquisición de papel bond" in page
    page = client.get(url, {"procedimiento": "licitacion"}).content.decode()
    assert "1 process" in page and "Construcción del puente" in page
    page = client.get(url, {"monto_min": "1000000"}).content.decode()
    assert "puente" in page and "papel" not in page
    page = client.get(url, {"proveedor": data["supplier"].pk}).content.decode()
    assert "papel bond" in page and "puente" not in page
    page = client.get(url, {"categoria": "53242"}).content.decode()
    assert "puente" in page and "papel" not in page
    page = client.get(url, {"alerta": "R018"}).content.decode()
    assert "puente" in page and "papel" not in page
    page = client.get(url, {"monto_min": "mucho", "desde": "ayer"}).content.decode()
    assert "The minimum amount is not a number." in page and "2 processes" in page
    page = client.get(url).content.decode()
    assert 'data-facet="procedimiento" data-value="licitacion"' in page
    assert 'data-facet="estado" data-value="award"' in page


def test_more_filters_fold_unless_one_of_them_is_set(client, government, data):
    """The words alone leave "More filters" folded, so a phone sees the results right after
    the search box; a set filter of that part, or one with an error, opens it."""
    url = gov_url(government, "procurement:search")
    folded = '<details class="more-filters">'
    assert folded in client.get(url, {"q": "puentes"}).content.decode()
    assert folded in client.get(url).content.decode()
    for params in ({"q": "puentes", "estado": "award"}, {"monto_min": "mucho"}):
        assert '<details class="more-filters" open>' in client.get(url, params).content.decode()


def test_csv_is_formula_safe_and_follows_filters(client, government, data):
    do_import(government, package(tender_release("ocds-5wno2w-X-7", tender={"title": '=HYPERLINK("x")'})))
    response = client.get(gov_url(government, "procurement:search_csv"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][0] == "ocid"
    assert any(row[1].startswith("'=HYPERLINK") for row in rows[1:])
    response = client.get(gov_url(government, "procurement:search_csv"), {"procedimiento": "licitacion"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == [SECOND]


def test_ocds_downloads(client, government, data):
    response = client.get(gov_url(government, "procurement:search_ocds"), {"q": "puente"})
    document = json.loads(b"".join(response.streaming_content))
    assert [record["ocid"] for record in document["records"]] == [SECOND]
    assert document["records"][0]["compiledRelease"]["tag"] == ["compiled"]
    response = client.get(gov_url(government, "procurement:process_ocds", ocid=OCID))
    record = json.loads(b"".join(response.streaming_content))["records"][0]
    assert len(record["releases"]) == 2


def test_process_page_shows_timeline_flags_and_no_data(client, english, government, data):
    page = client.get(gov_url(government, "procurement:process_detail", ocid=SECOND)).content.decode()
    assert page.count("<h1") == 1
    assert 'data-flag="R018" data-state="fired"' in page
    assert 'data-flag="R003" data-state="no_data"' in page
    assert "Not computable: the published data lacks the tender period" in page
    assert "Tender" in page and SECOND in page


def test_process_page_shows_budget_line_and_works(client, government, data, monkeypatch):
    from minga.procurement.views import public

    monkeypatch.setattr(
        public,
        "resolve_links",
        lambda gov, kind, keys: {
            key: LinkedRecord(kind, key, f"Partida {key}", "/presupuesto/x/", "budget", {"certificado": 100})
            for key in keys
        },
    )
    monkeypatch.setattr(
        public,
        "find_backlinks",
        lambda gov, kind, key: [
            LinkedRecord(
                "works.project", "puente", "Puente de Chone", "/obras/puente/", "works", {"status": "En ejecución"}
            )
        ],
    )
    page = client.get(gov_url(government, "procurement:process_detail", ocid=OCID)).content.decode()
    assert "Partida 2025:73.08.04" in page
    assert "Puente de Chone" in page


def test_supplier_page_totals_and_share(client, english, government, data):
    page = client.get(gov_url(government, "procurement:supplier_detail", pk=data["supplier"].pk)).content.decode()
    assert "2025" in page and "USD 11,000.00" in page and "100.00 %" in page


def test_api_search_with_facets_and_detail(client, government, data):
    response = client.get(gov_url(government, "procurement-api:processes"), {"q": "puente"})
    body = response.json()
    assert body["count"] == 1 and body["results"][0]["ocid"] == SECOND
    assert {facet["param"] for facet in body["facets"]} == {"procedimiento", "estado", "anio", "comprador"}
    bad = client.get(gov_url(government, "procurement-api:processes"), {"monto_max": "x"})
    assert bad.status_code == 400
    detail = client.get(gov_url(government, "procurement-api:process", ocid=SECOND)).json()
    states = {flag["code"]: flag["state"] for flag in detail["flags"]}
    assert states["R018"] == "fired" and states["R003"] == "no_data"
    assert detail["compiled_release"]["ocid"] == SECOND
    supplier = client.get(gov_url(government, "procurement-api:supplier", pk=data["supplier"].pk)).json()
    assert supplier["years"][0]["year"] == 2025


def test_api_token_of_another_government_is_refused(client, government, other_government, data):
    from minga.core.api.services import token_create

    official = make_official(other_government, "admin")
    issued = token_create(actor=official, government=other_government, name="x")
    response = client.get(gov_url(government, "procurement-api:processes"), HTTP_AUTHORIZATION=f"Token {issued.key}")
    assert response.status_code in (401, 403)


def test_unfiltered_counts_follow_a_new_import(client, english, government, data, django_capture_on_commit_callbacks):
    url = gov_url(government, "procurement-api:processes")
    assert client.get(url).json()["count"] == 2
    with django_capture_on_commit_callbacks(execute=True):
        do_import(government, package(tender_release("ocds-5wno2w-X-11")))
    assert client.get(url).json()["count"] == 3


def test_api_search_page_answers_as_the_schema_says(government, data):
    # The schema wrapped the search page in a second page, so `count` was missing from what it
    # described as each result.
    body = answered_as_documented(government, "/api/v1/contratacion/procesos/").json()
    assert body["count"] == 2 and {"next", "previous", "facets", "results"} <= set(body)
    without_facets = answered_as_documented(government, "/api/v1/contratacion/procesos/", query={"facetas": "0"})
    assert "facets" not in without_facets.json()


def test_api_facets_switch_is_yes_or_no(client, government, data):
    url = gov_url(government, "procurement-api:processes")
    assert "facets" not in client.get(url, {"facetas": "false"}).json()
    assert "facets" in client.get(url, {"facetas": ""}).json()
    refused = client.get(url, {"facetas": "-58800"})
    assert refused.status_code == 400 and list(refused.json()) == ["facetas"]
