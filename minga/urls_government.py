"""Government urlconf: everything a government's portal serves. Each module is included under
its own namespace (its manifest key) so the module switch can answer 404 for it."""

from django.urls import include, path

from .core import urls as core_urls
from .core.api import urls as api_urls
from .core.ui import errors

urlpatterns = [
    path("", include((core_urls.government_patterns, "core"))),
    path("institucion/", include("minga.institution.urls")),
    # Before datos/: a dataset slug must not shadow the DCAT addresses.
    path("datos/dcat/", include(("minga.catalog.interop.dcat_urls", "catalog"), namespace="catalog-dcat")),
    path("datos/", include("minga.catalog.urls")),
    path("api/v1/", include((api_urls.government_api_patterns, "api"))),
    path("api/v1/institucion/", include(("minga.institution.api.urls", "institution"), namespace="institution-api")),
    path("api/v1/datos/", include(("minga.catalog.api.urls", "catalog"), namespace="catalog-api")),
    # CKAN Action API (read subset) and DCAT-AP, so CKAN clients and harvesters work unchanged.
    path("api/3/action/", include(("minga.catalog.interop.ckan_urls", "catalog"), namespace="catalog-ckan")),
    # ckanapi and other clients call the unversioned address.
    path("api/action/", include(("minga.catalog.interop.ckan_urls", "catalog"), namespace="catalog-ckan-unversioned")),
]

handler403 = errors.forbidden
handler404 = errors.not_found
handler500 = errors.server_error
