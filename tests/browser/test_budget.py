"""The budget in a real headless Chromium against the demo portal: a citizen reads the
overview, follows a dollar down the classifier to one line, reads the monthly curve and the
comparison between years, on a desktop and on a 360 px screen; an official uploads a cédula
that breaks the identities, reads the report, and publishes a correct one. axe-core runs on
every page; public pages stay within the page budget."""

from __future__ import annotations

import pytest

from .accounts import sign_in_with_code
from .checks import (
    ARTIFACTS,
    PAGE_BUDGET_BYTES,
    assert_no_horizontal_scroll,
    check_accessibility,
    page_weight,
    skip_without_chromium,
)

pytestmark = [pytest.mark.browser, skip_without_chromium]

BUDGET = "/g/manabi/presupuesto/"
LOGIN = "/g/manabi/cuenta/ingresar/"
UPLOAD = "/g/manabi/presupuesto/gestion/importar/"
ADMIN = "admin.manabi@demo.minga.ec"
COUNTED = {"document", "stylesheet", "script"}
JOB_WAIT_MS = 180_000  # a background job's outcome: the worker may have a queue to go through
HEADERS = (
    "CÓDIGO;NOMBRE;ASIGNACIÓN (a);REFORMAS (b);CODIFICADO (c);CERTIFICADO (d);COMPROMETIDO (e);DEVENGADO (f);PAGADO (g)"
)


def _within_budget(browser, portal, path: str) -> None:
    context = browser.new_context(base_url=portal, locale="es-EC")
    try:
        resources = page_weight(context.new_page(), path)
    finally:
        context.close()
    total = sum(r.compressed_bytes for r in resources if r.kind in COUNTED)
    assert total <= PAGE_BUDGET_BYTES, f"{path} weighs {total} B compressed, over {PAGE_BUDGET_BYTES} B"


def test_citizen_follows_a_dollar_down_to_a_line(page, browser, portal):
    page.goto(BUDGET)
    check_accessibility(page, "budget overview")
    assert page.locator("h1").count() == 1 and "Presupuesto" in page.locator("h1").inner_text()
    assert page.locator("svg[role=img] title").first.text_content()
    assert "%" in page.locator("#expense-rate").inner_text()
    page.screenshot(path=ARTIFACTS / "budget-overview.png", full_page=True)
    page.get_by_role("link", name="¿A dónde va cada dólar?").click()
    page.wait_for_url("**/gastos/**")
    check_accessibility(page, "where each dollar goes")
    page.goto(page.url.split("?")[0] + "?por=territorio")
    check_accessibility(page, "by territory, with its map")
    assert page.locator("figure svg[role=img]").count() >= 1
    page.screenshot(path=ARTIFACTS / "budget-territory.png", full_page=True)
    page.go_back()
    page.locator("#explore-table tbody th a").first.click()  # a group
    page.wait_for_url("**grupo=**")
    page.locator("#explore-table tbody th a").first.click()  # a subgroup
    page.wait_for_url("**subgrupo=**")
    page.locator("#explore-table tbody th a").first.click()  # an item
    page.wait_for_url("**item=**")
    check_accessibility(page, "lines of an item")
    page.locator("#explore-table tbody th a").first.click()  # a line
    page.wait_for_url("**/partidas/**")
    check_accessibility(page, "budget line")
    assert page.locator("h1").count() == 1
    assert page.get_by_role("heading", name="Qué gasta esta partida").count() == 1
    page.screenshot(path=ARTIFACTS / "budget-line.png", full_page=True)
    page.get_by_role("link", name="Todas las partidas").first.click()
    check_accessibility(page, "budget lines")
    page.get_by_role("link", name="Mes a mes").click()
    check_accessibility(page, "monthly curve")
    assert page.locator("#curve-table tbody tr").count() >= 1
    page.get_by_role("link", name="Comparar años").click()
    check_accessibility(page, "compare years")
    assert page.locator("#compare-totals tbody tr").count() == 2
    for path in (BUDGET, BUDGET + "comparar/"):
        _within_budget(browser, portal, path)


def test_budget_pages_on_a_360px_screen(mobile_page):
    page = mobile_page
    for path in (BUDGET, BUDGET + "comparar/"):
        page.goto(path)
        check_accessibility(page, f"{path} 360px")
        assert_no_horizontal_scroll(page)
    page.goto(BUDGET)
    page.get_by_role("link", name="De dónde viene", exact=True).click()
    check_accessibility(page, "income 360px")
    assert_no_horizontal_scroll(page)
    page.screenshot(path=ARTIFACTS / "budget-income-360px.png", full_page=True)


def _upload(page, body: str) -> None:
    page.goto(UPLOAD)
    check_accessibility(page, "budget upload")
    page.fill("#id_year", "2026")
    page.select_option("#id_month", "1")
    page.select_option("#id_scope", "expense")
    page.set_input_files("#id_file", files=[{"name": "cedula.csv", "mimeType": "text/csv", "buffer": body.encode()}])
    page.locator("#upload-submit").click()
    page.wait_for_url("**/importaciones/**")
    # A background job reads the file; htmx polls its progress and reloads the page at the end.
    # The worker may first work through what the demo queued (the catalog's loads).
    page.locator("#import-ready, #import-errors-summary").first.wait_for(timeout=JOB_WAIT_MS)


def test_official_reads_the_report_and_publishes(page):
    sign_in_with_code(page, ADMIN, login=LOGIN, target=UPLOAD)
    bad = f"{HEADERS}\n7.01.750105.001;Vías;100,00;0,00;120,00;90,00;80,00;70,00;60,00\n"
    _upload(page, bad)
    check_accessibility(page, "import report")
    assert "asignado" in page.locator("#import-errors").inner_text()
    assert page.locator("#import-publish").count() == 0
    page.screenshot(path=ARTIFACTS / "budget-import-report.png", full_page=True)
    good = f"{HEADERS}\n7.01.750105.999;Vías de prueba;100,00;20,00;120,00;90,00;80,00;70,00;60,00\n"
    _upload(page, good)
    assert page.locator("#import-ready").count() == 1
    page.locator("#import-publish").click()  # the mapping form stays folded when the file is correct
    page.locator("#import-published").wait_for(timeout=JOB_WAIT_MS)  # published by a background job
    check_accessibility(page, "published import")
    page.locator("#import-published a").click()
    page.wait_for_url("**/gestion/anios/2026/")
    check_accessibility(page, "budget year in the back office")
    assert "2026-01" in page.locator("#cutoffs").inner_text()
