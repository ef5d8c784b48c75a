"""CKAN Action API, read subset: /api/3/action/<action> (a government's portal or the platform host)."""

from django.urls import path

from . import ckan

urlpatterns = [
    *[path(name, view, name=name) for name, view in ckan.ACTIONS.items()],
    path("<str:name>", ckan.unknown_action, name="unknown_action"),
]
