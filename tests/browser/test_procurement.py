"""The contracting journey in a real browser: a citizen searches, narrows by a facet, opens a
process (timeline, red flags with their reasons, "sin datos" apart from "sin alerta") and
its supplier; the same at 360 px; every page under axe-core and within the page budget."""

from __future__ import annotations

import pytest

from .checks import (
    ARTIFACTS,
    PAGE_BUDGET_BYTES,
    assert_no_horizontal_scroll,
    check_accessibility,
    page_weight,
    skip_without_chromium,
)

pytestmark = [pytest.mark.browser, skip_without_chromium]

SEARCH = "/g/manabi/contratacion/"
COUNTED = {"document", "stylesheet", "script"}


def _count(page) -> int:
    return int("".join(ch for ch in page.locator("#result-count").inner_text() if ch.isdigit()))


def test_search_facet_process_and_supplier(page):
    page.goto(SEARCH)
    check_accessibility(page, "contracting search")
    assert page.locator("h1").count() == 1
    everything = _count(page)
    assert everything > 5000
    page.fill("#f-q", "papel bond")
    page.locator("#contracting-search button[type=submit]").click()
    page.wait_for_url("**q=papel*")
    found = _count(page)
    assert 0 < found < everything
    facet = page.locator('a[data-facet="procedimiento"]').first
    facet_count = int(facet.locator(".facet-count").inner_text().split()[0].replace(".", ""))
    facet.click()
    page.wait_for_url("**procedimiento=*")
    assert _count(page) == facet_count
    check_accessibility(page, "contracting search with a facet")
    page.screenshot(path=ARTIFACTS / "procurement-search.png", full_page=True)

    page.goto(SEARCH + "?alerta=R018")
    page.locator(".process-table tbody a").first.click()
    page.wait_for_url("**/procesos/**")
    check_accessibility(page, "contracting process")
    assert page.locator('[data-flag="R018"][data-state="fired"]').count() == 1
    assert page.locator("#process-timeline li").count() >= 2
    assert page.locator('[data-state="no_data"], [data-state="not_applicable"]').count() >= 1
    page.screenshot(path=ARTIFACTS / "procurement-process.png", full_page=True)

    page.locator("a[href*='/proveedores/']").first.click()
    page.wait_for_url("**/proveedores/**")
    check_accessibility(page, "supplier")
    assert page.locator("#supplier-years tbody tr").count() >= 1
    page.screenshot(path=ARTIFACTS / "procurement-supplier.png", full_page=True)

    page.goto("/g/manabi/contratacion/alertas/")
    check_accessibility(page, "red flags and coverage")
    page.screenshot(path=ARTIFACTS / "procurement-flags.png", full_page=True)


def test_contracting_on_a_360px_screen(mobile_page):
    page = mobile_page
    page.goto(SEARCH + "?q=puentes")
    check_accessibility(page, "contracting search 360px")
    assert_no_horizontal_scroll(page)
    page.screenshot(path=ARTIFACTS / "procurement-search-360px.png", full_page=True)
    page.locator(".process-table tbody a").first.click()
    page.wait_for_url("**/procesos/**")
    check_accessibility(page, "contracting process 360px")
    assert_no_horizontal_scroll(page)
    page.screenshot(path=ARTIFACTS / "procurement-process-360px.png", full_page=True)


@pytest.mark.parametrize(
    "path", [SEARCH, SEARCH + "?q=papel&procedimiento=infima-cuantia", "/g/manabi/contratacion/alertas/"]
)
def test_contracting_page_budget(page, path):
    resources = page_weight(page, path)
    total = sum(r.compressed_bytes for r in resources if r.kind in COUNTED)
    assert total <= PAGE_BUDGET_BYTES, f"{path} weighs {total} B compressed"


def test_official_imports_a_file_and_follows_it(page):
    """An OCDS file goes to a background job; the run's page shows it waiting or importing
    (htmx polls its panel), reloads itself when the job ends and shows the report."""
    import json

    from .accounts import sign_in_with_code

    imports = "/g/manabi/contratacion/gestion/"
    sign_in_with_code(page, "admin.manabi@demo.minga.ec", login="/g/manabi/cuenta/ingresar/", target=imports)
    check_accessibility(page, "contracting imports")
    release = {
        "ocid": "ocds-5wno2w-PRUEBA-NAVEGADOR-1",
        "id": "ocds-5wno2w-PRUEBA-NAVEGADOR-1-01",
        "date": "2026-01-05T10:00:00-05:00",
        "tag": ["planning"],
        "initiationType": "tender",
    }
    body = json.dumps({"uri": "https://example.org/p.json", "publishedDate": release["date"], "releases": [release]})
    page.set_input_files(
        "#id_file", files=[{"name": "prueba.json", "mimeType": "application/json", "buffer": body.encode()}]
    )
    page.locator("#import-form button[type=submit]").click()
    page.wait_for_url("**/gestion/importaciones/**")
    check_accessibility(page, "import waiting or running")
    page.locator("#import-outcome").wait_for(timeout=180_000)  # the worker may have a queue to go through
    assert "prueba.json" in page.locator("#import-outcome").inner_text()
    check_accessibility(page, "import report")
    page.screenshot(path=ARTIFACTS / "procurement-import.png", full_page=True)
