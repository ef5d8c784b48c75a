from django.urls import path

from . import views

audit_patterns = [
    path("gestion/auditoria/", views.audit_log, name="audit_log"),
    path("gestion/auditoria.csv", views.audit_log_csv, name="audit_log_csv"),
]

# On the platform host: the signed heads of every chain, public.
audit_public_patterns = [
    path("auditoria/cabezas/", views.chain_heads, name="audit_heads"),
    path("auditoria/cabezas.json", views.chain_heads_json, name="audit_heads_json"),
]
