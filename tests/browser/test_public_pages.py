"""axe-core over the public pages that are not part of a longer journey, including the
states people meet when something goes wrong (a form with errors, a page that does not exist,
a search without results)."""

from __future__ import annotations

import pytest

from .checks import check_accessibility, skip_without_chromium

pytestmark = [pytest.mark.browser, skip_without_chromium]

PAGES = [
    ("platform home", "/"),
    ("authorities", "/g/manabi/institucion/autoridades/"),
    ("search with results", "/g/manabi/buscar/?q=manabi"),
    ("search without results", "/g/manabi/buscar/?q=zzzxqv"),
    ("API documentation", "/g/manabi/api/v1/docs/"),
    ("sign up", "/g/manabi/cuenta/registro/"),
    ("password reset", "/g/manabi/cuenta/clave/olvido/"),
    ("canton home", "/g/portoviejo/"),
]


@pytest.mark.parametrize(("label", "path"), PAGES, ids=[label for label, _ in PAGES])
def test_public_page_is_accessible(page, label, path):
    response = page.goto(path)
    assert response.status == 200, f"{path}: {response.status}"
    assert page.locator("h1").count() == 1, f"{path} has not exactly one <h1>"
    check_accessibility(page, label)


def test_not_found_page_is_accessible(page):
    page.recorder.expected_errors.add("/g/manabi/no-existe/")
    response = page.goto("/g/manabi/no-existe/")
    assert response.status == 404
    check_accessibility(page, "not found")


def test_sign_in_errors_are_accessible(page):
    page.goto("/g/manabi/cuenta/ingresar/")
    page.fill("#id_email", "nadie@demo.minga.ec")
    page.fill("#id_password", "not-the-password")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("#form-errors")
    check_accessibility(page, "sign in with an error")
    # An empty form: errors tied to their fields.
    page.fill("#id_email", "")
    page.fill("#id_password", "")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("#id_email_error")
    assert "id_email_error" in (page.get_attribute("#id_email", "aria-describedby") or "")
    check_accessibility(page, "sign in with field errors")
