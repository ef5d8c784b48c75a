"""A citizen follows a dataset and manages the notices, in a real headless Chromium against the
demo portal: the follow button loads on the cached dataset page and follows in place (htmx),
the header shows the notifications link, "My notifications" lists what the person follows and
stops following it, and the notice settings are saved. axe-core runs on every page."""

from __future__ import annotations

import re

import pytest

from .accounts import DEMO_PASSWORD
from .checks import check_accessibility, skip_without_chromium

pytestmark = [pytest.mark.browser, skip_without_chromium]

CITIZEN = "ciudadania1@demo.minga.ec"
LOGIN = "/g/manabi/cuenta/ingresar/"


def test_follow_a_dataset_and_manage_the_notices(page, portal):
    page.goto(f"{LOGIN}?next=/g/manabi/datos/")
    page.fill("#id_email", CITIZEN)
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/g/manabi/datos/")
    page.goto("/g/manabi/datos/?q=ejecucion+presupuestaria")
    page.locator(".dataset-item h2 a", has_text=re.compile(r"^Ejecución presupuestaria")).first.click()
    page.wait_for_load_state()
    dataset = page.url.split(portal, 1)[1]

    # htmx swapped the link for the person's button; following replaces it in place.
    button = page.locator(".follow-box button.follow-button")
    button.wait_for()
    assert "Seguir" in button.inner_text()
    button.click()
    page.locator(".follow-box button.follow-button", has_text="Dejar de seguir").wait_for()
    assert page.url.split(portal, 1)[1] == dataset  # no page change
    check_accessibility(page, "dataset followed")

    # The province's catalog also lists its cantons' datasets: the notices are the portal's own.
    portal_root = dataset.split("/datos/", 1)[0]
    page.locator("#notice-bell").click()
    page.wait_for_url(f"**{portal_root}/notificaciones/")
    assert page.locator("h1").inner_text() == "Mis notificaciones"
    assert "Ejecución presupuestaria" in page.locator(".follow-list").inner_text()
    check_accessibility(page, "my notifications")

    page.locator("a", has_text="Cómo recibe los avisos").first.click()
    page.wait_for_url("**/cuenta/avisos/")
    check_accessibility(page, "notice settings")
    page.locator('input[type=radio][value="weekly"]').first.check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/cuenta/avisos/")
    assert page.locator('input[type=radio][value="weekly"]').first.is_checked()

    page.goto(f"{portal_root}/notificaciones/")
    followed = page.locator(".follow-list li", has_text="Ejecución presupuestaria")
    with page.expect_navigation():
        followed.locator("button", has_text="Dejar de seguir").click()
    assert "Ya no sigue" in page.locator(".messages").inner_text()
    assert page.locator(".follow-list li", has_text="Ejecución presupuestaria").count() == 0
