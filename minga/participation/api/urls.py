from django.urls import path

from ..proposals import api as proposals_api
from . import views

urlpatterns = [
    path("procesos/", views.ProcessListView.as_view(), name="processes"),
    path("procesos/<slug:slug>/", views.ProcessDetailView.as_view(), name="process"),
    *proposals_api.urlpatterns,
]
