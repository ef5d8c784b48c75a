"""Errors of the CKAN Action API subset, each with CKAN's HTTP status and `__type`."""

from __future__ import annotations


class ActionError(Exception):
    status = 400
    kind = "Bad Request"

    def __init__(self, message: str, **fields: list[str]) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields


class NotFound(ActionError):
    status = 404
    kind = "Not Found Error"


class Invalid(ActionError):
    status = 409
    kind = "Validation Error"
