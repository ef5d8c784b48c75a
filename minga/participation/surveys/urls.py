"""Addresses of surveys, included by participation/urls.py before the process pages."""

from django.urls import path

from .views import office, public

urlpatterns = [
    path("gestion/encuestas/", office.survey_list, name="office_surveys"),
    path("gestion/encuestas/nueva/", office.survey_edit, name="office_survey_create"),
    path("gestion/encuestas/<int:pk>/", office.survey_edit, name="office_survey_edit"),
    path("gestion/encuestas/<int:pk>/eliminar/", office.survey_delete, name="office_survey_delete"),
    path("gestion/encuestas/<int:pk>/preguntas/nueva/", office.question_edit, name="office_question_create"),
    path("gestion/encuestas/<int:pk>/preguntas/<int:question_pk>/", office.question_edit, name="office_question_edit"),
    path(
        "gestion/encuestas/<int:pk>/preguntas/<int:question_pk>/eliminar/",
        office.question_delete,
        name="office_question_delete",
    ),
    path("gestion/encuestas/<int:pk>/resultados/", office.survey_results, name="office_survey_results"),
    path(
        "gestion/encuestas/<int:pk>/respuestas/<uuid:answer_pk>/moderar/",
        office.answer_moderate,
        name="office_answer_moderate",
    ),
    path("<slug:slug>/encuestas/<slug:survey_slug>/", public.survey_detail, name="survey_detail"),
    path("<slug:slug>/encuestas/<slug:survey_slug>/resultados/", public.survey_results, name="survey_results"),
    path(
        "<slug:slug>/encuestas/<slug:survey_slug>/resultados.csv", public.survey_results_csv, name="survey_results_csv"
    ),
    path(
        "<slug:slug>/encuestas/<slug:survey_slug>/respuestas.csv",
        public.survey_responses_csv,
        name="survey_responses_csv",
    ),
]
