"""The abstract phase: what every phase of every module holds. A module subclasses it with its
own foreign key to the parent (a process, an ordinance) and the government, and names the
module whose features its phases switch (`PHASE_MODULE`)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .features import feature_map

UPCOMING, CURRENT, PAST = "upcoming", "current", "past"


class PhaseBase(models.Model):
    """A phase runs from ``starts_at`` (included) to ``ends_at`` (excluded), so two phases may
    meet at the same instant without overlapping."""

    PHASE_MODULE: ClassVar[str] = ""

    title = models.CharField(_("title"), max_length=200, help_text=_("Name of the phase, e.g. Propuestas ciudadanas."))
    description = models.TextField(
        _("description"), blank=True, help_text=_("What happens in this phase and how to take part.")
    )
    starts_at = models.DateTimeField(_("starts"), help_text=_("When the phase opens (Ecuador time)."))
    ends_at = models.DateTimeField(_("ends"), help_text=_("When the phase closes (Ecuador time)."))
    position = models.PositiveSmallIntegerField(
        _("position"), help_text=_("Order of the phase in its list, from 1; phases follow each other in time.")
    )
    features = models.JSONField(
        _("features"),
        default=list,
        blank=True,
        help_text=_("What citizens can do while the phase is on (keys of the module's phase features)."),
    )
    settings = models.JSONField(
        _("settings"), default=dict, blank=True, help_text=_("Settings of the phase, checked against its schema.")
    )

    class Meta:
        abstract = True
        ordering = ["position", "starts_at"]

    def __str__(self) -> str:
        return self.title

    def has_feature(self, key: str) -> bool:
        return key in (self.features or [])

    def state(self, now: dt.datetime) -> str:
        if now < self.starts_at:
            return UPCOMING
        if now < self.ends_at:
            return CURRENT
        return PAST

    def is_current(self, now: dt.datetime) -> bool:
        return self.state(now) == CURRENT

    def feature_list(self):
        """The phase's features as declared by its module (label and help), in the module's order."""
        known = feature_map(self.PHASE_MODULE)
        return [feature for key, feature in known.items() if key in (self.features or [])]

    def clean(self) -> None:
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("A phase must end after it starts.")
        problem = feature_problem(self.PHASE_MODULE, self.features)
        if problem:
            errors["features"] = problem
        if errors:
            raise ValidationError(errors)


def feature_problem(module: str, features) -> str:
    """Why a list of feature keys is not acceptable for ``module``'s phases, or ""."""
    if not isinstance(features, list) or not all(isinstance(key, str) for key in features):
        return str(_("The features must be a list of names."))
    unknown = sorted(set(features) - set(feature_map(module)))
    if unknown:
        return str(_("Unknown features: %(keys)s.") % {"keys": ", ".join(unknown)})
    if len(set(features)) != len(features):
        return str(_("A feature is listed twice."))
    return ""
