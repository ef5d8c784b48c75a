"""The citizens' side of the catalog: data requests and their supports (follows are core's:
requests/follows.py)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from minga.core.tenancy.models import GovernmentOwned, scoped_manager

from ..datasets.models import Dataset


class DataRequestQuerySet(models.QuerySet):
    def public(self):
        return self.all()

    def open(self):
        return self.filter(status=DataRequest.Status.OPEN)


class DataRequest(GovernmentOwned):
    """A citizen asks for data the government does not publish yet."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ANSWERED = "answered", _("Answered")
        FULFILLED = "fulfilled", _("Fulfilled")
        REJECTED = "rejected", _("Rejected")

    title = models.CharField(_("title"), max_length=200, help_text=_("What data you need, in a few words."))
    description = models.TextField(
        _("description"), help_text=_("What the data would show and what you would use it for.")
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Person who asked (their name is not shown publicly)."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.OPEN,
        help_text=_("Where the request stands."),
    )
    answer = models.TextField(_("answer"), blank=True, help_text=_("The government's public answer."))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True, help_text=_("When it was answered."))
    fulfilled_by = models.ForeignKey(
        Dataset,
        verbose_name=_("fulfilled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fulfilled_requests",
        help_text=_("The dataset that answers the request."),
    )
    support_count = models.PositiveIntegerField(
        _("supports"), default=0, editable=False, help_text=_("How many people support the request.")
    )
    created_at = models.DateTimeField(_("created"), help_text=_("When it was asked."))
    updated_at = models.DateTimeField(_("updated"), auto_now=True, help_text=_("Last change."))

    objects = scoped_manager(DataRequestQuerySet)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("data request")
        verbose_name_plural = _("data requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "answered", "fulfilled", "rejected"]), name="catalog_request_status"
            ),
            models.CheckConstraint(
                condition=~Q(status="fulfilled") | Q(fulfilled_by__isnull=False), name="catalog_request_fulfilled_by"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def clean(self) -> None:
        errors = {}
        if self.fulfilled_by_id is not None and self.fulfilled_by.government_id != self.government_id:
            errors["fulfilled_by"] = _("Choose a dataset of this government.")
        if self.status == self.Status.FULFILLED and self.fulfilled_by_id is None:
            errors["fulfilled_by"] = _("Choose the dataset that fulfils the request.")
        if errors:
            raise ValidationError(errors)


class DataRequestSupportQuerySet(models.QuerySet):
    pass


class DataRequestSupport(GovernmentOwned):
    """One person supports one request, once (a database constraint)."""

    request = models.ForeignKey(
        DataRequest,
        verbose_name=_("request"),
        on_delete=models.CASCADE,
        related_name="supports",
        help_text=_("Request."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Who supports it."),
    )
    created_at = models.DateTimeField(_("created"), help_text=_("When."))

    objects = scoped_manager(DataRequestSupportQuerySet)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [models.UniqueConstraint(fields=["request", "user"], name="catalog_support_once")]
