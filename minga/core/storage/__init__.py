"""Stored files (uploads, the catalog's files and the snapshots of its versions) are read and
written through Django's storage API only, so that the same code runs on the local disk and on
S3-compatible object storage (``config``, ``s3``; docs/deployment.md, "What runs where").

``download_response`` serves a stored file as an attachment after the caller checked access:
on object storage a redirect to a short-lived signed address (the file never passes through
the app server), elsewhere, or with ``MINGA_S3_STREAM_DOWNLOADS``, the file streamed by the app."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header

INERT_HEADERS = {"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'; sandbox"}


def signs_urls(storage) -> bool:
    """Whether ``storage`` hands out signed addresses of its own (the S3 backend)."""
    return callable(getattr(storage, "signed_url", None))


def download_response(stored, *, filename: str, content_type: str) -> HttpResponse:
    """``stored`` (a FieldFile) as a download named ``filename``; 404 when the file is gone."""
    storage = stored.storage
    if signs_urls(storage) and not settings.S3_STREAM_DOWNLOADS:
        if not storage.exists(stored.name):
            raise Http404
        url = storage.signed_url(
            stored.name,
            parameters={
                "ResponseContentDisposition": content_disposition_header(True, filename),
                "ResponseContentType": content_type,
            },
            expire=settings.S3_DOWNLOAD_URL_SECONDS,
        )
        response = HttpResponseRedirect(url)
        # The address expires: no cache may keep the redirect longer than that.
        response["Cache-Control"] = "private, no-store"
        return response
    try:
        handle = stored.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    for header, value in INERT_HEADERS.items():
        response[header] = value
    return response
