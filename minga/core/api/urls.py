"""Routes of the API plumbing.

`government_api_patterns` are included under /api/v1/ in the "api" namespace (government
urlconf). `token_patterns` are the back-office screens where officials manage their tokens;
core.urls includes them in the government's "core" namespace."""

from django.urls import path

from . import office, views

government_api_patterns = [
    path("", views.ApiIndexView.as_view(), name="index"),
    path("gobierno/", views.GovernmentView.as_view(), name="government"),
    path("gobierno/gobiernos/", views.GovernmentChildrenView.as_view(), name="government_children"),
    path("yo/", views.MeView.as_view(), name="me"),
    path("yo/token/", views.CurrentTokenView.as_view(), name="current_token"),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", views.api_docs, name="docs"),
]

token_patterns = [
    path("gestion/tokens/", office.token_list, name="api_tokens"),
    path("gestion/tokens/nuevo/", office.token_create, name="api_token_create"),
    path("gestion/tokens/<int:token_id>/revocar/", office.token_revoke, name="api_token_revoke"),
]
