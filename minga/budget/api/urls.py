from django.urls import path

from . import views

urlpatterns = [
    path("anios/", views.YearListView.as_view(), name="years"),
    path("anios/<int:year>/partidas/", views.LineListView.as_view(), name="lines"),
    path("anios/<int:year>/partidas/<str:partida>/", views.LineDetailView.as_view(), name="line"),
    path("anios/<int:year>/ejecucion/", views.ExecutionView.as_view(), name="execution"),
]
