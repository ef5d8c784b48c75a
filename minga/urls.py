"""Platform urlconf: the list of governments, accounts and platform administration.
Government portals are served from urls_government (see core.tenancy.middleware)."""

from django.conf import settings
from django.urls import include, path

from .core import urls as core_urls
from .core.ui import errors, media

urlpatterns = [
    path("", include((core_urls.platform_patterns, "core"))),
    # CKAN Action API over every government's catalog (names prefixed with the government's
    # slug), for national portals harvesting all the governments of this platform at once.
    path("api/3/action/", include(("minga.catalog.interop.ckan_urls", "catalog"), namespace="catalog-ckan")),
    path("api/action/", include(("minga.catalog.interop.ckan_urls", "catalog"), namespace="catalog-ckan-unversioned")),
]

if settings.SERVE_MEDIA:
    urlpatterns += [path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media.serve_media)]

handler403 = errors.forbidden
handler404 = errors.not_found
handler500 = errors.server_error
