from django.urls import path

from .views import office, public

urlpatterns = [
    path("", public.council_home, name="home"),
    path("miembros/<slug:slug>/", public.member_detail, name="member_detail"),
    path("comisiones/<slug:slug>/", public.committee_detail, name="committee_detail"),
    path("gestion/", office.home, name="office_home"),
    path("gestion/concejo/", office.council_edit, name="office_council_edit"),
    path("gestion/miembros/nuevo/", office.person_edit, name="office_person_create"),
    path("gestion/miembros/<int:pk>/editar/", office.person_edit, name="office_person_edit"),
    path("gestion/miembros/<int:pk>/periodos/", office.seats, name="office_seats"),
    path("gestion/miembros/<int:pk>/periodos/<int:seat_pk>/", office.seats, name="office_seat_edit"),
    path("gestion/miembros/<int:pk>/periodos/<int:seat_pk>/eliminar/", office.seat_delete, name="office_seat_delete"),
    path("gestion/comisiones/nueva/", office.committee_edit, name="office_committee_create"),
    path("gestion/comisiones/<int:pk>/editar/", office.committee_edit, name="office_committee_edit"),
    path("gestion/comisiones/<int:pk>/miembros/", office.committee_members, name="office_committee_members"),
    path(
        "gestion/comisiones/<int:pk>/miembros/<int:member_pk>/",
        office.committee_members,
        name="office_committee_member_edit",
    ),
    path(
        "gestion/comisiones/<int:pk>/miembros/<int:member_pk>/eliminar/",
        office.committee_member_delete,
        name="office_committee_member_delete",
    ),
]
