"""Results of a participatory process (Decidim's accountability): a tree of results and
sub-results (at most three levels), each with a status from the government's list, a progress
percentage, dates, the unit responsible, timeline entries and links to other records
(proposals, projects, agreements, budget lines, contracting processes, works) by kind and key
through core's registry. A parent's progress is the weighted average of its children's unless
an official set it by hand."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from minga.core.tenancy.models import GovernmentOwned, scoped_manager

MAX_DEPTH = 3  # result, sub-result, sub-sub-result


class ResultQuerySet(models.QuerySet):
    def public(self):
        """Published results of published processes."""
        return self.filter(is_published=True, process__is_published=True)


class Result(GovernmentOwned):
    process = models.ForeignKey(
        "participation.Process", verbose_name=_("process"), on_delete=models.CASCADE, related_name="results"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent result"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("Empty for a result of the first level."),
    )
    position = models.PositiveIntegerField(_("position"), default=1, help_text=_("Order among its siblings."))
    reference = models.CharField(
        _("reference"),
        max_length=60,
        blank=True,
        help_text=_("Optional code of the result, unique in the process; the CSV import matches rows by it."),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("Blank lines separate paragraphs; **bold**, lists with - and links [text](https://…) are kept."),
    )
    status = models.CharField(_("status"), max_length=40, blank=True)
    progress = models.DecimalField(
        _("progress (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    progress_by_hand = models.BooleanField(
        _("progress set by hand"),
        default=False,
        help_text=_(
            "For a result with sub-results: keep the progress typed instead of the average of its sub-results."
        ),
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=7,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(0)],
        help_text=_("How much this result counts in its parent's progress (1 by default)."),
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    unit_key = models.CharField(_("responsible unit (key)"), max_length=100, blank=True)
    unit_name = models.CharField(_("responsible unit"), max_length=200, blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = scoped_manager(ResultQuerySet)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("result")
        verbose_name_plural = _("results")
        constraints = [
            models.UniqueConstraint(
                fields=["process", "reference"],
                condition=~Q(reference=""),
                name="participation_result_reference_unique",
            ),
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100), name="participation_result_progress_range"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="participation_result_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["government", "process", "parent"], name="participation_result_tree_idx")]

    def __str__(self) -> str:
        return self.title


class TimelineEntry(GovernmentOwned):
    """One dated step of a result's history: "Contrato firmado", "Obra entregada"."""

    result = models.ForeignKey(Result, verbose_name=_("result"), on_delete=models.CASCADE, related_name="timeline")
    date = models.DateField(_("date"))
    text = models.TextField(_("text"), max_length=2000)
    progress = models.DecimalField(
        _("progress (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Optional: the result's progress on that date; the latest entry's becomes the result's."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")


class ResultLink(GovernmentOwned):
    """A result points to a record of some module by kind and key (core registry links)."""

    result = models.ForeignKey(Result, verbose_name=_("result"), on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(_("kind"), max_length=60)
    key = models.CharField(_("key"), max_length=200)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        ordering = ["kind", "key"]
        verbose_name = _("result link")
        verbose_name_plural = _("result links")
        constraints = [
            models.UniqueConstraint(fields=["result", "kind", "key"], name="participation_result_link_unique"),
        ]
        indexes = [models.Index(fields=["government", "kind", "key"], name="participation_result_link_idx")]
