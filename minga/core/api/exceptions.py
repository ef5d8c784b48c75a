"""JSON errors of the API. Rate-limited requests get 429 with a Retry-After header and a
translated message saying how long to wait."""

from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

from .messages import throttled_message


def exception_handler(exc, context):
    if isinstance(exc, exceptions.Throttled):
        # DRF's wording cannot be translated as a whole sentence; use ours.
        exc.detail = exceptions.ErrorDetail(throttled_message(exc.wait), code="throttled")
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        response["Retry-After"] = str(exc.wait)
        response.data["retry_after"] = exc.wait
    return response
