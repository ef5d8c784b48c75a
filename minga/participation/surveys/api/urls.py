from django.urls import path

from . import views

urlpatterns = [
    path("procesos/<slug:slug>/encuestas/", views.SurveyListView.as_view(), name="surveys"),
    path("procesos/<slug:slug>/encuestas/<slug:survey_slug>/", views.SurveyDetailView.as_view(), name="survey"),
]
