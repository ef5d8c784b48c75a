"""Daily use totals per dataset (and resource)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from minga.core.tenancy.models import GovernmentOwned, scoped_manager

from ..datasets.models import Dataset, Resource


class UsageQuerySet(models.QuerySet):
    pass


class UsageDaily(GovernmentOwned):
    """How often a dataset was used on one day, by kind of use. Counted on the server with no
    cookies and no addresses: only these daily totals are stored."""

    class Kind(models.TextChoices):
        VIEW = "view", _("Page views")
        DOWNLOAD = "download", _("Downloads")
        API = "api", _("API and query calls")
        PREVIEW = "preview", _("Table, chart and map views")

    day = models.DateField(_("day"), help_text=_("Day in the government's time zone."))
    kind = models.CharField(_("kind of use"), max_length=10, choices=Kind.choices, help_text=_("What was counted."))
    dataset = models.ForeignKey(
        Dataset, verbose_name=_("dataset"), on_delete=models.CASCADE, related_name="usage", help_text=_("Dataset.")
    )
    resource = models.ForeignKey(
        Resource,
        verbose_name=_("resource"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="usage",
        help_text=_("Resource, for downloads and queries."),
    )
    count = models.PositiveIntegerField(_("count"), default=0, help_text=_("Uses that day."))

    objects = scoped_manager(UsageQuerySet)

    class Meta:
        ordering = ["-day", "dataset_id"]
        verbose_name = _("daily usage")
        verbose_name_plural = _("daily usage")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["view", "download", "api", "preview"]), name="catalog_usage_kind"
            ),
            models.UniqueConstraint(
                fields=["government", "day", "kind", "dataset"],
                condition=Q(resource__isnull=True),
                name="catalog_usage_dataset_unique",
            ),
            models.UniqueConstraint(
                fields=["government", "day", "kind", "dataset", "resource"],
                condition=Q(resource__isnull=False),
                name="catalog_usage_resource_unique",
            ),
        ]
        indexes = [models.Index(fields=["government", "day"], name="catalog_usage_gov_day_idx")]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} {self.dataset_id} {self.count}"
