"""The base map under the works map, a work's page and the geovisor, in a real Chromium: the
demo's fallback (Ecuador's outline, places with names, the government's boundaries) and, on a
second portal configured with a PMTiles file the test writes, vector tiles read with HTTP range
requests. Nothing leaves the portal; screenshots at 360 and 1366 px; the page stays within its
budget at first paint, the renderer loading after it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from bench.portal import Gunicorn
from minga.core.testing_basemap import tiny_pmtiles

from .checks import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    PAGE_BUDGET_BYTES,
    PageRecorder,
    assert_no_horizontal_scroll,
    check_accessibility,
    format_weight,
    page_weight,
    skip_without_chromium,
)

pytestmark = [pytest.mark.browser, skip_without_chromium]

WORKS = "/g/manabi/obras/"
MAP = "/g/manabi/geovisor/"
PMTILES_PATH = "/media/basemap/ecuador-test.pmtiles"
COUNTED = {"document", "stylesheet", "script"}
RENDERER = ("pmtiles.", "protomaps-leaflet.")


@pytest.fixture(scope="module")
def pmtiles_portal(portal_var_dir, tmp_path_factory) -> Iterator[str]:
    """A second portal over a copy of the demo's data, with MINGA_BASEMAP_PMTILES_URL pointing
    at a small PMTiles file in its media folder."""
    var_dir = tmp_path_factory.mktemp("portal-pmtiles")
    shutil.copytree(portal_var_dir, var_dir, dirs_exist_ok=True, ignore=shutil.ignore_patterns("cache", "*.log"))
    target = var_dir / "media" / PMTILES_PATH.removeprefix("/media/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(tiny_pmtiles())
    server = Gunicorn(var_dir, workers=1, extra_env={"MINGA_BASEMAP_PMTILES_URL": PMTILES_PATH}).start()
    try:
        yield server.base_url
    finally:
        server.stop()


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def _open(chromium, base_url: str, width: int):
    options = {"viewport": {"width": width, "height": 900 if width > 600 else 740}}
    if width < 600:
        options.update(device_scale_factor=2, is_mobile=True, has_touch=True)
    context = chromium.new_context(base_url=base_url, locale="es-EC", **options)
    page = context.new_page()
    page.set_default_timeout(20_000)
    return context, page, PageRecorder(page, base_url)


def _wait_for_base_map(page, selector: str, state: str) -> None:
    page.wait_for_selector(f'{selector}[data-basemap="{state}"]')


def _drawn_width(page, selector: str) -> float:
    """The on-screen width of the base map's areas (0 if a page's rules squashed them)."""
    return page.evaluate(
        "(s) => { const svg = document.querySelector(s + ' .leaflet-basemap-pane svg');"
        " return svg ? svg.getBoundingClientRect().width : 0; }",
        selector,
    )


def _first_work(page) -> str:
    return page.locator("table a[href*='/obras/']").first.get_attribute("href")


@pytest.mark.parametrize("width", [1366, 360])
def test_demo_maps_draw_the_fallback_base_map(chromium, portal, width):
    context, page, recorder = _open(chromium, portal, width)
    try:
        page.goto(WORKS)
        _wait_for_base_map(page, "#works-map", "outline")
        # Ecuador and its neighbours as areas, the province's published boundaries, named places.
        assert page.locator("#works-map .leaflet-basemap-pane path").count() >= 3
        assert _drawn_width(page, "#works-map") > 200
        assert page.locator("#works-map .leaflet-basemapLines-pane path").count() >= 10
        names = page.locator("#works-map .basemap-name")
        assert names.count() >= 3
        assert "Portoviejo" in " ".join(names.all_inner_texts())
        assert page.locator("#works-map .leaflet-tile").count() == 0
        assert page.locator("#works-map .leaflet-interactive").count() >= 1  # the works on top
        assert "Natural Earth" in page.locator("#works-map .leaflet-control-attribution").inner_text()
        assert_no_horizontal_scroll(page)
        page.screenshot(path=ARTIFACTS / f"basemap-works-{width}.png", full_page=width > 600)
        page.locator("#works-map").screenshot(path=ARTIFACTS / f"basemap-works-map-{width}.png")
        work = _first_work(page)
        page.goto(work)
        _wait_for_base_map(page, "#works-map", "outline")
        assert page.locator("#works-map .leaflet-basemap-pane path").count() >= 1
        assert _drawn_width(page, "#works-map") > 200
        page.locator("#works-map").scroll_into_view_if_needed()
        page.screenshot(path=ARTIFACTS / f"basemap-work-{width}.png")
        page.goto(MAP)
        _wait_for_base_map(page, "#geo-leaflet", "outline")
        assert page.locator("#geo-leaflet .leaflet-basemap-pane path").count() >= 3
        assert _drawn_width(page, "#geo-leaflet") > 200
        assert page.locator("#geo-leaflet .leaflet-interactive").count() > 60
        if width > 600:
            check_accessibility(page, "geovisor with the base map")
        assert_no_horizontal_scroll(page)
        page.locator("#geo-leaflet").screenshot(path=ARTIFACTS / f"basemap-geovisor-map-{width}.png")
    finally:
        context.close()
    recorder.assert_clean()


def test_geovisor_popup_shows_labels_and_translated_values(chromium, portal):
    context, page, recorder = _open(chromium, portal, 1366)
    try:
        page.goto(MAP)
        _wait_for_base_map(page, "#geo-leaflet", "outline")
        tables = page.locator(".geo-features").all_inner_texts()
        text = " ".join(tables)
        assert "dpa_parroquia" not in text
        assert "implementation" not in text and "completed" not in text
        more = page.get_by_role("link", name="Más sobre Obras públicas")
        if more.count():
            assert more.first.get_attribute("href").startswith("/g/manabi/obras/")
            response = page.request.get(more.first.get_attribute("href"))
            assert response.status == 200
    finally:
        context.close()
    recorder.assert_clean()


def _tile_colours(page, selector: str) -> int:
    """How many distinct colours the base map's canvas tiles hold (sampled)."""
    return page.evaluate(
        """(selector) => {
          const seen = new Set();
          document.querySelectorAll(selector + ' .leaflet-basemap-pane canvas.leaflet-tile').forEach((canvas) => {
            const context = canvas.getContext('2d');
            for (let x = 0; x < canvas.width; x += Math.max(1, Math.floor(canvas.width / 16))) {
              for (let y = 0; y < canvas.height; y += Math.max(1, Math.floor(canvas.height / 16))) {
                const d = context.getImageData(x, y, 1, 1).data;
                if (d[3] > 0) { seen.add(d.join(',')); }
              }
            }
          });
          return seen.size;
        }""",
        selector,
    )


@pytest.mark.parametrize("width", [1366, 360])
def test_configured_pmtiles_file_draws_vector_tiles(chromium, pmtiles_portal, width):
    context, page, recorder = _open(chromium, pmtiles_portal, width)
    ranges = []
    page.on(
        "response",
        lambda response: (
            ranges.append((response.status, response.request.headers.get("range")))
            if response.url.endswith(".pmtiles")
            else None
        ),
    )
    try:
        page.goto(WORKS)
        _wait_for_base_map(page, "#works-map", "vector")
        page.wait_for_function(
            "document.querySelectorAll('#works-map .leaflet-basemap-pane canvas.leaflet-tile').length > 0"
        )
        page.wait_for_timeout(500)
        assert ranges and all(status == 206 and header for status, header in ranges), ranges
        assert _tile_colours(page, "#works-map") >= 2  # land and sea
        assert "OpenStreetMap" in page.locator("#works-map .leaflet-control-attribution").inner_text()
        assert page.locator("#works-map .leaflet-basemapLines-pane").count() == 0  # no fallback drawn
        assert_no_horizontal_scroll(page)
        page.locator("#works-map").screenshot(path=ARTIFACTS / f"basemap-pmtiles-works-{width}.png")
        page.goto(_first_work(page))
        _wait_for_base_map(page, "#works-map", "vector")
        page.goto(MAP)
        _wait_for_base_map(page, "#geo-leaflet", "vector")
        page.wait_for_function(
            "document.querySelectorAll('#geo-leaflet .leaflet-basemap-pane canvas.leaflet-tile').length > 0"
        )
        page.locator("#geo-leaflet").screenshot(path=ARTIFACTS / f"basemap-pmtiles-geovisor-{width}.png")
    finally:
        context.close()
    recorder.assert_clean()


def test_page_weight_at_first_paint_and_with_the_vector_renderer(chromium, pmtiles_portal):
    context, page, recorder = _open(chromium, pmtiles_portal, 1366)
    try:
        resources = page_weight(page, WORKS)
    finally:
        context.close()
    recorder.assert_clean()
    counted = [r for r in resources if r.kind in COUNTED]
    first_paint = sum(r.compressed_bytes for r in counted if not any(name in r.url for name in RENDERER))
    with_map = sum(r.compressed_bytes for r in counted)
    report = format_weight(WORKS, resources, COUNTED)
    report += f"\n  first paint: {first_paint} B; with the vector renderer: {with_map} B (tiles not counted)"
    (ARTIFACTS / "weight-basemap-works.txt").write_text(report + "\n", encoding="utf-8")
    print(report)
    assert any(name in r.url for r in counted for name in RENDERER), report  # loaded after the map
    assert first_paint <= PAGE_BUDGET_BYTES, report
