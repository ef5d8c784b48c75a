"""Projects and progress for tests, written through the services (so they are audited and
indexed like real ones)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from minga.core.tenancy.scoping import government_scope

from .. import services

POINT = {"type": "Point", "coordinates": [-80.454, -1.054]}


def project(government, *, title="Puente sobre el río Chico", location=POINT, links=None, **fields):
    fields.setdefault("is_published", True)
    fields.setdefault("status", "implementation")
    fields.setdefault("amount_planned", Decimal("100000"))
    fields.setdefault("amount_contracted", Decimal("95000"))
    fields.setdefault("dpa_code", "1301")
    fields.setdefault("territory_name", "Portoviejo")
    with government_scope(government):
        return services.project_create(
            actor=None, government=government, title=title, location=location, links=links or {}, **fields
        )


def progress(government, project, *, day=None, physical="40", financial="45", **kwargs):
    with government_scope(government):
        return services.progress_post(
            actor=kwargs.pop("actor", None),
            government=government,
            project=project,
            reported_on=day or dt.date.today(),
            physical_progress=Decimal(physical),
            financial_progress=Decimal(financial),
            notify=kwargs.pop("notify", False),
            **kwargs,
        )


def jpeg(name="foto.jpg", size=(1200, 900), gps=None) -> SimpleUploadedFile:
    image = Image.new("RGB", size, "#3d8597")
    exif = Image.Exif()
    exif[0x010F] = "Fabricante"  # Make: must not survive
    exif[0x0131] = "Software secreto"
    if gps is not None:
        lat, lon = gps
        ifd = exif.get_ifd(0x8825)
        ifd[1], ifd[2] = ("N" if lat >= 0 else "S"), (int(abs(lat)), int(abs(lat) * 60 % 60), 0.0)
        ifd[3], ifd[4] = ("E" if lon >= 0 else "W"), (int(abs(lon)), int(abs(lon) * 60 % 60), 0.0)
    output = io.BytesIO()
    image.save(output, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, output.getvalue(), content_type="image/jpeg")
