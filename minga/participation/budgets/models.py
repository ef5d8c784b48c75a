"""Participatory budgets of a process: the budgets per territory (the whole canton, a parish
or a neighbourhood), their projects, the votes (who voted, and apart from it what was voted),
the paper batches officials enter, the stored tally and the official overrides.

Who voted and what was voted are two tables that share nothing but the budget: a
``BudgetVoter`` row holds the keyed hash of the voter's cédula (``core.verification.keys``) and
the channel, a ``Ballot`` row (a random UUID key, no time, no person) holds the choices. "One
person, one vote per budget" is the unique constraint on (budget, voter hash), which online and
paper votes share; the limit on how many territories one person votes in is the unique
constraint on (process, voter hash, slot), the slot being the person's 1st, 2nd… budget."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from minga.core.tenancy.models import GovernmentOwned, scoped_manager

from ..processes.models import Process

RESERVED_SLUGS = frozenset({"proyectos", "resultados", "voto", "gestion"})


class BallotKind(models.TextChoices):
    APPROVAL = "approval", _("Approval: choose between a minimum and a maximum of projects")
    KNAPSACK = "knapsack", _("Knapsack: choose projects whose total cost fits in the budget")
    CUMULATIVE = "cumulative", _("Cumulative: share a number of points among projects")


class TallyMethod(models.TextChoices):
    EQUAL_SHARES = "equal_shares", _("Method of Equal Shares, with completion")
    GREEDY = "greedy", _("Greedy by votes")


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    PAPER = "paper", _("Paper")


class BudgetQuerySet(models.QuerySet):
    def public(self):
        return self.filter(process__is_published=True)


class Budget(GovernmentOwned):
    """The money of one territory in a participatory-budget process, and how it is voted and
    counted. The ballot and the counting rule are voting rules: fixed once voting opens."""

    process = models.ForeignKey(
        Process,
        verbose_name=_("process"),
        on_delete=models.CASCADE,
        related_name="budgets",
        help_text=_("The participatory process this budget belongs to."),
    )
    slug = models.SlugField(
        _("public identifier"), max_length=80, help_text=_("Identifier in the budget's address; unique in the process.")
    )
    title = models.CharField(_("title"), max_length=200, help_text=_("E.g. Parroquia Abdón Calderón."))
    description = models.TextField(_("description"), blank=True, help_text=_("What this budget is for (Markdown)."))
    territory_code = models.CharField(
        _("territory code"),
        max_length=30,
        blank=True,
        help_text=_("A parish or neighbourhood of the process; empty: the whole territory."),
    )
    territory_name = models.CharField(_("territory"), max_length=200, blank=True, help_text=_("Its name."))
    amount = models.PositiveBigIntegerField(
        _("amount (USD)"), help_text=_("The money to share among the winning projects, in whole dollars.")
    )
    ballot_kind = models.CharField(
        _("ballot"),
        max_length=20,
        choices=BallotKind.choices,
        default=BallotKind.APPROVAL,
        help_text=_("How people vote."),
    )
    min_projects = models.PositiveIntegerField(
        _("minimum projects"), default=1, help_text=_("Fewest projects a ballot must choose.")
    )
    max_projects = models.PositiveIntegerField(
        _("maximum projects"), null=True, blank=True, help_text=_("Most projects a ballot may choose; empty: no limit.")
    )
    total_points = models.PositiveIntegerField(
        _("points per voter"), null=True, blank=True, help_text=_("Cumulative ballots: the points each person shares.")
    )
    max_points = models.PositiveIntegerField(
        _("most points on one project"),
        null=True,
        blank=True,
        help_text=_("Cumulative ballots: the most points one project may get from one person; empty: no limit."),
    )
    method = models.CharField(
        _("counting rule"),
        max_length=20,
        choices=TallyMethod.choices,
        default=TallyMethod.EQUAL_SHARES,
        help_text=_("How the winners are found; published before voting opens."),
    )
    position = models.PositiveIntegerField(_("order"), default=1, help_text=_("Order among the process's budgets."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = scoped_manager(BudgetQuerySet)

    class Meta:
        ordering = ["position", "title"]
        verbose_name = _("participatory budget")
        verbose_name_plural = _("participatory budgets")
        constraints = [
            models.UniqueConstraint(fields=["process", "slug"], name="participation_budget_slug_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="participation_budget_amount_positive"),
            models.CheckConstraint(
                condition=Q(ballot_kind__in=["approval", "knapsack", "cumulative"]),
                name="participation_budget_ballot_valid",
            ),
            models.CheckConstraint(
                condition=Q(method__in=["equal_shares", "greedy"]), name="participation_budget_method_valid"
            ),
            models.CheckConstraint(
                condition=Q(max_projects__isnull=True) | Q(max_projects__gte=models.F("min_projects")),
                name="participation_budget_max_over_min",
            ),
            models.CheckConstraint(
                condition=~Q(ballot_kind="cumulative") | Q(total_points__gte=1),
                name="participation_budget_points_set",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = {}
        if self.slug in RESERVED_SLUGS:
            errors["slug"] = _("This identifier is reserved for a page of the portal; choose another.")
        if self.max_projects is not None and self.max_projects < self.min_projects:
            errors["max_projects"] = _("The maximum cannot be below the minimum.")
        if self.ballot_kind == BallotKind.CUMULATIVE and not self.total_points:
            errors["total_points"] = _("A cumulative ballot needs the points each person shares.")
        if self.ballot_kind != BallotKind.CUMULATIVE and (self.total_points or self.max_points):
            errors["total_points"] = _("Points are only for cumulative ballots.")
        if self.process_id is not None and self.process.government_id != self.government_id:
            errors["process"] = _("The process must belong to the same government.")
        if errors:
            raise ValidationError(errors)


class Project(GovernmentOwned):
    """A project on a budget's ballot, with its cost."""

    budget = models.ForeignKey(
        Budget,
        verbose_name=_("budget"),
        on_delete=models.CASCADE,
        related_name="projects",
        help_text=_("The budget (territory) it competes in."),
    )
    slug = models.SlugField(
        _("public identifier"),
        max_length=90,
        help_text=_("Identifier in the project's address and in links from other modules; unique in the government."),
    )
    title = models.CharField(_("title"), max_length=200, help_text=_("What is built or done."))
    description = models.TextField(_("description"), blank=True, help_text=_("What, where and for whom (Markdown)."))
    cost = models.PositiveBigIntegerField(_("cost (USD)"), help_text=_("Estimated cost in whole dollars."))
    position = models.PositiveIntegerField(_("order"), default=1, help_text=_("Order on the ballot."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = scoped_manager()

    class Meta:
        ordering = ["position", "title"]
        verbose_name = _("participatory-budget project")
        verbose_name_plural = _("participatory-budget projects")
        constraints = [
            models.UniqueConstraint(fields=["government", "slug"], name="participation_pbproject_slug_unique"),
            models.CheckConstraint(condition=Q(cost__gt=0), name="participation_pbproject_cost_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def tally_id(self) -> str:
        """The id ballots and the .pb file use."""
        return str(self.pk)


class ProjectLink(GovernmentOwned):
    """A project's link to another module's record (core registry kinds): the proposal it came
    from, the budget line that pays for it, the public work that builds it."""

    class Kind(models.TextChoices):
        PROPOSAL = "participation.proposal", _("Proposal")
        BUDGET_LINE = "budget.line", _("Budget line")
        WORK = "works.project", _("Public work")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="links", help_text=_("The project.")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, help_text=_("What the key points to."))
    key = models.CharField(_("key"), max_length=120, help_text=_("The other record's public key."))

    objects = scoped_manager()

    class Meta:
        ordering = ["kind", "key"]
        verbose_name = _("project link")
        verbose_name_plural = _("project links")
        constraints = [
            models.UniqueConstraint(fields=["project", "kind", "key"], name="participation_pblink_once"),
            models.CheckConstraint(
                condition=Q(kind__in=["participation.proposal", "budget.line", "works.project"]),
                name="participation_pblink_kind_valid",
            ),
        ]
        indexes = [models.Index(fields=["government", "kind", "key"], name="participation_pblink_key_idx")]


class PaperBatch(GovernmentOwned):
    """Paper ballots of one polling place, entered by an official. While in review the entries
    (each with the keyed hash of the voter's cédula) wait in ``entries``; confirming turns them
    into voters and ballots that cannot be joined, and empties ``entries``."""

    class Status(models.TextChoices):
        REVIEW = "review", _("Entered, waiting for review")
        CONFIRMED = "confirmed", _("Confirmed and counted")
        DISCARDED = "discarded", _("Discarded")

    budget = models.ForeignKey(
        Budget,
        verbose_name=_("budget"),
        on_delete=models.CASCADE,
        related_name="paper_batches",
        help_text=_("The budget these ballots vote in."),
    )
    place = models.CharField(_("polling place"), max_length=200, help_text=_("Where the ballots were cast."))
    voted_on = models.DateField(_("voting day"), help_text=_("The day the ballots were cast."))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.REVIEW,
        help_text=_("Where the batch stands."),
    )
    entries = models.JSONField(
        _("entries"),
        default=list,
        blank=True,
        help_text=_("While in review: [{line, voter, points}] (voter: keyed hash). Emptied when confirmed."),
    )
    ballot_count = models.PositiveIntegerField(_("ballots"), default=0, help_text=_("How many ballots it holds."))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        help_text=_("The official who typed the ballots."),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The official who reviewed and confirmed them."),
    )
    created_at = models.DateTimeField(_("entered"), help_text=_("When the batch was entered."))
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True, help_text=_("When it was confirmed."))

    objects = scoped_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("paper batch")
        verbose_name_plural = _("paper batches")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["review", "confirmed", "discarded"]), name="participation_batch_status_valid"
            ),
        ]


class BudgetVoter(GovernmentOwned):
    """Who voted in a budget (never what): the keyed hash of the cédula, the channel, and the
    slot (the person's 1st, 2nd… budget in the process)."""

    budget = models.ForeignKey(
        Budget, verbose_name=_("budget"), on_delete=models.CASCADE, related_name="voters", help_text=_("The budget.")
    )
    process = models.ForeignKey(
        Process, verbose_name=_("process"), on_delete=models.CASCADE, related_name="+", help_text=_("Its process.")
    )
    voter_hash = models.CharField(
        _("voter"), max_length=64, help_text=_("Keyed hash of the voter's cédula (never the number).")
    )
    slot = models.PositiveSmallIntegerField(_("slot"), help_text=_("The person's nth budget in the process."))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, help_text=_("Online or paper."))
    batch = models.ForeignKey(
        PaperBatch,
        verbose_name=_("paper batch"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="voters",
        help_text=_("For a paper ballot, its batch."),
    )
    voted_on = models.DateField(_("voting day"), help_text=_("The day of the vote (no time: it would order ballots)."))

    objects = scoped_manager()

    class Meta:
        verbose_name = _("voter")
        verbose_name_plural = _("voters")
        constraints = [
            models.UniqueConstraint(fields=["budget", "voter_hash"], name="participation_one_vote_per_budget"),
            models.UniqueConstraint(fields=["process", "voter_hash", "slot"], name="participation_voter_slot_unique"),
            models.CheckConstraint(condition=Q(slot__gte=1), name="participation_voter_slot_from_one"),
            models.CheckConstraint(
                condition=Q(channel="online", batch__isnull=True) | Q(channel="paper", batch__isnull=False),
                name="participation_voter_channel_batch",
            ),
        ]


class Ballot(GovernmentOwned):
    """What was voted (never who): a random key, the channel and the points per project id."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    budget = models.ForeignKey(
        Budget, verbose_name=_("budget"), on_delete=models.CASCADE, related_name="ballots", help_text=_("The budget.")
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, help_text=_("Online or paper."))
    points = models.JSONField(
        _("choices"), help_text=_("{project id: points}; 1 per project on approval and knapsack ballots.")
    )

    objects = scoped_manager()

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.CheckConstraint(condition=Q(channel__in=["online", "paper"]), name="participation_ballot_channel"),
        ]


class BudgetResult(GovernmentOwned):
    """The stored count of a budget: the engine's outcome with its explanations, the .pb file,
    the turnout; public once published."""

    budget = models.OneToOneField(
        Budget, verbose_name=_("budget"), on_delete=models.CASCADE, related_name="result", help_text=_("The budget.")
    )
    outcome = models.JSONField(_("outcome"), help_text=_("The tally engine's outcome (Outcome.to_dict())."))
    pabulib = models.TextField(_(".pb file"), help_text=_("The election in pabulib's format, to recompute it."))
    online_voters = models.PositiveIntegerField(_("online voters"), default=0, help_text=_("Ballots cast online."))
    paper_voters = models.PositiveIntegerField(_("paper voters"), default=0, help_text=_("Paper ballots counted."))
    computed_at = models.DateTimeField(_("counted"), help_text=_("When it was counted."))
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("counted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The official who ran the count."),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True, help_text=_("When it was published."))

    objects = scoped_manager()

    class Meta:
        verbose_name = _("budget result")
        verbose_name_plural = _("budget results")


class Override(GovernmentOwned):
    """An official's decision to include or exclude a project against the count, with the
    justification published beside the result."""

    class Action(models.TextChoices):
        INCLUDE = "include", _("Include (fund it although the count did not)")
        EXCLUDE = "exclude", _("Exclude (do not fund it although the count did)")

    budget = models.ForeignKey(
        Budget, verbose_name=_("budget"), on_delete=models.CASCADE, related_name="overrides", help_text=_("The budget.")
    )
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="+", help_text=_("The project.")
    )
    action = models.CharField(_("decision"), max_length=10, choices=Action.choices, help_text=_("Include or exclude."))
    justification = models.TextField(
        _("justification"), help_text=_("Why, published on the results page (at least a sentence).")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        help_text=_("The official."),
    )
    decided_at = models.DateTimeField(_("decided"), help_text=_("When."))

    objects = scoped_manager()

    class Meta:
        ordering = ["decided_at"]
        verbose_name = _("override")
        verbose_name_plural = _("overrides")
        constraints = [
            models.UniqueConstraint(fields=["budget", "project"], name="participation_override_once"),
            models.CheckConstraint(
                condition=Q(action__in=["include", "exclude"]), name="participation_override_action"
            ),
        ]
