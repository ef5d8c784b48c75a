"""Daily use counters of any module's records, with nothing about the visitor."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..tenancy.models import GovernmentOwned, scoped_manager


class UsageCount(GovernmentOwned):
    """How often one record of a module (or one page, ``object_id`` 0) was used on one day, by
    kind of use. Counted on the server with no cookies, no addresses, no accounts: only these
    daily totals are stored."""

    module = models.CharField(_("module"), max_length=40, help_text=_("Key of the module, e.g. council."))
    kind = models.CharField(
        _("kind of use"), max_length=40, help_text=_("What was used, as the module names it, e.g. act.")
    )
    object_id = models.PositiveBigIntegerField(
        _("object id"), default=0, help_text=_("Id of the record used; 0 for a page that is not about one record.")
    )
    day = models.DateField(_("day"), help_text=_("Day in the government's time zone."))
    count = models.PositiveIntegerField(_("count"), default=0, help_text=_("Uses that day."))

    objects = scoped_manager()

    class Meta:
        ordering = ["-day", "module", "kind", "object_id"]
        verbose_name = _("daily use count")
        verbose_name_plural = _("daily use counts")
        constraints = [
            models.UniqueConstraint(
                fields=["government", "module", "kind", "object_id", "day"], name="core_usage_count_unique"
            )
        ]
        indexes = [models.Index(fields=["government", "module", "day"], name="core_usage_gov_module_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.module}.{self.kind}:{self.object_id} {self.count}"
