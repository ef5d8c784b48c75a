"""Uploaded files served by the app in the demo and in development (SERVE_MEDIA). Uploads
are stored under random names after their type was checked; they are served as downloads
of their own type with nosniff, never as pages."""

from django.conf import settings
from django.views.static import serve

from ..access import public


@public
def serve_media(request, path):
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
