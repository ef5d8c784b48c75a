"""Phone first: the main menu folds behind one button that works without JavaScript
(details/summary); on the catalog and contracting search pages the results come before the
facets, which fold into a panel on phones and stand beside the results on a desktop; long
pages (budget, geovisor) open with an "On this page" list of anchors."""

from __future__ import annotations

import pytest

from .checks import ARTIFACTS, check_accessibility, skip_without_chromium

pytestmark = [pytest.mark.browser, skip_without_chromium]

HOME = "/g/manabi/"
SEARCH_PAGES = {"catalog": "/g/manabi/datos/", "contracting": "/g/manabi/contratacion/"}
LONG_PAGES = {"budget": "/g/manabi/presupuesto/", "geovisor": "/g/manabi/geovisor/"}


@pytest.fixture
def page_without_script(browser, portal):
    context = browser.new_context(
        base_url=portal, locale="es-EC", java_script_enabled=False, viewport={"width": 360, "height": 740}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _box(page, selector: str) -> dict:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not displayed on {page.url}"
    return box


def test_main_menu_folds_behind_one_button_on_phones(mobile_page):
    page = mobile_page
    page.goto(HOME)
    menu = page.locator(".main-nav details.nav-menu")
    assert menu.locator("summary").is_visible()
    assert not page.locator(".main-nav .nav-bar").is_visible(), "the desktop bar shows on a phone"
    sections = menu.get_by_role("link", name="Datos abiertos")
    assert not sections.is_visible(), "the sections show before the menu is opened"
    header_height = _box(page, "header.site-header")["height"]
    assert header_height < 250, f"the header takes {header_height:.0f} px of a 740 px phone screen"
    menu.locator("summary").click()
    assert sections.is_visible()
    check_accessibility(page, "main menu open 360px")
    page.screenshot(path=ARTIFACTS / "menu-open-360px.png")
    sections.click()
    page.wait_for_url("**/datos/")


def test_main_menu_works_without_javascript(page_without_script):
    page = page_without_script
    page.goto(HOME)
    summary = page.locator(".main-nav details.nav-menu summary")
    link = page.locator(".main-nav details.nav-menu").get_by_role("link", name="Datos abiertos")
    assert not link.is_visible()
    summary.click()
    assert link.is_visible()


def test_main_menu_is_a_bar_on_a_desktop(page):
    page.goto(HOME)
    assert not page.locator(".main-nav details.nav-menu").is_visible()
    bar = page.locator(".main-nav .nav-bar")
    assert bar.get_by_role("link", name="Datos abiertos").is_visible()
    # One set of section links for assistive technology: the folded copy is not exposed.
    assert page.locator(".main-nav").get_by_role("link", name="Datos abiertos", exact=True).count() == 1


@pytest.mark.parametrize("name", SEARCH_PAGES)
def test_results_come_before_facets_on_phones(mobile_page, name):
    page = mobile_page
    page.goto(SEARCH_PAGES[name])
    panel = page.locator("details.facets-panel")
    facet = page.locator("a[data-facet]").first
    assert not facet.is_visible(), "the facets are not folded on a phone"
    results = _box(page, "#result-count")
    assert results["y"] < _box(page, "details.facets-panel > summary")["y"], "the facets come before the results"
    assert results["y"] < 1000, f"the results start {results['y']:.0f} px down the page"
    # "Filter the results" at the top of the results opens the panel and goes to it.
    page.locator(".to-facets a").click()
    assert panel.evaluate("el => el.open")
    assert facet.is_visible()
    check_accessibility(page, f"{name} facets open 360px")
    page.screenshot(path=ARTIFACTS / f"facets-open-{name}-360px.png")


@pytest.mark.parametrize("name", SEARCH_PAGES)
def test_facets_stand_beside_the_results_on_a_desktop(page, name):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(SEARCH_PAGES[name])
    assert not page.locator("details.facets-panel > summary").is_visible()
    assert not page.locator(".to-facets").is_visible()
    facets = _box(page, "a[data-facet]")
    results = _box(page, "#result-count")
    assert facets["x"] + facets["width"] <= results["x"], "the facets are not a column left of the results"


def test_facets_without_javascript_are_open_after_the_results(page_without_script):
    page = page_without_script
    page.goto(SEARCH_PAGES["contracting"])
    facet = page.locator("a[data-facet]").first
    assert facet.is_visible()
    assert _box(page, "#result-count")["y"] < _box(page, "a[data-facet]")["y"]


@pytest.mark.parametrize("name", LONG_PAGES)
def test_long_pages_have_in_page_navigation(mobile_page, name):
    page = mobile_page
    page.goto(LONG_PAGES[name])
    toc = page.locator("nav.page-toc")
    assert toc.is_visible() and toc.get_attribute("aria-labelledby")
    anchors = toc.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert len(anchors) >= 3, anchors
    for anchor in anchors:
        assert anchor.startswith("#") and page.locator(anchor).count() == 1, f"{anchor} leads nowhere"
    toc.locator("a").last.click()
    target = _box(page, anchors[-1])
    assert 0 <= target["y"] < 740, "following the last anchor did not bring its section into view"
