"""A citizen following the public works, in a real headless Chromium against the demo portal:
the map page (SVG without tiles turned into a Leaflet map), a filter by flag, the project
page with its timeline and money, and a signed-in observation and reply in core's comment
thread (htmx); then the same pages at 360 px.
axe-core runs on every page."""

from __future__ import annotations

import pytest

from .accounts import DEMO_PASSWORD, sign_in_with_code
from .checks import ARTIFACTS, PAGE_BUDGET_BYTES, check_accessibility, page_weight, skip_without_chromium

pytestmark = [pytest.mark.browser, skip_without_chromium]

WORKS = "/g/manabi/obras/"
LOGIN = "/g/manabi/cuenta/ingresar/"
CITIZEN = "ciudadania1@demo.minga.ec"
COUNTED = {"document", "stylesheet", "script"}
# An editor (of every module in the demo); the admin signs in in other journeys, and a TOTP code
# is accepted once.
OFFICIAL = "editor.manabi@demo.minga.ec"
NEW_PROJECT = "/g/manabi/obras/gestion/proyectos/nuevo/"


def test_map_list_project_and_comment(page, browser, portal):
    page.goto(WORKS)
    check_accessibility(page, "works map")
    # Leaflet replaced the drawing once the GeoJSON arrived; the table is there either way.
    page.wait_for_selector("#works-map.leaflet-container .leaflet-interactive")
    assert page.locator("#works-table tbody tr").count() >= 60
    page.screenshot(path=ARTIFACTS / "works-map.png", full_page=True)

    page.check('input[name="alerta"][value="brecha"]')
    page.locator("#works-filters button[type=submit]").click()
    page.wait_for_load_state()
    rows = page.locator("#works-table tbody tr")
    assert 0 < rows.count() < 60
    check_accessibility(page, "works filtered")

    rows.first.locator("th a").click()
    page.wait_for_load_state()
    assert page.locator("h1").count() == 1 and page.locator("#project-flags").count() == 1
    assert page.locator("#timeline li").count() >= 1 and page.locator("#budget-lines li").count() >= 1
    check_accessibility(page, "works project")
    page.screenshot(path=ARTIFACTS / "works-project.png", full_page=True)
    project_path = page.url.split(portal, 1)[1]

    page.goto(f"{LOGIN}?next={project_path}")
    page.fill("#id_email", CITIZEN)
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{project_path}")
    # Core's comment thread: htmx posts the form and swaps the thread in place.
    page.check("#comment-works-project-kind_1")  # a field observation
    page.fill("#comment-works-project-body", "Observación de prueba: la cuneta está tapada.")
    page.locator(".comment-form button[type=submit]").click()
    page.wait_for_selector(".comment-thread .comment-body >> text=la cuneta está tapada")
    assert "Su comentario está publicado." in page.locator(".comment-thread [role=status]").inner_text()
    check_accessibility(page, "works project signed in")
    mine = page.locator(".comment-thread li.comment", has_text="la cuneta está tapada").first
    mine.locator("summary", has_text="Responder").click()
    mine.locator("textarea[name=body]").fill("Y también falta señalización.")
    mine.locator("button", has_text="Publicar la respuesta").click()
    page.wait_for_selector(".comment-replies .comment-body >> text=falta señalización")
    assert page.url.split(portal, 1)[1] == project_path  # no page load: the thread was swapped
    check_accessibility(page, "works project with a reply")


def test_works_pages_at_360_px_and_within_budget(mobile_page, browser, portal):
    # demo-006 has comments, an official answer, a reply and a hidden comment
    for path in (WORKS, WORKS + "planificacion/", WORKS + "demo-006/"):
        mobile_page.goto(path)
        check_accessibility(mobile_page, f"works mobile {path}")
        width = mobile_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} scrolls sideways ({width}px)"
    mobile_page.screenshot(path=ARTIFACTS / "works-mobile.png", full_page=True)
    context = browser.new_context(base_url=portal, locale="es-EC")
    try:
        resources = page_weight(context.new_page(), WORKS)
    finally:
        context.close()
    total = sum(r.compressed_bytes for r in resources if r.kind in COUNTED)
    assert total <= PAGE_BUDGET_BYTES, f"{WORKS} weighs {total} B compressed"


def _sign_in_official(page, next_path: str) -> None:
    sign_in_with_code(page, OFFICIAL, login=LOGIN, target=next_path)


def test_official_picks_a_budget_line_and_a_process_for_a_project(page):
    _sign_in_official(page, NEW_PROJECT)
    check_accessibility(page, "works project form")
    page.fill("#link-q", "vías")
    page.wait_for_selector("#link-result-list li button")
    check_accessibility(page, "works project form with link results")
    first = page.locator("#link-result-list li").first
    key = first.locator(".link-key").inner_text()
    first.locator("button").click()
    page.wait_for_function("key => document.querySelector('#id_budget_lines').value.includes(key)", arg=key)
    assert key in page.locator("#link-status").inner_text()
    page.select_option("#link-tipo", "proceso")
    page.fill("#link-q", "obra")
    page.wait_for_selector("#link-result-list li .link-key >> text=/^ocds-/")
    page.locator("#link-result-list li button").first.click()
    page.wait_for_function("() => document.querySelector('#id_ocids').value.startsWith('ocds-')")
    assert page.url.endswith(NEW_PROJECT)  # searching and adding never submitted the project form
    page.screenshot(path=ARTIFACTS / "works-link-picker.png", full_page=True)
