"""Addresses of events: the public calendar under eventos/ (a reserved process slug) and the
back office under gestion/eventos/."""

from django.urls import path

from .views import office, public

urlpatterns = [
    path("gestion/eventos/", office.event_list, name="office_events"),
    path("gestion/eventos/nuevo/", office.event_edit, name="office_event_create"),
    path("gestion/eventos/tipos/", office.event_types, name="office_event_types"),
    path("gestion/eventos/tipos/<int:type_pk>/", office.event_types, name="office_event_type_edit"),
    path("gestion/eventos/<int:pk>/editar/", office.event_edit, name="office_event_edit"),
    path("gestion/eventos/<int:pk>/eliminar/", office.event_delete, name="office_event_delete"),
    path("gestion/eventos/<int:pk>/inscripciones/", office.registrations, name="office_event_registrations"),
    path("gestion/eventos/<int:pk>/acta/", office.minutes, name="office_event_minutes"),
    path("gestion/eventos/<int:pk>/acuerdos/", office.agreements, name="office_event_agreements"),
    path(
        "gestion/eventos/<int:pk>/acuerdos/<int:agreement_pk>/",
        office.agreements,
        name="office_event_agreement_edit",
    ),
    path(
        "gestion/eventos/<int:pk>/acuerdos/<int:agreement_pk>/eliminar/",
        office.agreement_delete,
        name="office_event_agreement_delete",
    ),
    path("eventos/", public.calendar, name="event_calendar"),
    path("eventos/calendario.ics", public.calendar_ics, name="event_calendar_ics"),
    path("eventos/proceso/<slug:slug>.ics", public.process_ics, name="event_process_ics"),
    path("eventos/inscripcion/<str:token>/confirmar/", public.registration_confirm, name="event_registration_confirm"),
    path("eventos/inscripcion/<str:token>/cancelar/", public.registration_cancel, name="event_registration_cancel"),
    path("eventos/<slug:slug>/", public.event_detail, name="event_detail"),
    path("eventos/<slug:slug>/inscribirse/", public.register, name="event_register"),
    path("eventos/<slug:slug>/cancelar/", public.cancel_mine, name="event_cancel_mine"),
    path("eventos/<slug:slug>/evento.ics", public.event_ics, name="event_ics"),
]
