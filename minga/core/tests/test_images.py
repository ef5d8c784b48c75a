"""Uploaded pictures: the declared size is checked before anything decodes (decompression
bombs), for the cleaner every module uses and for Django's image form field."""

import io
import struct

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageFile, PngImagePlugin

from minga.core.audit.models import AuditEntry
from minga.core.images import clean_image, open_image
from minga.core.testing import bomb_png_bytes, gov_url, login_verified, make_official


def _upload(data: bytes, name="foto.png", content_type="image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def _png(size, mode="RGB") -> bytes:
    output = io.BytesIO()
    Image.new(mode, size, "#3d8597").save(output, format="PNG")
    return output.getvalue()


def _gif_with_a_frame_larger_than_its_screen(width: int, height: int) -> bytes:
    """A 10 × 10 GIF whose only frame declares width × height: Pillow grows the canvas to it."""
    screen = b"GIF89a" + struct.pack("<HHBBB", 10, 10, 0, 0, 0)
    descriptor = b"," + struct.pack("<HHHHB", 0, 0, width, height, 0x80) + b"\x00\x00\x00\xff\xff\xff"
    pixels = b"\x02" + b"\x02\x44\x01\x00"  # LZW: clear, one pixel, end
    return screen + descriptor + pixels + b";"


@pytest.fixture
def no_decoding(monkeypatch):
    """Fails the test if anything decodes pixels or walks the file's chunks."""
    calls = []

    def refuse(self, *args, **kwargs):
        calls.append(type(self).__name__)
        raise AssertionError("decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)
    monkeypatch.setattr(PngImagePlugin.PngImageFile, "load", refuse, raising=False)
    monkeypatch.setattr(PngImagePlugin.PngImageFile, "verify", refuse)
    return calls


def test_a_small_png_declaring_79_megapixels_is_refused_before_decoding(no_decoding):
    data = bomb_png_bytes()
    assert len(data) < 400_000  # a few hundred kilobytes, under every upload size cap
    with pytest.raises(ValidationError) as error:
        clean_image(_upload(data), max_side=1600)
    assert error.value.code == "too_many_pixels" and "8900 × 8900" in " ".join(error.value.messages)
    assert no_decoding == []


def test_limits_come_from_the_settings(settings):
    settings.IMAGE_UPLOAD_MAX_PIXELS = 10_000
    with pytest.raises(ValidationError) as error:
        clean_image(_upload(_png((200, 100))))
    assert error.value.code == "too_many_pixels"
    assert clean_image(_upload(_png((100, 100)))).size > 0
    settings.IMAGE_UPLOAD_MAX_PIXELS = 40_000_000
    settings.IMAGE_UPLOAD_MAX_SIDE = 150
    with pytest.raises(ValidationError) as error:
        clean_image(_upload(_png((200, 10))))
    assert error.value.code == "too_many_pixels"


def test_a_gif_frame_larger_than_its_screen_counts(no_decoding):
    with pytest.raises(ValidationError) as error:
        open_image(_upload(_gif_with_a_frame_larger_than_its_screen(7_000, 7_000), "x.gif", "image/gif"))
    assert error.value.code == "too_many_pixels"
    with pytest.raises(ValidationError) as error:  # over twice Pillow's limit: Pillow itself raises first
        open_image(_upload(_gif_with_a_frame_larger_than_its_screen(9_000, 9_000), "x.gif", "image/gif"))
    assert error.value.code == "too_many_pixels"


def test_an_animated_picture_is_kept_as_its_first_frame():
    frames = [Image.new("RGB", (64, 48), colour) for colour in ("#ff0000", "#00ff00", "#0000ff")]
    output = io.BytesIO()
    frames[0].save(output, format="GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    cleaned = clean_image(_upload(output.getvalue(), "x.gif", "image/gif"))
    with Image.open(cleaned) as image:
        assert image.format == "JPEG" and image.size == (64, 48) and getattr(image, "n_frames", 1) == 1
        red, green, blue = image.convert("RGB").getpixel((10, 10))
        assert red > 200 and green < 60 and blue < 60


def test_formats_other_than_the_accepted_ones_are_not_even_tried():
    output = io.BytesIO()
    Image.new("RGB", (10, 10)).save(output, format="BMP")
    with pytest.raises(ValidationError) as error:
        open_image(_upload(output.getvalue(), "x.bmp", "image/bmp"))
    assert error.value.code == "not_an_image"


@pytest.mark.django_db
def test_logo_bomb_is_a_form_error_and_nothing_changes(client, government, monkeypatch):
    admin = make_official(government, "admin")
    login_verified(client, admin)
    verified = []
    monkeypatch.setattr(PngImagePlugin.PngImageFile, "verify", lambda self: verified.append(self.size))
    response = client.post(
        gov_url(government, "core:government_profile"),
        {
            "name": government.name,
            "short_name": "Manabí",
            "description": "Con logo nuevo",
            "primary_colour": "#123456",
            "accent_colour": "#b4531a",
            "hosts_text": "",
            "logo": _upload(bomb_png_bytes(), "logo.png"),
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'id="id_logo_error"' in html and "8900 × 8900" in html
    assert verified == []  # refused before Django's own check opened the file
    government.refresh_from_db()
    assert not government.logo and government.description != "Con logo nuevo"
    assert not AuditEntry.objects.filter(action="core.government.updated").exists()


@pytest.mark.django_db
def test_logo_within_the_limits_is_still_accepted(client, government):
    admin = make_official(government, "admin")
    login_verified(client, admin)
    response = client.post(
        gov_url(government, "core:government_profile"),
        {
            "name": government.name,
            "short_name": "Manabí",
            "description": government.description,
            "primary_colour": "#123456",
            "accent_colour": "#b4531a",
            "hosts_text": "",
            "logo": _upload(_png((400, 200), "RGBA"), "logo.png"),
        },
    )
    assert response.status_code == 302
    government.refresh_from_db()
    assert government.logo.name.endswith(".png")
    with government.logo.open() as stored, Image.open(stored) as image:
        assert image.size == (256, 128)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_image_field_of_a_form_checks_the_declared_size_first():
    """A model image field exposed by a form gets Django's ImageField, which opens the upload
    with Pillow; forms must use core's, which checks the header first."""
    import importlib
    import pkgutil

    from django import forms

    import minga
    from minga.core.forms import ImageField

    for module in pkgutil.walk_packages(minga.__path__, "minga."):
        if module.name.rsplit(".", 1)[-1] == "forms" and ".tests" not in module.name:
            importlib.import_module(module.name)
    checked = [form for form in _subclasses(forms.BaseForm) if form.__module__.startswith("minga.")]
    assert any(form.__name__ == "GovernmentProfileForm" for form in checked)
    plain = [
        f"{form.__module__}.{form.__name__}.{name}"
        for form in checked
        for name, field in form.base_fields.items()
        if isinstance(field, forms.ImageField) and not isinstance(field, ImageField)
    ]
    assert plain == []
