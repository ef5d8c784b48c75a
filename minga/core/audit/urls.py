from django.urls import path

from . import views

audit_patterns = [
    path("gestion/auditoria/", views.audit_log, name="audit_log"),
    path("gestion/auditoria.csv", views.audit_log_csv, name="audit_log_csv"),
]
