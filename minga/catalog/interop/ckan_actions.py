"""The machinery every CKAN action shares: CKAN's answer and error shapes, parameters from a
GET query (a repeated key is a list, as ckanapi sends ``facet.field``), a form or a JSON body,
and which site (a government's portal or the whole platform) the request is for."""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import urlencode

from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from minga.core.access import public
from minga.core.api.messages import throttled_message
from minga.core.api.throttling import rate_limited

from .ckan_errors import ActionError, Invalid
from .ckan_site import site_of
from .common import catalog_links

# The largest number any integer parameter may carry: Solr's (and so CKAN's) `start` and `rows`
# are 32-bit, and a larger offset would overflow the database's 64-bit LIMIT/OFFSET (a 500
# on PostgreSQL and SQLite alike) instead of answering a Validation Error.
INT_PARAM_MAX = 2**31 - 1


def action_url(request, action: str) -> str:
    """The address of an action under the address this request came in by (versioned or not,
    a government's or the platform's)."""
    match = getattr(request, "resolver_match", None)
    namespace = match.namespace if match is not None and match.namespace else "catalog-ckan"
    return reverse(f"{namespace}:{action}")


def _help(request, action: str) -> str:
    return request.build_absolute_uri(action_url(request, "help_show")) + "?" + urlencode({"name": action})


def answer(request, action: str, payload: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(
        {"help": _help(request, action), **payload}, status=status, json_dumps_params={"ensure_ascii": False}
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _params(request) -> dict:
    """The action's parameters: GET query, or a POST body in JSON (CKAN clients) or form encoding."""
    if request.method == "POST":
        if request.content_type == "application/json" or (request.body[:1] in (b"{", b"[")):
            try:
                data = json.loads(request.body or b"{}")
            except (ValueError, UnicodeDecodeError) as exc:
                raise ActionError("Bad request - JSON Error: the request body is not valid JSON.") from exc
            if not isinstance(data, dict):
                raise ActionError("Bad request - JSON Error: the request body must be a JSON object.")
            return data
        return _query_dict(request.POST)
    return _query_dict(request.GET)


def _query_dict(data) -> dict:
    """One value per key, a list for a repeated key (``facet.field=tags&facet.field=groups``)."""
    return {key: values if len(values) > 1 else values[0] for key, values in data.lists()}


def _throttled(wait: int) -> dict:
    return {"success": False, "error": {"__type": "Throttled", "message": throttled_message(wait)}}


def action(function: Callable) -> Callable:
    """Turn ``function(request, params) -> result`` into a public, read-only CKAN action view."""
    name = function.__name__

    @public
    @csrf_exempt
    @catalog_links
    @require_http_methods(["GET", "POST", "OPTIONS"])
    @rate_limited(refused=lambda request, wait: answer(request, name, _throttled(wait), status=429))
    def view(request):
        if request.method == "OPTIONS":
            response = JsonResponse({})
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Allow-Methods"] = "GET, POST"
            response["Access-Control-Allow-Headers"] = "Content-Type"
            return response
        try:
            request.ckan_site = site = site_of(request)
            if site.platform:
                with site.scope():
                    result = function(request, _params(request))
            else:
                result = function(request, _params(request))
        except ActionError as error:
            body = {"__type": error.kind, "message": error.message, **error.fields}
            return answer(request, name, {"success": False, "error": body}, status=error.status)
        return answer(request, name, {"success": True, "result": result})

    view.__name__ = name
    view.__doc__ = function.__doc__
    return view


# Parameters ------------------------------------------------------------------------------


def int_param(params: dict, key: str, default: int, *, minimum: int = 0, maximum: int | None = None) -> int:
    raw = params.get(key)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError, OverflowError):  # OverflowError: Infinity in a JSON body
        raise Invalid(f"{key}: Invalid integer", **{key: ["Invalid integer"]}) from None
    if value < minimum:
        raise Invalid(f"{key}: Must be a natural number", **{key: ["Must be a natural number"]})
    if value > INT_PARAM_MAX:
        raise Invalid(f"{key}: Must be at most {INT_PARAM_MAX}", **{key: [f"Must be at most {INT_PARAM_MAX}"]})
    return min(value, maximum) if maximum is not None else value


def bool_param(params: dict, key: str, default: bool) -> bool:
    raw = params.get(key)
    if raw is None or raw == "":
        return default
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off"):
        return False
    raise Invalid(f"{key}: Value must be one of: true, false", **{key: ["Value must be one of: true, false"]})


def json_param(params: dict, key: str, default):
    raw = params.get(key)
    if raw in (None, ""):
        return default
    if isinstance(raw, str):
        try:
            return json.loads(raw)
        except ValueError:
            raise Invalid(f"{key}: Cannot parse JSON", **{key: ["Cannot parse JSON"]}) from None
    return raw


def required(params: dict, key: str) -> str:
    raw = params.get(key)
    if raw in (None, ""):
        raise Invalid(f"{key}: Missing value", **{key: ["Missing value"]})
    return str(raw)
