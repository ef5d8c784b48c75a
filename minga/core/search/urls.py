from django.urls import path

from . import views

search_patterns = [
    path("buscar/", views.search_page, name="search"),
    path("gestion/busquedas-sin-resultado/", views.search_demand, name="search_demand"),
]
