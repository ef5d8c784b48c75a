from django.urls import path

from . import views

backoffice_patterns = [
    path("gestion/", views.backoffice_home, name="backoffice"),
]
