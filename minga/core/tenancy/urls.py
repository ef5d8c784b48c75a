from django.urls import path

from . import views

platform_admin_patterns = [
    path("plataforma/gobiernos/", views.government_list, name="platform_governments"),
    path("plataforma/gobiernos/nuevo/", views.government_new, name="platform_government_new"),
]
