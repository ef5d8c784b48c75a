"""Citizen participation in a real headless Chromium against the demo portal: a citizen finds
the participatory budget in the list, filters by kind, opens the process and sees the phase on
now and what can be done; the same pages at 360 px without sideways scrolling. An official
opens the consultation whose voting has started, sees its voting rules fixed, adds a second
voting round and is refused, in Spanish. axe-core runs on every page."""

from __future__ import annotations

import re

import pytest

from .accounts import sign_in_with_code
from .checks import ARTIFACTS, check_accessibility, skip_without_chromium

pytestmark = [pytest.mark.browser, skip_without_chromium]

LIST = "/g/manabi/participacion/"
# An editor of every module of Manta: other journeys sign in as Manabí's and Portoviejo's, and
# a two-factor code is accepted once.
OFFICIAL = "editor.manta@demo.minga.ec"
OFFICE = "/g/manta/participacion/gestion/"


def test_citizen_finds_a_process_and_what_to_do_now(page):
    page.goto(LIST)
    check_accessibility(page, "participation list")
    assert page.locator("h1").count() == 1
    ongoing = page.locator("#processes-ongoing .process-card")
    assert ongoing.count() == 2 and page.locator("#processes-finished .process-card").count() == 1
    page.screenshot(path=ARTIFACTS / "participation-list.png", full_page=True)

    page.select_option("#f-tipo", "participatory_budget")
    page.locator("#process-filters button[type=submit]").click()
    page.wait_for_load_state()
    assert "tipo=participatory_budget" in page.url
    assert page.locator("#processes-ongoing .process-card").count() == 1
    check_accessibility(page, "participation list filtered")

    page.locator("#processes-ongoing .process-card h3 a").first.click()
    page.wait_for_load_state()
    assert re.search(r"/participacion/presupuesto-participativo-\d{4}/$", page.url)
    current = page.locator('.phase-timeline li[aria-current="step"]')
    assert current.count() == 1 and "Apoyos" in current.inner_text()
    assert "Apoyar" in page.locator("#ahora").inner_text()
    assert page.locator(".phase-timeline li").count() == 5
    check_accessibility(page, "participatory process")
    page.screenshot(path=ARTIFACTS / "participation-process.png", full_page=True)


def test_participation_pages_at_360_px(mobile_page):
    for path in (LIST, LIST + "consulta-movilidad/"):
        mobile_page.goto(path)
        check_accessibility(mobile_page, f"participation mobile {path}")
        width = mobile_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} scrolls sideways ({width}px)"
    assert mobile_page.locator('.phase-timeline li[aria-current="step"]').count() == 1
    mobile_page.screenshot(path=ARTIFACTS / "participation-mobile.png", full_page=True)


def test_official_cannot_change_the_voting_rules_once_voting_opened(page):
    sign_in_with_code(page, OFFICIAL, login="/g/manta/cuenta/ingresar/", target=OFFICE)
    check_accessibility(page, "participation back office")
    row = page.locator("tr", has_text="Consulta sobre movilidad")
    row.get_by_role("link", name=re.compile("^Editar")).click()
    page.wait_for_load_state()
    assert page.locator("#voting-locked").count() == 1 and page.locator(".phase-locked").count() == 1
    assert page.locator("#id_setting_verification_vote").is_disabled()
    check_accessibility(page, "participation edit form, voting open")

    page.get_by_role("button", name="Añadir otra fase").click()
    page.wait_for_load_state()
    blank = page.locator(".phase-fieldset").nth(3)
    blank.locator("input[name$='-title']").fill("Segunda vuelta")
    blank.locator("input[name$='-starts_at']").fill(page.locator("#id_fases-2-starts_at").input_value())
    blank.locator("input[name$='-ends_at']").fill(page.locator("#id_fases-2-ends_at").input_value())
    blank.get_by_label("Votar", exact=True).check()
    page.get_by_role("button", name="Guardar").click()
    page.wait_for_load_state()
    errors = page.locator("#form-errors").inner_text()
    assert "ya no pueden cambiar" in errors and "Segunda vuelta" in errors
    assert page.locator("input[value='Segunda vuelta']").count() == 1  # what was typed is kept
    check_accessibility(page, "participation edit form, change refused")
    page.screenshot(path=ARTIFACTS / "participation-refused.png", full_page=True)
