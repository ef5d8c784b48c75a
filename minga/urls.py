"""Platform urlconf: the list of governments, accounts and platform administration.
Government portals are served from urls_government (see core.tenancy.middleware)."""

from django.urls import include, path

from .core import urls as core_urls
from .core.ui import errors

urlpatterns = [
    path("", include((core_urls.platform_patterns, "core"))),
]

handler403 = errors.forbidden
handler404 = errors.not_found
handler500 = errors.server_error
