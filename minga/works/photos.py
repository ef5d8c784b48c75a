"""Photos of works. The core image cleaner checks the type, caps the size, resizes and drops
every piece of metadata; on top of that, when an official chooses to, the position the
camera recorded (EXIF GPS) is read first and written back as the only metadata of the file,
and kept in the photo's latitude/longitude so the map can place it. Citizens' photos never
keep a position: it could reveal where a person lives."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import ExifTags, Image

from minga.core.images import clean_image, open_image

MAX_SIDE = 1600
GPS_IFD = ExifTags.IFD.GPSInfo


@dataclass
class CleanPhoto:
    content: ContentFile
    width: int
    height: int
    latitude: float | None = None
    longitude: float | None = None


def _degrees(value, ref) -> float | None:
    try:
        degrees, minutes, seconds = (float(part) for part in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    result = degrees + minutes / 60 + seconds / 3600
    return -result if str(ref).upper() in ("S", "W") else result


def read_position(upload) -> tuple[float, float] | None:
    """(latitude, longitude) from the picture's EXIF GPS tags, or None. Reads the header only."""
    try:
        with open_image(upload) as image:
            gps = image.getexif().get_ifd(GPS_IFD)
    except (ValidationError, OSError, ValueError, SyntaxError):
        return None
    finally:
        upload.seek(0)
    if not gps or 2 not in gps or 4 not in gps:
        return None
    lat, lon = _degrees(gps[2], gps.get(1, "N")), _degrees(gps[4], gps.get(3, "E"))
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def clean_photo(upload, *, keep_position: bool) -> CleanPhoto:
    """Raises ValidationError (from clean_image) when the file is not an image we accept."""
    content = clean_image(upload, max_side=MAX_SIDE)
    position = read_position(upload) if keep_position else None
    with open_image(io.BytesIO(content.read())) as image:
        width, height = image.size
        if position is None:
            content.seek(0)
            return CleanPhoto(content=content, width=width, height=height)
        exif = Image.Exif()
        gps = exif.get_ifd(GPS_IFD)
        lat, lon = position
        for tag, ref_tag, value, positive, negative in ((2, 1, lat, "N", "S"), (4, 3, lon, "E", "W")):
            whole = abs(value)
            degrees = int(whole)
            minutes = int((whole - degrees) * 60)
            seconds = round(((whole - degrees) * 60 - minutes) * 60, 4)
            gps[ref_tag] = positive if value >= 0 else negative
            gps[tag] = (degrees, minutes, seconds)
        output = io.BytesIO()
        image.save(output, format="JPEG", quality=85, optimize=True, progressive=True, exif=exif)
    return CleanPhoto(
        content=ContentFile(output.getvalue(), name=content.name),
        width=width,
        height=height,
        latitude=round(lat, 6),
        longitude=round(lon, 6),
    )
