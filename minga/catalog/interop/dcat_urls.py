"""DCAT-AP catalog and dataset descriptions, and the Frictionless Data Package per dataset
(/datos/dcat/…)."""

from django.urls import path, re_path

from . import datapackage, dcat

urlpatterns = [
    re_path(r"^catalog\.(?P<fmt>jsonld|ttl)$", dcat.catalog, name="catalog"),
    path("<slug:slug>/datapackage.json", datapackage.datapackage, name="datapackage"),
    re_path(r"^(?P<slug>[-a-zA-Z0-9_]+)\.(?P<fmt>jsonld|ttl)$", dcat.dataset, name="dataset"),
]
