from django.urls import path

from .views import backoffice, public

app_name = "institution"

urlpatterns = [
    # Public pages
    path("organigrama/", public.orgchart, name="orgchart"),
    path("unidades/<slug:slug>/", public.unit_detail, name="unit_detail"),
    path("autoridades/", public.authorities, name="authorities"),
    path("autoridades/<slug:slug>/", public.authority_detail, name="authority_detail"),
    path("autoridades/<slug:slug>/agenda.ics", public.authority_ics, name="authority_ics"),
    path("agenda/", public.agenda, name="agenda"),
    path("agenda/lista/", public.agenda_list, name="agenda_list"),
    path("agenda/eventos/<uuid:uid>/", public.event_detail, name="event_detail"),
    path("agenda.ics", public.agenda_ics, name="agenda_ics"),
    # Back office
    path("gestion/", backoffice.office_home, name="office_home"),
    path("gestion/unidades/", backoffice.unit_list, name="office_units"),
    path("gestion/unidades/nueva/", backoffice.unit_edit, name="office_unit_create"),
    path("gestion/unidades/<int:pk>/editar/", backoffice.unit_edit, name="office_unit_edit"),
    path("gestion/unidades/<int:pk>/eliminar/", backoffice.unit_delete, name="office_unit_delete"),
    path("gestion/autoridades/", backoffice.authority_list, name="office_authorities"),
    path("gestion/autoridades/nueva/", backoffice.authority_edit, name="office_authority_create"),
    path("gestion/autoridades/<int:pk>/editar/", backoffice.authority_edit, name="office_authority_edit"),
    path("gestion/autoridades/<int:pk>/publicacion/", backoffice.authority_publish, name="office_authority_publish"),
    path("gestion/autoridades/<int:pk>/eliminar/", backoffice.authority_delete, name="office_authority_delete"),
    path(
        "gestion/autoridades/<int:authority_pk>/declaraciones/",
        backoffice.declaration_list,
        name="office_declarations",
    ),
    path("gestion/declaraciones/<int:pk>/editar/", backoffice.declaration_edit, name="office_declaration_edit"),
    path("gestion/declaraciones/<int:pk>/eliminar/", backoffice.declaration_delete, name="office_declaration_delete"),
    path("gestion/agenda/", backoffice.event_list, name="office_events"),
    path("gestion/agenda/nuevo/", backoffice.event_edit, name="office_event_create"),
    path("gestion/agenda/<int:pk>/editar/", backoffice.event_edit, name="office_event_edit"),
    path("gestion/agenda/<int:pk>/cancelar/", backoffice.event_cancel, name="office_event_cancel"),
    path("gestion/agenda/<int:pk>/eliminar/", backoffice.event_delete, name="office_event_delete"),
]
