"""The project form's picker of budget lines and contracting processes: a GET search that
works without JavaScript, the htmx fragments that add a key to the form, and the check on
save that every new key is a record the other module publishes."""

import pytest

from minga.core.tenancy.scoping import government_scope
from minga.core.testing import gov_url, login_verified

from ..models import Project
from . import factories
from .test_backoffice import FORM

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def signed_editor(english, editor):
    login_verified(english, editor)
    return english


def test_the_search_page_works_without_javascript(signed_editor, government, published):
    url = gov_url(government, "works:office_link_search")
    body = signed_editor.get(url, {"tipo": "partida", "q": "vías"}).content.decode()
    assert "<h1>Find budget lines and contracting processes</h1>" in body and 'name="q"' in body
    assert "Transporte y vías" in body and '<code class="link-key">2026:3.01.750105.002</code>' in body
    assert "urbanización" not in body and "hx-get" not in body  # no add buttons outside the form
    assert published[-1] == (government, "vías", 20)
    body = signed_editor.get(url, {"tipo": "proceso", "q": "puente"}).content.decode()
    assert "ocds-5wno2w-COTO-GPM-001-2026" in body and "Transporte" not in body
    assert "Nothing found for “nada”" in signed_editor.get(url, {"tipo": "partida", "q": "nada"}).content.decode()
    response = signed_editor.get(url, {"tipo": "otra"})
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()


def test_htmx_gets_the_results_with_add_buttons(signed_editor, government, published):
    response = signed_editor.get(
        gov_url(government, "works:office_link_search"), {"tipo": "partida", "q": "3.0"}, **HTMX
    )
    body = response.content.decode()
    assert "<h1>" not in body and "HX-Request" in response["Vary"]
    add = gov_url(government, "works:office_link_add")
    assert f'hx-get="{add}?tipo=partida&amp;clave=2026%3A3.02.750107.001"' in body
    assert 'hx-include="#id_budget_lines" hx-target="#id_budget_lines"' in body


def test_adding_a_key_keeps_what_was_typed_and_skips_duplicates(signed_editor, government, published):
    url = gov_url(government, "works:office_link_add")
    typed = {"tipo": "partida", "budget_lines": "2026:3.02.750107.001\n2026:a mano"}
    body = signed_editor.get(url, {**typed, "clave": "2026:3.01.750105.002"}, **HTMX).content.decode()
    assert 'name="budget_lines"' in body and 'id="id_budget_lines"' in body
    assert "2026:3.02.750107.001\n2026:a mano\n2026:3.01.750105.002</textarea>" in body
    assert 'hx-swap-oob="true"' in body and "Added 2026:3.01.750105.002 to “Budget lines”" in body
    again = signed_editor.get(url, {**typed, "clave": "2026:3.02.750107.001"}, **HTMX).content.decode()
    assert "2026:3.02.750107.001\n2026:a mano</textarea>" in again
    unknown = signed_editor.get(url, {**typed, "clave": "2026:9.99"}, **HTMX).content.decode()
    assert "2026:9.99 is not published" in unknown and "2026:a mano</textarea>" in unknown
    body = signed_editor.get(
        url, {"tipo": "proceso", "ocids": "", "clave": "ocds-5wno2w-COTO-GPM-001-2026"}, **HTMX
    ).content.decode()
    assert 'name="ocids"' in body and "ocds-5wno2w-COTO-GPM-001-2026</textarea>" in body


def test_the_form_has_the_picker(signed_editor, government, published):
    body = signed_editor.get(gov_url(government, "works:office_project_create")).content.decode()
    assert 'id="link-picker"' in body and 'form="link-search"' in body and "vendor/htmx.min.js" in body
    assert f'<form id="link-search" method="get" action="{gov_url(government, "works:office_link_search")}"' in body


def test_saving_refuses_a_key_that_does_not_resolve_and_keeps_the_input(signed_editor, government, published):
    url = gov_url(government, "works:office_project_create")
    data = {**FORM, "budget_lines": "2026:3.02.750107.001\n2026:7.3.08.99", "ocids": "ocds-5wno2w-NO-EXISTE-1"}
    response = signed_editor.post(url, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "The budget line “2026:7.3.08.99” does not exist among the published budget lines." in body
    assert "The contracting process “ocds-5wno2w-NO-EXISTE-1” does not exist among the published processes." in body
    assert "2026:3.02.750107.001\n2026:7.3.08.99</textarea>" in body and "Parque lineal de Tarqui" in body
    with government_scope(government):
        assert not Project.objects.exists()
    data.update(budget_lines="2026:3.02.750107.001\n2026:3.01.750105.002", ocids="ocds-5wno2w-COTO-GPM-001-2026")
    assert signed_editor.post(url, data).status_code == 302
    with government_scope(government):
        assert sorted(Project.objects.get().links.values_list("key", flat=True)) == [
            "2026:3.01.750105.002",
            "2026:3.02.750107.001",
            "ocds-5wno2w-COTO-GPM-001-2026",
        ]


def test_spanish_error_names_the_key(client, editor, government, published):
    login_verified(client, editor)
    response = client.post(gov_url(government, "works:office_project_create"), {**FORM, "budget_lines": "2026:9.99"})
    assert "La partida «2026:9.99» no existe entre las partidas publicadas." in response.content.decode()


def test_links_already_saved_stay_when_they_no_longer_resolve(signed_editor, government, published):
    project = factories.project(government, title="Obra vieja", links={"budget.line": ["2025:7.3.08.11.001"]})
    url = gov_url(government, "works:office_project_edit", pk=project.pk)
    form = signed_editor.get(url).content.decode()
    assert "2025:7.3.08.11.001</textarea>" in form
    response = signed_editor.post(url, {**FORM, "title": "Obra vieja renovada", "budget_lines": "2025:7.3.08.11.001"})
    assert response.status_code == 302
    with government_scope(government):
        assert list(Project.objects.get().links.values_list("key", flat=True)) == ["2025:7.3.08.11.001"]
