from django.urls import path

from . import views

progress_patterns = [
    path("gestion/progreso/<int:pk>/", views.progress_page, name="progress"),
    path("gestion/progreso/<int:pk>/parcial/", views.progress_fragment, name="progress_fragment"),
]
