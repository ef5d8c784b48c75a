from django.urls import path

from . import views

platform_admin_patterns = [
    path("plataforma/gobiernos/", views.government_list, name="platform_governments"),
    path("plataforma/gobiernos/nuevo/", views.government_new, name="platform_government_new"),
    path("plataforma/dominios/", views.host_list, name="platform_hosts"),
    path("plataforma/dominios/<int:host_id>/aprobar/", views.host_approve, name="platform_host_approve"),
    path("plataforma/dominios/<int:host_id>/rechazar/", views.host_reject, name="platform_host_reject"),
    path("plataforma/correo/", views.outbox, name="platform_outbox"),
]
