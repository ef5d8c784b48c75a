from django.urls import path

from . import views

urlpatterns = [
    path("procesos/<slug:slug>/presupuestos/", views.BudgetListView.as_view(), name="budgets"),
    path("procesos/<slug:slug>/presupuestos/<slug:budget>/", views.BudgetDetailView.as_view(), name="budget"),
]
