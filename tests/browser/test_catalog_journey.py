"""A citizen looking for budget data in the open data catalog, in a real headless Chromium
against the demo portal: search with an accent-less plural, narrow by a facet, open a dataset
and its table, sort and filter the table, download it as CSV, and read the use statistics.
axe-core runs on every page; every page stays within the page budget."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from .checks import ARTIFACTS, PAGE_BUDGET_BYTES, check_accessibility, page_weight, skip_without_chromium

pytestmark = [pytest.mark.browser, skip_without_chromium]

CATALOG = "/g/manabi/datos/"
COUNTED = {"document", "stylesheet", "script"}


def _within_budget(browser, portal, path: str) -> None:
    context = browser.new_context(base_url=portal, locale="es-EC")
    try:
        resources = page_weight(context.new_page(), path)
    finally:
        context.close()
    total = sum(r.compressed_bytes for r in resources if r.kind in COUNTED)
    assert total <= PAGE_BUDGET_BYTES, f"{path} weighs {total} B compressed, over {PAGE_BUDGET_BYTES} B"


def _path(page) -> str:
    parts = urlsplit(page.url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_find_explore_download_and_see_the_use_statistics(page, browser, portal):
    visited = []

    page.goto(CATALOG)
    check_accessibility(page, "catalog")
    visited.append(_path(page))

    # "presupuestos" (no accent, plural) finds the budget datasets
    page.fill("#catalog-q", "presupuestos")
    page.locator("#catalog-q").press("Enter")
    page.wait_for_load_state()
    titles = page.locator(".dataset-item h2 a").all_inner_texts()
    assert any("presupuestaria" in title.lower() for title in titles), titles
    check_accessibility(page, "catalog search")
    visited.append(_path(page))

    # narrow by the budget theme facet; the search words are kept
    page.locator('a[data-facet="tema"][data-value="presupuesto"]').click()
    page.wait_for_load_state()
    query = parse_qs(urlsplit(page.url).query)
    assert query.get("tema") == ["presupuesto"] and query.get("q") == ["presupuestos"]
    assert page.locator('a[data-facet="tema"][aria-current="true"]').count() == 1
    check_accessibility(page, "catalog filtered")
    page.screenshot(path=ARTIFACTS / "catalog-search.png", full_page=True)

    # the dataset page
    page.locator(".dataset-item h2 a", has_text=re.compile(r"^Ejecución presupuestaria")).first.click()
    page.wait_for_load_state()
    assert "/datos/conjuntos/ejecucion-presupuestaria" in page.url
    assert page.locator('link[rel=alternate][type="application/ld+json"]').count() == 1
    check_accessibility(page, "dataset page")
    visited.append(_path(page))
    page.screenshot(path=ARTIFACTS / "catalog-dataset.png", full_page=True)

    # its table: sort by a column, then filter
    page.locator('a[href*="/tabla/"]').first.click()
    page.wait_for_load_state()
    check_accessibility(page, "table preview")
    visited.append(_path(page))
    rows_before = page.locator("table tbody tr").count()
    assert rows_before > 1
    # Sorting and filtering swap the rows in place (htmx) and put the address in the history;
    # a mark left on the window shows that the page was not loaded again.
    page.evaluate("() => { window.stillTheSamePage = true; }")
    # by keyboard: the focus must stay on the header link once the rows are swapped
    sort_link = page.locator("thead th a", has_text="codificado")
    sort_id = sort_link.get_attribute("id")
    sort_link.focus()
    page.keyboard.press("Enter")
    expect(page.locator('thead th[aria-sort="ascending"]')).to_have_count(1)
    assert "orden=" in page.url
    assert page.evaluate("() => document.activeElement && document.activeElement.id") == sort_id
    description = page.locator("#filter-column option", has_text="descrip").first.get_attribute("value")
    page.select_option("#filter-column", description)
    page.select_option("#filter-operator", "contains")
    page.fill("#filter-value", "obras publicas")  # accent-insensitive
    page.locator("form.table-filter button[type=submit]").click()
    expect(page.locator("table tbody tr")).to_have_count(1)
    assert "Obras públicas" in page.locator("table tbody tr").first.inner_text()
    assert "valor=obras" in page.url and page.evaluate("() => window.stillTheSamePage === true")
    expect(page.locator('thead th[aria-sort="ascending"]')).to_have_count(1)  # the order is kept
    check_accessibility(page, "table sorted and filtered")
    page.screenshot(path=ARTIFACTS / "catalog-table.png", full_page=True)

    # download the table as CSV
    with page.expect_download() as download_info:
        page.locator('a[href$="descargar.csv"]').first.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8-sig"))))
    assert "partida" in rows[0], rows[0]
    assert len(rows) > 2 and all(len(row) == len(rows[0]) for row in rows), rows  # the whole table

    # the statistics page, from the catalog
    page.goto(CATALOG)
    page.locator("#usage-stats-link").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().strip()
    assert page.locator("svg.usage-chart rect.usage-bar").count() == 90
    assert page.locator("#usage-top tbody tr").count() >= 5
    assert page.locator("#usage-never li").count() >= 1
    check_accessibility(page, "use statistics")
    visited.append(_path(page))
    page.screenshot(path=ARTIFACTS / "catalog-stats.png", full_page=True)
    page.set_viewport_size({"width": 360, "height": 740})
    page.screenshot(path=ARTIFACTS / "catalog-stats-360px.png", full_page=True)
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the statistics page scrolls sideways at 360 px: {widths}"

    for path in visited:
        _within_budget(browser, portal, path)
