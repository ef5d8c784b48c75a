from django.urls import path

from ..budgets.api import urls as budgets_api_urls
from ..proposals import api as proposals_api
from ..results import api as results_api
from ..surveys.api import urls as survey_urls
from . import views

urlpatterns = [
    path("procesos/", views.ProcessListView.as_view(), name="processes"),
    path("procesos/<slug:slug>/", views.ProcessDetailView.as_view(), name="process"),
    path("procesos/<slug:slug>/resultados/", results_api.ProcessResultsView.as_view(), name="process_results"),
    *survey_urls.urlpatterns,  # surveys
    *proposals_api.urlpatterns,
    *budgets_api_urls.urlpatterns,
]
