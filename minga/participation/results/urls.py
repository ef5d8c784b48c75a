"""Addresses of results, added to participation's urls before the process page."""

from django.urls import path

from .views import office, public

urlpatterns = [
    path("gestion/resultados/", office.process_list, name="office_results"),
    path("gestion/resultados/proceso/<int:pk>/", office.process_results, name="office_process_results"),
    path("gestion/resultados/proceso/<int:pk>/nuevo/", office.result_create, name="office_result_create"),
    path("gestion/resultados/proceso/<int:pk>/importar/", office.results_import, name="office_results_import"),
    path("gestion/resultados/<int:pk>/", office.result_edit, name="office_result_edit"),
    path("gestion/resultados/<int:pk>/eliminar/", office.result_delete, name="office_result_delete"),
    path("gestion/resultados/<int:pk>/hitos/", office.timeline_add, name="office_result_timeline_add"),
    path("gestion/resultados/hitos/<int:pk>/eliminar/", office.timeline_delete, name="office_result_timeline_delete"),
    path("gestion/resultados/<int:pk>/vinculos/", office.link_add, name="office_result_link_add"),
    path("gestion/resultados/vinculos/<int:pk>/quitar/", office.link_remove, name="office_result_link_remove"),
    path("gestion/resultados/<int:pk>/avance-obra/", office.use_work_progress, name="office_result_use_work"),
    path("<slug:slug>/resultados/", public.results_tree, name="results_tree"),
    path("<slug:slug>/resultados/<int:pk>/", public.result_detail, name="result_detail"),
]
