from django.urls import path

from . import views

urlpatterns = [
    path("actos/", views.BillListView.as_view(), name="bills"),
    path("actos/<uuid:uid>/", views.BillDetailView.as_view(), name="bill"),
    path("miembros/", views.PersonListView.as_view(), name="people"),
    path("miembros/<uuid:uid>/", views.PersonDetailView.as_view(), name="person"),
    path("organizaciones/", views.OrganizationListView.as_view(), name="organizations"),
    path("sesiones/", views.EventListView.as_view(), name="events"),
    path("sesiones/<uuid:uid>/", views.EventDetailView.as_view(), name="event"),
    path("votaciones/", views.VoteEventListView.as_view(), name="vote_events"),
    path("votaciones/<uuid:uid>/", views.VoteEventDetailView.as_view(), name="vote_event"),
]
