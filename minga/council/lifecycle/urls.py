from django.urls import path

from . import views

urlpatterns = [
    path("gestion/etapas/", views.stage_list, name="office_stages"),
    path("gestion/etapas/<slug:stage>/", views.stage_edit, name="office_stage_edit"),
    path("gestion/etapas/<slug:stage>/predeterminada/", views.stage_reset, name="office_stage_reset"),
]
