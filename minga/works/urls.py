from django.urls import path

from .views import backoffice, public

app_name = "works"

urlpatterns = [
    # Public pages
    path("", public.project_list, name="project_list"),
    path("obras.geojson", public.projects_geojson, name="projects_geojson"),
    path("planificacion/", public.planning, name="planning"),
    path("<slug:slug>/", public.project_detail, name="project_detail"),
    path("<slug:slug>/ubicacion.geojson", public.project_geojson, name="project_geojson"),
    # Back office
    path("gestion/proyectos/", backoffice.project_list, name="office_projects"),
    path("gestion/proyectos/nuevo/", backoffice.project_edit, name="office_project_create"),
    path("gestion/proyectos/importar/", backoffice.project_import, name="office_project_import"),
    path("gestion/vinculos/", backoffice.link_search, name="office_link_search"),
    path("gestion/vinculos/anadir/", backoffice.link_add, name="office_link_add"),
    path("gestion/proyectos/<int:pk>/", backoffice.project_office_detail, name="office_project"),
    path("gestion/proyectos/<int:pk>/editar/", backoffice.project_edit, name="office_project_edit"),
    path("gestion/proyectos/<int:pk>/publicacion/", backoffice.project_publish, name="office_project_publish"),
    path("gestion/proyectos/<int:pk>/eliminar/", backoffice.project_delete, name="office_project_delete"),
    path("gestion/proyectos/<int:pk>/avance/", backoffice.progress_create, name="office_progress_create"),
    path("gestion/avances/<int:pk>/retirar/", backoffice.progress_delete, name="office_progress_delete"),
    # Comments are moderated in core's queue; the old address leads there, narrowed to works.
    path("gestion/comentarios/", backoffice.comment_queue, name="office_comments"),
]
