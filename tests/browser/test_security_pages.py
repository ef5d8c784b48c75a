"""Journeys through the pages the security fixes added: the public page of signed audit chain
heads, a government's request for its own host name (refused for the platform's own host,
pending for a real one) and the operator's approval, at 360 px and on a desktop."""

from __future__ import annotations

import pytest

from .accounts import sign_in_with_code
from .checks import ARTIFACTS, assert_no_horizontal_scroll, check_accessibility

pytestmark = pytest.mark.browser

MANTA_ADMIN = "admin.manta@demo.minga.ec"
OPERATOR = "plataforma@demo.minga.ec"
PROFILE = "/g/manta/gestion/gobierno/"
HOSTS = "/plataforma/dominios/"


@pytest.mark.parametrize("width", [360, 1366])
def test_public_chain_heads(browser, portal, width):
    context = browser.new_context(base_url=portal, locale="es-EC", viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        page.goto("/")
        page.locator(f"a[href='{'/auditoria/cabezas/'}']").first.click()
        page.wait_for_url("**/auditoria/cabezas/")
        check_accessibility(page, f"audit heads {width}px")
        assert_no_horizontal_scroll(page)
        body = page.locator("main").inner_text()
        assert "Manabí" in body  # the demo signs a checkpoint of its chains
        page.screenshot(path=ARTIFACTS / f"audit-heads-{width}px.png", full_page=True)
        feed = page.request.get("/auditoria/cabezas.json").json()
        assert feed["checkpoints"] and feed["checkpoints"][0]["signature"]
    finally:
        context.close()


def test_host_request_refused_then_approved(browser, portal):
    admin_context = browser.new_context(base_url=portal, locale="es-EC", viewport={"width": 360, "height": 740})
    operator_context = browser.new_context(base_url=portal, locale="es-EC", viewport={"width": 1366, "height": 900})
    try:
        admin = admin_context.new_page()
        sign_in_with_code(admin, MANTA_ADMIN, login="/g/manta/cuenta/ingresar/", target=PROFILE)
        admin.fill("#id_hosts_text", "127.0.0.1")
        admin.locator("main form button[type=submit]").first.click()
        error = admin.locator("#id_hosts_text").locator("xpath=..").inner_text()
        assert "plataforma" in error, error
        assert admin.locator("#id_hosts_text").input_value() == "127.0.0.1"  # what was typed stays
        check_accessibility(admin, "host name refused 360px")
        assert_no_horizontal_scroll(admin)
        admin.screenshot(path=ARTIFACTS / "host-refused-360px.png", full_page=True)

        admin.fill("#id_hosts_text", "transparencia.manta.gob.ec")
        admin.locator("main form button[type=submit]").first.click()
        admin.wait_for_load_state()
        assert "transparencia.manta.gob.ec" in admin.locator("main").inner_text()
        admin.goto(PROFILE)
        assert "pendiente de aprobación" in admin.locator("main").inner_text()
        admin.screenshot(path=ARTIFACTS / "host-pending-360px.png", full_page=True)

        operator = operator_context.new_page()
        sign_in_with_code(operator, OPERATOR, login="/cuenta/ingresar/", target=HOSTS)
        check_accessibility(operator, "host names awaiting approval")
        assert_no_horizontal_scroll(operator)
        operator.screenshot(path=ARTIFACTS / "hosts-pending-1366px.png", full_page=True)
        operator.get_by_role("button", name="Aprobar transparencia.manta.gob.ec").click()
        operator.wait_for_url(f"**{HOSTS}")
        approved = operator.locator("main").inner_text()
        assert "transparencia.manta.gob.ec" in approved.split("Aprobados", 1)[-1] or "Aprobado" in approved
        operator.screenshot(path=ARTIFACTS / "hosts-approved-1366px.png", full_page=True)
    finally:
        admin_context.close()
        operator_context.close()
