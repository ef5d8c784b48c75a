"""Uploaded files served by the app in the demo and in development (SERVE_MEDIA), the way
nginx serves them in production (docs/deployment.md; a test keeps the two in step). Uploads
are stored under random names after their type was checked; pictures and PDF documents are
served as their own type with nosniff, in a sandbox, never as pages (PDFs as downloads).
Only the folders of public uploads (PUBLIC_PREFIXES) are served; anything else under
MEDIA_ROOT (the catalog's files, whatever their type) is served by its own views, which check
that it is published, so here it answers 404. On S3 the same folders are the only ones a
bucket policy may open (docs/deployment.md)."""

import posixpath
import re
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import http_date
from django.views.static import serve

from ..access import public

# The folders of uploads that are public wherever they are linked: governments' logos,
# authorities' portraits, photos and PDF documents of works, and participation's pictures and
# PDFs (processes' images, proposals' photos, events' minutes, oversight committees' reports),
# and the council's (members' portraits, acts' documents).
PUBLIC_PREFIXES = ("branding/", "institution/", "works/", "participation/", "council/")
# Extension -> (content type, served as a download)
SERVED_TYPES = {
    ".jpg": ("image/jpeg", False),
    ".jpeg": ("image/jpeg", False),
    ".png": ("image/png", False),
    ".pdf": ("application/pdf", True),
}
# The base map's PMTiles file (docs/deployment.md, "Base map"), read by the browser with HTTP
# range requests: a few kilobytes of a file of hundreds of megabytes for each view.
BASEMAP_PREFIX = "basemap/"
BASEMAP_SUFFIX = ".pmtiles"
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
INERT_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
}


@public
def serve_media(request, path):
    # As django.views.static.serve resolves it: "works/../catalog/…" is a catalog file.
    path = posixpath.normpath(path).lstrip("/")
    if path.startswith(BASEMAP_PREFIX) and path.endswith(BASEMAP_SUFFIX) and ".." not in path:
        return ranged_file(request, Path(settings.MEDIA_ROOT) / path, "application/vnd.pmtiles")
    served = SERVED_TYPES.get(PurePosixPath(path).suffix.lower())
    if served is None or not path.startswith(PUBLIC_PREFIXES):
        raise Http404
    content_type, download = served
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Content-Type"] = content_type
    for header, value in INERT_HEADERS.items():
        response[header] = value
    response["Content-Disposition"] = "attachment" if download else "inline"
    return response


def ranged_file(request, full_path: Path, content_type: str):
    """A file answered whole (200) or in the one byte range asked (206), as nginx and the
    object stores do: what a PMTiles reader needs."""
    if not full_path.is_file():
        raise Http404
    size = full_path.stat().st_size
    found = RANGE.match(request.headers.get("Range", "").strip())
    headers = {
        "Accept-Ranges": "bytes",
        "Last-Modified": http_date(full_path.stat().st_mtime),
        "Cache-Control": "public, max-age=86400",
        **INERT_HEADERS,
    }
    if found is None:
        response = FileResponse(full_path.open("rb"), content_type=content_type)
        for header, value in headers.items():
            response[header] = value
        return response
    first, last = found.groups()
    if first == "":  # the last N bytes
        length = min(int(last or 0), size)
        start, end = size - length, size - 1
    else:
        start, end = int(first), min(int(last) if last else size - 1, size - 1)
    if start > end or start >= size:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    with full_path.open("rb") as handle:
        handle.seek(start)
        body = handle.read(end - start + 1)
    response = HttpResponse(body, status=206, content_type=content_type)
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    for header, value in headers.items():
        response[header] = value
    return response
