"""A service's ValidationError on the form that was posted, and the one step every edit view
takes: a valid form goes to its service, whose refusal lands on the form."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

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


@dataclass(frozen=True)
class Submission:
    """What ``submit`` answers: true when the service saved, with what it returned."""

    saved: bool
    value: Any = None

    def __bool__(self) -> bool:
        return self.saved


def submit(form: forms.BaseForm, save: Callable[[], Any], *, field_map: Mapping[str, str] | None = None) -> Submission:
    """Call ``save()`` (the service, with the form's cleaned data) when the form was posted and
    is valid. A ValidationError it raises goes on the form (``apply_validation_error``) and
    nothing counts as saved; an unbound form is never saved and shows no errors.

        done = submit(form, lambda: services.member_save(actor=..., fields=form.cleaned_data))
        if done:
            messages.success(request, ...)
            return redirect(...)
        return render(...)  # the form, with what was typed and why it was refused
    """
    if not form.is_bound or not form.is_valid():
        return Submission(False)
    try:
        value = save()
    except ValidationError as error:
        apply_validation_error(form, error, field_map=field_map)
        return Submission(False)
    return Submission(True, value)
