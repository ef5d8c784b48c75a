"""Uploaded pictures (logos, portraits, photos): the type is sniffed by decoding the image,
not trusted from the name; the size is capped; the picture is re-encoded without metadata
(EXIF may carry GPS positions and device serials) and stored under a random name."""

import io
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
# Decompression bombs: refuse absurd pixel counts before decoding.
Image.MAX_IMAGE_PIXELS = 40_000_000


def clean_image(upload, *, max_side: int = 800, max_bytes: int | None = None, keep_alpha: bool = False) -> ContentFile:
    limit = max_bytes or settings.IMAGE_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(_("The image is too large (maximum %(mb)d MB).") % {"mb": limit // (1024 * 1024)})
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            detected = probe.format
            probe.verify()
        upload.seek(0)
        image = Image.open(upload)
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ValidationError(_("The file is not an image we can read (JPEG, PNG, WebP or GIF).")) from error
    if detected not in ACCEPTED_FORMATS:
        raise ValidationError(_("The file is not an image we can read (JPEG, PNG, WebP or GIF)."))
    image = ImageOps.exif_transpose(image)  # keep the visible orientation once EXIF is dropped
    image.thumbnail((max_side, max_side))
    output = io.BytesIO()
    if keep_alpha and image.mode in ("RGBA", "LA", "P"):
        image.convert("RGBA").save(output, format="PNG", optimize=True)
        extension = "png"
    else:
        image.convert("RGB").save(output, format="JPEG", quality=85, optimize=True, progressive=True)
        extension = "jpg"
    return ContentFile(output.getvalue(), name=f"{secrets.token_hex(16)}.{extension}")
