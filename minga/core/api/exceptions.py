"""JSON errors of the API. Rate-limited requests get 429 with a Retry-After header and a
translated message saying how long to wait."""

from django.utils.translation import gettext, ngettext
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def throttled_message(wait: int | None) -> str:
    if wait is None:
        return gettext("Too many requests. Try again later.")
    return ngettext(
        "Too many requests. Try again in %(seconds)d second.",
        "Too many requests. Try again in %(seconds)d seconds.",
        wait,
    ) % {"seconds": wait}


def exception_handler(exc, context):
    if isinstance(exc, exceptions.Throttled):
        # DRF's wording cannot be translated as a whole sentence; use ours.
        exc.detail = exceptions.ErrorDetail(throttled_message(exc.wait), code="throttled")
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        response["Retry-After"] = str(exc.wait)
        response.data["retry_after"] = exc.wait
    return response
