"""A whole participatory-budget cycle in a real headless Chromium, at 1366 px and at 360 px:
a citizen submits a proposal, three other verified citizens support it past the threshold, an
official publishes its technical evaluation (feasible) and puts it on the budget's ballot as a
project, the citizens vote, the official counts and publishes, and the winning project names a
public work whose physical progress shows on the project's page (the work's page names the
project back). axe-core and the page width are checked on every page visited.

What the pages cannot reasonably do is set up in the portal's database by
`portal_setup.py`: the accounts with their verified identities, the process, and time going by
between phases. Every citizen's and official's action goes through the pages."""

from __future__ import annotations

import re

import pytest

from .accounts import DEMO_PASSWORD, sign_in_with_code
from .checks import ARTIFACTS, PageRecorder, assert_no_horizontal_scroll, check_accessibility, skip_without_chromium
from .portal_setup import run

pytestmark = [pytest.mark.browser, skip_without_chromium]

GOVERNMENT = "portoviejo"
ROOT = f"/g/{GOVERNMENT}"
LOGIN = f"{ROOT}/cuenta/ingresar/"
OFFICE = f"{ROOT}/participacion/gestion/"
TITLE = "Parque infantil inclusivo en el barrio Las Palmas"
PROJECT = "Parque infantil inclusivo de Las Palmas"


class Journey:
    """The browser contexts of one cycle, all at the same screen width."""

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

    def citizen(self, email: str, target: str):
        page = self.page()
        page.goto(f"{LOGIN}?next={target}")
        page.fill("#id_email", email)
        page.fill("#id_password", DEMO_PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(f"**{target}")
        return page

    def check(self, page, label: str) -> None:
        label = f"{label} {self.width}px"
        check_accessibility(page, f"budget cycle {label}")
        assert_no_horizontal_scroll(page)
        page.screenshot(path=ARTIFACTS / f"budget-cycle-{label.replace(' ', '-')}.png", full_page=True)

    def close(self) -> None:
        for context in self.contexts:
            context.close()
        for recorder in self.recorders:
            recorder.assert_clean()


@pytest.mark.parametrize("width", [1366, 360])
def test_a_proposal_becomes_a_funded_project_and_a_work(browser, portal, portal_var_dir, width):
    prefix = f"ciclo{width}"
    setup = run(portal_var_dir, f"participatory_budget_cycle({GOVERNMENT!r}, {prefix!r}, 4)")
    process = f"{ROOT}/participacion/{setup['process']}/"
    author, *supporters = setup["people"]
    journey = Journey(browser, portal, width)
    try:
        # A citizen proposes from the process page.
        page = journey.citizen(author, process)
        journey.check(page, "process page")
        page.locator("#proposal-new").click()
        page.wait_for_url("**/propuestas/nueva/")
        journey.check(page, "proposal form")
        page.fill("#id_title", TITLE)
        page.fill(
            "#id_body",
            "Un parque con juegos accesibles para niñas y niños con discapacidad, sombra y bancas para "
            "las familias del barrio.",
        )
        page.select_option("#id_category", index=1)
        page.locator("form.proposal-form button[type=submit]").click()
        page.wait_for_url(re.compile(r".*/propuestas/\d+/$"))
        proposal_url = page.url
        proposal_id = re.search(r"/propuestas/(\d+)/$", proposal_url).group(1)
        journey.check(page, "proposal published")
        assert page.locator("#supports-count").inner_text() == "0"
        assert page.locator("#support-add").count() == 0, "the author is offered to support their own proposal"

        # Three verified neighbours support it: the third reaches the threshold.
        for count, email in enumerate(supporters[:3], start=1):
            page = journey.citizen(email, proposal_url.removeprefix(portal))
            page.locator("#support-add").click()
            page.locator("#support-withdraw").wait_for()
            assert page.locator("#supports-count").inner_text() == str(count)
        assert "evaluación" in page.locator("#proposal-status").inner_text().lower()
        assert page.locator("#evaluacion").count() == 1
        journey.check(page, "proposal at the threshold")

        # The official publishes the technical evaluation and puts the proposal on the ballot.
        office = journey.page()
        sign_in_with_code(office, setup["official"], login=LOGIN, target=f"{OFFICE}propuestas/")
        journey.check(office, "office proposals")
        office.select_option("#f-status", label="En evaluación")
        office.fill("#f-q", proposal_id)
        office.locator("main form.filters button[type=submit]").click()
        office.wait_for_url("**estado=**")
        journey.check(office, "office proposals filtered")
        office.locator("main table a", has_text=TITLE).click()
        office.wait_for_url(f"**/gestion/propuestas/{proposal_id}/")
        journey.check(office, "office proposal")
        office.locator("#evaluation-form input[name=feasible][value='1']").check()
        office.fill("#evaluation-form [name=cost_estimate]", "40000")
        office.fill(
            "#evaluation-form [name=answer]",
            "Es competencia municipal, el terreno es público y el costo cabe en el presupuesto.",
        )
        office.locator("#evaluation-form button[type=submit]").click()
        office.wait_for_load_state()
        budget_office = f"{OFFICE}presupuestos/{setup['budget']}/"
        office.goto(budget_office)
        journey.check(office, "office budget before voting")
        office.locator("#project-create").click()
        office.wait_for_url("**/proyectos/nuevo/")
        office.fill("#id_title", PROJECT)
        office.fill("#id_description", "Juegos accesibles, sombra y bancas, como lo propuso el barrio.")
        office.fill("#id_cost", "40000")
        office.fill("#id_position", "2")
        office.fill("#id_proposals", proposal_id)
        journey.check(office, "office project form")
        office.locator("main form button[type=submit]").last.click()
        office.wait_for_url(f"**{budget_office}")
        assert PROJECT in office.locator("main table").inner_text()

        page.goto(proposal_url.removeprefix(portal))
        assert "viable" in page.locator("#proposal-status").inner_text().lower()
        assert "40.000" in page.locator("#proposal-cost").inner_text()
        assert PROJECT in page.locator("#proposal-backlinks").inner_text()
        journey.check(page, "proposal evaluated")

        # Two days later the vote opens; the citizens vote online.
        run(portal_var_dir, f"shift_process({GOVERNMENT!r}, {setup['process']!r}, 2.05)")
        ballot = f"{ROOT}/participacion/{setup['process']}/presupuestos/toda-la-ciudad/"
        for index, email in enumerate([author, *supporters[:3]]):
            voter = journey.citizen(email, ballot)
            if index == 0:
                journey.check(voter, "ballot")
            voter.get_by_label(re.compile(re.escape(PROJECT))).check()
            voter.locator("#ballot button[type=submit]").click()
            voter.wait_for_url("**/voto-registrado/")
            if index == 0:
                journey.check(voter, "vote recorded")

        # Voting is over: the official counts and publishes.
        run(portal_var_dir, f"shift_process({GOVERNMENT!r}, {setup['process']!r}, 2)")
        office.goto(budget_office)
        assert "En línea: 4 · en papel: 0" in office.locator("main").inner_text()
        office.get_by_role("button", name="Contar los votos").click()
        office.wait_for_load_state()
        office.get_by_role("button", name="Publicar el resultado").click()
        office.wait_for_load_state()
        assert office.locator("main a", has_text="Resultados públicos").count() == 1
        journey.check(office, "office budget published")

        results = journey.page()
        results.goto(f"{ballot}resultados/")
        journey.check(results, "public results")
        assert PROJECT in results.locator("main").inner_text()

        # The project goes on to be built: the official names the public work that builds it.
        office.locator("main table tr", has_text=PROJECT).get_by_role("link", name=re.compile("^Editar")).click()
        office.wait_for_url("**/editar/")
        office.fill("#id_works", setup["work"])
        office.locator("main form button[type=submit]").last.click()
        office.wait_for_url(f"**{budget_office}")

        results.goto(f"{ballot}resultados/")
        results.get_by_role("link", name=PROJECT).first.click()
        results.wait_for_url("**/presupuestos/proyectos/*/")
        journey.check(results, "project page")
        body = results.locator("main").inner_text()
        assert setup["work_title"] in body
        progress = results.locator("main progress[max='100']").first
        assert progress.get_attribute("value") == str(int(float(setup["work_progress"])))
        assert TITLE in body, "the project page does not name the proposal it comes from"
        results.get_by_role("link", name=setup["work_title"]).first.click()
        results.wait_for_url(f"**/obras/{setup['work']}/")
        journey.check(results, "work page")
        assert PROJECT in results.locator("#pb-projects").inner_text()
    finally:
        journey.close()
