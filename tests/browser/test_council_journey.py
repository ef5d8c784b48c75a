"""The Open Council in a real headless Chromium, at 1366 px and at 360 px: a citizen follows an
ordinance from presentation to publication and reads what a version changed, finds the next
session, asks for the silla vacía on its first item with the act of the assembly that chose
her, comments on an article of an ordinance in debate quoting a passage of it, the
secretariat accredits her in the back office, and she sees the decision in the public
registry and in her notifications; the secretariat's screens for sessions, the silla vacía,
comments per article and the effectiveness review are looked at on the way. axe-core and the page width are checked on every page
visited.

The accounts (a citizen with a registered cédula, the secretariat's editor with two-factor)
are set up in the portal's database by `portal_setup.py`; every action goes through the pages."""

from __future__ import annotations

import re

import pytest

from .accounts import DEMO_PASSWORD, sign_in_with_code
from .checks import ARTIFACTS, PageRecorder, assert_no_horizontal_scroll, check_accessibility, skip_without_chromium
from .portal_setup import run

pytestmark = [pytest.mark.browser, skip_without_chromium]

GOVERNMENT = "manabi"
ROOT = f"/g/{GOVERNMENT}"
LOGIN = f"{ROOT}/cuenta/ingresar/"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


class Journey:
    def __init__(self, browser, portal: str, width: int):
        self.browser, self.portal, self.width = browser, portal, width
        self.contexts: list = []
        self.recorders: list[PageRecorder] = []

    def page(self):
        options = {"viewport": {"width": self.width, "height": 900 if self.width > 400 else 740}}
        if self.width <= 400:
            options.update(device_scale_factor=2, is_mobile=True, has_touch=True)
        context = self.browser.new_context(base_url=self.portal, locale="es-EC", **options)
        page = context.new_page()
        page.set_default_timeout(15_000)
        self.contexts.append(context)
        self.recorders.append(PageRecorder(page, self.portal))
        return page

    def check(self, page, label: str) -> None:
        label = f"{label} {self.width}px"
        check_accessibility(page, f"council {label}")
        assert_no_horizontal_scroll(page)
        page.screenshot(path=ARTIFACTS / f"council-{label.replace(' ', '-')}.png", full_page=True, caret="initial")

    def close(self) -> None:
        for context in self.contexts:
            context.close()
        for recorder in self.recorders:
            recorder.assert_clean()


@pytest.mark.parametrize("width", [1366, 360])
def test_a_citizen_follows_an_ordinance_and_takes_the_silla_vacia(browser, portal, portal_var_dir, tmp_path, width):
    setup = run(portal_var_dir, f"council_journey({GOVERNMENT!r}, 'concejo{width}')")
    journey = Journey(browser, portal, width)
    try:
        # 1. An ordinance from presentation to publication, and what a debate changed.
        page = journey.page()
        page.goto(f"{ROOT}/concejo/")
        journey.check(page, "council home")
        page.locator("nav.section-nav").get_by_role("link", name="Actos del concejo").click()
        page.wait_for_url("**/concejo/actos/")
        page.goto(f"{ROOT}/concejo/actos/{setup['act']}/")
        path = page.locator("ol.stage-path")
        assert path.locator("li.stage-done").first.inner_text().startswith("Presentado")
        assert path.locator("li").last.inner_text().startswith("Publicado")
        assert "stage-done" in path.locator("li").last.get_attribute("class")
        journey.check(page, "published act")
        page.locator("ol.act-versions").get_by_role("link", name=re.compile("^Qué cambió")).last.click()
        page.wait_for_url(re.compile(r"/cambios/\?de=\d+&a=\d+"))
        assert page.locator("ins, del").count() > 0
        journey.check(page, "what changed")

        # 2. The next session, and the silla vacía on its first item.
        citizen = journey.page()
        sessions = f"{ROOT}/concejo/sesiones/"
        citizen.goto(f"{LOGIN}?next={sessions}")
        citizen.fill("#id_email", setup["citizen"])
        citizen.fill("#id_password", DEMO_PASSWORD)
        citizen.locator("main form button[type=submit]").click()
        citizen.wait_for_url(f"**{sessions}")
        journey.check(citizen, "sessions")
        citizen.get_by_role("link", name=setup["session_title"]).first.click()
        citizen.wait_for_url(f"**/concejo/sesiones/{setup['session']}/")
        journey.check(citizen, "convened session")
        citizen.get_by_role("link", name=re.compile("^Solicitar la silla vacía")).first.click()
        citizen.wait_for_url(f"**/puntos/{setup['item']}/silla-vacia/")
        document = tmp_path / "acta-asamblea.pdf"
        document.write_bytes(PDF)
        name = f"Rosa Zambrano Loor ({width})"  # the two widths share the portal's registry
        citizen.fill("#id_public_name", name)
        citizen.fill("#id_organisation", "Asamblea Ciudadana Local de Crucita")
        citizen.locator("#id_position_0").check()
        citizen.fill("#id_position_text", "Respaldamos el proyecto y pedimos que incluya a las comunas.")
        citizen.fill("#id_designated_by", "Asamblea local de Crucita")
        citizen.fill("#id_designated_on", "2026-11-20")
        citizen.set_input_files("#id_document", str(document))
        journey.check(citizen, "silla vacia request form")
        citizen.locator("main form button[type=submit]").last.click()
        citizen.wait_for_url("**/silla-vacia/mis-solicitudes/**")
        assert "En espera de la secretaría" in citizen.locator("main").inner_text()
        journey.check(citizen, "my requests")

        # 3. She comments on an article of an ordinance in debate, quoting a passage of it.
        citizen.goto(f"{ROOT}/concejo/actos/{setup['open_act']}/articulos/1/")
        # The article's words as printed (without the labels read out on quoted passages).
        text = citizen.evaluate(
            "() => { const body = document.querySelector('#article-body').cloneNode(true);"
            " body.querySelectorAll('.visually-hidden').forEach((label) => label.remove());"
            " return body.textContent; }"
        )
        passage = " ".join(text.split()[-9:-3])
        form = citizen.locator("form.comment-form").first
        form.locator("#comment-council-article-body").fill(
            "Pedimos que el plazo se cuente en días hábiles y que se publique en el portal."
        )
        form.locator("input[name=alignment]").first.check()
        form.locator("#comment-council-article-quote").fill(passage)
        journey.check(citizen, "article comment form")
        form.locator("button[type=submit]").last.click()
        citizen.get_by_text("días hábiles y que se publique").first.wait_for()
        citizen.reload()
        marked = [" ".join(mark.split()) for mark in citizen.locator("#article-body mark").all_inner_texts()]
        assert any(passage in mark for mark in marked), (passage, marked)
        journey.check(citizen, "article with comment")

        # 4. The secretariat accredits her.
        office = journey.page()
        target = f"{ROOT}/concejo/gestion/silla-vacia/"
        sign_in_with_code(office, setup["official"], login=LOGIN, target=target)
        office.get_by_role("link", name=name).first.click()
        office.wait_for_url(re.compile(r"/gestion/silla-vacia/\d+/$"))
        journey.check(office, "office request")
        office.locator("#decision-form input[value=accredit]").check()
        office.locator("#decision-form button[type=submit]").click()
        office.wait_for_url(re.compile(r"/gestion/silla-vacia/\d+/$"))
        assert "Acreditada" in office.locator("h1").inner_text()

        # The secretariat's other screens, as it works through them: sessions, one session's
        # management, the silla vacía queue, the comments per article and the effectiveness review.
        office.goto(f"{ROOT}/concejo/gestion/sesiones/")
        journey.check(office, "office sessions")
        managed = [
            href
            for href in office.eval_on_selector_all("main a[href]", "els => els.map(a => a.getAttribute('href'))")
            if re.search(r"/gestion/sesiones/[\w-]+/$", href) and not href.endswith("/nueva/")
        ]
        assert managed, "no session to manage in the office list"
        office.goto(managed[0])
        journey.check(office, "office session")
        office.goto(target)
        journey.check(office, "office silla vacia")
        office.goto(f"{ROOT}/concejo/gestion/actos/{setup['open_act_pk']}/comentarios/")
        journey.check(office, "office article comments")
        office.goto(f"{ROOT}/concejo/gestion/efectividad/")
        journey.check(office, "office effectiveness")

        # 5. The decision in the public registry and in her notifications.
        citizen.goto(f"{ROOT}/concejo/silla-vacia/?estado=accredited")
        registry = citizen.locator("main").inner_text()
        assert name in registry and "Asamblea Ciudadana Local de Crucita" in registry
        assert "0991" not in registry  # contact data never published
        journey.check(citizen, "silla vacia registry")
        citizen.goto(f"{ROOT}/notificaciones/")
        assert "silla vacía" in citizen.locator("main").inner_text().lower()
    finally:
        journey.close()
