"""What a process gives the rest of the portal: the global search (published processes only),
the open-data table the catalog publishes, and the optional picture (re-encoded without its
metadata, removed on request)."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from minga.core.opendata import tables_for
from minga.core.search.selectors import search
from minga.core.tenancy.scoping import government_scope

from ..processes import services
from ..processes.models import Process
from . import factories
from .factories import DAY

pytestmark = pytest.mark.django_db


def _titles(government, query):
    with government_scope(government):
        found = search(government=government, query=query, count_zero_results=False)
    return [result.title for group in found.groups for result in group.results]


def test_search_finds_published_processes_only(government, now):
    process = factories.process(government, title="Presupuesto participativo de Chone", description="Obras de agua")
    factories.process(government, title="Presupuesto participativo interno", is_published=False)
    assert _titles(government, "presupuesto participativo") == ["Presupuesto participativo de Chone"]
    assert _titles(government, "agua") == ["Presupuesto participativo de Chone"]
    with government_scope(government):
        services.process_set_published(actor=None, government=government, process=process, is_published=False)
    assert _titles(government, "chone") == []


def test_open_data_table_of_published_processes(government, now):
    factories.process(government, slug="pp", start=now - 5 * DAY)
    factories.process(government, slug="borrador", is_published=False)
    with government_scope(government):  # as the catalog's job reads it
        # Each sub-package adds its own tables (proposals…): this test reads the processes'.
        table = next(t for t in tables_for(government, "participation") if t.key == "participation.processes")
        names = [column.name for column in table.columns]
        rows = [dict(zip(names, row, strict=True)) for row in table.rows()]
    assert table.key == "participation.processes"
    assert [row["identificador"] for row in rows] == ["pp"]
    assert rows[0]["numero_fases"] == 4 and rows[0]["fases"].count(" | ") == 3
    assert rows[0]["codigos_territorio"] == "" and rows[0]["direccion"] == "/g/manabi/participacion/pp/"


def _jpeg_with_exif() -> SimpleUploadedFile:
    image = Image.new("RGB", (2400, 1600), "#336699")
    exif = Image.Exif()
    exif[0x010F] = "CamaraDePrueba"
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    return SimpleUploadedFile("foto.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_the_picture_is_cleaned_and_can_be_removed(government, now, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    process = factories.process(government, image=_jpeg_with_exif(), image_alt="Asamblea en Chone")
    with government_scope(government):
        stored = Process.objects.get(pk=process.pk)
        with Image.open(stored.image) as picture:
            assert max(picture.size) == services.IMAGE_MAX_SIDE and not picture.getexif()
        services.process_update(actor=None, government=government, process=stored, remove_image=True)
        stored = Process.objects.get(pk=process.pk)
    assert not stored.image and stored.image_alt == ""
    with pytest.raises(ValidationError) as caught:
        factories.process(government, image=SimpleUploadedFile("x.jpg", b"not an image"))
    assert "image" in caught.value.message_dict
