from django.urls import path

from . import views

app_name = "institution"

urlpatterns = [
    path("organigrama/", views.orgchart, name="orgchart"),
    path("autoridades/", views.orgchart, name="authorities"),
    path("agenda/", views.orgchart, name="agenda"),
]
