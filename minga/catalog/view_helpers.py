"""What the catalog's views share: the posted data, whether the person may edit, the address
the request came from (for links in e-mails) and the module's settings. A service's
ValidationError goes on the form with core's `apply_validation_error`."""

from __future__ import annotations

from minga.core.registry import module_settings

VIEW = "catalog.view_backoffice"
EDIT = "catalog.edit"


def posted(request):
    return request.POST if request.method == "POST" else None


def can_edit(request) -> bool:
    return request.user.has_perm(EDIT, request.government)


def origin(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


def catalog_settings(government) -> dict:
    return module_settings(government, "catalog")


def requests_enabled(government) -> bool:
    return bool(catalog_settings(government).get("requests_enabled", True))
