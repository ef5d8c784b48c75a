"""OGC API – Features, Part 1 (mounted at geovisor/ogc/, namespace geo-ogc). Paths have no
trailing slash, as OGC clients build them."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.landing, name="landing"),
    path("api", views.openapi, name="openapi"),
    path("conformance", views.conformance, name="conformance"),
    path("collections", views.collections, name="collections"),
    path("collections/<str:collection_id>", views.collection, name="collection"),
    path("collections/<str:collection_id>/items", views.items, name="items"),
    path("collections/<str:collection_id>/items/<str:feature_id>", views.item, name="item"),
]
