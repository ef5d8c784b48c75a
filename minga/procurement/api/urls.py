from django.urls import path

from . import views

urlpatterns = [
    path("procesos/", views.ProcessListView.as_view(), name="processes"),
    path("procesos/<str:ocid>/", views.ProcessDetailView.as_view(), name="process"),
    path("proveedores/", views.SupplierListView.as_view(), name="suppliers"),
    path("proveedores/<int:pk>/", views.SupplierDetailView.as_view(), name="supplier"),
    path("compradores/", views.BuyerListView.as_view(), name="buyers"),
    path("compradores/<int:pk>/", views.BuyerDetailView.as_view(), name="buyer"),
]
