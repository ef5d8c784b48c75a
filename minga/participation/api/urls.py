from django.urls import path

from . import views

urlpatterns = [
    path("procesos/", views.ProcessListView.as_view(), name="processes"),
    path("procesos/<slug:slug>/", views.ProcessDetailView.as_view(), name="process"),
]
