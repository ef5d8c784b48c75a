"""Budget execution: budget years, their monthly cut-offs, the budget lines (partidas) of the
Ecuadorian budget classifier and, per line and cut-off, the amounts at each stage (asignado …
pagado). Balances and rates are derived from the stored stages, never typed in. Imports of the
cédula presupuestaria wait in `BudgetImport` until an official publishes them.

Every row belongs to one government and is only reachable inside that government's scope."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from minga.core.tenancy.models import GovernmentOwned, scoped_manager

AMOUNT = {"max_digits": 18, "decimal_places": 2}
HUNDRED = Decimal(100)


class Direction(models.TextChoices):
    INCOME = "income", _("Income")
    EXPENSE = "expense", _("Expense")
    FINANCING = "financing", _("Financing")


class Side(models.TextChoices):
    """Which cédula a nature belongs to: the income report (natures 1, 2, 3) or the expense
    report (5 to 9); financing appears on both sides."""

    INCOME = "income", _("Income cédula")
    EXPENSE = "expense", _("Expense cédula")


class ClassifierEntry(GovernmentOwned):
    """A name of the budget classifier (MEF): a nature (1 digit), grupo (2), subgrupo (4) or
    ítem (6). Kept as data so each government can carry the names its files use."""

    class Level(models.IntegerChoices):
        NATURE = 1, _("Nature")
        GROUP = 2, _("Group")
        SUBGROUP = 4, _("Subgroup")
        ITEM = 6, _("Item")

    code = models.CharField(_("code"), max_length=6, help_text=_("Digits only: 7, 73, 7308, 730811."))
    level = models.PositiveSmallIntegerField(
        _("level"), choices=Level.choices, help_text=_("Depth in the classifier, given by the number of digits.")
    )
    name = models.CharField(
        _("name"), max_length=250, help_text=_("Official name, e.g. Bienes y servicios para inversión.")
    )
    direction = models.CharField(
        _("direction"),
        max_length=10,
        choices=Direction.choices,
        blank=True,
        help_text=_("Natures only: whether the lines under it are income, expense or financing."),
    )
    side = models.CharField(
        _("cédula"),
        max_length=10,
        choices=Side.choices,
        blank=True,
        help_text=_("Natures only: the cédula (income or expense) where its lines are reported."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True, help_text=_("Last change."))

    objects = scoped_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("classifier entry")
        verbose_name_plural = _("classifier entries")
        constraints = [
            models.UniqueConstraint(fields=["government", "code"], name="budget_classifier_code_unique"),
            models.CheckConstraint(condition=Q(level__in=[1, 2, 4, 6]), name="budget_classifier_level_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class BudgetYear(GovernmentOwned):
    """A fiscal year (January to December) of the government's budget."""

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1990), MaxValueValidator(2200)], help_text=_("Fiscal year.")
    )
    notes = models.TextField(
        _("notes"), blank=True, help_text=_("Shown to citizens on the year's pages: approvals, reforms, caveats.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("budget year")
        verbose_name_plural = _("budget years")
        constraints = [models.UniqueConstraint(fields=["government", "year"], name="budget_year_unique")]

    def __str__(self) -> str:
        return str(self.year)


class CutOffQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)


class CutOff(GovernmentOwned):
    """The state of the budget at the end of one month (cumulative since January)."""

    budget_year = models.ForeignKey(
        BudgetYear,
        verbose_name=_("budget year"),
        on_delete=models.CASCADE,
        related_name="cutoffs",
        help_text=_("Year the cut-off belongs to."),
    )
    month = models.PositiveSmallIntegerField(
        _("month"),
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("Month whose last day is the cut-off date (figures are cumulative since January)."),
    )
    published_at = models.DateTimeField(
        _("published"), null=True, blank=True, help_text=_("When the cut-off went live; empty while it is not public.")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True, help_text=_("Last change."))

    objects = scoped_manager(CutOffQuerySet)

    class Meta:
        ordering = ["budget_year__year", "month"]
        verbose_name = _("cut-off")
        verbose_name_plural = _("cut-offs")
        constraints = [
            models.UniqueConstraint(fields=["budget_year", "month"], name="budget_cutoff_month_unique"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="budget_cutoff_month_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.budget_year.year}-{self.month:02d}"

    @property
    def key(self) -> str:
        """The cut-off as addresses and the API name it: YYYY-MM."""
        return f"{self.budget_year.year}-{self.month:02d}"

    @property
    def label(self) -> str:
        """The cut-off as people read it: "noviembre de 2026" (the month, in the active language)."""
        return date_format(dt.date(self.budget_year.year, self.month, 1), "YEAR_MONTH_FORMAT")

    @property
    def month_name(self) -> str:
        """The month alone ("noviembre"), where the year is already said."""
        return date_format(dt.date(self.budget_year.year, self.month, 1), "F")


class BudgetLine(GovernmentOwned):
    """A partida of one year: its full code as in the cédula and its classification. Amounts
    live in `LineExecution`, one row per published cut-off."""

    budget_year = models.ForeignKey(
        BudgetYear,
        verbose_name=_("budget year"),
        on_delete=models.CASCADE,
        related_name="lines",
        help_text=_("Year of the line."),
    )
    partida = models.CharField(
        _("partida"),
        max_length=80,
        help_text=_("Full code of the line as the cédula prints it (programme, item, funding source…)."),
    )
    description = models.CharField(_("description"), max_length=300, help_text=_("Name of the line in the cédula."))
    direction = models.CharField(
        _("direction"),
        max_length=10,
        choices=Direction.choices,
        help_text=_("Income, expense or financing, from the first digit of the classifier item."),
    )
    item_code = models.CharField(_("classifier item"), max_length=6, help_text=_("The six-digit ítem, e.g. 730811."))
    nature_code = models.CharField(_("nature"), max_length=1, help_text=_("First digit of the item."))
    group_code = models.CharField(_("group"), max_length=2, help_text=_("First two digits of the item."))
    subgroup_code = models.CharField(_("subgroup"), max_length=4, help_text=_("First four digits of the item."))
    programme_code = models.CharField(
        _("programme code"), max_length=40, blank=True, help_text=_("Programme of the line.")
    )
    programme_name = models.CharField(_("programme"), max_length=250, blank=True, help_text=_("Name of the programme."))
    project_code = models.CharField(
        _("project code"), max_length=40, blank=True, help_text=_("Project or activity code.")
    )
    project_name = models.CharField(_("project"), max_length=250, blank=True, help_text=_("Name of the project."))
    unit_name = models.CharField(
        _("executing unit"), max_length=250, blank=True, help_text=_("Unit (unidad ejecutora) that spends the line.")
    )
    funding_code = models.CharField(
        _("funding source code"), max_length=20, blank=True, help_text=_("Fuente de financiamiento.")
    )
    funding_name = models.CharField(
        _("funding source"), max_length=250, blank=True, help_text=_("Name of the funding source.")
    )
    dpa_code = models.CharField(
        _("DPA code"),
        max_length=6,
        blank=True,
        help_text=_("INEC code of the province, canton or parish, where known."),
    )
    location_name = models.CharField(
        _("location"), max_length=200, blank=True, help_text=_("Name of the territory of the DPA code.")
    )

    objects = scoped_manager()

    class Meta:
        ordering = ["partida"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.UniqueConstraint(fields=["budget_year", "partida"], name="budget_line_partida_unique"),
            models.CheckConstraint(
                condition=Q(direction__in=["income", "expense", "financing"]), name="budget_line_direction_valid"
            ),
        ]
        indexes = [models.Index(fields=["budget_year", "group_code"], name="budget_line_group_idx")]

    def __str__(self) -> str:
        return f"{self.partida} {self.description}"

    @property
    def key(self) -> str:
        """Key of the line for links between modules: "<year>:<partida>"."""
        return f"{self.budget_year.year}:{self.partida}"


class Stages:
    """Derived figures of a set of amounts (one line or a sum of lines). Income lines have no
    certification or commitment stage: those stay None."""

    FIELDS = ("asignado", "reformas", "codificado", "certificado", "comprometido", "devengado", "pagado")

    def __init__(self, **amounts):
        for name in self.FIELDS:
            value = amounts.get(name)
            setattr(self, name, None if value is None else Decimal(value))

    @staticmethod
    def rate_of(part, whole):
        if part is None or not whole:
            return None
        return (part * HUNDRED / whole).quantize(Decimal("0.01"))

    @property
    def saldo_por_comprometer(self):
        return None if self.comprometido is None or self.codificado is None else self.codificado - self.comprometido

    @property
    def saldo_por_devengar(self):
        return None if self.devengado is None or self.codificado is None else self.codificado - self.devengado

    @property
    def saldo_por_pagar(self):
        return None if self.pagado is None or self.devengado is None else self.devengado - self.pagado

    @property
    def execution_rate(self):
        """% ejecución: devengado / codificado × 100."""
        return self.rate_of(self.devengado, self.codificado)

    @property
    def commitment_rate(self):
        """comprometido / codificado × 100."""
        return self.rate_of(self.comprometido, self.codificado)

    @property
    def payment_rate(self):
        """pagado / devengado × 100."""
        return self.rate_of(self.pagado, self.devengado)

    def as_dict(self) -> dict:
        values = {name: getattr(self, name) for name in self.FIELDS}
        values.update(
            saldo_por_comprometer=self.saldo_por_comprometer,
            saldo_por_devengar=self.saldo_por_devengar,
            saldo_por_pagar=self.saldo_por_pagar,
            execution_rate=self.execution_rate,
            commitment_rate=self.commitment_rate,
            payment_rate=self.payment_rate,
        )
        return values


class LineExecution(GovernmentOwned):
    """The amounts of one line at one cut-off (cumulative since January)."""

    line = models.ForeignKey(
        BudgetLine,
        verbose_name=_("line"),
        on_delete=models.CASCADE,
        related_name="executions",
        help_text=_("Budget line."),
    )
    cutoff = models.ForeignKey(
        CutOff, verbose_name=_("cut-off"), on_delete=models.CASCADE, related_name="executions", help_text=_("Cut-off.")
    )
    asignado = models.DecimalField(_("asignado"), **AMOUNT, help_text=_("Initial budget approved by the council."))
    reformas = models.DecimalField(
        _("reformas"), **AMOUNT, help_text=_("Sum of transfers, supplements and reductions.")
    )
    codificado = models.DecimalField(_("codificado"), **AMOUNT, help_text=_("Current budget: asignado + reformas."))
    certificado = models.DecimalField(
        _("certificado"), **AMOUNT, null=True, blank=True, help_text=_("Reserved by budget certifications (expenses).")
    )
    comprometido = models.DecimalField(
        _("comprometido"),
        **AMOUNT,
        null=True,
        blank=True,
        help_text=_("Committed by signed contracts or orders (expenses)."),
    )
    devengado = models.DecimalField(
        _("devengado"), **AMOUNT, help_text=_("Accrued: goods, services or works received.")
    )
    pagado = models.DecimalField(_("pagado"), **AMOUNT, help_text=_("Paid (expenses) or collected (income)."))

    objects = scoped_manager()

    class Meta:
        ordering = ["line__partida"]
        verbose_name = _("line execution")
        verbose_name_plural = _("line executions")
        constraints = [
            # codificado = asignado + reformas is checked on import, not here: SQLite compares
            # decimals as floating point, where 0.1 + 0.2 is not 0.3.
            models.UniqueConstraint(fields=["line", "cutoff"], name="budget_execution_unique"),
        ]
        indexes = [models.Index(fields=["cutoff", "line"], name="budget_exec_cutoff_idx")]

    def __str__(self) -> str:
        return f"{self.line_id} @ {self.cutoff_id}"

    @property
    def stages(self) -> Stages:
        return Stages(**{name: getattr(self, name) for name in Stages.FIELDS})


class ColumnMapping(GovernmentOwned):
    """Which header of the government's cédula files holds each field, saved from a preview
    and reused by the next imports."""

    mapping = models.JSONField(
        _("mapping"),
        default=dict,
        blank=True,
        help_text=_("Field name → header of the file, e.g. devengado → “Devengado (f)”."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True, help_text=_("Last change."))

    objects = scoped_manager()

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        constraints = [models.UniqueConstraint(fields=["government"], name="budget_mapping_one_per_government")]

    def __str__(self) -> str:
        return f"mapping {self.government_id}"


def import_upload_to(instance, filename: str) -> str:
    """A random name under the module's private prefix: the uploader's name never reaches the storage."""
    extension = os.path.splitext(filename)[1].lower()[:10]
    if not extension[1:].isalnum():
        extension = ""
    return f"budget/imports/{uuid.uuid4().hex}{extension}"


class BudgetImport(GovernmentOwned):
    """An uploaded cédula waiting to be published: the table as read, the mapping applied and
    the report of every problem found. Nothing of it is public until it is published. A file
    uploaded in the back office is read by a background job (``reading``), and published by
    another (``publishing``)."""

    class Status(models.TextChoices):
        READING = "reading", _("Being read and checked")
        PUBLISHING = "publishing", _("Being published")
        READY = "ready", _("Ready to publish")
        REJECTED = "rejected", _("Has errors")
        PUBLISHED = "published", _("Published")
        DISCARDED = "discarded", _("Discarded")

    class Scope(models.TextChoices):
        INCOME = "income", _("Income cédula")
        EXPENSE = "expense", _("Expense cédula")
        BOTH = "both", _("Income and expense in one file")

    year = models.PositiveSmallIntegerField(
        _("year"),
        validators=[MinValueValidator(1990), MaxValueValidator(2200)],
        help_text=_("Fiscal year of the file."),
    )
    month = models.PositiveSmallIntegerField(
        _("cut-off month"),
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("The file shows the budget at the end of this month."),
    )
    scope = models.CharField(
        _("contents"),
        max_length=10,
        choices=Scope.choices,
        default=Scope.EXPENSE,
        help_text=_("Which cédula the file is: its lines replace those of the same side at the cut-off."),
    )
    filename = models.CharField(_("file name"), max_length=250, help_text=_("Name of the uploaded file."))
    sha256 = models.CharField(
        _("SHA-256"), max_length=64, blank=True, help_text=_("Checksum of the uploaded file (once it was read).")
    )
    file = models.FileField(
        _("uploaded file"),
        upload_to=import_upload_to,
        blank=True,
        max_length=200,
        help_text=_("The file as uploaded, kept privately until it is read."),
    )
    task_id = models.CharField(
        _("job"), max_length=64, blank=True, help_text=_("Id of the last background job queued for this import.")
    )
    job_queued_at = models.DateTimeField(
        _("job queued"), null=True, blank=True, help_text=_("When the last background job was queued.")
    )
    job_started_at = models.DateTimeField(
        _("job started"),
        null=True,
        blank=True,
        help_text=_("When the last background job started; empty while it waits."),
    )
    headers = models.JSONField(
        _("headers"), default=list, blank=True, help_text=_("Column headers as read from the file.")
    )
    raw_rows = models.JSONField(
        _("rows"), default=list, blank=True, help_text=_("Cells as read from the file, as text.")
    )
    mapping = models.JSONField(
        _("mapping"), default=dict, blank=True, help_text=_("Field name → header used for this import.")
    )
    report = models.JSONField(
        _("report"), default=dict, blank=True, help_text=_("Problems found and totals, per row and column.")
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.REJECTED,
        help_text=_("Where the import stands."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Official who uploaded the file."),
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, help_text=_("When it was published."))

    objects = scoped_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("budget import")
        verbose_name_plural = _("budget imports")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["reading", "publishing", "ready", "rejected", "published", "discarded"]),
                name="budget_import_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(scope__in=["income", "expense", "both"]), name="budget_import_scope_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.year}-{self.month:02d})"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.READY, self.Status.REJECTED)

    @property
    def is_busy(self) -> bool:
        """A background job is reading or publishing it."""
        return self.status in (self.Status.READING, self.Status.PUBLISHING)
