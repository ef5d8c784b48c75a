from django.urls import path

from . import views

backoffice_patterns = [
    path("gestion/", views.backoffice_home, name="backoffice"),
    path("gestion/gobierno/", views.government_profile, name="government_profile"),
    path("gestion/modulos/", views.module_list, name="modules"),
    path("gestion/modulos/<slug:key>/estado/", views.module_switch, name="module_switch"),
    path("gestion/modulos/<slug:key>/ajustes/", views.module_configure, name="module_configure"),
    path("gestion/personas/", views.member_list, name="members"),
    path("gestion/personas/<int:membership_id>/quitar/", views.member_revoke, name="member_revoke"),
]
