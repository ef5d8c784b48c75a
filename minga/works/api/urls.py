from django.urls import path

from . import views

urlpatterns = [
    path("proyectos/", views.ProjectListView.as_view(), name="projects"),
    path("proyectos.geojson", views.ProjectGeoJSONView.as_view(), name="projects_geojson"),
    path("proyectos/<slug:slug>/", views.ProjectDetailView.as_view(), name="project"),
    path("proyectos/<slug:slug>/avances/", views.ProgressListView.as_view(), name="progress"),
    path("proyectos/<slug:slug>/oc4ids/", views.OC4IDSProjectView.as_view(), name="project_oc4ids"),
    path("oc4ids/", views.OC4IDSPackageView.as_view(), name="oc4ids"),
]
