"""Pages of results: the public tree and result page (filters, progress, XSS escaped), the
section on the process page, the back-office forms (typed values kept on errors), the link
picker, the CSV import page and the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from minga.core.tenancy.scoping import government_scope
from minga.core.testing import gov_url, login_verified

from .. import services
from ..models import Result
from . import factories

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script>'


@pytest.fixture
def tree(government, process):
    top = factories.result(government, process, title="Vialidad", status="ejecucion", weight=1)
    factories.result(
        government, process, parent=top, title="Asfaltado", status="ejecucion", progress=40, unit_name="Obras Públicas"
    )
    factories.result(government, process, parent=top, title="Aceras", status="terminado", progress=100)
    return top


def test_tree_page_shows_progress_and_filters(client, government, process, tree):
    url = gov_url(government, "participation:results_tree", slug=process.slug)
    page = client.get(url).content.decode()
    assert "Vialidad" in page and "Asfaltado" in page and "70&nbsp;%" in page
    assert "promedio de sus subresultados" in page
    filtered = client.get(url, {"estado": "terminado"}).content.decode()
    assert "Aceras" in filtered and "Asfaltado" not in filtered
    by_unit = client.get(url, {"unidad": "Obras Públicas"}).content.decode()
    assert "Asfaltado" in by_unit and "Aceras" not in by_unit
    # An unknown status is ignored, not an error.
    assert client.get(url, {"estado": "<b>"}).status_code == 200


def test_process_page_has_the_results_section(client, government, process, tree):
    page = client.get(gov_url(government, "participation:process_detail", slug=process.slug)).content.decode()
    assert 'id="resultados"' in page and "Avance general" in page and "En ejecución: 2" in page


def test_xss_is_escaped(client, government, process):
    result = factories.result(government, process, title=XSS, description=f"Texto {XSS} **negrita**", unit_name=XSS)
    with government_scope(government):
        services.timeline_add(actor=None, government=government, result=result, date=dt.date(2025, 1, 2), text=XSS)
    for url in (
        gov_url(government, "participation:results_tree", slug=process.slug),
        gov_url(government, "participation:result_detail", slug=process.slug, pk=result.pk),
        gov_url(government, "participation:process_detail", slug=process.slug),
    ):
        page = client.get(url).content.decode()
        assert XSS not in page, url
    detail = client.get(
        gov_url(government, "participation:result_detail", slug=process.slug, pk=result.pk)
    ).content.decode()
    assert "&lt;script&gt;" in detail and "<strong>negrita</strong>" in detail


def test_result_page_shows_timeline_and_children(client, government, process, tree):
    with government_scope(government):
        services.timeline_add(
            actor=None, government=government, result=tree, date=dt.date(2025, 4, 3), text="Contrato firmado"
        )
    page = client.get(
        gov_url(government, "participation:result_detail", slug=process.slug, pk=tree.pk)
    ).content.decode()
    assert "Contrato firmado" in page and "Asfaltado" in page and "promedio ponderado" in page


def test_create_form_keeps_typed_values_on_error(client, government, process, editor):
    login_verified(client, editor)
    url = gov_url(government, "participation:office_result_create", pk=process.pk)
    response = client.post(
        url,
        {
            "title": "Parque lineal",
            "description": "Descripción escrita",
            "start_date": "2025-06-01",
            "end_date": "2025-01-01",
            "progress": "20",
            "weight": "2",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "El fin no puede ser anterior al inicio." in page
    assert 'value="Parque lineal"' in page and "Descripción escrita" in page and 'value="2025-06-01"' in page
    with government_scope(government):
        assert not Result.objects.filter(process=process).exists()


def test_create_and_edit_through_the_office(client, government, process, editor, tree):
    login_verified(client, editor)
    response = client.post(
        gov_url(government, "participation:office_result_create", pk=process.pk),
        {
            "title": "Señalización",
            "parent": tree.pk,
            "status": "planificacion",
            "progress": "10",
            "weight": "1",
            "is_published": "on",
        },
    )
    assert response.status_code == 302
    with government_scope(government):
        created = Result.objects.get(title="Señalización")
        assert created.parent_id == tree.pk
    edit = gov_url(government, "participation:office_result_edit", pk=created.pk)
    assert "Señalización" in client.get(edit).content.decode()
    bad = client.post(edit, {"title": "Señalización vial", "progress": "150", "weight": "1", "parent": tree.pk})
    assert bad.status_code == 200 and 'value="Señalización vial"' in bad.content.decode()


def test_timeline_form_keeps_typed_values(client, government, process, editor, tree):
    login_verified(client, editor)
    response = client.post(
        gov_url(government, "participation:office_result_timeline_add", pk=tree.pk),
        {"date": "", "text": "Hito escrito", "progress": "30"},
    )
    assert response.status_code == 400
    assert "Hito escrito" in response.content.decode()
    ok = client.post(
        gov_url(government, "participation:office_result_timeline_add", pk=tree.pk),
        {"date": "2025-02-01", "text": "Hito", "progress": ""},
    )
    assert ok.status_code == 302


def test_import_page_lists_the_bad_lines(client, government, process, editor):
    login_verified(client, editor)
    url = gov_url(government, "participation:office_results_import", pk=process.pk)
    content = b"titulo,estado\nBueno,ejecucion\nMalo,inexistente\n"
    response = client.post(url, {"file": SimpleUploadedFile("r.csv", content, content_type="text/csv")})
    page = response.content.decode()
    assert response.status_code == 400 and "Línea 3" in page and "No se guardó nada" in page
    with government_scope(government):
        assert not Result.objects.filter(process=process).exists()
    good = b"titulo,estado\nBueno,ejecucion\n"
    assert client.post(url, {"file": SimpleUploadedFile("r.csv", good, content_type="text/csv")}).status_code == 302
    with government_scope(government):
        assert Result.objects.filter(process=process, title="Bueno").exists()


def test_api_gives_the_tree(client, government, process, tree):
    data = client.get(gov_url(government, "participation-api:process_results", slug=process.slug)).json()
    assert data["overall_progress"] == 70.0
    [top] = data["results"]
    assert top["title"] == "Vialidad" and top["progress_rolled_up"] is True
    assert [child["title"] for child in top["children"]] == ["Asfaltado", "Aceras"]
    assert client.get(gov_url(government, "participation-api:process_results", slug="no-existe")).status_code == 404
