from django.urls import path

from . import views

urlpatterns = [
    path("efectividad/", views.effectiveness, name="effectiveness"),
    path("gestion/efectividad/", views.office_effectiveness, name="office_effectiveness"),
    path("gestion/efectividad/lanzamiento/", views.office_launch, name="office_effectiveness_launch"),
    path("gestion/efectividad/asistencia/<int:pk>/", views.office_attendance, name="office_effectiveness_attendance"),
]
