"""The public table of a resource: typed rows, dictionary labels, sort links, the filter form,
keyset "next" links, totals from stored statistics, links to downloads and OpenAPI, no
JavaScript needed; never for unpublished datasets or another government's resources."""

import pytest

from minga.core.tenancy.scoping import government_scope
from minga.core.testing import gov_url

from ..datasets import services
from .conftest_datastore import datastore_env  # noqa: F401
from .test_query_api import loaded_resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def resource(government):
    return loaded_resource(government, rows=120)


def table_url(government, resource):
    return gov_url(government, "catalog:resource_table", pk=resource.pk)


def test_first_page_with_totals_links_and_labels(english, government, resource):
    with government_scope(government):
        services.column_dictionary_update(
            actor=None, government=government, resource=resource, entries={"monto": {"label": "Monto (USD)"}}
        )
    response = english.get(table_url(government, resource))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<tr>") == 1 + 50 + 1  # header, a page of 50 rows, the totals
    assert "120 rows in the table" in page and "Monto (USD)" in page
    assert 'rel="next"' in page and "?cursor=" in page
    assert "<script>" not in page and "style=" not in page
    for name in ("resource_csv", "resource_json", "resource_xlsx", "resource_openapi", "resource_data"):
        assert gov_url(government, f"catalog-api:{name}", pk=resource.pk).split(f"/g/{government.slug}")[1] in page
    # The total adds the amounts of every row (not the years), with two decimals.
    assert "Total of all 120 rows" in page
    # The dataset page links to it.
    dataset_page = english.get(gov_url(government, "catalog:dataset_detail", slug=resource.dataset.slug)).content
    assert table_url(government, resource).split(f"/g/{government.slug}")[1].encode() in dataset_page


def test_next_pages_sort_and_filter(english, government, resource):
    base = table_url(government, resource)
    response = english.get(base, {"orden": "-monto"})
    rows = response.context["rows"]
    amounts = [float(row[2].replace(",", "")) for row in rows]
    assert amounts == sorted(amounts, reverse=True) and 'aria-sort="descending"' in response.content.decode()
    seen = [tuple(r) for r in rows]
    next_url = response.context["next_url"]
    while next_url:
        response = english.get(base + next_url)
        seen += [tuple(r) for r in response.context["rows"]]
        next_url = response.context["next_url"]
    assert len(seen) == 120
    response = english.get(base, {"columna": "canton", "operador": "eq", "valor": "Manta"})
    assert response.context["total"] == 30 and all(row[0] == "Manta" for row in response.context["rows"])
    assert "30 rows match the filter" in response.content.decode()
    response = english.get(base, {"columna": "canton", "operador": "contains", "valor": "chon"})
    assert response.context["total"] == 30
    # Values that do not fit the column type: a message, not a crash.
    response = english.get(base, {"columna": "monto", "operador": "gt", "valor": "mucho"})
    assert response.status_code == 400 and 'id="table-error"' in response.content.decode()
    # Unknown columns and operators are ignored (allowlists), not passed to the engine.
    response = english.get(base, {"columna": "x; DROP", "operador": "eq", "valor": "1", "orden": "nope"})
    assert response.status_code == 200 and response.context["total"] == 120


def test_unpublished_unloaded_and_foreign_are_404(client, government, other_government, resource):
    hidden = loaded_resource(government, published=False)
    assert client.get(table_url(government, hidden)).status_code == 404
    foreign = table_url(government, resource).replace(f"/g/{government.slug}/", f"/g/{other_government.slug}/")
    assert client.get(foreign).status_code == 404
    with government_scope(government):
        services.dataset_set_published(actor=None, government=government, dataset=resource.dataset, is_published=False)
    assert client.get(table_url(government, resource)).status_code == 404


def test_htmx_gets_only_the_rows_region_and_the_cache_keeps_both_apart(client, government, resource, settings):
    # Sorting, filtering and paging are swapped in place where JavaScript runs: htmx asks for
    # the region only. The anonymous page cache must not hand that fragment to a visitor who
    # asks for the whole page at the same address (or the other way round).
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    base = table_url(government, resource)
    fragment = client.get(base, {"orden": "-monto"}, HTTP_HX_REQUEST="true")
    text = fragment.content.decode()
    assert fragment.status_code == 200 and text.lstrip().startswith('<div id="table-region"')
    assert "<html" not in text and text.count("<tr>") == 1 + 50 + 1 and 'hx-get="?' in text
    assert "HX-Request" in fragment["Vary"]
    whole = client.get(base, {"orden": "-monto"}).content.decode()
    assert "<html" in whole and 'id="table-region"' in whole and "htmx.min.js" in whole
    again = client.get(base, {"orden": "-monto"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in again
    restore = client.get(base, {"orden": "-monto"}, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in restore.content.decode()


def test_a_filter_that_cannot_run_explains_itself_in_the_fragment(english, government, resource):
    response = english.get(
        table_url(government, resource),
        {"columna": "monto", "operador": "gt", "valor": "mucho"},
        HTTP_HX_REQUEST="true",
    )
    text = response.content.decode()
    assert response.status_code == 400 and 'id="table-error"' in text and "<html" not in text
    assert 'value="mucho"' in text  # what the visitor typed stays in the form
