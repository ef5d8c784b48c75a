"""Back-office screens through HTTP: create, edit, delete with audit entries; forms keep the
input on error; a unit with children or authorities cannot be deleted; viewers only read."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from minga.core.audit.models import AuditEntry
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import bomb_png_bytes, gov_url, login_verified

from ..forms import AgendaEventForm, UnitForm
from ..models import AgendaEvent, Authority, DeclarationLink, Unit
from . import factories

pytestmark = pytest.mark.django_db


def _unit_data(**overrides):
    data = {"name": "Dirección de Turismo", "acronym": "DT", "slug": "", "kind": "operative", "order": "3"}
    data.update(overrides)
    return data


def test_unit_create_edit_delete_audited(client, government, editor):
    login_verified(client, editor)
    top = factories.unit(government, name="Prefectura", slug="prefectura")
    response = client.post(
        gov_url(government, "institution:office_unit_create"), _unit_data(parent=top.pk, is_public="on")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    with government_scope(government):
        unit = Unit.objects.get(name="Dirección de Turismo")
    assert unit.slug == "dt" and unit.parent == top and unit.is_public
    created = AuditEntry.objects.get(action="institution.unit.created", object_id=str(unit.pk))
    assert created.actor == editor and created.government == government

    response = client.post(
        gov_url(government, "institution:office_unit_edit", pk=unit.pk),
        _unit_data(name="Dirección de Turismo y Cultura", slug="dt", parent=top.pk, description="Promueve."),
    )
    assert response.status_code == 302
    updated = AuditEntry.objects.get(action="institution.unit.updated", object_id=str(unit.pk))
    assert updated.changes["name"] == ["Dirección de Turismo", "Dirección de Turismo y Cultura"]
    assert updated.changes["is_public"] == [True, False]

    assert client.get(gov_url(government, "institution:office_unit_delete", pk=unit.pk)).status_code == 200
    response = client.post(gov_url(government, "institution:office_unit_delete", pk=unit.pk), {"confirm": "on"})
    assert response.status_code == 302
    with government_scope(government):
        assert not Unit.objects.filter(pk=unit.pk).exists()
    assert AuditEntry.objects.filter(action="institution.unit.deleted", object_id=str(unit.pk)).exists()


def test_unit_form_keeps_input_and_explains_a_loop(client, government, editor):
    login_verified(client, editor)
    top = factories.unit(government, name="Prefectura", slug="prefectura")
    child = factories.unit(government, name="Obras", slug="obras", parent=top)
    response = client.post(
        gov_url(government, "institution:office_unit_edit", pk=top.pk),
        _unit_data(name="Prefectura renombrada", slug="prefectura", parent=child.pk, description="Texto escrito"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Prefectura renombrada"' in html and "Texto escrito" in html
    assert 'id="id_parent_error"' in html and 'aria-invalid="true"' in html
    with government_scope(government):
        assert Unit.objects.get(pk=top.pk).name == "Prefectura"
    response = client.post(gov_url(government, "institution:office_unit_create"), _unit_data(slug="obras"))
    assert response.status_code == 200 and 'id="id_slug_error"' in response.content.decode()


def test_unit_with_children_or_authorities_is_not_deleted(client, government, editor):
    login_verified(client, editor)
    top = factories.unit(government, slug="prefectura")
    factories.unit(government, parent=top)
    lonely = factories.unit(government)
    factories.authority(government, unit=lonely)
    for unit in (top, lonely):
        page = client.get(gov_url(government, "institution:office_unit_delete", pk=unit.pk)).content.decode()
        assert 'id="delete-refusal"' in page
        response = client.post(gov_url(government, "institution:office_unit_delete", pk=unit.pk), {"confirm": "on"})
        assert response.status_code == 409 and 'id="delete-refusal"' in response.content.decode()
    with government_scope(government):
        assert Unit.objects.count() == 3
    assert not AuditEntry.objects.filter(action="institution.unit.deleted").exists()


def test_delete_needs_the_confirmation(client, government, editor):
    login_verified(client, editor)
    unit = factories.unit(government)
    response = client.post(gov_url(government, "institution:office_unit_delete", pk=unit.pk), {})
    assert response.status_code == 200 and 'id="id_confirm_error"' in response.content.decode()
    with government_scope(government):
        assert Unit.objects.filter(pk=unit.pk).exists()


def test_authority_create_with_photo_publish_and_delete(client, government, editor):
    login_verified(client, editor)
    unit = factories.unit(government)
    data = {
        "name": "Gabriela Mendoza Loor",
        "slug": "",
        "position": "Prefecta",
        "unit": unit.pk,
        "term_start": "2023-05-14",
        "term_end": "",
        "biography": "Biografía.",
        "order": "0",
        "photo": factories.jpeg_with_exif(),
    }
    response = client.post(gov_url(government, "institution:office_authority_create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    with government_scope(government):
        authority = Authority.objects.get(name="Gabriela Mendoza Loor")
    assert authority.slug == "gabriela-mendoza-loor" and authority.photo and not authority.is_published
    assert AuditEntry.objects.filter(action="institution.authority.created", actor=editor).exists()

    client.post(gov_url(government, "institution:office_authority_publish", pk=authority.pk), {"publicar": "1"})
    client.post(gov_url(government, "institution:office_authority_publish", pk=authority.pk), {"publicar": "0"})
    actions = set(AuditEntry.objects.filter(object_id=str(authority.pk)).values_list("action", flat=True))
    assert {"institution.authority.published", "institution.authority.unpublished"} <= actions

    response = client.post(
        gov_url(government, "institution:office_authority_delete", pk=authority.pk), {"confirm": "on"}
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="institution.authority.deleted", object_id=str(authority.pk)).exists()


def test_authority_form_refuses_a_fake_image_and_keeps_input(client, government, editor):
    login_verified(client, editor)
    response = client.post(
        gov_url(government, "institution:office_authority_create"),
        {
            "name": "Nombre Escrito",
            "position": "Director",
            "order": "0",
            "term_start": "2024-01-01",
            "term_end": "2023-01-01",
            "photo": SimpleUploadedFile("x.png", b"not an image", content_type="image/png"),
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Nombre Escrito"' in html and 'id="id_term_end_error"' in html
    with government_scope(government):
        assert not Authority.objects.exists()
    response = client.post(
        gov_url(government, "institution:office_authority_create"),
        {
            "name": "Nombre Escrito",
            "position": "Director",
            "order": "0",
            "photo": SimpleUploadedFile("x.png", b"not an image", content_type="image/png"),
        },
    )
    assert response.status_code == 200 and 'id="id_photo_error"' in response.content.decode()


def test_authority_photo_declaring_too_many_pixels_is_refused(client, government, editor):
    login_verified(client, editor)
    response = client.post(
        gov_url(government, "institution:office_authority_create"),
        {
            "name": "Nombre Escrito",
            "position": "Director",
            "order": "0",
            "photo": SimpleUploadedFile("retrato.png", bomb_png_bytes(), content_type="image/png"),
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'id="id_photo_error"' in html and "8900 × 8900" in html
    with government_scope(government):
        assert not Authority.objects.exists()


def test_declaration_links_crud(client, government, editor):
    login_verified(client, editor)
    authority = factories.authority(government)
    url = gov_url(government, "institution:office_declarations", authority_pk=authority.pk)
    response = client.post(url, {"title": "Declaración 2023", "url": "https://www.contraloria.gob.ec/", "year": "2023"})
    assert response.status_code == 302
    with government_scope(government):
        declaration = DeclarationLink.objects.get()
    response = client.post(url, {"title": "Mala", "url": "javascript:alert(1)", "year": "1800"})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="id_url_error"' in html and 'id="id_year_error"' in html
    response = client.post(
        gov_url(government, "institution:office_declaration_edit", pk=declaration.pk),
        {"title": "Declaración de inicio", "url": "https://www.contraloria.gob.ec/", "year": "2023"},
    )
    assert response.status_code == 302
    response = client.post(gov_url(government, "institution:office_declaration_delete", pk=declaration.pk))
    assert response.status_code == 302
    actions = list(
        AuditEntry.objects.filter(action__startswith="institution.declaration").values_list("action", flat=True)
    )
    assert sorted(actions) == sorted(
        ["institution.declaration.created", "institution.declaration.updated", "institution.declaration.deleted"]
    )


def test_event_create_edit_cancel_delete(client, government, editor):
    login_verified(client, editor)
    mayor = factories.authority(government)
    data = {
        "title": "Audiencia pública",
        "starts_at": "2030-03-12T17:00",
        "ends_at": "2030-03-12T19:00",
        "location": "Coliseo",
        "visibility": "public",
        "status": "scheduled",
        "authorities": [mayor.pk],
    }
    response = client.post(gov_url(government, "institution:office_event_create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    with government_scope(government):
        event = AgendaEvent.objects.get()
        assert list(event.authorities.all()) == [mayor]
    local = timezone.localtime(event.starts_at)
    assert (local.hour, local.utcoffset().total_seconds()) == (17, -5 * 3600)
    assert AuditEntry.objects.get(action="institution.event.created").changes["authorities"] == [None, [mayor.pk]]

    response = client.post(
        gov_url(government, "institution:office_event_edit", pk=event.pk), {**data, "ends_at": "2030-03-12T16:00"}
    )
    assert response.status_code == 200 and 'id="id_ends_at_error"' in response.content.decode()
    assert 'value="Coliseo"' in response.content.decode()

    response = client.post(gov_url(government, "institution:office_event_cancel", pk=event.pk))
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="institution.event.cancelled", object_id=str(event.pk)).exists()
    response = client.post(gov_url(government, "institution:office_event_delete", pk=event.pk), {"confirm": "on"})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="institution.event.deleted", object_id=str(event.pk)).exists()


def test_lists_are_filterable(client, government, viewer):
    login_verified(client, viewer)
    factories.unit(government, name="Dirección Financiera", kind="support")
    factories.unit(government, name="Dirección de Riego", kind="operative")
    factories.event(government, title="Reunión privada", visibility="private")
    factories.event(government, title="Sesión pública")
    factories.authority(government, name="Publicada Persona")
    factories.authority(government, name="Borrador Persona", is_published=False)
    html = client.get(gov_url(government, "institution:office_units") + "?tipo=support").content.decode()
    assert "Dirección Financiera" in html and "Dirección de Riego" not in html
    html = client.get(gov_url(government, "institution:office_units") + "?q=riego").content.decode()
    assert "Dirección de Riego" in html and "Dirección Financiera" not in html
    html = client.get(gov_url(government, "institution:office_events") + "?visibilidad=private").content.decode()
    assert "Reunión privada" in html and "Sesión pública" not in html
    html = client.get(gov_url(government, "institution:office_authorities") + "?estado=borradores").content.decode()
    assert "Borrador Persona" in html and "Publicada Persona" not in html
    # Viewers see no editing controls.
    assert 'id="authority-create"' not in html


def test_viewer_cannot_write(client, government, viewer):
    login_verified(client, viewer)
    unit = factories.unit(government)
    authority = factories.authority(government)
    assert client.post(gov_url(government, "institution:office_unit_create"), _unit_data()).status_code == 403
    assert (
        client.post(gov_url(government, "institution:office_unit_delete", pk=unit.pk), {"confirm": "on"}).status_code
        == 403
    )
    url = gov_url(government, "institution:office_declarations", authority_pk=authority.pk)
    assert client.get(url).status_code == 200
    assert client.post(url, {"title": "x", "url": "https://e.org", "year": "2024"}).status_code == 403
    with government_scope(government):
        assert Unit.objects.count() == 1 and not DeclarationLink.objects.exists()


def test_head_and_participants_list_authorities_in_office_first_with_their_positions(government, other_government):
    today = timezone.localdate()
    former = factories.authority(
        government,
        name="Ana Anterior",
        position="Prefecta",
        term_start=dt.date(2019, 5, 14),
        term_end=dt.date(2023, 5, 13),
    )
    current = factories.authority(government, name="Zoila Actual", position="Prefecta", term_start=dt.date(2023, 5, 14))
    future = factories.authority(
        government, name="Beto Futuro", position="Viceprefecto", term_start=today + dt.timedelta(days=30)
    )
    factories.authority(other_government, name="Persona Ajena")
    with government_scope(government):
        for form, name in (
            (UnitForm(government=government), "head"),
            (AgendaEventForm(government=government), "authorities"),
        ):
            field = form.fields[name]
            assert list(field.queryset) == [current, former, future]
            labels = [field.label_from_instance(authority) for authority in field.queryset]
            assert labels[0] == "Zoila Actual — Prefecta"
            assert labels[1].startswith("Ana Anterior — Prefecta (") and "2023" in labels[1]
            assert labels[2].startswith("Beto Futuro — Viceprefecto (")
            assert "Zoila Actual — Prefecta" in str(form[name])
