"""Checking an uploaded data file before it is stored: size cap, SHA-256 checksum and the
format, detected from the content (magic bytes) and the name. A file whose content contradicts
its name (a binary file named .csv, a web page named .xlsx) is refused with a clear message."""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .models import ResourceFormat

CHUNK = 1024 * 1024
SNIFF_BYTES = 64 * 1024

EXTENSIONS = {
    ".csv": ResourceFormat.CSV,
    ".tsv": ResourceFormat.CSV,
    ".txt": ResourceFormat.CSV,
    ".xlsx": ResourceFormat.XLSX,
    ".json": ResourceFormat.JSON,
    ".geojson": ResourceFormat.GEOJSON,
    ".pdf": ResourceFormat.PDF,
    ".zip": ResourceFormat.ZIP,
}
CONTENT_TYPES = {
    ResourceFormat.CSV: "text/csv",
    ResourceFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ResourceFormat.JSON: "application/json",
    ResourceFormat.GEOJSON: "application/geo+json",
    ResourceFormat.PDF: "application/pdf",
    ResourceFormat.ZIP: "application/zip",
    ResourceFormat.OTHER: "application/octet-stream",
}


@dataclass(frozen=True)
class CheckedFile:
    format: str
    size: int
    sha256: str
    name: str


def format_for_extension(name: str) -> str:
    return EXTENSIONS.get(os.path.splitext(name or "")[1].lower(), ResourceFormat.OTHER)


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            head.decode(encoding)
        except UnicodeDecodeError as error:
            # A multi-byte character cut at the end of the sample is still text.
            if encoding.startswith("utf-8") and error.start >= len(head) - 3:
                return True
            continue
        return True
    return False


def _json_kind(upload, head: bytes) -> str | None:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text[:1] not in (b"{", b"["):
        return None
    upload.seek(0)
    try:
        data = json.loads(upload.read(settings.DATASET_UPLOAD_MAX_BYTES).decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError):
        return None
    if isinstance(data, dict) and data.get("type") in ("FeatureCollection", "Feature"):
        return ResourceFormat.GEOJSON
    return ResourceFormat.JSON


def sniff_format(upload, head: bytes) -> str:
    """The format the content shows, whatever its name says."""
    if head.startswith(b"%PDF-"):
        return ResourceFormat.PDF
    if head.startswith(b"PK\x03\x04"):
        upload.seek(0)
        try:
            names = zipfile.ZipFile(upload).namelist()
        except zipfile.BadZipFile:
            return ResourceFormat.OTHER
        if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
            return ResourceFormat.XLSX
        return ResourceFormat.ZIP
    if _is_text(head):
        return _json_kind(upload, head) or ResourceFormat.CSV
    return ResourceFormat.OTHER


def check_upload(upload) -> CheckedFile:
    """Size, checksum and format of an uploaded file; raises ValidationError({"file": …})."""
    limit = settings.DATASET_UPLOAD_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError(
            {
                "file": _("The file is %(size)s; the limit is %(limit)s.")
                % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
            }
        )
    digest, total = hashlib.sha256(), 0
    upload.seek(0)
    for chunk in iter(lambda: upload.read(CHUNK), b""):
        digest.update(chunk)
        total += len(chunk)
        if total > limit:
            raise ValidationError(
                {"file": _("The file is larger than the limit of %(limit)s.") % {"limit": filesizeformat(limit)}}
            )
    if total == 0:
        raise ValidationError({"file": _("The file is empty.")})
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    detected = sniff_format(upload, head)
    declared = format_for_extension(upload.name)
    upload.seek(0)
    if declared != ResourceFormat.OTHER and detected != declared:
        # GeoJSON named .json and JSON named .geojson are both JSON; CSV named .txt is fine.
        if {declared, detected} <= {ResourceFormat.JSON, ResourceFormat.GEOJSON}:
            pass
        else:
            raise ValidationError(
                {
                    "file": _(
                        "The file is named as %(declared)s but its content is not %(declared)s "
                        "(it looks like %(detected)s). Check that you chose the right file."
                    )
                    % {"declared": declared, "detected": ResourceFormat(detected).label}
                }
            )
    return CheckedFile(format=detected, size=total, sha256=digest.hexdigest(), name=os.path.basename(upload.name or ""))


def content_type(format_code: str) -> str:
    return CONTENT_TYPES.get(format_code, "application/octet-stream")
