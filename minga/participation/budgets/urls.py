from django.urls import path

from .views import office, public

# Included by participation/urls.py before the process page pattern.
urlpatterns = [
    # Back office
    path("gestion/presupuestos/", office.budget_list, name="office_budgets"),
    path("gestion/presupuestos/nuevo/", office.budget_edit, name="office_budget_create"),
    path("gestion/presupuestos/<int:pk>/", office.budget_detail, name="office_budget"),
    path("gestion/presupuestos/<int:pk>/editar/", office.budget_edit, name="office_budget_edit"),
    path("gestion/presupuestos/<int:pk>/eliminar/", office.budget_delete, name="office_budget_delete"),
    path("gestion/presupuestos/<int:pk>/proyectos/nuevo/", office.project_edit, name="office_project_create"),
    path("gestion/presupuestos/proyectos/<int:project>/editar/", office.project_edit, name="office_project_edit"),
    path("gestion/presupuestos/proyectos/<int:project>/eliminar/", office.project_delete, name="office_project_delete"),
    path("gestion/presupuestos/<int:pk>/papeletas/", office.batch_enter, name="office_batch_enter"),
    path("gestion/presupuestos/lotes/<int:batch>/", office.batch_detail, name="office_batch"),
    path("gestion/presupuestos/lotes/<int:batch>/confirmar/", office.batch_confirm, name="office_batch_confirm"),
    path("gestion/presupuestos/lotes/<int:batch>/descartar/", office.batch_discard, name="office_batch_discard"),
    path("gestion/presupuestos/<int:pk>/escrutinio/", office.budget_tally, name="office_budget_tally"),
    path("gestion/presupuestos/<int:pk>/publicar/", office.result_publish, name="office_result_publish"),
    path("gestion/presupuestos/<int:pk>/ajuste/", office.override_add, name="office_override"),
    # Public pages
    path("<slug:slug>/presupuestos/", public.budget_list, name="budget_list"),
    path("<slug:slug>/presupuestos/proyectos/<slug:project>/", public.project_detail, name="budget_project"),
    path("<slug:slug>/presupuestos/<slug:budget>/", public.budget_detail, name="budget_detail"),
    path("<slug:slug>/presupuestos/<slug:budget>/voto-registrado/", public.vote_done, name="budget_vote_done"),
    path("<slug:slug>/presupuestos/<slug:budget>/resultados/", public.results, name="budget_results"),
    path("<slug:slug>/presupuestos/<slug:budget>/eleccion.pb", public.pabulib_file, name="budget_pabulib"),
]
