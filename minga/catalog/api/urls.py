from django.urls import path

from . import views

urlpatterns = [
    path("conjuntos/", views.DatasetListView.as_view(), name="datasets"),
    path("conjuntos/<slug:slug>/", views.DatasetDetailView.as_view(), name="dataset"),
    path("temas/", views.ThemeListView.as_view(), name="themes"),
    path("publicadores/", views.PublisherListView.as_view(), name="publishers"),
    path("recursos/<int:pk>/datos/", views.ResourceDataView.as_view(), name="resource_data"),
    path("recursos/<int:pk>/descargar.csv", views.ResourceCsvView.as_view(), name="resource_csv"),
    path("recursos/<int:pk>/descargar.json", views.ResourceJsonView.as_view(), name="resource_json"),
    path("recursos/<int:pk>/descargar.xlsx", views.ResourceXlsxView.as_view(), name="resource_xlsx"),
    path("recursos/<int:pk>/openapi.json", views.ResourceOpenApiView.as_view(), name="resource_openapi"),
]
