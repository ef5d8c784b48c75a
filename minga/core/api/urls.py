from django.urls import path

from . import views

government_api_patterns = [
    path("docs/", views.api_docs, name="docs"),
]
