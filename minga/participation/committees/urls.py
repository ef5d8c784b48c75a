"""Addresses of oversight committees: the public registry under veedurias/ (a reserved process
slug) and the back office under gestion/veedurias/."""

from django.urls import path

from .views import office, public

urlpatterns = [
    path("gestion/veedurias/", office.committee_list, name="office_committees"),
    path("gestion/veedurias/nueva/", office.committee_edit, name="office_committee_create"),
    path("gestion/veedurias/<int:pk>/editar/", office.committee_edit, name="office_committee_edit"),
    path("gestion/veedurias/<int:pk>/eliminar/", office.committee_delete, name="office_committee_delete"),
    path("gestion/veedurias/<int:pk>/miembros/", office.members, name="office_committee_members"),
    path("gestion/veedurias/<int:pk>/miembros/<int:member_pk>/", office.members, name="office_committee_member_edit"),
    path(
        "gestion/veedurias/<int:pk>/miembros/<int:member_pk>/eliminar/",
        office.member_delete,
        name="office_committee_member_delete",
    ),
    path("gestion/veedurias/<int:pk>/informes/", office.report_add, name="office_committee_report_add"),
    path(
        "gestion/veedurias/<int:pk>/informes/<int:report_pk>/eliminar/",
        office.report_delete,
        name="office_committee_report_delete",
    ),
    path("veedurias/", public.committee_list, name="committee_list"),
    path("veedurias/<slug:slug>/", public.committee_detail, name="committee_detail"),
]
