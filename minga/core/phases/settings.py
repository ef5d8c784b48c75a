"""Typed settings checked against a schema: the settings of a participatory space and of each
of its phases (Decidim's global and step settings). A module lists `SettingField`s; stored
values are a JSON object that `clean_settings` checks (unknown keys refused, missing keys
given their default, each value of the right type and within its bounds), and each field
gives the form field that edits it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

KINDS = ("integer", "boolean", "choice", "text")


@dataclass(frozen=True)
class SettingField:
    key: str
    label: Any
    kind: str  # one of KINDS
    default: Any
    help_text: Any = ""
    choices: tuple[tuple[str, Any], ...] = ()  # for "choice"
    min_value: int | None = None  # for "integer"
    max_value: int | None = None
    max_length: int = 500  # for "text"
    # Key of the phase feature whose start freezes this setting ("vote"): see locks.py.
    locked_by: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown setting kind {self.kind!r}")

    def clean(self, value: Any) -> Any:
        """The value as stored, or ValidationError with a message for people."""
        if self.kind == "boolean":
            if isinstance(value, bool):
                return value
            raise ValidationError(_("Choose yes or no."), code="boolean")
        if self.kind == "integer":
            if isinstance(value, bool) or not isinstance(value, int):
                if isinstance(value, str) and value.strip().lstrip("-").isdigit():
                    value = int(value.strip())
                else:
                    raise ValidationError(_("Enter a whole number."), code="integer")
            if self.min_value is not None and value < self.min_value:
                raise ValidationError(
                    _("Enter a number of at least %(min)d.") % {"min": self.min_value}, code="min_value"
                )
            if self.max_value is not None and value > self.max_value:
                raise ValidationError(
                    _("Enter a number of at most %(max)d.") % {"max": self.max_value}, code="max_value"
                )
            return value
        if self.kind == "choice":
            allowed = [key for key, _label in self.choices]
            if value not in allowed:
                raise ValidationError(_("Choose one of the options offered."), code="choice")
            return value
        if not isinstance(value, str):
            raise ValidationError(_("Enter text."), code="text")
        value = value.strip()
        if len(value) > self.max_length:
            raise ValidationError(
                _("Use at most %(n)d characters (this has %(length)d).") % {"n": self.max_length, "length": len(value)},
                code="max_length",
            )
        return value

    def form_field(self, **kwargs) -> forms.Field:
        common = {"label": self.label, "help_text": self.help_text, **kwargs}
        if self.kind == "boolean":
            return forms.BooleanField(required=False, **common)
        if self.kind == "integer":
            return forms.IntegerField(min_value=self.min_value, max_value=self.max_value, **common)
        if self.kind == "choice":
            return forms.ChoiceField(choices=list(self.choices), **common)
        return forms.CharField(
            required=False, max_length=self.max_length, widget=forms.Textarea(attrs={"rows": 2}), **common
        )


def defaults(fields: Iterable[SettingField]) -> dict[str, Any]:
    return {spec.key: spec.default for spec in fields}


def clean_settings(fields: Iterable[SettingField], values: Mapping[str, Any] | None) -> dict[str, Any]:
    """``values`` checked against the schema: every key of the schema present (the default
    where missing), none other. Raises ValidationError({key: [message]}) naming every bad key."""
    fields = list(fields)
    values = dict(values or {})
    known = {spec.key for spec in fields}
    errors: dict[str, list] = {}
    for key in sorted(set(values) - known):
        errors[key] = [ValidationError(_("This setting does not exist."), code="unknown")]
    cleaned = {}
    for spec in fields:
        try:
            cleaned[spec.key] = spec.clean(values[spec.key]) if spec.key in values else spec.default
        except ValidationError as error:
            errors[spec.key] = error.error_list
    if errors:
        raise ValidationError(errors)
    return cleaned


def field_labels(fields: Iterable[SettingField]) -> dict[str, Any]:
    return {spec.key: spec.label for spec in fields}


def display_value(spec: SettingField, value: Any) -> Any:
    """The value as a person reads it: a choice's label, yes/no for a boolean."""
    if spec.kind == "choice":
        return dict(spec.choices).get(value, value)
    if spec.kind == "boolean":
        return _("Yes") if value else _("No")
    return value
