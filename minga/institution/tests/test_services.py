"""Branches of the services: hierarchy cycles, terms, photo processing, deletion rules,
audit action codes and the search index."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from minga.core.audit.models import AuditEntry
from minga.core.search.models import SearchDocument
from minga.core.tenancy.scoping import government_scope

from .. import services
from ..models import AgendaEvent, Authority, Unit
from . import factories

pytestmark = pytest.mark.django_db


def test_unit_cannot_report_to_itself_or_create_a_loop(government):
    top = factories.unit(government, name="Prefectura")
    middle = factories.unit(government, parent=top)
    bottom = factories.unit(government, parent=middle)
    with government_scope(government):
        with pytest.raises(ValidationError) as error:
            services.unit_update(actor=None, government=government, unit=top, parent=top)
        assert "parent" in error.value.message_dict
        with pytest.raises(ValidationError) as error:
            services.unit_update(actor=None, government=government, unit=top, parent=bottom)
        assert "parent" in error.value.message_dict
        # A legal move still works.
        moved = services.unit_update(actor=None, government=government, unit=bottom, parent=top)
        assert moved.parent_id == top.pk
        assert Unit.objects.get(pk=top.pk).parent_id is None


def test_unit_parent_and_head_must_belong_to_the_same_government(government, other_government):
    foreign_unit = factories.unit(other_government)
    foreign_head = factories.authority(other_government)
    with government_scope(government), pytest.raises(ValidationError) as error:
        services.unit_create(actor=None, government=government, name="Dirección X", parent=foreign_unit)
    assert "parent" in error.value.message_dict
    with government_scope(government), pytest.raises(ValidationError) as error:
        services.unit_create(actor=None, government=government, name="Dirección Y", head=foreign_head)
    assert "head" in error.value.message_dict


def test_slugs_are_generated_unique_per_government(government, other_government):
    first = factories.unit(government, name="Dirección Financiera", slug="", acronym="")
    second = factories.unit(government, name="Dirección Financiera", slug="", acronym="")
    elsewhere = factories.unit(other_government, name="Dirección Financiera", slug="", acronym="")
    assert (first.slug, second.slug, elsewhere.slug) == (
        "direccion-financiera",
        "direccion-financiera-2",
        "direccion-financiera",
    )
    with government_scope(government), pytest.raises(ValidationError) as error:
        services.unit_update(actor=None, government=government, unit=second, slug="direccion-financiera")
    assert "slug" in error.value.message_dict


def test_current_and_past_terms(government):
    today = dt.date(2026, 3, 1)
    current = factories.authority(government, term_start=dt.date(2023, 5, 14), term_end=dt.date(2027, 5, 14))
    open_ended = factories.authority(government, term_start=dt.date(2024, 1, 1), term_end=None)
    past = factories.authority(government, term_start=dt.date(2019, 5, 14), term_end=dt.date(2023, 5, 13))
    future = factories.authority(government, term_start=dt.date(2026, 6, 1))
    ends_today = factories.authority(government, term_start=dt.date(2020, 1, 1), term_end=today)
    assert current.is_current(today) and open_ended.is_current(today) and ends_today.is_current(today)
    assert not past.is_current(today) and not future.is_current(today)
    with government_scope(government):
        assert set(Authority.objects.current(today)) == {current, open_ended, ends_today}
        assert set(Authority.objects.past(today)) == {past}


def test_term_cannot_end_before_it_starts(government):
    with government_scope(government), pytest.raises(ValidationError) as error:
        services.authority_create(
            actor=None,
            government=government,
            name="Ana Vera",
            position="Prefecta",
            term_start=dt.date(2024, 1, 1),
            term_end=dt.date(2023, 1, 1),
        )
    assert "term_end" in error.value.message_dict


def test_photo_is_resized_re_encoded_and_stripped_of_exif(government):
    upload = factories.jpeg_with_exif()
    with Image.open(io.BytesIO(upload.read())) as original:
        assert original.getexif().get(0x010F) == "CamaraDePrueba"
    upload.seek(0)
    authority = factories.authority(government, photo=upload)
    assert authority.photo.name.startswith("institution/authorities/")
    assert "foto" not in authority.photo.name  # random name, not the uploaded one
    with authority.photo.open("rb") as stored, Image.open(stored) as image:
        assert max(image.size) == 800
        assert image.format == "JPEG"
        assert not dict(image.getexif())
        assert "exif" not in image.info


def test_a_file_that_is_not_an_image_is_refused_whatever_its_name(government):
    fake = SimpleUploadedFile("retrato.jpg", b"<?php echo 'hola'; ?>", content_type="image/jpeg")
    with government_scope(government), pytest.raises(ValidationError) as error:
        services.authority_create(actor=None, government=government, name="Luis Loor", position="Director", photo=fake)
    assert "photo" in error.value.message_dict
    with government_scope(government):
        assert not Authority.objects.exists()


def test_unit_with_children_or_authorities_cannot_be_deleted(government):
    top = factories.unit(government)
    child = factories.unit(government, parent=top)
    factories.authority(government, unit=child)
    with government_scope(government):
        with pytest.raises(ValidationError):
            services.unit_delete(actor=None, government=government, unit=top)
        with pytest.raises(ValidationError):
            services.unit_delete(actor=None, government=government, unit=child)
        assert Unit.objects.count() == 2
    lonely = factories.unit(government)
    with government_scope(government):
        services.unit_delete(actor=None, government=government, unit=lonely)
        assert not Unit.objects.filter(pk=lonely.pk).exists()
    assert AuditEntry.objects.filter(action="institution.unit.deleted", object_id=str(lonely.pk)).exists()


def test_publishing_is_audited_with_its_own_action(government):
    authority = factories.authority(government, is_published=False)
    with government_scope(government):
        services.authority_set_published(actor=None, government=government, authority=authority, is_published=True)
        services.authority_set_published(actor=None, government=government, authority=authority, is_published=False)
        services.authority_update(actor=None, government=government, authority=authority, position="Subdirectora")
    actions = list(
        AuditEntry.objects.filter(object_id=str(authority.pk), action__startswith="institution.authority")
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert actions == [
        "institution.authority.created",
        "institution.authority.published",
        "institution.authority.unpublished",
        "institution.authority.updated",
    ]
    entry = AuditEntry.objects.get(action="institution.authority.updated")
    assert entry.changes["position"] == ["Directora", "Subdirectora"]


def test_event_cancel_and_end_before_start(government):
    event = factories.event(government)
    with government_scope(government):
        cancelled = services.event_cancel(actor=None, government=government, event=event)
        assert cancelled.status == AgendaEvent.Status.CANCELLED
        with pytest.raises(ValidationError) as error:
            services.event_update(
                actor=None, government=government, event=event, ends_at=event.starts_at - dt.timedelta(hours=1)
            )
        assert "ends_at" in error.value.message_dict
    assert AuditEntry.objects.filter(action="institution.event.cancelled", object_id=str(event.pk)).exists()


def test_event_authorities_must_belong_to_the_government(government, other_government):
    foreign = factories.authority(other_government)
    with government_scope(government), pytest.raises(ValidationError):
        factories.event(government, authorities=[foreign])


def test_search_index_follows_visibility(government):
    public = factories.event(government, title="Audiencia pública de riego")
    private = factories.event(government, title="Reunión reservada", visibility="private")
    draft = factories.authority(government, is_published=False)
    unit = factories.unit(government, is_public=True)
    with government_scope(government):
        kinds = set(SearchDocument.objects.values_list("kind", "object_id"))
        assert ("institution.event", str(public.pk)) in kinds
        assert ("institution.event", str(private.pk)) not in kinds
        assert ("institution.authority", str(draft.pk)) not in kinds
        assert ("institution.unit", str(unit.pk)) in kinds
        services.event_update(actor=None, government=government, event=public, visibility="private")
        services.unit_update(actor=None, government=government, unit=unit, is_public=False)
        kinds = set(SearchDocument.objects.values_list("kind", "object_id"))
        assert ("institution.event", str(public.pk)) not in kinds
        assert ("institution.unit", str(unit.pk)) not in kinds
