from django.urls import path

from .budgets import urls as budgets_urls
from .committees import urls as committee_urls
from .events import urls as event_urls
from .processes.views import office, public
from .proposals import urls as proposals_urls
from .results import urls as results_urls
from .surveys import urls as survey_urls

app_name = "participation"

urlpatterns = [
    # Back office (before the process pages: "gestion" is a reserved slug)
    path("gestion/", office.process_list, name="office_processes"),
    path("gestion/procesos/nuevo/", office.process_edit, name="office_process_create"),
    path("gestion/procesos/<int:pk>/editar/", office.process_edit, name="office_process_edit"),
    path("gestion/procesos/<int:pk>/publicacion/", office.process_publish, name="office_process_publish"),
    path("gestion/procesos/<int:pk>/eliminar/", office.process_delete, name="office_process_delete"),
    *results_urls.urlpatterns,
    *event_urls.urlpatterns,
    *committee_urls.urlpatterns,
    *survey_urls.urlpatterns,  # surveys
    *proposals_urls.urlpatterns,
    *budgets_urls.urlpatterns,
    # Public pages
    path("", public.process_list, name="process_list"),
    path("<slug:slug>/", public.process_detail, name="process_detail"),
]
