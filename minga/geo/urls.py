from django.urls import path

from .views import backoffice, public

app_name = "geo"

urlpatterns = [
    # Public pages
    path("", public.map_page, name="map"),
    path("mapa.json", public.map_data, name="map_data"),
    path("capas/", public.layer_list, name="layers"),
    path("capas/<slug:slug>/", public.layer_detail, name="layer_detail"),
    path("capas/<slug:slug>.geojson", public.layer_geojson, name="layer_geojson"),
    path("capas/<slug:slug>.csv", public.layer_csv, name="layer_csv"),
    # Back office
    path("gestion/", backoffice.layer_list, name="office_layers"),
    path("gestion/capas/nueva/", backoffice.layer_create, name="office_layer_create"),
    path("gestion/capas/<int:pk>/editar/", backoffice.layer_edit, name="office_layer_edit"),
    path("gestion/capas/<int:pk>/subir/", backoffice.layer_upload, name="office_layer_upload"),
    path("gestion/importaciones/<int:pk>/", backoffice.layer_import, name="office_layer_import"),
    path("gestion/capas/<int:pk>/eliminar/", backoffice.layer_delete, name="office_layer_delete"),
    path("gestion/coropletas/nueva/", backoffice.choropleth_create, name="office_choropleth_create"),
    path("gestion/coropletas/<int:pk>/eliminar/", backoffice.choropleth_delete, name="office_choropleth_delete"),
]
