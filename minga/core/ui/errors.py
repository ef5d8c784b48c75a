"""Error pages. They may be rendered for a URL of any namespace instance (an API or a feed),
so links are reversed against each app's default instance (current_app None).

Under an API address the error is JSON in that API's own shape, whatever raised it (an
unknown government, a module switched off, a path the URL patterns do not match): the REST
API's `{"detail": ...}` under /api/v1/, CKAN's `{"success": false, "error": {...}}` under the
CKAN Action API. Clients and the OpenAPI document never see an HTML page there."""

import re

from django.http import JsonResponse
from django.shortcuts import render
from rest_framework import exceptions

# The path before the government urlconf strips a /g/<slug>/ prefix (an unknown government),
# or after it (a known one, or a government served on its own host).
REST_API_PATH = re.compile(r"^(/g/[^/]+)?/api/v1(/|$)")
CKAN_API_PATH = re.compile(r"^(/g/[^/]+)?/api(/3)?/action(/|$)")
# CKAN's `__type` for each status.
CKAN_ERROR_TYPES = {403: "Authorization Error", 404: "Not Found Error", 500: "Internal Server Error"}


def _api_error(request, status: int, detail: str) -> JsonResponse | None:
    path = request.path_info
    if REST_API_PATH.match(path):
        return JsonResponse({"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False})
    if CKAN_API_PATH.match(path):
        body = {"success": False, "error": {"__type": CKAN_ERROR_TYPES[status], "message": detail}}
        return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    return None


def _page(request, template: str, status: int):
    request.current_app = None
    return render(request, template, status=status)


def not_found(request, exception=None):
    return _api_error(request, 404, str(exceptions.NotFound.default_detail)) or _page(
        request, "core/errors/404.html", 404
    )


def forbidden(request, exception=None):
    return _api_error(request, 403, str(exceptions.PermissionDenied.default_detail)) or _page(
        request, "core/errors/403.html", 403
    )


def server_error(request):
    return _api_error(request, 500, str(exceptions.APIException.default_detail)) or _page(
        request, "core/errors/500.html", 500
    )


def csrf_failure(request, reason=""):
    return _page(request, "core/errors/403_csrf.html", 403)
