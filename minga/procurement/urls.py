from django.urls import path

from .views import backoffice, public

app_name = "procurement"

urlpatterns = [
    path("", public.search, name="search"),
    path("procesos.csv", public.search_csv, name="search_csv"),
    path("procesos.json", public.search_ocds, name="search_ocds"),
    path("procesos/<str:ocid>/", public.process_detail, name="process_detail"),
    path("procesos/<str:ocid>/ocds.json", public.process_ocds, name="process_ocds"),
    path("proveedores/", public.supplier_list, name="supplier_list"),
    path("proveedores/<int:pk>/", public.supplier_detail, name="supplier_detail"),
    path("compradores/", public.buyer_list, name="buyer_list"),
    path("compradores/<int:pk>/", public.buyer_detail, name="buyer_detail"),
    path("alertas/", public.flags_page, name="flags"),
    # Back office
    path("gestion/", backoffice.import_list, name="office_imports"),
    path("gestion/importaciones/<int:pk>/", backoffice.import_detail, name="office_import_detail"),
    path("gestion/procedimientos/", backoffice.procedure_list, name="office_procedures"),
    path("gestion/procedimientos/nuevo/", backoffice.procedure_edit, name="office_procedure_create"),
    path("gestion/procedimientos/<int:pk>/editar/", backoffice.procedure_edit, name="office_procedure_edit"),
    path("gestion/pie/<int:pk>/eliminar/", backoffice.budget_year_delete, name="office_pie_delete"),
    path("gestion/alertas/", backoffice.flags_office, name="office_flags"),
]
