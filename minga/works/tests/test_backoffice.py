"""The officials' screens through HTTP: create and edit a project (errors keep what was typed),
post progress with photos, publish, delete; comments to answer lead to core's moderation."""

import pytest

from minga.core.audit.models import AuditEntry
from minga.core.comments.models import Comment
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import UserFactory, gov_url, login_verified

from .. import services
from ..models import Photo, Project
from . import factories

pytestmark = pytest.mark.django_db

FORM = {
    "title": "Parque lineal de Tarqui",
    "slug": "",
    "code": "CUP-1",
    "description": "",
    "sector": "public_space",
    "status": "preparation",
    "area_of_interest": "",
    "responsible_unit": "Dirección de Obras Públicas",
    "contractor": "",
    "dpa_code": "1308",
    "territory_name": "Manta",
    "beneficiaries": "1200",
    "amount_planned": "250000",
    "amount_contracted": "0",
    "amount_paid": "0",
    "location": "-0.95, -80.72",
    "pdot_text": "OE2 Movilidad\nOE2 Movilidad\nOE4 Deporte",
    "sdg_text": "11.7, 11.2",
    "budget_lines": "2026:3.02.750107.001",
    "ocids": "",
    "is_published": "on",
}


@pytest.fixture
def signed_editor(english, editor):
    login_verified(english, editor)
    return english


def test_create_project_and_errors_keep_the_input(signed_editor, government, published):
    url = gov_url(government, "works:office_project_create")
    bad = {
        **FORM,
        "location": '{"type": "Polygon", "coordinates": [[[0,0],[1,1],[1,0],[0,1],[0,0]]]}',
        "ocids": "LICO-1",
    }
    response = signed_editor.post(url, bad)
    body = response.content.decode()
    assert response.status_code == 200 and "not valid" in body and "OCID" in body
    assert "Parque lineal de Tarqui" in body and "[[[0,0],[1,1]" in body
    with government_scope(government):
        assert not Project.objects.exists()
    response = signed_editor.post(url, FORM)
    assert response.status_code == 302
    with government_scope(government):
        project = Project.objects.get()
        assert project.pdot_objectives == ["OE2 Movilidad", "OE4 Deporte"] and project.sdg_targets == ["11.7", "11.2"]
        assert project.geometry == {"type": "Point", "coordinates": [-80.72, -0.95]}
        assert [link.key for link in project.links.all()] == ["2026:3.02.750107.001"]
    edit = signed_editor.get(gov_url(government, "works:office_project_edit", pk=project.pk)).content.decode()
    assert "-0.950000, -80.720000" in edit and "OE2 Movilidad\nOE4 Deporte" in edit


def test_post_progress_with_photos_then_publish_and_delete(signed_editor, government):
    project = factories.project(government, is_published=False)
    url = gov_url(government, "works:office_progress_create", pk=project.pk)
    data = {"reported_on": "2026-02-01", "physical_progress": "35", "financial_progress": "40", "note": "Losa"}
    response = signed_editor.post(url, {**data, "photos": [factories.jpeg(), factories.jpeg(name="b.jpg")]})
    assert response.status_code == 302
    with government_scope(government):
        assert Photo.objects.count() == 2
    bad = signed_editor.post(
        url, {**data, "documents": "Informe sin dirección", "photos": [factories.jpeg(name="c.jpg")]}
    )
    assert bad.status_code == 400 and "title | address" in bad.content.decode()
    signed_editor.post(gov_url(government, "works:office_project_publish", pk=project.pk), {"publicar": "1"})
    with government_scope(government):
        project.refresh_from_db()
        assert project.is_published and project.physical_progress == 35
    response = signed_editor.post(gov_url(government, "works:office_project_delete", pk=project.pk), {"confirm": "on"})
    assert response.status_code == 302
    with government_scope(government):
        assert not Project.objects.exists()
        assert AuditEntry.objects.filter(action="works.project.deleted").exists()


def test_comments_to_answer_are_counted_and_lead_to_core_moderation(signed_editor, government):
    project = factories.project(government)
    with government_scope(government):
        comment = services.comment_create(
            actor=UserFactory(), government=government, project=project, body="¿Y el agua?"
        )
    listing = signed_editor.get(gov_url(government, "works:office_projects")).content.decode()
    assert '<td class="num">1</td>' in listing  # one comment to answer
    detail = signed_editor.get(gov_url(government, "works:office_project", pk=project.pk)).content.decode()
    moderation = gov_url(government, "core:comment_moderation", pk=comment.pk)
    assert "¿Y el agua?" in detail and "waiting for an answer" in detail and f'href="{moderation}"' in detail
    old = signed_editor.get(gov_url(government, "works:office_comments"))
    assert old.status_code == 302 and "tipo=works.project" in old["Location"]
    assert "¿Y el agua?" in signed_editor.get(old["Location"]).content.decode()
    signed_editor.post(moderation, {"accion": "responder", "answer": "Llega en marzo."})
    signed_editor.post(moderation, {"accion": "ocultar", "reason": "Prueba"})
    with government_scope(government):
        comment = Comment.objects.get(pk=comment.pk)
        answer = Comment.objects.get(parent=comment)
    assert answer.is_official and answer.body == "Llega en marzo." and comment.hidden_reason == "Prueba"
    listing = signed_editor.get(gov_url(government, "works:office_projects")).content.decode()
    assert '<td class="num">0</td>' in listing
