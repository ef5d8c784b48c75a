"""The API's error answers keep to its OpenAPI document: JSON under /api/v1/ whatever raised
the error, 405 for a method no view serves before credentials are asked for, 400 for a page
size that is not a number, and every operation documents the errors it can answer."""

import pytest
import yaml

from minga.core.api.schema import COMMITTED_SCHEMA, generate_schema
from minga.core.testing import gov_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def assert_json_not_found(response):
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize(
    "rest",
    [
        "no-existe/",
        # the URL patterns do not match these (an int or a slug converter), so no view runs
        "datos/recursos/-374155/openapi.json",
        "datos/conjuntos/%C3%A8/",
    ],
)
def test_a_path_no_pattern_matches_answers_json(client, government, rest):
    assert_json_not_found(client.get(f"/g/{government.slug}/api/v1/{rest}"))


def test_an_unknown_government_answers_json_under_the_api(client, government):
    assert_json_not_found(client.get("/g/no-existe/api/v1/"))
    assert_json_not_found(client.get("/g/no-existe/api/v1/obras/proyectos/"))


def test_a_module_switched_off_answers_json(client, government):
    government.modules = {"works": {"enabled": False}}
    government.save()
    assert_json_not_found(client.get(f"/g/{government.slug}/api/v1/obras/proyectos/"))


def test_the_api_on_its_own_host_answers_json_too(client, government, settings):
    settings.ALLOWED_HOSTS = ["*"]
    assert_json_not_found(client.get("/api/v1/no-existe/", HTTP_HOST="manabi.example.org"))


def test_pages_outside_the_api_keep_the_html_error_page(client, government):
    response = client.get(f"/g/{government.slug}/no-existe/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")
    response = client.get("/g/no-existe/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("name", ["api:index", "api:government", "api:me", "api:current_token"])
def test_a_method_no_view_serves_is_405_before_credentials(client, government, name):
    # It used to be 401 "credentials were not provided", as if TRACE were a write.
    response = client.generic("TRACE", gov_url(government, name))
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json" and "TRACE" in response.json()["detail"]


@pytest.mark.parametrize("size", ["muchos", "0", "-3", "1.5"])
def test_a_page_size_that_is_not_a_whole_number_is_400(client, government, size):
    response = client.get(gov_url(government, "api:government_children"), {"page_size": size})
    assert response.status_code == 400
    assert response.json() == {"page_size": ["Use a whole number of at least 1."]}


def test_valid_page_sizes_still_work_and_large_ones_are_capped(client, government):
    url = gov_url(government, "api:government_children")
    assert client.get(url, {"page_size": "2"}).status_code == 200
    assert client.get(url, {"page_size": ""}).status_code == 200  # an empty field: not given
    assert client.get(url, {"page_size": "100000"}).status_code == 200


def test_every_operation_documents_its_error_answers():
    document = generate_schema()
    responses = document["components"]["responses"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"401", "404", "429"} <= codes, f"{method} {path}"
            if operation["x-permission"] != "public":
                assert "403" in codes, f"{method} {path}"
            if any(p["in"] == "query" for p in operation.get("parameters", [])) or method == "delete":
                assert "400" in codes, f"{method} {path}"
            for answer in operation["responses"].values():
                if "$ref" in answer:
                    assert answer["$ref"].removeprefix("#/components/responses/") in responses
    error = document["components"]["schemas"]["Error"]
    assert error["required"] == ["detail"]
    page_size = next(
        p for p in document["paths"]["/api/v1/gobierno/gobiernos/"]["get"]["parameters"] if p["name"] == "page_size"
    )
    assert page_size["schema"]["minimum"] == 1
    # sent empty, as an empty form field, it is not given: the document says so
    assert page_size["allowEmptyValue"] is True


def test_empty_page_parameters_are_not_given(client, government):
    response = client.get(gov_url(government, "api:government_children"), {"page": "", "page_size": ""})
    assert response.status_code == 200 and response.json()["previous"] is None


def test_the_committed_document_documents_them_too():
    committed = yaml.safe_load(COMMITTED_SCHEMA.read_text(encoding="utf-8"))
    assert committed["paths"]["/api/v1/yo/"]["get"]["responses"]["401"] == {
        "$ref": "#/components/responses/Unauthorized"
    }
