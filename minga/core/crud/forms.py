"""A service's ValidationError on the form that was posted."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError


def apply_validation_error(
    form: forms.BaseForm, error: ValidationError, *, field_map: Mapping[str, str] | None = None
) -> None:
    """Put the messages of ``error`` on ``form``: each field's messages on that field (or on
    the form field ``field_map`` names for it, when the form calls it otherwise), the rest,
    and the errors of fields the form does not have, on the form as a whole."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, messages in error.message_dict.items():
        target = (field_map or {}).get(name, name)
        form.add_error(target if target in form.fields else None, messages)
