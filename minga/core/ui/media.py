"""Uploaded files served by the app in the demo and in development (SERVE_MEDIA), the way
nginx serves them in production (docs/deployment.md; a test keeps the two in step). Uploads
are stored under random names after their type was checked; pictures and PDF documents are
served as their own type with nosniff, in a sandbox, never as pages (PDFs as downloads).
Only the folders of public uploads (PUBLIC_PREFIXES) are served; anything else under
MEDIA_ROOT (the catalog's files, whatever their type) is served by its own views, which check
that it is published, so here it answers 404. On S3 the same folders are the only ones a
bucket policy may open (docs/deployment.md)."""

import posixpath
from pathlib import PurePosixPath

from django.conf import settings
from django.http import Http404
from django.views.static import serve

from ..access import public

# The folders of uploads that are public wherever they are linked: governments' logos,
# authorities' portraits, photos and PDF documents of works.
PUBLIC_PREFIXES = ("branding/", "institution/", "works/")
# Extension -> (content type, served as a download)
SERVED_TYPES = {
    ".jpg": ("image/jpeg", False),
    ".jpeg": ("image/jpeg", False),
    ".png": ("image/png", False),
    ".pdf": ("application/pdf", True),
}
INERT_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
}


@public
def serve_media(request, path):
    # As django.views.static.serve resolves it: "works/../catalog/…" is a catalog file.
    path = posixpath.normpath(path).lstrip("/")
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
