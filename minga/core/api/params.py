"""Query parameters shared by the API views."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError

YES = ("1", "true", "si", "sí", "yes")
NO = ("0", "false", "no")


def yes_no(params, name: str, default: bool) -> bool:
    """A yes/no parameter (the schema's boolean): 1/true/sí or 0/false/no; empty or absent is
    the default; anything else answers 400 instead of being read as one or the other."""
    value = str(params.get(name, "")).strip().lower()
    if value == "":
        return default
    if value in YES:
        return True
    if value in NO:
        return False
    raise ValidationError({name: [_("Use true or false (1 or 0).")]})
