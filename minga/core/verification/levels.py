"""The verification levels, weakest first, and what a check answers. No models here: manifests
(apps.py) and settings import this module before the app registry is ready."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    """Each level includes the ones below it. A desk verification is the strongest: an official
    saw the person and the cédula (and, where the government has a census roll, checked it or
    wrote down the other proof of residence), which is at least what the census roll and a
    code e-mailed to the person prove."""

    NONE = 0, _("No verification")
    EMAIL = 10, _("Confirmed e-mail")
    CEDULA = 20, _("Registered cédula")
    CENSUS = 30, _("On the census roll")
    ASSISTED = 40, _("Verified at a desk")


# What each level asks of the person, for "to vote you need …".
NEEDS = {
    Level.NONE: _("an account"),
    Level.EMAIL: _("a confirmed e-mail address"),
    Level.CEDULA: _("to register your cédula"),
    Level.CENSUS: _("to be on the census roll of the government"),
    Level.ASSISTED: _("to verify your identity at a desk of the government"),
}

# Per-government levels: the rows of ``models.Verification``.
GOVERNMENT_LEVELS = (Level.CENSUS, Level.ASSISTED)


@dataclass(frozen=True)
class Check:
    """What ``selectors.check`` answers: whether the person reaches the level, and if not what
    they must do next (a sentence and the page where they do it)."""

    allowed: bool
    needed: Level
    # The person's level; when a registered cédula is enough, CEDULA (the per-government
    # census and desk levels above it are not read then).
    current: Level
    territory: str = ""
    message: str = ""  # "To vote you need …" (empty when allowed)
    next_step: str = ""  # what to do next, in a sentence
    next_url: str = ""  # where to do it
    next_label: str = ""  # the link's words
    identity_id: int | None = None  # the person (``models.Identity``) when there is one
    identity_hash: str = ""  # that identity's keyed cédula hash (never the cédula itself)

    def __bool__(self) -> bool:
        return self.allowed


class VerificationRequired(PermissionDenied):
    """Raised by ``selectors.require``: the person does not reach the level an action needs.
    ``check`` says what they must do; ``str()`` is the Spanish (or the person's language)
    sentence to show."""

    def __init__(self, check: Check):
        self.check = check
        super().__init__(" ".join(part for part in (check.message, check.next_step) if part))


def parse_level(value) -> Level:
    """A level from its number or its name ("census"); ValueError otherwise."""
    if isinstance(value, Level):
        return value
    if isinstance(value, str) and not value.isdigit():
        try:
            return Level[value.upper()]
        except KeyError:
            raise ValueError(f"unknown verification level {value!r}") from None
    return Level(int(value))
