"""Public contracting from OCDS: the releases a government publishes, the compiled state of
each contracting process (indexed columns for search plus the compiled JSON), its buyers and
suppliers, the Ecuadorian procedure types and thresholds as data, and the import runs with
their validation reports. Every row belongs to one government."""

from __future__ import annotations

import os
import uuid
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from minga.core.tenancy.models import GovernmentOwned, scoped_manager


class ProcedureType(GovernmentOwned):
    """An Ecuadorian procedure (LOSNCP) as the government labels it, recognised in OCDS data
    by the words of `procurementMethodDetails` or by the process-code prefix of the OCID."""

    class Family(models.TextChoices):
        DYNAMIC = "dynamic", _("Dynamic (standard goods and services)")
        COMMON = "common", _("Common (goods, services and works)")
        CONSULTANCY = "consultancy", _("Consultancy")
        SPECIAL = "special", _("Special regime")
        OTHER = "other", _("Other")

    code = models.SlugField(_("code"), max_length=40, help_text=_("Stable identifier, e.g. infima-cuantia."))
    name = models.CharField(_("name"), max_length=120, help_text=_("Label shown to citizens, e.g. Ínfima cuantía."))
    family = models.CharField(
        _("family"), max_length=20, choices=Family.choices, default=Family.COMMON, help_text=_("Kind of procedure.")
    )
    match_terms = models.TextField(
        _("recognised as"),
        blank=True,
        help_text=_(
            "One per line: a text found in procurementMethodDetails (accents and case ignored), "
            "or an OCID process-code prefix written as prefix:SIE."
        ),
    )
    threshold_coefficient = models.DecimalField(
        _("upper threshold (coefficient of the PIE)"),
        max_digits=14,
        decimal_places=12,
        null=True,
        blank=True,
        help_text=_("Highest amount allowed, as a coefficient of the year's initial state budget (PIE); empty: none."),
    )
    is_infima = models.BooleanField(_("ínfima cuantía"), default=False, help_text=_("Used by the splitting red flag."))
    is_emergency = models.BooleanField(
        _("emergency"), default=False, help_text=_("Counts towards the share of emergency contracting.")
    )
    is_competitive = models.BooleanField(
        _("competitive"),
        default=True,
        help_text=_("Open to several bidders: the single-bid and short-period red flags apply."),
    )
    order = models.PositiveIntegerField(_("display order"), default=0, help_text=_("Lower numbers first."))

    objects = scoped_manager(models.QuerySet)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("procedure type")
        verbose_name_plural = _("procedure types")
        constraints = [
            models.UniqueConstraint(fields=["government", "code"], name="procurement_proceduretype_code_unique"),
            models.CheckConstraint(
                condition=Q(threshold_coefficient__isnull=True) | Q(threshold_coefficient__gt=0),
                name="procurement_proceduretype_threshold_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def terms(self) -> list[str]:
        return [line.strip() for line in self.match_terms.splitlines() if line.strip()]


class BudgetYear(GovernmentOwned):
    """The Presupuesto Inicial del Estado of one year: procedure thresholds are coefficients
    of it, recalculated every year."""

    year = models.PositiveIntegerField(_("year"), help_text=_("Fiscal year."))
    pie_amount = models.DecimalField(
        _("initial state budget (PIE)"),
        max_digits=20,
        decimal_places=2,
        help_text=_("Presupuesto Inicial del Estado in USD, as published for the year."),
    )

    objects = scoped_manager(models.QuerySet)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("PIE of a year")
        verbose_name_plural = _("PIE by year")
        constraints = [
            models.UniqueConstraint(fields=["government", "year"], name="procurement_budgetyear_unique"),
            models.CheckConstraint(condition=Q(pie_amount__gt=0), name="procurement_budgetyear_pie_positive"),
        ]

    def __str__(self) -> str:
        return str(self.year)


class Buyer(GovernmentOwned):
    identifier = models.CharField(
        _("identifier"), max_length=200, help_text=_("The organisation id in the OCDS data (EC-RUC-…).")
    )
    name = models.CharField(_("name"), max_length=400, help_text=_("Name of the buying entity."))

    objects = scoped_manager(models.QuerySet)

    class Meta:
        ordering = ["name"]
        verbose_name = _("buyer")
        verbose_name_plural = _("buyers")
        constraints = [models.UniqueConstraint(fields=["government", "identifier"], name="procurement_buyer_unique")]

    def __str__(self) -> str:
        return self.name


class Supplier(GovernmentOwned):
    identifier = models.CharField(
        _("identifier"), max_length=200, help_text=_("The organisation id in the OCDS data (EC-RUC-…).")
    )
    name = models.CharField(_("name"), max_length=400, help_text=_("Name of the supplier."))
    registered_on = models.DateField(
        _("registered on"),
        null=True,
        blank=True,
        help_text=_(
            "When the supplier was registered as a state supplier (RUP), from the parties' details of the "
            "published data; empty when the data does not say."
        ),
    )

    objects = scoped_manager(models.QuerySet)

    class Meta:
        ordering = ["name"]
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        constraints = [models.UniqueConstraint(fields=["government", "identifier"], name="procurement_supplier_unique")]

    def __str__(self) -> str:
        return self.name


def import_upload_to(instance, filename: str) -> str:
    """A random name under the module's private prefix: the uploader's name never reaches the storage."""
    extension = os.path.splitext(filename)[1].lower()[:10]
    if not extension[1:].isalnum():
        extension = ""
    return f"procurement/imports/{uuid.uuid4().hex}{extension}"


class ImportRun(GovernmentOwned):
    """One file given to the importer and what became of it. A file uploaded in the back office
    is stored and imported by a background job (queued, importing, then imported or rejected);
    it is imported whole or not at all, and invalid releases inside a readable file are listed
    and skipped."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be imported")
        RUNNING = "running", _("Importing")
        SUCCEEDED = "succeeded", _("Imported")
        FAILED = "failed", _("Rejected")

    filename = models.CharField(_("file name"), max_length=255, help_text=_("Name of the imported file."))
    sha256 = models.CharField(
        _("SHA-256"), max_length=64, blank=True, help_text=_("Digest of the file's bytes (once the job read it).")
    )
    upload = models.FileField(
        _("uploaded file"),
        upload_to=import_upload_to,
        blank=True,
        max_length=200,
        help_text=_("The file as uploaded, kept privately until its import ends."),
    )
    task_id = models.CharField(
        _("job"), max_length=64, blank=True, help_text=_("Id of the queued job that imports the file.")
    )
    started_at = models.DateTimeField(
        _("started at"), null=True, blank=True, help_text=_("When the job started importing the file.")
    )
    source_format = models.CharField(
        _("format"), max_length=40, blank=True, help_text=_("What the file turned out to hold.")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, help_text=_("Outcome."))
    created_by = models.ForeignKey(
        "core.User",
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The official who imported the file; empty for commands and the demo."),
    )
    created_at = models.DateTimeField(_("imported at"), help_text=_("When the file was given to the importer."))
    releases_read = models.PositiveIntegerField(_("releases read"), default=0, help_text=_("Releases in the file."))
    releases_added = models.PositiveIntegerField(_("releases added"), default=0, help_text=_("New releases stored."))
    releases_duplicate = models.PositiveIntegerField(
        _("releases already known"), default=0, help_text=_("Releases identical to ones already stored.")
    )
    releases_invalid = models.PositiveIntegerField(
        _("invalid releases"), default=0, help_text=_("Releases reported and skipped.")
    )
    processes_created = models.PositiveIntegerField(_("new processes"), default=0, help_text=_("New OCIDs."))
    processes_updated = models.PositiveIntegerField(
        _("updated processes"), default=0, help_text=_("Known OCIDs whose compiled record changed.")
    )
    problems = models.JSONField(
        _("problems"),
        default=list,
        blank=True,
        help_text=_("The report: [{where, ocid, release, message}], the first ones of the file."),
    )
    problem_count = models.PositiveIntegerField(
        _("problems found"), default=0, help_text=_("Every problem, including those beyond the stored report.")
    )
    seconds = models.FloatField(_("seconds"), default=0, help_text=_("How long the import took."))

    objects = scoped_manager(models.QuerySet)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "succeeded", "failed"]), name="procurement_import_status"
            )
        ]

    def __str__(self) -> str:
        return self.filename

    @property
    def is_waiting(self) -> bool:
        """Queued or importing: the outcome is not known yet."""
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class ProcessQuerySet(models.QuerySet):
    pass


class Process(GovernmentOwned):
    """The compiled state of one contracting process (one OCID): the columns search and red
    flags need, and the compiled release as published."""

    class Stage(models.TextChoices):
        PLANNING = "planning", _("Planning")
        TENDER = "tender", _("Tender")
        AWARD = "award", _("Awarded")
        CONTRACT = "contract", _("Contracted")
        IMPLEMENTATION = "implementation", _("In implementation")
        COMPLETE = "complete", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")
        UNSUCCESSFUL = "unsuccessful", _("Unsuccessful (deserted)")

    ocid = models.CharField(_("OCID"), max_length=200, help_text=_("Open Contracting ID of the process."))
    title = models.CharField(_("title"), max_length=1000, blank=True, help_text=_("tender.title"))
    description = models.TextField(_("description"), blank=True, help_text=_("tender.description"))
    buyer = models.ForeignKey(
        Buyer,
        verbose_name=_("buyer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="processes",
        help_text=_("The buying entity."),
    )
    procedure = models.ForeignKey(
        ProcedureType,
        verbose_name=_("procedure type"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="processes",
        help_text=_("Recognised from procurementMethodDetails; empty when unknown."),
    )
    method = models.CharField(_("method"), max_length=20, blank=True, help_text=_("tender.procurementMethod"))
    method_details = models.CharField(
        _("method details"), max_length=300, blank=True, help_text=_("tender.procurementMethodDetails as published.")
    )
    main_category = models.CharField(
        _("category"), max_length=20, blank=True, help_text=_("tender.mainProcurementCategory")
    )
    stage = models.CharField(
        _("status"), max_length=20, choices=Stage.choices, default=Stage.PLANNING, help_text=_("Furthest stage.")
    )
    year = models.PositiveIntegerField(_("year"), null=True, blank=True, help_text=_("Year of the process."))
    date = models.DateTimeField(_("last release"), null=True, blank=True, help_text=_("Date of the latest release."))
    tender_start = models.DateTimeField(_("tender opens"), null=True, blank=True, help_text=_("tenderPeriod.startDate"))
    tender_end = models.DateTimeField(_("tender closes"), null=True, blank=True, help_text=_("tenderPeriod.endDate"))
    award_date = models.DateTimeField(_("award date"), null=True, blank=True, help_text=_("First award date."))
    budget_amount = models.DecimalField(
        _("budget"), max_digits=18, decimal_places=2, null=True, blank=True, help_text=_("planning.budget.amount")
    )
    tender_amount = models.DecimalField(
        _("estimated value"), max_digits=18, decimal_places=2, null=True, blank=True, help_text=_("tender.value")
    )
    award_amount = models.DecimalField(
        _("awarded"), max_digits=18, decimal_places=2, null=True, blank=True, help_text=_("Sum of the awards.")
    )
    contract_amount = models.DecimalField(
        _("contracted"), max_digits=18, decimal_places=2, null=True, blank=True, help_text=_("Sum of the contracts.")
    )
    original_contract_amount = models.DecimalField(
        _("contracted at first"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Sum of the contracts as first published, before amendments."),
    )
    amount = models.DecimalField(
        _("amount"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Contracted, else awarded, else estimated: the figure lists sort and filter by."),
    )
    number_of_tenderers = models.PositiveIntegerField(
        _("bidders"), null=True, blank=True, help_text=_("Number of bidders, when published.")
    )
    supplier_names = models.TextField(_("suppliers"), blank=True, help_text=_("Names of the awarded suppliers."))
    search_text = models.TextField(_("indexed text"), blank=True, help_text=_("Normalised words for full text."))
    compiled = models.JSONField(_("compiled release"), default=dict, help_text=_("The OCDS compiled release."))
    release_count = models.PositiveIntegerField(_("releases"), default=0, help_text=_("Releases stored."))
    flags = models.JSONField(
        _("red flags"), default=dict, help_text=_("{code: {state, reason, values}} of every indicator.")
    )
    group_flags = models.JSONField(
        _("red flags across processes"),
        default=dict,
        help_text=_("The indicators that compare this process with others (splitting, shares)."),
    )
    flag_count = models.PositiveIntegerField(_("red flags raised"), default=0, help_text=_("Indicators that fired."))
    updated_at = models.DateTimeField(_("updated"), help_text=_("Last time the compiled record changed."))

    objects = scoped_manager(ProcessQuerySet)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("contracting process")
        verbose_name_plural = _("contracting processes")
        constraints = [
            models.UniqueConstraint(fields=["government", "ocid"], name="procurement_process_ocid_unique"),
            models.CheckConstraint(
                condition=Q(
                    stage__in=[
                        "planning",
                        "tender",
                        "award",
                        "contract",
                        "implementation",
                        "complete",
                        "cancelled",
                        "unsuccessful",
                    ]
                ),
                name="procurement_process_stage_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["government", "date"], name="procurement_proc_date"),
            models.Index(fields=["government", "amount"], name="procurement_proc_amount"),
            models.Index(fields=["government", "procedure", "date"], name="procurement_proc_procedure"),
            models.Index(fields=["government", "stage"], name="procurement_proc_stage"),
            models.Index(fields=["government", "buyer", "year"], name="procurement_proc_buyer"),
            models.Index(fields=["government", "year"], name="procurement_proc_year"),
            models.Index(fields=["government", "flag_count"], name="procurement_proc_flags"),
            # Covers the columns the search keeps in memory (procurement.columns), so reading
            # them skips the wide rows with their compiled releases.
            models.Index(
                fields=[
                    "government",
                    "id",
                    "date",
                    "award_date",
                    "amount",
                    "procedure",
                    "stage",
                    "year",
                    "buyer",
                    "flag_count",
                ],
                name="procurement_proc_columns",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.ocid

    @property
    def display_amount(self) -> Decimal | None:
        return self.amount


class ProcessSupplier(GovernmentOwned):
    """An awarded supplier of a process, with the amount awarded to it (supplier pages and
    the supplier filter read this table). It carries the process's government, so that it is
    scoped like the process and read per government by its own indexes."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="supplier_links")
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="process_links")
    year = models.PositiveIntegerField(null=True, blank=True)
    amount = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)

    objects = scoped_manager(models.QuerySet)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["process", "supplier"], name="procurement_procsupplier_unique")]
        indexes = [
            # The supplier filter and page (a supplier's processes, its totals by year).
            models.Index(fields=["government", "supplier", "year"], name="procurement_procsup_supplier"),
            # Everything the government awarded each year (each year's share on supplier pages).
            models.Index(fields=["government", "year"], name="procurement_procsup_year"),
        ]

    def __str__(self) -> str:
        return f"{self.process_id} → {self.supplier_id}"


class ProcessItem(GovernmentOwned):
    """The item classifications (CPC in SERCOP data) of a process, for the category filter."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(max_length=60)
    family = models.CharField(max_length=20, help_text="The code's first digits, its item family.")
    description = models.CharField(max_length=500, blank=True)

    objects = scoped_manager(models.QuerySet)

    class Meta:
        indexes = [
            # The category filter is a prefix of the code: on PostgreSQL only a pattern operator
            # class lets LIKE 'prefix%' use the index whatever the database's collation.
            models.Index(
                fields=["government", "code"], name="procurement_item_code", opclasses=["", "varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return self.code


class ProcessBudgetLine(GovernmentOwned):
    """A budget line ("<year>:<partida>") a process says it spends (planning.budget)."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="budget_lines")
    key = models.CharField(max_length=120)
    amount = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)

    objects = scoped_manager(models.QuerySet)

    class Meta:
        # The backlinks of a budget line: the government's processes that name it.
        indexes = [models.Index(fields=["government", "key"], name="procurement_budgetline_key")]

    def __str__(self) -> str:
        return self.key


class Release(GovernmentOwned):
    """One OCDS release as published: the timeline of its process is drawn from these, and the
    compiled record is recomputed from them when a new one arrives."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="releases")
    release_id = models.CharField(_("release id"), max_length=300, help_text=_("The release's id."))
    date = models.DateTimeField(_("date"), help_text=_("The release's date."))
    tags = models.CharField(_("tags"), max_length=300, blank=True, help_text=_("Release tags, space separated."))
    digest = models.CharField(_("digest"), max_length=64, help_text=_("SHA-256 of the canonical JSON."))
    data = models.JSONField(_("release"), help_text=_("The release as published."))
    import_run = models.ForeignKey(
        ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="releases", help_text=_("Source.")
    )

    objects = scoped_manager(models.QuerySet)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        constraints = [
            models.UniqueConstraint(fields=["process", "release_id"], name="procurement_release_unique"),
        ]

    def __str__(self) -> str:
        return self.release_id

    def tag_list(self) -> list[str]:
        return self.tags.split()
