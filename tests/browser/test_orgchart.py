"""The organisation chart as a citizen meets it, at 360 px (touch) and 1366 px (mouse and
keyboard): a drawn tree (boxes, lines, the heads' names) scrolling inside its own box while the
page never slides sideways; a pop-up on hover, focus and tap; one Tab stop per unit, in the
chart's order; Enter opens the unit's page; the nested list stays for screen readers. axe runs
at both widths."""

from __future__ import annotations

import pytest

from .checks import ARTIFACTS, CHROMIUM, PageRecorder, assert_no_horizontal_scroll, check_accessibility

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"browser journeys skipped: {CHROMIUM} not found"),
]

ORGCHART = "/g/manabi/institucion/organigrama/"
BOX = "#orgchart-svg a.orgchart-box"


@pytest.fixture
def wide_page(browser, portal):
    context = browser.new_context(base_url=portal, locale="es-EC", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.recorder = PageRecorder(page, portal)
    yield page
    context.close()
    page.recorder.assert_clean()


def _focused_id(page) -> str:
    return page.evaluate("() => document.activeElement ? document.activeElement.id : ''")


def _open_pop(page):
    return page.locator(".orgchart-pop:not([hidden])")


def _the_drawing(page, label: str) -> list[str]:
    page.goto(ORGCHART)
    check_accessibility(page, label)
    assert_no_horizontal_scroll(page)
    boxes = page.locator(BOX)
    ids = boxes.evaluate_all("(nodes) => nodes.map((node) => node.id)")
    assert len(ids) > 10, f"the demo's chart draws {len(ids)} units"
    # Every unit of the nested list has its box, with lines between them and the heads' names.
    assert page.locator("#orgchart a.orgchart-unit").count() == len(ids)
    assert page.locator("#orgchart-svg .orgchart-lines path").count() >= len(ids) - 1
    assert page.locator("#orgchart-svg .orgchart-box-head").count() > 0
    assert page.locator("#orgchart-svg [data-level='3']").count() > 0
    # The nested list is still there for screen readers, out of sight and out of the Tab order.
    assert page.locator("#orgchart-list.visually-hidden").count() == 1
    assert page.locator("#orgchart-list a:not([tabindex='-1'])").count() == 0
    return ids


def test_orgchart_at_1366_px_with_mouse_and_keyboard(wide_page):
    page = wide_page
    ids = _the_drawing(page, "org chart 1366px")
    page.screenshot(path=ARTIFACTS / "orgchart-1366px.png", full_page=True)
    # Hover shows the unit's pop-up.
    page.hover(f"#{ids[1]}")
    pop = _open_pop(page)
    pop.wait_for(state="visible")
    assert pop.count() == 1 and len(pop.inner_text()) > 20
    page.mouse.move(1, 1)
    pop.wait_for(state="hidden")
    # Keyboard: Tab reaches the first box, then each box in turn (one stop per unit).
    page.locator("h1").click()
    for _ in range(200):
        page.keyboard.press("Tab")
        if _focused_id(page) == ids[0]:
            break
    else:
        pytest.fail("Tab never reached the first unit of the chart")
    visited = [ids[0]]
    _open_pop(page).wait_for(state="visible")
    for _ in ids[1:]:
        page.keyboard.press("Tab")
        visited.append(_focused_id(page))
    assert visited == ids, "Tab does not stop once on each unit in the chart's order"
    title = _open_pop(page).locator(".orgchart-pop-title").inner_text()
    check_accessibility(page, "org chart 1366px with a pop-up open")
    page.screenshot(path=ARTIFACTS / "orgchart-1366px-popup.png")
    page.keyboard.press("Escape")
    _open_pop(page).wait_for(state="hidden")
    assert _focused_id(page) == ids[-1]
    # Enter opens the unit's page.
    href = page.get_attribute(f"#{ids[-1]}", "href")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{href}")
    assert page.locator("h1").inner_text().strip() in title


def test_orgchart_at_360_px_scrolls_in_its_box_and_answers_taps(mobile_page):
    page = mobile_page
    ids = _the_drawing(page, "org chart 360px")
    widths = page.evaluate(
        "() => { const box = document.querySelector('.orgchart-scroll');"
        " return [box.scrollWidth, box.clientWidth, box.getBoundingClientRect().right]; }"
    )
    assert widths[0] > widths[1], "the chart is no wider than a phone: nothing to scroll"
    assert widths[2] <= 360
    page.screenshot(path=ARTIFACTS / "orgchart-360px-chart.png", full_page=True)
    # A first tap shows the pop-up and stays on the page; a second tap opens the unit's page.
    target = page.locator(f"#{ids[0]}")
    target.tap()
    pop = _open_pop(page)
    pop.wait_for(state="visible")
    assert page.url.endswith(ORGCHART)
    assert_no_horizontal_scroll(page)
    check_accessibility(page, "org chart 360px with a pop-up open")
    page.screenshot(path=ARTIFACTS / "orgchart-360px-popup.png")
    href = target.get_attribute("href")
    target.tap()
    page.wait_for_url(f"**{href}")
