"""Journeys through the pages the CRUD kit drew anew: the one confirm-delete page every module
uses now, the refusal to remove a government's last administrator on its members page, and
the agenda's explanation when a filter names nothing published; at 360 px and on a desktop."""

from __future__ import annotations

import pytest

from .accounts import sign_in_with_code
from .checks import ARTIFACTS, assert_no_horizontal_scroll, check_accessibility

pytestmark = pytest.mark.browser

# An account no other journey signs in with: a two-factor code is accepted once, and the
# journeys share one portal.
ADMIN = "admin.portoviejo@demo.minga.ec"
LISTS = {
    "catalog": "/g/portoviejo/datos/gestion/",
    "institution": "/g/portoviejo/institucion/gestion/unidades/",
}


def test_confirm_delete_and_last_admin(browser, portal):
    # One sign-in for both widths: a two-factor code is accepted once.
    context = browser.new_context(base_url=portal, locale="es-EC", viewport={"width": 360, "height": 800})
    try:
        page = context.new_page()
        sign_in_with_code(page, ADMIN, login="/g/portoviejo/cuenta/ingresar/", target=LISTS["catalog"])
        page.on("dialog", lambda dialog: dialog.accept())
        for width in (360, 1366):
            page.set_viewport_size({"width": width, "height": 800})
            for module, listing in LISTS.items():
                page.goto(listing)
                page.locator("main a[href$='/eliminar/']").first.click()
                page.wait_for_url("**/eliminar/")
                page.screenshot(path=ARTIFACTS / f"confirm-delete-{module}-{width}px.png", full_page=True)
                heading = page.locator("main h1")
                assert heading.count() == 1 and heading.inner_text().startswith("Eliminar")
                # A way back: "Cancelar" beside the button, or "Volver a la lista" under a refusal
                # (a unit others depend on cannot be deleted, and the page says why).
                back = page.get_by_role("link", name="Cancelar", exact=True).or_(
                    page.get_by_role("link", name="Volver a la lista", exact=True)
                )
                assert back.is_visible()
                check_accessibility(page, f"confirm delete {module} {width}px")
                assert_no_horizontal_scroll(page)

            # The only administrator cannot remove their own role: refused on the row, explained.
            page.goto("/g/portoviejo/gestion/personas/")
            page.get_by_role("button", name=f"Quitar {ADMIN}").first.click()
            page.wait_for_load_state()
            page.screenshot(path=ARTIFACTS / f"last-admin-refused-{width}px.png", full_page=True)
            alert = page.locator("#revoke-error")
            assert "administr" in alert.inner_text().lower(), alert.inner_text()
            check_accessibility(page, f"last admin refused {width}px")
            assert_no_horizontal_scroll(page)
    finally:
        context.close()


@pytest.mark.parametrize("width", [360, 1366])
def test_agenda_filter_naming_nothing_says_so(browser, portal, width):
    context = browser.new_context(base_url=portal, locale="es-EC", viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        page.goto("/g/manta/institucion/agenda/lista/?autoridad=nadie-con-este-nombre")
        body = page.locator("main").inner_text()
        check_accessibility(page, f"agenda unknown filter {width}px")
        assert_no_horizontal_scroll(page)
        page.screenshot(path=ARTIFACTS / f"agenda-unknown-filter-{width}px.png", full_page=True)
        assert "nadie-con-este-nombre" in body or "no" in body.lower()
    finally:
        context.close()
