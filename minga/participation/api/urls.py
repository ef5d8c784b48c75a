from django.urls import path

from ..budgets.api import urls as budgets_api_urls
from . import views

urlpatterns = [
    path("procesos/", views.ProcessListView.as_view(), name="processes"),
    path("procesos/<slug:slug>/", views.ProcessDetailView.as_view(), name="process"),
    *budgets_api_urls.urlpatterns,
]
