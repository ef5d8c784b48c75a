"""Uploaded pictures (logos, portraits, photos): the type is sniffed by decoding the image,
not trusted from the name; the size is capped; the picture is re-encoded without metadata
(EXIF may carry GPS positions and device serials) and stored under a random name.

Every upload is opened through ``open_image``, which reads only the file's header and refuses
a picture whose declared dimensions are over the limits before a single pixel is decoded. A
few hundred kilobytes of PNG can declare 8,900 × 8,900 pixels (about 240 MB once decoded,
several times that while resizing); Pillow on its own only warns below twice its
``MAX_IMAGE_PIXELS``. An animated picture is kept as its first frame, and only that frame is
ever decoded, so its canvas is what the limits bound."""

import io
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
# Pillow's own check stays on as a second line, at the same limit: over it Pillow warns, over
# twice it raises DecompressionBombError (answered with the same message below).
Image.MAX_IMAGE_PIXELS = settings.IMAGE_UPLOAD_MAX_PIXELS


def _not_an_image() -> ValidationError:
    return ValidationError(_("The file is not an image we can read (JPEG, PNG, WebP or GIF)."), code="not_an_image")


def _too_many_pixels(width: int, height: int) -> ValidationError:
    return ValidationError(
        _(
            "The image is %(width)d × %(height)d pixels; the limit is %(megapixels)s megapixels and %(side)d "
            "pixels a side. Send a smaller copy (any phone or photo program can reduce it)."
        ),
        code="too_many_pixels",
        params={
            "width": width,
            "height": height,
            "megapixels": f"{settings.IMAGE_UPLOAD_MAX_PIXELS / 1_000_000:g}",
            "side": settings.IMAGE_UPLOAD_MAX_SIDE,
        },
    )


def open_image(upload) -> Image.Image:
    """The upload opened lazily (header read, no pixel decoded), or ValidationError when it is
    not a JPEG, PNG, WebP or GIF or declares more pixels than the settings allow. Only the
    accepted formats' readers are tried, so no other decoder ever sees an upload."""
    upload.seek(0)
    try:
        image = Image.open(upload, formats=ACCEPTED_FORMATS)
    except Image.DecompressionBombError as error:
        raise ValidationError(_("The image declares far more pixels than allowed."), code="too_many_pixels") from error
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        raise _not_an_image() from error
    width, height = image.size
    limit_side = settings.IMAGE_UPLOAD_MAX_SIDE
    # The file stays open: it is the caller's (Image.close() would close it too).
    if width * height > settings.IMAGE_UPLOAD_MAX_PIXELS or width > limit_side or height > limit_side:
        raise _too_many_pixels(width, height)
    if width < 1 or height < 1:
        raise _not_an_image()
    return image


def check_image(upload) -> None:
    """Header checks only (format and declared size); for form fields, before anything decodes."""
    with open_image(upload):
        pass
    upload.seek(0)


def clean_image(upload, *, max_side: int = 800, max_bytes: int | None = None, keep_alpha: bool = False) -> ContentFile:
    limit = max_bytes or settings.IMAGE_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(_("The image is too large (maximum %(mb)d MB).") % {"mb": limit // (1024 * 1024)})
    with open_image(upload) as probe:
        try:
            probe.verify()  # checksums of every chunk, without decoding the pixels
        except Exception as error:  # Pillow raises many types for damaged files
            raise _not_an_image() from error
    image = open_image(upload)
    try:
        # Resized before it is turned upright: a JPEG is then decoded at a reduced scale
        # (Pillow's draft mode), and the bounding box is square, so the order does not matter.
        image.thumbnail((max_side, max_side), reducing_gap=1.0)
        image = ImageOps.exif_transpose(image)  # keep the visible orientation once EXIF is dropped
    except Exception as error:  # a damaged or truncated file is only found while decoding
        raise _not_an_image() from error
    output = io.BytesIO()
    if keep_alpha and image.mode in ("RGBA", "LA", "P", "PA"):
        image.convert("RGBA").save(output, format="PNG", optimize=True)
        extension = "png"
    else:
        image.convert("RGB").save(output, format="JPEG", quality=85, optimize=True, progressive=True)
        extension = "jpg"
    return ContentFile(output.getvalue(), name=f"{secrets.token_hex(16)}.{extension}")
