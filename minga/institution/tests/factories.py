"""Small builders for the module's tests: every object goes through the services, as in
production, inside the government's scope."""

import datetime as dt
import io
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from minga.core.tenancy.scoping import government_scope

from .. import services

_numbers = itertools.count(1)


def unit(government, **fields):
    number = next(_numbers)
    values = {"name": f"Dirección de Prueba {number}", "slug": f"unidad-{number}", "description": "Hace cosas."}
    values.update(fields)
    with government_scope(government):
        return services.unit_create(actor=None, government=government, **values)


def authority(government, **fields):
    number = next(_numbers)
    values = {
        "name": f"Persona Autoridad {number}",
        "slug": f"autoridad-{number}",
        "position": "Directora",
        "term_start": dt.date(2023, 5, 14),
        "is_published": True,
    }
    values.update(fields)
    with government_scope(government):
        return services.authority_create(actor=None, government=government, **values)


def event(government, **fields):
    number = next(_numbers)
    starts = fields.pop("starts_at", timezone.now() + dt.timedelta(days=2))
    values = {"title": f"Evento de prueba {number}", "starts_at": starts, "ends_at": starts + dt.timedelta(hours=2)}
    values.update(fields)
    with government_scope(government):
        return services.event_create(actor=None, government=government, **values)


def jpeg_with_exif(size=(1600, 1200), name="foto.jpg") -> SimpleUploadedFile:
    image = Image.new("RGB", size, "#336699")
    exif = Image.Exif()
    exif[0x010F] = "CamaraDePrueba"  # Make
    exif[0x0131] = "Software secreto"  # Software
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")
