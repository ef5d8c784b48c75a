from django.urls import path

from .datasets.views import office, public
from .quality import views as panels
from .refresh import views as refresh_views
from .requests import views as requests
from .tables.views import previews, table
from .tables.views import versions as version_views
from .usage import views as stats

app_name = "catalog"

urlpatterns = [
    # Public pages
    path("", public.dataset_list, name="dataset_list"),
    path("novedades.atom", public.dataset_feed, name="dataset_feed"),
    path("conjuntos/<slug:slug>/", public.dataset_detail, name="dataset_detail"),
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
    path("solicitudes/", requests.request_list, name="request_list"),
    path("solicitudes/nueva/", requests.request_create, name="request_create"),
    path("solicitudes/<int:pk>/", requests.request_detail, name="request_detail"),
    path("solicitudes/<int:pk>/apoyar/", requests.request_support, name="request_support"),
    # Back office
    path("gestion/", office.dataset_list, name="office_datasets"),
    path("gestion/conjuntos/nuevo/", office.dataset_edit, name="office_dataset_create"),
    path("gestion/conjuntos/<int:pk>/", office.dataset_detail, name="office_dataset"),
    path("gestion/conjuntos/<int:pk>/editar/", office.dataset_edit, name="office_dataset_edit"),
    path("gestion/conjuntos/<int:pk>/publicacion/", office.dataset_publish, name="office_dataset_publish"),
    path("gestion/conjuntos/<int:pk>/eliminar/", office.dataset_delete, name="office_dataset_delete"),
    path("gestion/conjuntos/<int:dataset_pk>/recursos/nuevo/", office.resource_edit, name="office_resource_create"),
    path("gestion/recursos/<int:pk>/", office.resource_detail, name="office_resource"),
    path("gestion/recursos/<int:pk>/cargar/", office.resource_load, name="office_resource_load"),
    path("gestion/recursos/<int:pk>/comprobar/", refresh_views.resource_check, name="office_resource_check"),
    path("gestion/recursos/<int:pk>/diccionario/", office.resource_dictionary, name="office_resource_dictionary"),
    path("gestion/recursos/<int:pk>/editar/", office.resource_edit, name="office_resource_edit"),
    path("gestion/recursos/<int:pk>/eliminar/", office.resource_delete, name="office_resource_delete"),
    path("gestion/vocabularios/", office.vocabularies, name="office_vocabularies"),
    path("gestion/temas/nuevo/", office.theme_edit, name="office_theme_create"),
    path("gestion/temas/<int:pk>/editar/", office.theme_edit, name="office_theme_edit"),
    path("gestion/temas/<int:pk>/eliminar/", office.theme_delete, name="office_theme_delete"),
    path("gestion/licencias/nueva/", office.licence_edit, name="office_licence_create"),
    path("gestion/licencias/<int:pk>/editar/", office.licence_edit, name="office_licence_edit"),
    path("gestion/licencias/<int:pk>/eliminar/", office.licence_delete, name="office_licence_delete"),
    path("gestion/solicitudes/", requests.office_request_list, name="office_requests"),
    path("gestion/solicitudes/<int:pk>/responder/", requests.office_request_answer, name="office_request_answer"),
    path("gestion/frescura/", panels.freshness_panel, name="office_freshness"),
    path("gestion/calidad/", panels.quality_panel, name="office_quality"),
]
