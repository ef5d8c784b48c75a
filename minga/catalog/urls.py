from django.urls import path

from .views import backoffice, panels, previews, public, stats, table
from .views import refresh as refresh_views
from .views import versions as version_views

app_name = "catalog"

urlpatterns = [
    # Public pages
    path("", public.dataset_list, name="dataset_list"),
    path("novedades.atom", public.dataset_feed, name="dataset_feed"),
    path("conjuntos/<slug:slug>/", public.dataset_detail, name="dataset_detail"),
    path("conjuntos/<slug:slug>/seguir/", public.dataset_follow, name="dataset_follow"),
    path("recursos/<int:pk>/descarga/", public.resource_download, name="resource_download"),
    path("recursos/<int:pk>/tabla/", table.resource_table, name="resource_table"),
    path("recursos/<int:pk>/versiones/", version_views.resource_versions, name="resource_versions"),
    path(
        "recursos/<int:pk>/versiones/<int:load_pk>/descarga/",
        version_views.resource_version_download,
        name="resource_version_download",
    ),
    path("fuentes-demo/<slug:name>.csv", refresh_views.demo_source, name="demo_source"),
    path("recursos/<int:pk>/grafico/", previews.resource_chart, name="resource_chart"),
    path("recursos/<int:pk>/grafico/insertar/", previews.resource_chart_embed, name="resource_chart_embed"),
    path("recursos/<int:pk>/grafico/grafico.svg", previews.resource_chart_svg, name="resource_chart_svg"),
    path("recursos/<int:pk>/grafico/datos.csv", previews.resource_chart_csv, name="resource_chart_csv"),
    path("recursos/<int:pk>/mapa/", previews.resource_map, name="resource_map"),
    path("recursos/<int:pk>/vista/", previews.resource_preview, name="resource_preview"),
    path("recursos/<int:pk>/archivo/", previews.resource_inline, name="resource_inline"),
    path("estadisticas/", stats.statistics, name="stats"),
    path("solicitudes/", public.request_list, name="request_list"),
    path("solicitudes/nueva/", public.request_create, name="request_create"),
    path("solicitudes/<int:pk>/", public.request_detail, name="request_detail"),
    path("solicitudes/<int:pk>/apoyar/", public.request_support, name="request_support"),
    path("solicitudes/<int:pk>/seguir/", public.request_follow, name="request_follow"),
    # Back office
    path("gestion/", backoffice.dataset_list, name="office_datasets"),
    path("gestion/conjuntos/nuevo/", backoffice.dataset_edit, name="office_dataset_create"),
    path("gestion/conjuntos/<int:pk>/", backoffice.dataset_detail, name="office_dataset"),
    path("gestion/conjuntos/<int:pk>/editar/", backoffice.dataset_edit, name="office_dataset_edit"),
    path("gestion/conjuntos/<int:pk>/publicacion/", backoffice.dataset_publish, name="office_dataset_publish"),
    path("gestion/conjuntos/<int:pk>/eliminar/", backoffice.dataset_delete, name="office_dataset_delete"),
    path("gestion/conjuntos/<int:dataset_pk>/recursos/nuevo/", backoffice.resource_edit, name="office_resource_create"),
    path("gestion/recursos/<int:pk>/", backoffice.resource_detail, name="office_resource"),
    path("gestion/recursos/<int:pk>/cargar/", backoffice.resource_load, name="office_resource_load"),
    path("gestion/recursos/<int:pk>/comprobar/", refresh_views.resource_check, name="office_resource_check"),
    path("gestion/recursos/<int:pk>/diccionario/", backoffice.resource_dictionary, name="office_resource_dictionary"),
    path("gestion/recursos/<int:pk>/editar/", backoffice.resource_edit, name="office_resource_edit"),
    path("gestion/recursos/<int:pk>/eliminar/", backoffice.resource_delete, name="office_resource_delete"),
    path("gestion/vocabularios/", backoffice.vocabularies, name="office_vocabularies"),
    path("gestion/temas/nuevo/", backoffice.theme_edit, name="office_theme_create"),
    path("gestion/temas/<int:pk>/editar/", backoffice.theme_edit, name="office_theme_edit"),
    path("gestion/temas/<int:pk>/eliminar/", backoffice.theme_delete, name="office_theme_delete"),
    path("gestion/licencias/nueva/", backoffice.licence_edit, name="office_licence_create"),
    path("gestion/licencias/<int:pk>/editar/", backoffice.licence_edit, name="office_licence_edit"),
    path("gestion/licencias/<int:pk>/eliminar/", backoffice.licence_delete, name="office_licence_delete"),
    path("gestion/solicitudes/", backoffice.request_list, name="office_requests"),
    path("gestion/solicitudes/<int:pk>/responder/", backoffice.request_answer, name="office_request_answer"),
    path("gestion/frescura/", panels.freshness_panel, name="office_freshness"),
    path("gestion/calidad/", panels.quality_panel, name="office_quality"),
]
