from django.urls import path

from .views import backoffice, public

app_name = "budget"

urlpatterns = [
    # Public pages
    path("", public.overview, name="overview"),
    path("comparar/", public.compare, name="compare"),
    path("<int:year>/", public.overview, name="year"),
    path("<int:year>/gastos/", public.explore, {"side_slug": "gastos"}, name="expense"),
    path("<int:year>/ingresos/", public.explore, {"side_slug": "ingresos"}, name="income"),
    path("<int:year>/curva/", public.curve, name="curve"),
    path("<int:year>/partidas/", public.lines, name="lines"),
    path("<int:year>/partidas/<str:partida>/", public.line_detail, name="line"),
    path("<int:year>/descargas/lotaip-6.csv", public.download_lotaip, name="download_lotaip"),
    path("<int:year>/descargas/lotaip-6-metadatos.csv", public.download_metadata, name="download_metadata"),
    path("<int:year>/descargas/lotaip-6-diccionario.csv", public.download_dictionary, name="download_dictionary"),
    path("<int:year>/descargas/datapackage.json", public.download_datapackage, name="download_datapackage"),
    path("<int:year>/descargas/ejecucion.csv", public.download_detail_csv, name="download_csv"),
    path("<int:year>/descargas/ejecucion.xlsx", public.download_detail_xlsx, name="download_xlsx"),
    # Back office
    path("gestion/", backoffice.office_home, name="office_home"),
    path("gestion/anios/<int:year>/", backoffice.year_detail, name="office_year"),
    path("gestion/cortes/<int:pk>/retirar/", backoffice.cutoff_withdraw, name="office_cutoff_withdraw"),
    path("gestion/importar/", backoffice.import_upload, name="office_upload"),
    path("gestion/importaciones/<int:pk>/", backoffice.import_detail, name="office_import"),
    path("gestion/importaciones/<int:pk>/publicar/", backoffice.import_publish, name="office_import_publish"),
    path("gestion/importaciones/<int:pk>/descartar/", backoffice.import_discard, name="office_import_discard"),
    path("gestion/importaciones/<int:pk>/informe.csv", backoffice.import_report_csv, name="office_import_report"),
    path("gestion/clasificador/", backoffice.classifier, name="office_classifier"),
]
