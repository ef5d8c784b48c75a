from django.urls import path

from . import views

urlpatterns = [
    path("capas/", views.LayerListView.as_view(), name="layers"),
    path("capas/<slug:slug>/", views.LayerDetailView.as_view(), name="layer"),
]
