"""Previews in a real browser: from a dataset page to its chart, map, province grid and PDF,
on a desktop and a 360 px screen; axe-core on each, the page budget and the optional script
(copy buttons, "show on the map"). Framing rules are checked on the headers in
minga/catalog/tests/test_previews.py."""

from __future__ import annotations

import pytest

from .checks import PAGE_BUDGET_BYTES, check_accessibility, page_weight, skip_without_chromium

pytestmark = [pytest.mark.browser, skip_without_chromium]

COUNTED = {"document", "stylesheet", "script"}


def _open_from_dataset(page, slug: str, fragment: str) -> str:
    page.goto(f"/g/manabi/datos/conjuntos/{slug}/")
    link = page.locator(f'main table a[href*="{fragment}"]').first
    href = link.get_attribute("href")
    link.click()
    page.wait_for_load_state()
    return href


def test_chart_map_grid_and_pdf_are_accessible_and_light(page, mobile_page):
    for current in (page, mobile_page):
        chart = _open_from_dataset(current, "obras-publicas-2025", "/grafico/")
        assert current.locator("svg[role=img] title").first.text_content()
        assert current.locator("#chart-data tbody tr").count() >= 2
        check_accessibility(current, f"chart {current.viewport_size['width']}")
        _open_from_dataset(current, "puntos-wifi", "/mapa/")
        assert current.locator("#map-drawing circle").count() >= 5
        check_accessibility(current, f"map of points {current.viewport_size['width']}")
        _open_from_dataset(current, "llegadas-turistas-2025", "/mapa/")
        assert current.locator("#province-grid rect").count() == 24
        check_accessibility(current, f"province grid {current.viewport_size['width']}")
        _open_from_dataset(current, "red-vial", "/mapa/")
        check_accessibility(current, f"map of lines {current.viewport_size['width']}")
        # Chromium's PDF viewer would load its own chrome:// files, which the recorder counts
        # as leaving the machine: the preview page is checked with the document left blank.
        current.route("**/archivo/", lambda route: route.fulfill(status=200, content_type="text/plain", body=""))
        _open_from_dataset(current, "ejecucion-presupuestaria-2025", "/vista/")
        assert current.locator("#preview-pdf").count() == 1
        check_accessibility(current, f"pdf preview {current.viewport_size['width']}")
    resources = page_weight(page, chart + "?tipo=pie")
    total = sum(r.compressed_bytes for r in resources if r.kind in COUNTED)
    assert total <= PAGE_BUDGET_BYTES


def test_script_adds_copy_and_show_on_the_map(page):
    _open_from_dataset(page, "red-vial", "/mapa/")
    button = page.locator("#map-features tbody button").first
    button.focus()
    assert page.locator("#map-popup").is_visible()
    assert page.locator("#map-drawing .is-active").count() == 1
    _open_from_dataset(page, "obras-publicas-2025", "/grafico/")
    assert page.locator(".copy-button").count() in (0, 2)  # only where the clipboard API exists
