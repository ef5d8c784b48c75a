"""Small builders for the module's tests: every object goes through the services, as in
production, inside the government's scope."""

import itertools

from django.core.files.uploadedfile import SimpleUploadedFile

from minga.core.tenancy.scoping import government_scope

from ..datasets import services
from ..requests import services as request_services

_numbers = itertools.count(1)

CSV_BYTES = "cantón;año;monto\nPortoviejo;2025;1.234,56\nManta;2025;987,10\n".encode("latin-1")


def csv_file(name="datos.csv", content=CSV_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def licence(government, **fields):
    with government_scope(government):
        licences = services.licences_ensure_defaults(actor=None, government=government)
    if not fields:
        return next((item for item in licences if item.is_default), licences[0])
    number = next(_numbers)
    values = {"code": f"LIC-{number}", "name": f"Licencia {number}"}
    values.update(fields)
    with government_scope(government):
        return services.licence_create(actor=None, government=government, **values)


def theme(government, **fields):
    number = next(_numbers)
    values = {"name": f"Tema {number}", "slug": f"tema-{number}", "dcat_theme": "GOVE"}
    values.update(fields)
    with government_scope(government):
        return services.theme_create(actor=None, government=government, **values)


def dataset(government, **fields):
    number = next(_numbers)
    licence(government)
    values = {
        "title": f"Conjunto de prueba {number}",
        "slug": f"conjunto-{number}",
        "summary": "Datos de prueba.",
        "publisher": "Dirección Financiera",
        "is_published": True,
    }
    values.update(fields)
    with government_scope(government):
        return services.dataset_create(actor=None, government=government, **values)


def resource(government, dataset, **fields):
    number = next(_numbers)
    values = {"title": f"Recurso {number}", "kind": "upload"}
    values.update(fields)
    if values["kind"] == "upload" and "file" not in values:
        values["file"] = csv_file()
    with government_scope(government):
        return services.resource_add(actor=None, government=government, dataset=dataset, **values)


def data_request(government, requester, **fields):
    values = {"title": "Accidentes de tránsito por parroquia", "description": "Para un estudio."}
    values.update(fields)
    with government_scope(government):
        return request_services.request_create(actor=requester, government=government, **values)
