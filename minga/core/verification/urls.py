"""Addresses of identity verification: the person's page (on the platform and in every
government) and, inside a government, the census code and the back office."""

from django.urls import path

from .views import citizen, office

# Served on the platform and inside each government (with the account pages).
identity_patterns = [
    path("cuenta/identidad/", citizen.identity, name="identity"),
]

# Served inside a government only.
verification_patterns = [
    path("cuenta/identidad/padron/enviar-codigo/", citizen.census_send, name="identity_census_send"),
    path("cuenta/identidad/padron/confirmar/", citizen.census_confirm, name="identity_census_confirm"),
    path("gestion/verificacion/", office.overview, name="verification_office"),
    path("gestion/verificacion/padron/", office.roll_list, name="census_rolls"),
    path("gestion/verificacion/padron/nuevo/", office.roll_upload, name="census_upload"),
    path("gestion/verificacion/padron/<int:pk>/", office.roll_detail, name="census_roll"),
    path("gestion/verificacion/padron/<int:pk>/publicar/", office.roll_publish, name="census_publish"),
    path("gestion/verificacion/padron/<int:pk>/descartar/", office.roll_discard, name="census_discard"),
    path("gestion/verificacion/ventanilla/", office.desk, name="verification_desk"),
    path("gestion/verificacion/personas/", office.people, name="verification_people"),
    path("gestion/verificacion/personas/<int:pk>/revocar/", office.revoke, name="verification_revoke"),
]
