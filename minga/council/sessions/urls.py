from django.urls import path

from .views import office, public

S = "gestion/sesiones/<int:pk>/"

urlpatterns = [
    path("sesiones/", public.session_list, name="session_list"),
    path("sesiones/feed/", public.sessions_atom, name="session_feed"),
    path("sesiones/calendario.ics", public.sessions_ics, name="session_ics"),
    path("sesiones/<slug:slug>/", public.session_detail, name="session_detail"),
    path("miembros/<slug:slug>/votaciones/", public.member_votes, name="member_votes"),
    path("gestion/sesiones/", office.session_list, name="office_sessions"),
    path("gestion/sesiones/nueva/", office.session_edit, name="office_session_create"),
    path(S, office.session_manage, name="office_session"),
    path(S + "editar/", office.session_edit, name="office_session_edit"),
    path(S + "estado/<slug:action>/", office.session_status, name="office_session_status"),
    path(S + "puntos/", office.item_add, name="office_item_add"),
    path(S + "puntos/<int:item_pk>/editar/", office.item_edit, name="office_item_edit"),
    path(S + "puntos/<int:item_pk>/mover/", office.item_move, name="office_item_move"),
    path(S + "puntos/<int:item_pk>/eliminar/", office.item_delete, name="office_item_delete"),
    path(S + "puntos/<int:item_pk>/resultado/", office.item_outcome, name="office_item_outcome"),
    path(S + "asistencia/", office.attendance, name="office_attendance"),
    path(S + "votaciones/", office.vote_add, name="office_vote_add"),
    path(S + "votaciones/<int:event_pk>/eliminar/", office.vote_delete, name="office_vote_delete"),
    path(S + "votaciones/importar/", office.votes_import, name="office_votes_import"),
    path(S + "documentos/", office.document_add, name="office_session_document_add"),
    path(
        S + "documentos/<int:document_pk>/eliminar/",
        office.document_delete,
        name="office_session_document_delete",
    ),
    path(S + "acta/", office.minutes, name="office_minutes"),
]
