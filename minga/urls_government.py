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
    path("presupuesto/", include("minga.budget.urls")),
    path("obras/", include("minga.works.urls")),
    # OGC API – Features (landing page, conformance, collections, items) for QGIS and OWSLib.
    path("geovisor/ogc/", include(("minga.geo.ogc.urls", "geo"), namespace="geo-ogc")),
    path("geovisor/", include("minga.geo.urls")),
    path("contratacion/", include("minga.procurement.urls")),
    path("participacion/", include("minga.participation.urls")),
    path("concejo/", include("minga.council.urls")),
    path("api/v1/", include((api_urls.government_api_patterns, "api"))),
    path("api/v1/institucion/", include(("minga.institution.api.urls", "institution"), namespace="institution-api")),
    path("api/v1/datos/", include(("minga.catalog.api.urls", "catalog"), namespace="catalog-api")),
    path("api/v1/presupuesto/", include(("minga.budget.api.urls", "budget"), namespace="budget-api")),
    path("api/v1/obras/", include(("minga.works.api.urls", "works"), namespace="works-api")),
    path("api/v1/geo/", include(("minga.geo.api.urls", "geo"), namespace="geo-api")),
    path("api/v1/contratacion/", include(("minga.procurement.api.urls", "procurement"), namespace="procurement-api")),
    path(
        "api/v1/participacion/",
        include(("minga.participation.api.urls", "participation"), namespace="participation-api"),
    ),
    path("api/v1/concejo/", include(("minga.council.api.urls", "council"), namespace="council-api")),
    # CKAN Action API (read subset) and DCAT-AP, so CKAN clients and harvesters work unchanged.
    path("api/3/action/", include(("minga.catalog.interop.ckan_urls", "catalog"), namespace="catalog-ckan")),
    # ckanapi and other clients call the unversioned address.
    path("api/action/", include(("minga.catalog.interop.ckan_urls", "catalog"), namespace="catalog-ckan-unversioned")),
]

handler403 = errors.forbidden
handler404 = errors.not_found
handler500 = errors.server_error
