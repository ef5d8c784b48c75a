"""The public pages through HTTP: the list in three groups with its filters, and the process
page with its phases, the current one marked, what a citizen can do now and the sections the
sub-apps add through the component registry."""

from __future__ import annotations

import re

import pytest
from django.template import engines

from minga.core.testing import GovernmentFactory, gov_url

from .. import components
from ..components import ProcessComponent
from . import factories
from .factories import DAY, phase

pytestmark = pytest.mark.django_db


def _ids(html: str, section: str) -> list[str]:
    block = re.search(rf'id="processes-{section}">(.*?)</section>', html, re.S)
    return re.findall(r'href="[^"]*/participacion/([\w-]+)/"', block.group(1)) if block else []


def test_list_groups_processes_by_time(client, government, now):
    factories.process(government, slug="en-curso", start=now - 5 * DAY)
    factories.process(government, slug="proximo", start=now + 5 * DAY)
    factories.process(government, slug="terminado", start=now - 90 * DAY)
    factories.process(government, slug="borrador", start=now - 5 * DAY, is_published=False)
    html = client.get(gov_url(government, "participation:process_list")).content.decode()
    assert _ids(html, "ongoing") == ["en-curso"]
    assert _ids(html, "upcoming") == ["proximo"]
    assert _ids(html, "finished") == ["terminado"]
    assert "borrador" not in html
    # The card of the process in progress says which phase is on.
    assert "Propuestas" in re.search(r'id="processes-ongoing">(.*?)</section>', html, re.S).group(1)


def test_list_filters_by_kind_and_territory(client, english, government, now):
    GovernmentFactory(level="canton", dpa_code="1301", slug="portoviejo", short_name="Portoviejo", parent=government)
    GovernmentFactory(level="canton", dpa_code="1308", slug="manta", short_name="Manta", parent=government)
    factories.process(government, slug="pp-portoviejo", territories=["1301"])
    factories.process(government, slug="pp-manta", territories=["1308"])
    factories.process(government, slug="consulta", kind="consultation")
    url = gov_url(government, "participation:process_list")
    html = client.get(url, {"territorio": "1301"}).content.decode()
    assert sorted(_ids(html, "ongoing")) == ["consulta", "pp-portoviejo"]  # and those of the whole territory
    assert '<option value="1308">Manta</option>' in html
    html = client.get(url, {"tipo": "consultation"}).content.decode()
    assert _ids(html, "ongoing") == ["consulta"]
    # Values that are not choices are explained, and the list shows everything else.
    response = english.get(url, {"tipo": "nonsense", "estado": "mañana"})
    html = response.content.decode()
    assert response.status_code == 200 and "Unknown kind of process" in html and "Use en-curso" in html
    assert len(_ids(html, "ongoing")) == 3


def test_process_page_marks_the_current_phase_and_what_can_be_done(client, government, now):
    process = factories.process(
        government,
        slug="pp",
        description="# Cómo funciona\n\nTexto con <script>alert(1)</script> y [enlace](javascript:alert(1)).",
        settings={"verification_support": "census"},
    )
    response = client.get(gov_url(government, "participation:process_detail", slug="pp"))
    assert response.status_code == 200
    html = response.content.decode()
    current = re.search(r'<li class="phase phase-current" aria-current="step" id="fase-(\d)">', html)
    assert current and current.group(1) == "2"
    assert html.count('aria-current="step"') == 1
    assert 'id="action-support"' in html and 'id="action-vote"' not in html
    assert (
        "In the census or electoral roll"
        in client.get(
            gov_url(government, "participation:process_detail", slug="pp"), HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
    )
    # The description is rendered safely: its heading under the page's, no script, no javascript: link.
    assert "<h3>Cómo funciona</h3>" in html and "<script>alert" not in html and 'href="javascript' not in html
    assert html.count("<h1") == 1
    assert process.title in html


def test_process_page_between_phases_and_after_the_end(client, government, now):
    start = now - 10 * DAY
    factories.process(
        government,
        slug="con-pausa",
        start=start,
        phases=[
            phase("Antes", start, now - DAY, ["comment"]),
            phase("Después", now + 2 * DAY, start + 30 * DAY, ["vote"]),
        ],
    )
    html = client.get(gov_url(government, "participation:process_detail", slug="con-pausa")).content.decode()
    assert 'aria-current="step"' not in html and "Después" in re.search(
        r'id="ahora">(.*?)</section>', html, re.S
    ).group(1)
    factories.process(government, slug="viejo", start=now - 100 * DAY)
    html = client.get(gov_url(government, "participation:process_detail", slug="viejo")).content.decode()
    assert "phase-current" not in html and html.count("phase phase-past") == 4


def test_unpublished_and_missing_processes_answer_404(client, government):
    factories.process(government, slug="borrador", is_published=False)
    assert client.get(gov_url(government, "participation:process_detail", slug="borrador")).status_code == 404
    assert client.get(gov_url(government, "participation:process_detail", slug="nada")).status_code == 404


def test_components_add_sections_without_editing_the_page(client, government, now):
    """A sub-app registers a component; the process page shows its section where it applies."""
    seen = []

    def context(request, process, moment):
        seen.append(process.slug)
        return {"message": f"Propuestas de {process.title}"} if process.slug != "sin-seccion" else None

    components.register(
        ProcessComponent(
            key="prueba",
            label="Sección de prueba",
            template=engines["django"].from_string('<p class="test-section">{{ section.message }}</p>'),
            context=context,
            kinds=("participatory_budget",),
        )
    )
    try:
        factories.process(government, slug="con-seccion")
        factories.process(government, slug="sin-seccion")
        factories.process(government, slug="otra-clase", kind="consultation")
        html = client.get(gov_url(government, "participation:process_detail", slug="con-seccion")).content.decode()
        assert 'id="prueba"' in html and "Sección de prueba" in html and "Propuestas de Presupuesto" in html
        html = client.get(gov_url(government, "participation:process_detail", slug="sin-seccion")).content.decode()
        assert 'id="prueba"' not in html
        client.get(gov_url(government, "participation:process_detail", slug="otra-clase"))
        assert "otra-clase" not in seen  # not asked: the component does not apply to consultations
    finally:
        components.unregister("prueba")


def test_home_page_counts_processes(english, government, now):
    client = english
    factories.process(government, start=now - 5 * DAY)
    factories.process(government, start=now + 5 * DAY)
    html = client.get(gov_url(government, "core:home")).content.decode()
    assert "Participatory processes in progress" in html


def test_staff_work_is_not_listed_as_what_a_citizen_can_do(client, government, now):
    """A phase with the technical evaluation on: the staff's work is shown apart, not under
    "Qué puede hacer ahora"."""
    start = now.replace(second=0, microsecond=0) - 5 * DAY
    factories.process(
        government, slug="evaluando", phases=[phase("Evaluación", start, start + 10 * DAY, ["comment", "evaluate"])]
    )
    html = client.get(gov_url(government, "participation:process_detail", slug="evaluando")).content.decode()
    section = html[html.index('id="ahora"') :]
    section = section[: section.index("</section>")]
    assert "Qué puede hacer ahora" in section and 'id="action-comment"' in section
    assert "Evaluación técnica" not in section
    also = html[html.index('id="en-esta-fase"') :]
    assert "También en esta fase" in also and "Evaluación técnica" in also[: also.index("</section>")]
