"""Key journeys of a citizen and an official in a real headless Chromium, against the demo
portal served by gunicorn. axe-core runs on every page visited."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest
from icalendar import Calendar

from .accounts import sign_in_with_code
from .checks import ARTIFACTS, assert_no_horizontal_scroll, check_accessibility, skip_without_chromium

pytestmark = [pytest.mark.browser, skip_without_chromium]

HOME = "/g/manabi/"
ORGCHART = "/g/manabi/institucion/organigrama/"
AGENDA = "/g/manabi/institucion/agenda/"
LOGIN = "/g/manabi/cuenta/ingresar/"
BACKOFFICE = "/g/manabi/gestion/"
EDITOR = "editor.manabi@demo.minga.ec"


def _focused_matches(page, selector: str) -> bool:
    return page.evaluate("(selector) => !!document.activeElement && document.activeElement.matches(selector)", selector)


def _tab_to(page, selector: str, limit: int = 200) -> None:
    """Press Tab until the focused element matches selector, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if _focused_matches(page, selector):
            return
    pytest.fail(f"{selector} was not reached with {limit} presses of Tab on {page.url}")


def test_government_home(page):
    page.goto(HOME)
    check_accessibility(page, "government home")
    assert page.locator("main#main").count() == 1
    headings = page.locator("h1")
    assert headings.count() == 1
    assert "Manabí" in headings.inner_text()
    page.screenshot(path=ARTIFACTS / "home-desktop.png", full_page=True)
    # The skip link is the first thing Tab reaches; following it moves focus into <main>.
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    assert _focused_matches(page, "a.skip-link"), "the first Tab stop is not the skip link"
    assert skip.get_attribute("href") == "#main"
    assert skip.is_visible(), "the skip link does not become visible when focused"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_home_on_a_360px_screen(mobile_page):
    page = mobile_page
    page.goto(HOME)
    check_accessibility(page, "government home 360px")
    assert_no_horizontal_scroll(page)
    page.screenshot(path=ARTIFACTS / "home-360px.png", full_page=True)
    page.goto(ORGCHART)
    check_accessibility(page, "org chart 360px")
    assert_no_horizontal_scroll(page)
    page.screenshot(path=ARTIFACTS / "orgchart-360px.png", full_page=True)


def test_language_switch(page):
    page.goto(HOME)
    assert page.get_attribute("html", "lang") == "es"
    spanish = page.locator("a.skip-link").inner_text()
    page.locator("form.lang-switch button", has_text="English").click()
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert page.url.endswith(HOME), "the switcher did not come back to the same page"
    check_accessibility(page, "government home in English")
    english = page.locator("a.skip-link").inner_text()
    assert english == "Skip to main content"
    assert spanish != english, f"the skip link reads {spanish!r} in Spanish too: untranslated"
    page.locator("form.lang-switch button", has_text="Español").click()
    page.wait_for_function("document.documentElement.lang === 'es'")
    assert page.locator("a.skip-link").inner_text() == spanish


def test_official_signs_in_with_totp_and_reaches_the_back_office(page):
    page.goto(LOGIN)
    check_accessibility(page, "sign in")
    sign_in_with_code(
        page,
        EDITOR,
        login=LOGIN,
        target=BACKOFFICE,
        on_code_page=lambda code_page: check_accessibility(code_page, "two-factor code"),
    )
    check_accessibility(page, "back office")
    assert page.locator("h1").count() == 1
    assert page.locator(".account-nav form button[type=submit]").count() == 1, "no sign-out button once signed in"


def test_agenda_subscription_is_a_valid_calendar(page):
    page.goto(AGENDA)
    check_accessibility(page, "agenda")
    link = page.locator("#agenda-subscribe")
    assert link.count() == 1, "no #agenda-subscribe element on the agenda"
    href = link.get_attribute("href")
    # A webcal:// link (calendar programs subscribe to it) is the same address over HTTP(S).
    url = urljoin(page.url, re.sub(r"^webcal://", "http://", href))
    assert urlsplit(url).hostname == "127.0.0.1", href
    response = page.request.get(url)
    assert response.ok, f"{url}: {response.status}"
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.body())
    events = calendar.walk("VEVENT")
    assert events, f"{href} has no VEVENT"
    assert all(event.get("UID") and event.get("DTSTART") and event.get("SUMMARY") for event in events)


def test_search_updates_results_in_place_with_htmx(page):
    page.goto("/g/manabi/buscar/")
    page.fill("main input[name=q]", "direccion obras publicas")
    with page.expect_response(lambda r: "/buscar/" in r.url and r.request.headers.get("hx-request") == "true"):
        page.keyboard.press("Enter")
    results = page.locator("#search-results")
    results.locator("a").first.wait_for()
    assert "Obras Públicas" in results.inner_text()
    # the address follows the search, so it can be shared and reloaded without JavaScript
    assert "q=direccion" in page.url
    check_accessibility(page, "search results after an htmx update")
