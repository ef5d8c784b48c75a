"""The geovisor in a real headless Chromium against the demo portal: the map with Leaflet and
without JavaScript, a pop-up reached by keyboard, a layer page, the OGC HTML pages, 360 px,
axe-core on every page, and the page budget."""

from __future__ import annotations

import pytest

from .accounts import sign_in_with_code
from .checks import (
    ARTIFACTS,
    PAGE_BUDGET_BYTES,
    assert_no_horizontal_scroll,
    check_accessibility,
    format_weight,
    page_weight,
    skip_without_chromium,
)

pytestmark = [pytest.mark.browser, skip_without_chromium]

MAP = "/g/manabi/geovisor/"
LAYER = "/g/manabi/geovisor/capas/vias-rurales-demostracion/"
OGC = "/g/manabi/geovisor/ogc/collections?f=html"
SHOW = ".geo-features .geo-show"


def _focused_matches(page, selector: str) -> bool:
    return page.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)", selector)


def _tab_to(page, selector: str, limit: int = 300) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if _focused_matches(page, selector):
            return
    pytest.fail(f"{selector} was not reached with {limit} presses of Tab on {page.url}")


def test_map_with_leaflet_and_a_popup_by_keyboard(page):
    page.goto(MAP)
    page.wait_for_selector("#geo-leaflet .leaflet-interactive")
    assert page.locator("h1").count() == 1
    # Leaflet drew the three demo layers (areas, lines, points) without any tile server.
    assert page.locator("#geo-leaflet .leaflet-interactive").count() > 60
    assert page.locator("#geo-leaflet .leaflet-tile").count() == 0
    assert not page.locator("#geo-svg").is_visible()
    check_accessibility(page, "geovisor map")
    page.screenshot(path=ARTIFACTS / "geo-map.png", full_page=True)
    _tab_to(page, SHOW)
    name = page.evaluate("document.activeElement.closest('tr').querySelector('.geo-label').textContent")
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    # Leaflet fades pop-ups in; axe must see the final colours.
    for _ in range(50):
        if page.evaluate("getComputedStyle(document.querySelector('.leaflet-popup')).opacity") == "1":
            break
        page.wait_for_timeout(50)
    assert name in popup.inner_text()
    assert page.evaluate("document.activeElement.classList.contains('geo-popup-box')"), (
        "focus did not move into the pop-up"
    )
    check_accessibility(page, "geovisor pop-up")
    page.screenshot(path=ARTIFACTS / "geo-popup.png")
    page.keyboard.press("Escape")
    page.wait_for_selector(".leaflet-popup", state="detached")
    assert _focused_matches(page, SHOW), "Escape did not return to the button"


def test_map_with_a_choropleth(page):
    page.goto(MAP)
    page.get_by_label("Población por cantón de Manabí (demostración)").check()
    page.get_by_role("button", name="Actualizar el mapa").click()
    page.wait_for_selector("#geo-leaflet .leaflet-interactive")
    assert "habitantes" in page.locator("#geo-legend").inner_text()
    check_accessibility(page, "geovisor choropleth")
    page.screenshot(path=ARTIFACTS / "geo-choropleth.png", full_page=True)


def test_map_without_javascript(browser, portal):
    context = browser.new_context(
        base_url=portal, locale="es-EC", java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    try:
        page = context.new_page()
        page.goto(MAP)
        assert page.locator("#geo-svg").is_visible()
        assert page.locator("#geo-svg .geo-shape").count() > 60
        assert page.locator(".geo-features tbody tr").count() > 60
        page.screenshot(path=ARTIFACTS / "geo-map-nojs.png", full_page=True)
    finally:
        context.close()


def test_layer_page_and_ogc_pages(page):
    page.goto(LAYER)
    page.wait_for_selector("#geo-leaflet .leaflet-interactive")
    assert "EPSG:32717" in page.locator("#layer-metadata").inner_text()
    check_accessibility(page, "geovisor layer page")
    page.screenshot(path=ARTIFACTS / "geo-layer.png", full_page=True)
    page.goto(OGC)
    check_accessibility(page, "OGC collections")
    page.get_by_role("link", name="Vías rurales de Manabí (demostración)").click()
    page.get_by_role("link", name="Ver los elementos").click()
    assert page.locator("#ogc-items tbody tr").count() == 10
    check_accessibility(page, "OGC items")


def test_geovisor_on_a_360px_screen(mobile_page):
    page = mobile_page
    page.goto(MAP)
    page.wait_for_selector("#geo-leaflet .leaflet-interactive")
    check_accessibility(page, "geovisor 360px")
    assert_no_horizontal_scroll(page)
    page.screenshot(path=ARTIFACTS / "geo-map-360px.png", full_page=True)
    page.goto(LAYER)
    assert_no_horizontal_scroll(page)


@pytest.mark.parametrize("path", [MAP, LAYER])
def test_geovisor_page_budget(page, path):
    resources = page_weight(page, path)
    counted = {"document", "stylesheet", "script"}
    report = format_weight(path, resources, counted)
    slug = "".join(ch if ch.isalnum() else "-" for ch in path.strip("/"))
    (ARTIFACTS / f"weight-{slug}.txt").write_text(report + "\n", encoding="utf-8")
    print(report)
    assert not page.recorder.foreign_requests(), report
    total = sum(r.compressed_bytes for r in resources if r.kind in counted)
    assert total <= PAGE_BUDGET_BYTES, f"{path} weighs {total} B compressed\n{report}"


ADMIN = "admin.manabi@demo.minga.ec"
OFFICE = "/g/manabi/geovisor/gestion/"


def _sign_in_as_admin(page) -> None:
    sign_in_with_code(page, ADMIN, login="/g/manabi/cuenta/ingresar/", target=OFFICE)


def test_official_uploads_a_layer_and_reads_the_report(page):
    import json

    from pyproj import Transformer

    _sign_in_as_admin(page)
    assert page.locator("#office-layers tbody tr").count() == 3
    check_accessibility(page, "geo back office")
    page.locator("#layer-create").click()
    check_accessibility(page, "new layer form")
    x, y = Transformer.from_crs(4326, 32717, always_xy=True).transform(-80.45, -1.05)
    document = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"nombre": "Centro"},
                "geometry": {"type": "Point", "coordinates": [x, y]},
            }
        ],
    }
    upload = {"name": "centros.geojson", "mimeType": "application/geo+json", "buffer": json.dumps(document).encode()}
    page.fill("#id_title", "Centros de salud (prueba)")
    page.set_input_files("#id_file", upload)
    page.locator("main form button[type=submit]").click()
    # The layer is saved and a background job reads the file; the import's page follows it
    # (htmx polls its panel and reloads the page when the job ends) and shows the report.
    page.wait_for_url("**/gestion/importaciones/**")
    report = page.locator("#report-problems")
    report.wait_for(timeout=180_000)  # the worker may first work through what the demo queued
    assert "EPSG" in report.inner_text()
    assert "Centros de salud (prueba)" in page.locator("h1").inner_text()
    check_accessibility(page, "refused upload report")
    page.screenshot(path=ARTIFACTS / "geo-office-report.png", full_page=True)
    page.get_by_role("link", name="Subir otro archivo").click()
    page.fill("#id_crs", "32717")
    page.set_input_files("#id_file", upload)
    page.locator("main form button[type=submit]").click()
    page.locator("#import-summary").wait_for(timeout=180_000)
    assert "EPSG:32717" in page.locator("#import-report").inner_text()
    check_accessibility(page, "import done")
