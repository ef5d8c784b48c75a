"""What the catalog's views share: the posted data, whether the person may edit, the address
the request came from (for links in e-mails), form errors raised by a service, and the
module's settings."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from minga.core.registry import module_settings

VIEW = "catalog.view_backoffice"
EDIT = "catalog.edit"


def apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            target = "upload" if field == "file" and "upload" in form.fields else field
            form.add_error(target if target in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


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
