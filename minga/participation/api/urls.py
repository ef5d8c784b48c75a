from django.urls import path

from ..surveys.api import urls as survey_urls
from . import views

urlpatterns = [
    path("procesos/", views.ProcessListView.as_view(), name="processes"),
    path("procesos/<slug:slug>/", views.ProcessDetailView.as_view(), name="process"),
    *survey_urls.urlpatterns,  # surveys
]
