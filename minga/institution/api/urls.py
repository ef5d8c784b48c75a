from django.urls import path

from . import views

urlpatterns = [
    path("unidades/", views.UnitListView.as_view(), name="units"),
    path("unidades/<slug:slug>/", views.UnitDetailView.as_view(), name="unit"),
    path("autoridades/", views.AuthorityListView.as_view(), name="authorities"),
    path("autoridades/<slug:slug>/", views.AuthorityDetailView.as_view(), name="authority"),
    path("eventos/", views.EventListView.as_view(), name="events"),
    path("eventos/<uuid:uid>/", views.EventDetailView.as_view(), name="event"),
]
