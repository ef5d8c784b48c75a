"""Citizens' proposals in a participatory process, and the supports they gather.

A proposal belongs to a process and one of its territories; its author edits it until the
first support and may withdraw it. Supports are one per person and proposal (a database
constraint, by account and, when the person has a registered cédula, by identity). The counts
of supports and comments are kept on the row, so the public list sorts and filters 10,000
proposals with indexes and no per-row query."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from minga.core.tenancy.models import GovernmentOwned, scoped_manager

from ..processes.models import Process


class Status(models.TextChoices):
    PUBLISHED = "published", _("Published")
    EVALUATING = "evaluating", _("Under evaluation")
    FEASIBLE = "feasible", _("Feasible")
    NOT_FEASIBLE = "not_feasible", _("Not feasible")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    MERGED = "merged", _("Merged")


# Statuses in which a proposal still takes supports, and in which an official may evaluate it.
OPEN_STATUSES = (Status.PUBLISHED, Status.EVALUATING)
EVALUABLE_STATUSES = (Status.PUBLISHED, Status.EVALUATING, Status.FEASIBLE, Status.NOT_FEASIBLE)


class ProposalQuerySet(models.QuerySet):
    def visible(self):
        """What the public lists show: not hidden by moderation."""
        return self.filter(is_hidden=False)


class Proposal(GovernmentOwned):
    """A citizen's proposal: "Alumbrado en el malecón de San Jacinto"."""

    process = models.ForeignKey(
        Process,
        verbose_name=_("process"),
        on_delete=models.CASCADE,
        related_name="proposals",
        help_text=_("The participatory process the proposal was submitted to."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The person who submitted it (never published)."),
    )
    title = models.CharField(_("title"), max_length=150, help_text=_("What is proposed, in one line."))
    body = models.TextField(
        _("description"),
        max_length=6000,
        help_text=_(
            "What, where, why and for whom. Blank lines separate paragraphs; **bold** and lists with - are kept."
        ),
    )
    category = models.CharField(_("category"), max_length=80, help_text=_("One of the process's categories."))
    territory_code = models.CharField(
        _("territory code"), max_length=30, blank=True, help_text=_("Code of the parish or neighbourhood.")
    )
    territory_name = models.CharField(
        _("territory"),
        max_length=120,
        blank=True,
        help_text=_("Name of the parish or neighbourhood, as it was chosen."),
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True, help_text=_("WGS 84, optional.")
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True, help_text=_("WGS 84, optional.")
    )
    photo = models.ImageField(
        _("photo"),
        upload_to="participation/proposals/",
        blank=True,
        help_text=_("Optional picture; stored without metadata (no GPS position, no device)."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PUBLISHED, help_text=_("Where it stands.")
    )
    supports_count = models.PositiveIntegerField(_("supports"), default=0, help_text=_("Kept by the services."))
    comments_count = models.PositiveIntegerField(_("comments"), default=0, help_text=_("Kept by the services."))
    withdrawn_reason = models.TextField(
        _("reason for withdrawing"), blank=True, max_length=1000, help_text=_("Published with the proposal.")
    )
    withdrawn_at = models.DateTimeField(
        _("withdrawn"), null=True, blank=True, help_text=_("When the author withdrew it.")
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_from",
        help_text=_("The proposal this duplicate was merged into."),
    )
    merged_at = models.DateTimeField(_("merged"), null=True, blank=True, help_text=_("When it was merged."))
    is_hidden = models.BooleanField(
        _("hidden by moderation"), default=False, help_text=_("Hidden from the lists; its page shows the reason.")
    )
    hidden_reason = models.TextField(
        _("reason for hiding"), blank=True, max_length=1000, help_text=_("Published on the proposal's page.")
    )
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True, help_text=_("When it was hidden."))
    cost_estimate = models.DecimalField(
        _("cost estimate (USD)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The technical team's estimate, in dollars."),
    )
    evaluation_answer = models.TextField(
        _("evaluation answer"), blank=True, max_length=6000, help_text=_("The published reasons of the evaluation.")
    )
    evaluated_at = models.DateTimeField(_("evaluated"), null=True, blank=True, help_text=_("When it was evaluated."))
    created_at = models.DateTimeField(_("submitted"), help_text=_("When it was submitted."))
    updated_at = models.DateTimeField(_("updated"), auto_now=True, help_text=_("Last change."))

    objects = scoped_manager(ProposalQuerySet)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[value for value, _label in Status.choices]),
                name="participation_proposal_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(cost_estimate__isnull=True) | Q(cost_estimate__gte=0),
                name="participation_proposal_cost_positive",
            ),
        ]
        # The public list: one process, not hidden, in each sort order. Partial indexes of the
        # visible rows with the government in them, so a page and its count read the index only.
        indexes = [
            models.Index(
                fields=["process", "government", "-supports_count", "-created_at"],
                condition=Q(is_hidden=False),
                name="participation_prop_supp_idx",
            ),
            models.Index(
                fields=["process", "government", "-created_at"],
                condition=Q(is_hidden=False),
                name="participation_prop_new_idx",
            ),
            models.Index(
                fields=["process", "government", "-comments_count", "-created_at"],
                condition=Q(is_hidden=False),
                name="participation_prop_comm_idx",
            ),
            models.Index(
                fields=["process", "government", "status", "-supports_count"],
                condition=Q(is_hidden=False),
                name="participation_prop_status_idx",
            ),
            models.Index(
                fields=["process", "government", "category", "-supports_count"],
                condition=Q(is_hidden=False),
                name="participation_prop_cat_idx",
            ),
            models.Index(
                fields=["process", "government", "territory_code", "-supports_count"],
                condition=Q(is_hidden=False),
                name="participation_prop_terr_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES and not self.is_hidden

    @property
    def is_evaluated(self) -> bool:
        return self.status in (Status.FEASIBLE, Status.NOT_FEASIBLE)

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class Support(GovernmentOwned):
    """One person's support of one proposal."""

    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="supports",
        help_text=_("The supported proposal."),
    )
    process = models.ForeignKey(
        Process,
        verbose_name=_("process"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("The proposal's process (kept here to count a person's supports per process)."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Who supports it (never published)."),
    )
    identity_id = models.BigIntegerField(
        _("identity"),
        null=True,
        blank=True,
        help_text=_("The verified person behind the account, when the support needed a cédula or more."),
    )
    created_at = models.DateTimeField(_("supported"), help_text=_("When."))

    objects = scoped_manager()

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="participation_support_once_per_account"),
            models.UniqueConstraint(
                fields=["proposal", "identity_id"],
                condition=Q(identity_id__isnull=False),
                name="participation_support_once_per_person",
            ),
        ]
        indexes = [models.Index(fields=["process", "user"], name="participation_support_user_idx")]
