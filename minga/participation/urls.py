from django.urls import path

from .budgets import urls as budgets_urls
from .processes.views import office, public

app_name = "participation"

urlpatterns = [
    # Back office (before the process pages: "gestion" is a reserved slug)
    path("gestion/", office.process_list, name="office_processes"),
    path("gestion/procesos/nuevo/", office.process_edit, name="office_process_create"),
    path("gestion/procesos/<int:pk>/editar/", office.process_edit, name="office_process_edit"),
    path("gestion/procesos/<int:pk>/publicacion/", office.process_publish, name="office_process_publish"),
    path("gestion/procesos/<int:pk>/eliminar/", office.process_delete, name="office_process_delete"),
    *budgets_urls.urlpatterns,
    # Public pages
    path("", public.process_list, name="process_list"),
    path("<slug:slug>/", public.process_detail, name="process_detail"),
]
