"""The public pages and the back office through HTTP, on the demo council: the council page,
a member's and a committee's page, the act list and its filters, an act's page (procedure,
overdue steps, text, versions), the diff view, and the editors' forms (a version parsed from
pasted text, a step refused with its reason, a PDF sniffed)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.html import escape

from minga.core.tenancy.scoping import government_scope
from minga.core.testing import gov_url, login_verified

from ..acts.models import Act, Action, Document, Subject, Unit, Version
from ..members.models import CommitteeMembership, Membership, Person

pytestmark = pytest.mark.django_db


def _act(government, identifier):
    with government_scope(government):
        return Act.objects.get(identifier=identifier)


def test_demo_council_has_nine_members_three_committees_and_twenty_five_acts(seeded):
    with government_scope(seeded):
        assert Membership.objects.filter(role__in=["president", "vice", "member"], ends_on__isnull=True).count() == 9
        assert CommitteeMembership.objects.filter(role="chair").count() == 3
        assert Act.objects.count() == 25
        stages = set(Act.objects.values_list("stage", flat=True))
        every = {"presented", "qualified", "committee_assigned", "committee_report", "first_debate"}
        every |= {"second_debate", "approved", "sanctioned", "published", "rejected", "archived"}
        assert every <= stages
        assert all(
            2 <= Version.objects.filter(act=a).count() <= 3
            for a in Act.objects.filter(stage__in=["first_debate", "second_debate", "approved", "published"])
        )


def test_council_page_shows_current_and_past_members(client, seeded):
    page = client.get(gov_url(seeded, "council:home")).content.decode()
    assert "Consejo Provincial de Manabí" in page
    assert "Leonor Cedeño Vera" in page and "Prefecta" in page
    assert "Miembros anteriores" in page and "Julio Bermello Ponce" in page
    assert "Comisión de Planificación y Presupuesto" in page
    assert "Alterno de Patricia Mendoza Alcívar" in page


def test_member_page_lists_terms_committees_and_sponsored_acts(client, seeded):
    with government_scope(seeded):
        person = Person.objects.get(name="Luis Macías Palma")
    page = client.get(gov_url(seeded, "council:member_detail", slug=person.slug)).content.decode()
    assert "Consejero por Jipijapa" in page
    assert "Comisión de Planificación y Presupuesto" in page
    assert "PO-2026-008" in page and "PO-2026-004" not in page


def test_committee_page(client, seeded):
    page = client.get(gov_url(seeded, "council:committee_detail", slug="comision-de-ambiente-y-recursos-hidricos"))
    text = page.content.decode()
    assert ", presidencia" in text  # the chair, in words that fit a woman or a man
    assert "PO-2026-001" in text  # Ambiente goes to this committee


def test_act_list_filters(client, seeded):
    url = gov_url(seeded, "council:act_list")
    everything = client.get(url).content.decode()
    assert "PO-2026-001" in everything and "ACU-2026-001" in everything
    resolutions = client.get(url, {"tipo": "resolution"}).content.decode()
    assert "RES-2026-001" in resolutions and "PO-2026-001" not in resolutions
    published = client.get(url, {"etapa": "published"}).content.decode()
    assert "PO-2026-001" in published and "PO-2026-003" not in published
    ambiente = client.get(url, {"tema": "ambiente"}).content.decode()
    assert "PO-2026-006" in ambiente and "PO-2026-003" not in ambiente
    with government_scope(seeded):
        sponsor = Person.objects.get(name="Carmen Moreira Solórzano").slug
    by_sponsor = client.get(url, {"proponente": sponsor}).content.decode()
    assert "PO-2026-004" in by_sponsor and "PO-2026-001" in by_sponsor and "PO-2026-002" not in by_sponsor
    # Unknown filter values are ignored, not passed to the database.
    assert client.get(url, {"etapa": "x' OR 1=1", "tipo": "__all__"}).status_code == 200


def test_act_page_shows_procedure_overdue_text_and_versions(client, seeded):
    act = _act(seeded, "PO-2026-003")  # approved a month ago, neither sanctioned nor objected
    page = client.get(gov_url(seeded, "council:act_detail", slug=act.slug)).content.decode()
    assert 'id="overdue"' not in page and 'id="tacit-tacitly_sanctioned"' in page
    assert "por ministerio de la ley el acto se considera sancionado (sanción tácita) desde el" in page
    reported_late = _act(seeded, "PO-2026-006")  # assigned, the committee report overdue
    late_page = client.get(gov_url(seeded, "council:act_detail", slug=reported_late.slug)).content.decode()
    assert 'id="overdue"' in late_page and "Informe de comisión" in late_page and "tacit-" not in late_page
    assert "Texto aprobado en segundo debate" in page
    assert "Art. 1.-" in page and "Objeto" in page
    assert "DISPOSICIÓN FINAL" in page.upper()
    first = client.get(gov_url(seeded, "council:act_detail", slug=act.slug), {"version": 1}).content.decode()
    assert "Texto: Texto presentado" in first
    published = _act(seeded, "PO-2026-001")
    assert 'id="overdue"' not in client.get(gov_url(seeded, "council:act_detail", slug=published.slug)).content.decode()


def test_diff_view_marks_changes_accessibly(client, seeded):
    act = _act(seeded, "PO-2026-003")
    url = gov_url(seeded, "council:act_diff", slug=act.slug)
    page = client.get(url, {"de": 1, "a": 2}).content.decode()
    assert "<ins>" in page and "interculturalidad" in page
    assert "[añadido: " in page
    assert "Añadido" in page and "3.1" in page  # the new article
    assert "Eliminado" in page  # the transitory provision
    moved = client.get(url, {"de": 2, "a": 3}).content.decode()
    assert "Movido" in moved and "<del>" in moved and "[eliminado: " in moved
    assert client.get(url, {"de": 1, "a": 9}).status_code == 404
    assert 'id="diff-identical"' in client.get(url, {"de": 2, "a": 2}).content.decode()
    assert 'id="diff-identical"' not in page
    single = _act(seeded, "ACU-2026-001")
    assert client.get(gov_url(seeded, "council:act_diff", slug=single.slug)).status_code == 404


def test_diff_view_shows_a_rewritten_article_as_replaced(client, seeded):
    act = _act(seeded, "PO-2026-003")
    rewritten = "Las juntas parroquiales rurales presentarán cada año un informe de ejecución ante la asamblea."
    with government_scope(seeded):
        last = Version.objects.filter(act=act).order_by("-number").first()
        units = list(Unit.objects.filter(version=last).order_by("position"))
        new = Version.objects.create(
            government=seeded, act=act, number=last.number + 1, label="Texto reescrito", dated=last.dated
        )
        target = next(u for u in units if u.kind == "article" and u.number == "2")
        old_body = target.body
        target.body = rewritten
        for unit in units:
            unit.pk, unit.version = None, new
        Unit.objects.bulk_create(units)
    url = gov_url(seeded, "council:act_diff", slug=act.slug)
    page = client.get(url, {"de": last.number, "a": new.number}).content.decode()
    assert "Reemplazado" in page and "reescrito: se muestran completos" in page
    assert f"[eliminado: </span>{escape(old_body)}<" in page
    assert f"[añadido: </span>{escape(rewritten)}<" in page
    assert "1 unidad modificada" in page


def test_hidden_acts_are_not_public(client, seeded):
    act = _act(seeded, "PO-2026-007")
    with government_scope(seeded):
        Act.objects.filter(pk=act.pk).update(is_public=False)
    assert client.get(gov_url(seeded, "council:act_detail", slug=act.slug)).status_code == 404
    assert "PO-2026-007" not in client.get(gov_url(seeded, "council:act_list")).content.decode()


TEXT = """CONSIDERANDO: que es necesario.

TÍTULO I
GENERALIDADES

Art. 1.- Objeto.- Regular el uso de los parques.
Art. 2.- Ámbito.- Parques provinciales.

DISPOSICIÓN FINAL.- Entra en vigencia con su publicación.
"""


def test_editor_creates_an_act_adds_a_version_and_records_steps(client, seeded, editor):
    login_verified(client, editor)
    with government_scope(seeded):
        sponsor = Person.objects.get(name="Gabriela Vélez Bravo")
    response = client.post(
        gov_url(seeded, "council:office_act_create"),
        {
            "identifier": "PO-2026-099",
            "kind": "ordinance",
            "title": "Ordenanza de parques",
            "primary": sponsor.pk,
            "subjects": "Parques, Ambiente",
            "is_public": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    act = _act(seeded, "PO-2026-099")
    response = client.post(
        gov_url(seeded, "council:office_version_add", pk=act.pk),
        {"label": "Texto presentado", "dated": "2026-11-01", "text": TEXT},
    )
    assert response.status_code == 302
    with government_scope(seeded):
        units = list(Unit.objects.filter(version__act=act).values_list("kind", "number", "heading"))
        assert units == [
            ("preamble", "", ""),
            ("title", "I", "GENERALIDADES"),
            ("article", "1", "Objeto"),
            ("article", "2", "Ámbito"),
            ("final", "ÚNICA", ""),
        ]
        assert sorted(act.subjects.values_list("name", flat=True)) == ["Ambiente", "Parques"]
    # Prose without articles is refused on the form.
    refused = client.post(
        gov_url(seeded, "council:office_version_add", pk=act.pk),
        {"label": "Otra", "dated": "2026-11-02", "text": "Solo prosa."},
    )
    assert refused.status_code == 200 and "No se reconoció ningún artículo" in refused.content.decode()
    steps = gov_url(seeded, "council:office_action_add", pk=act.pk)
    assert client.post(steps, {"stage": "presented", "date": "2026-11-01"}).status_code == 302
    jump = client.post(steps, {"stage": "second_debate", "date": "2026-11-03"})
    assert jump.status_code == 400
    assert "Todavía no se puede registrar «Segundo debate»" in jump.content.decode()
    assert "Pasos que el trámite permite ahora: Calificado por la secretaría, Archivado." in jump.content.decode()
    with government_scope(seeded):
        assert list(Action.objects.filter(act=act).values_list("stage", flat=True)) == ["presented"]


def test_documents_must_be_pdfs(client, seeded, editor):
    login_verified(client, editor)
    act = _act(seeded, "PO-2026-004")
    url = gov_url(seeded, "council:office_document_add", pk=act.pk)
    fake = SimpleUploadedFile("informe.pdf", b"<html>no</html>", content_type="application/pdf")
    response = client.post(url, {"kind": "committee_report", "title": "Informe", "dated": "2026-11-01", "file": fake})
    assert response.status_code == 400 and "no es un archivo PDF" in response.content.decode()
    real = SimpleUploadedFile("informe.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    assert (
        client.post(
            url, {"kind": "committee_report", "title": "Informe", "dated": "2026-11-01", "file": real}
        ).status_code
        == 302
    )
    with government_scope(seeded):
        document = Document.objects.get(act=act)
        assert document.file.name.endswith(".pdf") and "informe" not in document.file.name
        document.file.delete(save=False)


def test_editor_keeps_terms_and_committee_members(client, seeded, editor):
    login_verified(client, editor)
    with government_scope(seeded):
        person = Person.objects.get(name="Jorge Intriago Mera")
        seat = Membership.objects.get(person=person)
    response = client.post(
        gov_url(seeded, "council:office_seat_edit", pk=person.pk, seat_pk=seat.pk),
        {
            "role": "member",
            "label": "Consejero por Manta",
            "starts_on": seat.starts_on.isoformat(),
            "ends_on": "2026-06-30",
        },
    )
    assert response.status_code == 302
    page = client.get(gov_url(seeded, "council:home")).content.decode()
    past = page.split("Miembros anteriores")[1]
    assert "Jorge Intriago Mera" in past
    office = client.get(gov_url(seeded, "council:office_home"))
    assert office.status_code == 200 and "Jorge Intriago Mera" in office.content.decode()
    bad = client.post(
        gov_url(seeded, "council:office_seats", pk=person.pk),
        {"role": "alternate", "starts_on": "2026-07-01"},
    )
    assert bad.status_code == 200 and "Indique de quién es alterno" in bad.content.decode()
    assert dt.date(2026, 6, 30) == Membership.objects.for_government(seeded).get(pk=seat.pk).ends_on


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_editor_uploads_and_removes_a_members_photo(client, seeded, editor):
    login_verified(client, editor)
    with government_scope(seeded):
        person = Person.objects.get(name="Rosa Quijije Anchundia")
    url = gov_url(seeded, "council:office_person_edit", pk=person.pk)
    fields = {"name": person.name, "party": person.party}
    not_image = SimpleUploadedFile("foto.png", b"no soy una imagen", content_type="image/png")
    assert client.post(url, {**fields, "photo": not_image}).status_code == 200
    photo = SimpleUploadedFile("Rosa Quijije.png", _png(), content_type="image/png")
    assert client.post(url, {**fields, "photo": photo}).status_code == 302
    person.refresh_from_db()
    assert person.photo.name.startswith("council/people/") and "Rosa" not in person.photo.name
    page = client.get(gov_url(seeded, "council:member_detail", slug=person.slug)).content.decode()
    assert person.photo.url in page and "Foto de Rosa Quijije Anchundia" in page
    assert client.post(url, {**fields, "remove_photo": "on"}).status_code == 302
    person.refresh_from_db()
    assert not person.photo


def test_editor_records_the_tacit_sanction_from_the_act_page(client, seeded, editor):
    login_verified(client, editor)
    act = _act(seeded, "PO-2026-003")  # the executive's deadline passed unanswered
    page = client.get(gov_url(seeded, "council:office_act", pk=act.pk)).content.decode()
    assert "Sanción tácita" in page.split('id="allowed-steps"')[1].split("</p>")[0]
    assigned = _act(seeded, "PO-2026-006")
    other = client.get(gov_url(seeded, "council:office_act", pk=assigned.pk)).content.decode()
    assert "Sanción tácita" not in other.split('id="allowed-steps"')[1].split("</p>")[0]
    steps = gov_url(seeded, "council:office_action_add", pk=act.pk)
    today = timezone.localdate().isoformat()
    assert client.post(steps, {"stage": "tacitly_sanctioned", "date": today}).status_code == 302
    with government_scope(seeded):
        action = Action.objects.get(act=act, stage="tacitly_sanctioned")
        approved = Action.objects.get(act=act, stage="approved")
        assert action.date == approved.date + dt.timedelta(days=8)
    public = client.get(gov_url(seeded, "council:act_detail", slug=act.slug)).content.decode()
    assert "tacit-" not in public and 'id="overdue"' not in public and "Sanción tácita" in public


def test_a_refused_act_leaves_no_new_subject(client, seeded, editor):
    login_verified(client, editor)
    with government_scope(seeded):
        sponsor = Person.objects.get(name="Gabriela Vélez Bravo")
        before = Subject.objects.count()
    response = client.post(
        gov_url(seeded, "council:office_act_create"),
        {
            "identifier": "PO-2026-001",  # taken by the demo
            "kind": "ordinance",
            "title": "Duplicada",
            "primary": sponsor.pk,
            "subjects": "Tema que no debe quedar",
            "is_public": "on",
        },
    )
    assert response.status_code == 200 and "PO-2026-001" in response.content.decode()
    assert 'value="Tema que no debe quedar"' in response.content.decode()  # what was typed stays
    with government_scope(seeded):
        assert Subject.objects.count() == before
        assert not Subject.objects.filter(name="Tema que no debe quedar").exists()


def test_the_act_page_speaks_of_the_council_committee_and_only_cites_the_law(client, seeded):
    act = _act(seeded, "PO-2026-003")
    html = client.get(gov_url(seeded, "council:act_detail", slug=act.slug)).content.decode()
    # the council's committee, not the citizens' oversight committees (another app's "Committee")
    assert "<dt>Comisión</dt>" in html and "<dt>Veeduría</dt>" not in html
    assert "COOTAD art. 322" in html and "verify" not in html
