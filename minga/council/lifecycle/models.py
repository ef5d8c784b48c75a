"""A government's own settings for one stage of the legislative procedure: whether it is
mandatory for which kinds of act, and its legal deadline. Without a row the defaults of the
government's level apply (lifecycle/stages.py)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from minga.core.tenancy.models import GovernmentOwned, scoped_manager

from .stages import STAGE_CHOICES


class StageRule(GovernmentOwned):
    stage = models.CharField(_("stage"), max_length=30, choices=STAGE_CHOICES, help_text=_("The stage configured."))
    mandatory_for = models.JSONField(
        _("mandatory for"),
        default=list,
        blank=True,
        help_text=_("Kinds of act for which the stage cannot be skipped (ordinance, resolution, agreement)."),
    )
    deadline_days = models.PositiveSmallIntegerField(
        _("deadline in days"), null=True, blank=True, help_text=_("Days allowed to reach this stage; empty: none.")
    )
    deadline_from = models.CharField(
        _("counted from"),
        max_length=30,
        choices=STAGE_CHOICES,
        blank=True,
        help_text=_("The stage whose date starts the deadline."),
    )
    legal_reference = models.CharField(
        _("legal reference"), max_length=200, blank=True, help_text=_("The article that sets the rule.")
    )

    objects = scoped_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("stage rule")
        verbose_name_plural = _("stage rules")
        constraints = [models.UniqueConstraint(fields=["government", "stage"], name="council_stagerule_unique")]

    def __str__(self) -> str:
        return self.get_stage_display()
