"""A Frictionless Data Package (datapackage.json) per published dataset.

Each resource gives its absolute download address, format, size and SHA-256; a resource whose
file is loaded in the datastore also carries a Table Schema (``schema``) built from the loaded
columns: names, labels as titles, Frictionless types and the date formats."""

from __future__ import annotations

import re

from django.http import JsonResponse
from django.shortcuts import get_object_or_404

from minga.core.access import public
from minga.core.api.throttling import rate_limited

from ..datasets.models import Dataset, Resource
from .common import access_url, catalog_links, dataset_url, datastore_table, media_type, published_datasets, utc_naive

FRICTIONLESS_TYPES = {
    "integer": ("integer", None),
    "decimal": ("number", None),
    "boolean": ("boolean", None),
    "date": ("date", "%Y-%m-%d"),
    "datetime": ("datetime", "%Y-%m-%dT%H:%M:%S"),
    "text": ("string", None),
}
EXTENSIONS = {"CSV": "csv", "XLSX": "xlsx", "JSON": "json", "GeoJSON": "geojson", "PDF": "pdf", "ZIP": "zip"}
_NAME_UNSAFE = re.compile(r"[^a-z0-9._-]+")


def _name(text: str, taken: set[str]) -> str:
    """A Frictionless resource name: lower case, a-z 0-9 . _ - only, unique in the package."""
    from django.utils.text import slugify

    base = _NAME_UNSAFE.sub("-", slugify(text)).strip("-") or "recurso"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    taken.add(name)
    return name


def table_schema(info) -> dict:
    fields = []
    for column in info.columns:
        kind, pattern = FRICTIONLESS_TYPES.get(str(column.type), ("string", None))
        field = {"name": column.name, "title": column.label or column.name, "type": kind}
        if pattern:
            field["format"] = pattern
        if kind == "boolean":
            field["trueValues"] = ["true", "sí", "si", "verdadero"]
            field["falseValues"] = ["false", "no", "falso"]
        fields.append(field)
    return {"fields": fields, "missingValues": [""]}


def resource_descriptor(request, resource: Resource, taken: set[str]) -> dict:
    data = {
        "name": _name(resource.title, taken),
        "title": resource.title,
        "path": access_url(request, resource),
        "mediatype": media_type(resource),
    }
    if resource.description:
        data["description"] = resource.description
    if resource.format in EXTENSIONS:
        data["format"] = EXTENSIONS[resource.format]
    if resource.size is not None:
        data["bytes"] = resource.size
    if resource.sha256:
        data["hash"] = f"sha256:{resource.sha256}"
    info = datastore_table(resource)
    if info is not None:
        data["profile"] = "tabular-data-resource"
        data["schema"] = table_schema(info)
    return data


def descriptor(request, dataset: Dataset) -> dict:
    licence = dataset.licence
    licence_data = {"name": licence.code, "title": licence.name}
    if licence.url:
        licence_data["path"] = licence.url
    taken: set[str] = set()
    resources = [resource_descriptor(request, resource, taken) for resource in dataset.resources.all()]
    tabular = resources and all(item.get("profile") == "tabular-data-resource" for item in resources)
    data = {
        "profile": "tabular-data-package" if tabular else "data-package",
        "name": dataset.slug,
        "id": dataset_url(request, dataset),
        "title": dataset.title,
        "description": dataset.summary + ("\n\n" + dataset.description if dataset.description else ""),
        "homepage": dataset_url(request, dataset),
        "version": str(dataset.version),
        "created": utc_naive(dataset.created_at) + "Z",
        "keywords": [tag.name for tag in dataset.tags.all()],
        "licenses": [licence_data],
        "contributors": [
            {
                "title": f"{dataset.publisher} · {request.government.name}",
                "role": "publisher",
                **({"email": dataset.publisher_email} if dataset.publisher_email else {}),
            }
        ],
        "resources": resources,
    }
    return data


@public
@catalog_links
@rate_limited()
def datapackage(request, slug):
    dataset = get_object_or_404(published_datasets(request.government), slug=slug)
    response = JsonResponse(descriptor(request, dataset), json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Access-Control-Allow-Origin"] = "*"
    return response
