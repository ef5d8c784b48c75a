"""Each attempt to load a tabular resource into the datastore."""

from __future__ import annotations

import os
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from minga.core.tenancy.models import GovernmentOwned, scoped_manager

from ..datasets.models import Resource

TABULAR_FORMATS = ("CSV", "XLSX")


def snapshot_upload_to(instance, filename: str) -> str:
    extension = os.path.splitext(filename)[1].lower()[:10]
    if not extension[1:].isalnum():
        extension = ""
    return f"catalog/versions/{uuid.uuid4().hex}{extension}"


class ResourceLoadQuerySet(models.QuerySet):
    pass


class ResourceLoad(GovernmentOwned):
    """One attempt to load a tabular resource into the datastore, and what came of it. The
    datastore keeps the previous version live when an attempt fails."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be loaded")
        RUNNING = "running", _("Loading")
        SUCCEEDED = "succeeded", _("Loaded")
        FAILED = "failed", _("Could not be loaded")

    class Trigger(models.TextChoices):
        UPLOAD = "upload", _("File uploaded")
        MANUAL = "manual", _("Loaded again by an official")
        SCHEDULE = "schedule", _("Scheduled refresh")

    resource = models.ForeignKey(
        Resource, verbose_name=_("resource"), on_delete=models.CASCADE, related_name="loads", help_text=_("Resource.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, help_text=_("Where the load stands.")
    )
    version = models.PositiveIntegerField(
        _("table version"), null=True, blank=True, help_text=_("Version of the table this load created.")
    )
    row_count = models.PositiveBigIntegerField(_("rows"), null=True, blank=True, help_text=_("Rows loaded."))
    report = models.JSONField(
        _("report"), default=dict, blank=True, help_text=_("What the loader found: file details, errors and notes.")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Official who uploaded the file or asked to load it again."),
    )
    trigger = models.CharField(
        _("trigger"),
        max_length=10,
        choices=Trigger.choices,
        default=Trigger.UPLOAD,
        help_text=_("What started this load."),
    )
    source_file = models.FileField(
        _("data as loaded"),
        upload_to=snapshot_upload_to,
        blank=True,
        max_length=200,
        help_text=_("A copy of the data this version was loaded from, offered as an earlier version."),
    )
    source_size = models.PositiveBigIntegerField(_("size"), null=True, blank=True, help_text=_("Size in bytes."))
    source_sha256 = models.CharField(_("SHA-256 checksum"), max_length=64, blank=True, help_text=_("Of the data."))
    changes = models.JSONField(
        _("changes"),
        default=dict,
        blank=True,
        help_text=_("Against the previous version: rows added, removed and changed; columns added and removed."),
    )
    created_at = models.DateTimeField(_("requested"), help_text=_("When the load was requested."))
    started_at = models.DateTimeField(_("started"), null=True, blank=True, help_text=_("When loading started."))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True, help_text=_("When loading ended."))

    objects = scoped_manager(ResourceLoadQuerySet)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("resource load")
        verbose_name_plural = _("resource loads")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "succeeded", "failed"]), name="catalog_load_status"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} {self.status}"

    @property
    def succeeded(self) -> bool:
        return self.status == self.Status.SUCCEEDED

    @property
    def failed(self) -> bool:
        return self.status == self.Status.FAILED
