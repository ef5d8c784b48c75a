"""Journeys through identity verification: a person registers their cédula on “Verificar mi
identidad” (a wrong number first), and an official uploads a census roll and verifies a person
at a desk, at 360 px, with axe-core on every page."""

from __future__ import annotations

import pytest

from .accounts import DEMO_PASSWORD, sign_in_with_code
from .checks import ARTIFACTS, assert_no_horizontal_scroll, check_accessibility

pytestmark = pytest.mark.browser

MANTA_ADMIN = "admin.manta@demo.minga.ec"
CITIZEN = "ciudadania2@demo.minga.ec"
OFFICE = "/g/manta/gestion/verificacion/"
IDENTITY = "/g/manta/cuenta/identidad/"


def _cedula(serial: int) -> str:
    body = f"131{serial:06d}"
    total = 0
    for index, digit in enumerate(body):
        product = int(digit) * (2 if index % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return body + str((10 - total % 10) % 10)


def _checked(page, label: str) -> None:
    check_accessibility(page, label)
    assert_no_horizontal_scroll(page)
    page.screenshot(path=ARTIFACTS / f"{label.replace(' ', '-')}.png", full_page=True)


def test_a_person_registers_their_cedula(mobile_page):
    page = mobile_page
    page.goto(f"/g/manta/cuenta/ingresar/?next={IDENTITY}")
    page.fill("#id_email", CITIZEN)
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{IDENTITY}")
    _checked(page, "identity 360px")
    page.fill("#id_cedula", "1710034064")
    page.get_by_role("button", name="Registrar mi cédula").click()
    assert "el último dígito no corresponde" in page.locator("main").inner_text()
    assert page.locator("#id_cedula").input_value() == "1710034064"  # what was typed stays
    _checked(page, "identity error 360px")
    page.fill("#id_cedula", _cedula(424242))
    page.get_by_role("button", name="Registrar mi cédula").click()
    page.wait_for_url(f"**{IDENTITY}")
    body = page.locator("main").inner_text()
    assert "registrada" in body and _cedula(424242) not in page.content()


def test_an_official_uploads_a_roll_and_verifies_at_a_desk(browser, portal):
    context = browser.new_context(base_url=portal, locale="es-EC", viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        sign_in_with_code(page, MANTA_ADMIN, login="/g/manta/cuenta/ingresar/", target=OFFICE)
        _checked(page, "verification office 360px")
        page.get_by_role("link", name="Subir un padrón").first.click()
        _checked(page, "census upload 360px")
        page.fill("#id_label", "Padrón de prueba")
        rows = "\n".join(["cedula;territorio", f"{_cedula(1)};130850", f"{_cedula(2)};130850", "1710034064;130850"])
        page.set_input_files(
            "#id_file", files=[{"name": "padron.csv", "mimeType": "text/csv", "buffer": rows.encode()}]
        )
        page.get_by_role("button", name="Revisar y cargar").click()
        page.wait_for_url("**/gestion/verificacion/padron/*/")
        body = page.locator("main").inner_text()
        assert "Padrón de prueba" in body and "el último dígito no corresponde" in body
        _checked(page, "census roll 360px")

        page.goto(f"{OFFICE}ventanilla/")
        _checked(page, "desk 360px")
        page.fill("#id_email", "ciudadania1@demo.minga.ec")
        page.fill("#id_cedula", _cedula(777))
        page.fill("#id_place", "Ventanilla única de Manta")
        page.get_by_role("button", name="Verificar", exact=True).click()
        page.wait_for_url("**/ventanilla/?lugar=*")
        assert "quedó verificado" in page.locator("main").inner_text()
        assert page.locator("#id_place").input_value() == "Ventanilla única de Manta"
        page.goto(f"{OFFICE}personas/")
        assert "ciudadania1@demo.minga.ec" in page.locator("main").inner_text()
        _checked(page, "people verified 360px")
    finally:
        context.close()
