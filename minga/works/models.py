"""Public works and investment projects, with fields aligned with OC4IDS (the Open Contracting
for Infrastructure Data Standard): what is built, where, by whom, with how much money and how
far along it is. Progress is a dated timeline; citizens comment and send observations that
officials answer in public, in core's comment threads (`works/comments.py` declares the
project as a comment target; a citizen's photos hang from their observation). Every row
belongs to one government and is only reachable inside that government's scope."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from minga.core.comments.models import Comment
from minga.core.tenancy.models import GovernmentOwned, scoped_manager

PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]
# Addresses under /obras/ that a project slug must not take.
RESERVED_SLUGS = ("planificacion", "gestion")


class Sector(models.TextChoices):
    # Local names for the OC4IDS projectSector codelist (transport, water, education…).
    ROADS = "roads", _("Roads and bridges")
    WATER = "water", _("Drinking water and sanitation")
    IRRIGATION = "irrigation", _("Irrigation and drainage")
    EDUCATION = "education", _("Education")
    HEALTH = "health", _("Health")
    PUBLIC_SPACE = "public_space", _("Public space and urban renewal")
    ENVIRONMENT = "environment", _("Environment and risk management")
    PRODUCTION = "production", _("Productive development")
    SOCIAL = "social", _("Social and community facilities")
    OTHER = "other", pgettext_lazy("sector of a work", "Other")


class Status(models.TextChoices):
    # The OC4IDS projectStatus codelist, plus "suspended", which Ecuadorian works often are.
    # With a context: "Cancelled" and "Completed" of other modules are masculine in Spanish.
    IDENTIFICATION = "identification", pgettext_lazy("status of a work", "Identification")
    PREPARATION = "preparation", pgettext_lazy("status of a work", "Preparation (design and contracting)")
    IMPLEMENTATION = "implementation", pgettext_lazy("status of a work", "Under construction")
    SUSPENDED = "suspended", pgettext_lazy("status of a work", "Suspended")
    COMPLETED = "completed", pgettext_lazy("status of a work", "Completed")
    CANCELLED = "cancelled", pgettext_lazy("status of a work", "Cancelled")


# Statuses in which a project is expected to report progress regularly.
ACTIVE_STATUSES = (Status.IMPLEMENTATION, Status.SUSPENDED)


class ProjectQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Project(GovernmentOwned):
    """A public work or investment project (OC4IDS "project")."""

    class GeometryType(models.TextChoices):
        POINT = "point", _("Point")
        LINE = "line", _("Line")
        AREA = "area", _("Area")

    slug = models.SlugField(
        _("public identifier"),
        max_length=90,
        help_text=_("Stable identifier used in the project's address and in links from budget and contracting."),
    )
    code = models.CharField(
        _("project code"),
        max_length=60,
        blank=True,
        help_text=_("Code in the planning or public-investment system (e.g. the CUP), if it has one."),
    )
    title = models.CharField(_("title"), max_length=250, help_text=_("What is being built, and where, in plain words."))
    description = models.TextField(_("description"), blank=True, help_text=_("Purpose, scope and main works."))
    sector = models.CharField(
        _("sector"), max_length=20, choices=Sector.choices, default=Sector.OTHER, help_text=_("Sector of the work.")
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.PREPARATION,
        help_text=_("Stage of the project cycle."),
    )
    pdot_objectives = models.JSONField(
        _("PDOT objectives"),
        default=list,
        blank=True,
        help_text=_("Strategic objectives of the development and land-use plan (PDOT) the project serves."),
    )
    sdg_targets = models.JSONField(
        _("SDG targets"), default=list, blank=True, help_text=_("Sustainable Development Goal targets, e.g. 6.1.")
    )
    area_of_interest = models.CharField(
        _("area of interest"),
        max_length=120,
        blank=True,
        help_text=_("Planning area the project belongs to (a watershed, a corridor, a zone of the PDOT)."),
    )
    responsible_unit = models.CharField(
        _("responsible unit"),
        max_length=200,
        blank=True,
        help_text=_("Unit of the government in charge of the project (its name or its identifier)."),
    )
    contractor = models.CharField(
        _("contractor"), max_length=250, blank=True, help_text=_("Company or person building it.")
    )
    # Location: a GeoJSON geometry in WGS 84 with its bounding box in columns, so that maps and
    # bbox queries work on SQLite and PostgreSQL alike without spatial extensions.
    geometry = models.JSONField(
        _("location"), null=True, blank=True, help_text=_("GeoJSON geometry in WGS 84: a point, a line or an area.")
    )
    geometry_type = models.CharField(
        _("kind of location"),
        max_length=10,
        choices=GeometryType.choices,
        blank=True,
        help_text=_("Point, line or area."),
    )
    min_lon = models.FloatField(_("west"), null=True, blank=True, help_text=_("Bounding box: smallest longitude."))
    min_lat = models.FloatField(_("south"), null=True, blank=True, help_text=_("Bounding box: smallest latitude."))
    max_lon = models.FloatField(_("east"), null=True, blank=True, help_text=_("Bounding box: largest longitude."))
    max_lat = models.FloatField(_("north"), null=True, blank=True, help_text=_("Bounding box: largest latitude."))
    dpa_code = models.CharField(
        _("DPA code"),
        max_length=6,
        blank=True,
        help_text=_("INEC code of the province, canton or parish where the work is (2, 4 or 6 digits)."),
    )
    territory_name = models.CharField(
        _("territory"), max_length=120, blank=True, help_text=_("Name of the canton or parish of the DPA code.")
    )
    beneficiaries = models.PositiveIntegerField(
        _("beneficiaries"), null=True, blank=True, help_text=_("Estimated number of people who benefit.")
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True, help_text=_("Start in the plan."))
    planned_end = models.DateField(_("planned end"), null=True, blank=True, help_text=_("End in the plan or contract."))
    actual_start = models.DateField(_("actual start"), null=True, blank=True, help_text=_("Day works began."))
    actual_end = models.DateField(_("actual end"), null=True, blank=True, help_text=_("Day works were received."))
    amount_planned = models.DecimalField(
        _("planned amount"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Budgeted cost in USD."),
    )
    amount_contracted = models.DecimalField(
        _("contracted amount"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Value of the contracts, with their amendments, in USD."),
    )
    amount_paid = models.DecimalField(
        _("amount paid"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Paid so far, in USD."),
    )
    # The latest progress update, kept on the project so that lists, maps and filters need no
    # subquery; services write them together with the update.
    physical_progress = models.DecimalField(
        _("physical progress"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=PERCENT,
        help_text=_("Percent of the work built, from the latest update."),
    )
    financial_progress = models.DecimalField(
        _("financial progress"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=PERCENT,
        help_text=_("Percent of the contracted amount paid, from the latest update."),
    )
    last_progress_on = models.DateField(
        _("last progress update"), null=True, blank=True, help_text=_("Date of the latest progress update.")
    )
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Shown on the public map, lists, search, open data and API.")
    )
    created_at = models.DateTimeField(_("created"), help_text=_("When the project was registered."))
    updated_at = models.DateTimeField(_("updated"), help_text=_("Last change."))

    objects = scoped_manager(ProjectQuerySet)

    class Meta:
        ordering = ["title"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.UniqueConstraint(fields=["government", "slug"], name="works_project_slug_unique"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="works_project_status_valid"),
            models.CheckConstraint(condition=Q(sector__in=Sector.values), name="works_project_sector_valid"),
            models.CheckConstraint(
                condition=Q(physical_progress__gte=0, physical_progress__lte=100)
                & Q(financial_progress__gte=0, financial_progress__lte=100),
                name="works_project_progress_percent",
            ),
            models.CheckConstraint(
                condition=Q(amount_planned__gte=0, amount_contracted__gte=0, amount_paid__gte=0),
                name="works_project_amounts_positive",
            ),
        ]
        indexes = [
            models.Index(fields=["government", "is_published", "status"], name="works_project_public_idx"),
            models.Index(fields=["government", "min_lon", "min_lat"], name="works_project_bbox_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def centre(self) -> tuple[float, float] | None:
        if self.min_lon is None:
            return None
        return ((self.min_lon + self.max_lon) / 2, (self.min_lat + self.max_lat) / 2)

    def clean(self) -> None:
        errors = {}
        if self.slug and self.government_id:
            taken = Project.objects.for_government(self.government_id).filter(slug=self.slug).exclude(pk=self.pk)
            if taken.exists():
                errors["slug"] = _("Another project of this government already uses this identifier.")
        if self.slug in RESERVED_SLUGS:
            errors["slug"] = _("This identifier is reserved for a page of the portal; choose another.")
        for start, end in (("planned_start", "planned_end"), ("actual_start", "actual_end")):
            if getattr(self, start) and getattr(self, end) and getattr(self, end) < getattr(self, start):
                errors[end] = _("The end cannot be before the start.")
        if self.dpa_code and not (self.dpa_code.isdigit() and len(self.dpa_code) in (2, 4, 6)):
            errors["dpa_code"] = _("A DPA code has 2 (province), 4 (canton) or 6 (parish) digits.")
        if self.status == Status.COMPLETED and not self.actual_end:
            errors["actual_end"] = _("A completed project needs the day it was received.")
        for name in ("pdot_objectives", "sdg_targets"):
            value = getattr(self, name)
            if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                errors[name] = _("A list of labels is expected.")
        if errors:
            raise ValidationError(errors)


class ProjectLink(GovernmentOwned):
    """A project's link to another module's record: the budget line that pays for it or the
    contracting process (OCID) that builds it. Rows rather than a list on the project, so that
    "which works spend this partida" is an indexed query on every database."""

    class Kind(models.TextChoices):
        BUDGET_LINE = "budget.line", _("Budget line")
        PROCESS = "procurement.process", _("Contracting process")
        PB_PROJECT = "participation.project", _("Participatory-budget project")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="links", help_text=_("The project.")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, help_text=_("What the key points to."))
    key = models.CharField(
        _("key"),
        max_length=120,
        help_text=_("“<year>:<partida>” for a budget line, the OCID for a contracting process."),
    )

    objects = scoped_manager()

    class Meta:
        ordering = ["kind", "key"]
        verbose_name = _("project link")
        verbose_name_plural = _("project links")
        constraints = [
            models.UniqueConstraint(fields=["project", "kind", "key"], name="works_link_once"),
            models.CheckConstraint(
                condition=Q(kind__in=["budget.line", "procurement.process", "participation.project"]),
                name="works_link_kind_valid",
            ),
        ]
        indexes = [models.Index(fields=["government", "kind", "key"], name="works_link_key_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"


class ProgressUpdate(GovernmentOwned):
    """One dated entry of a project's progress timeline, posted by an official."""

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="updates",
        help_text=_("The project."),
    )
    reported_on = models.DateField(_("date"), help_text=_("Date of the measurement (the inspection or the payment)."))
    physical_progress = models.DecimalField(
        _("physical progress"),
        max_digits=5,
        decimal_places=2,
        validators=PERCENT,
        help_text=_("Percent of the work built at that date (0–100)."),
    )
    financial_progress = models.DecimalField(
        _("financial progress"),
        max_digits=5,
        decimal_places=2,
        validators=PERCENT,
        help_text=_("Percent of the contracted amount paid at that date (0–100)."),
    )
    amount_paid = models.DecimalField(
        _("amount paid to date"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Total paid at that date in USD, if known; it updates the project's amount paid."),
    )
    note = models.TextField(_("note"), blank=True, help_text=_("What was done, problems found, next steps."))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Official who posted the update."),
    )
    created_at = models.DateTimeField(_("posted"), help_text=_("When the update was posted."))

    objects = scoped_manager()

    class Meta:
        ordering = ["-reported_on", "-created_at"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        constraints = [
            models.CheckConstraint(
                condition=Q(physical_progress__gte=0, physical_progress__lte=100)
                & Q(financial_progress__gte=0, financial_progress__lte=100),
                name="works_update_progress_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.reported_on}"


def document_upload_to(instance, filename: str) -> str:
    return f"works/documents/{filename}"


class ProgressDocument(GovernmentOwned):
    """A document published with a progress update (an inspection report, a payment
    certificate): a PDF uploaded here, or a link to where the government keeps it."""

    update = models.ForeignKey(
        ProgressUpdate,
        verbose_name=_("progress update"),
        on_delete=models.CASCADE,
        related_name="documents",
        help_text=_("The update it belongs to."),
    )
    title = models.CharField(_("title"), max_length=200, help_text=_("What the document is."))
    url = models.URLField(_("address"), max_length=500, blank=True, help_text=_("Public address of the document."))
    file = models.FileField(
        _("file"),
        upload_to=document_upload_to,
        blank=True,
        help_text=_("The PDF, stored under a random name and served as a download."),
    )

    objects = scoped_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(condition=~(Q(url="") & Q(file="")), name="works_document_has_a_target"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def href(self) -> str:
        return self.file.url if self.file else self.url


def photo_upload_to(instance, filename: str) -> str:
    return f"works/photos/{filename}"


class Photo(GovernmentOwned):
    """A photo of a project: posted by an official with a progress update, or by a citizen
    with an observation. Resized and re-encoded without metadata; the location an official's
    camera recorded is kept only when the official chooses to."""

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="photos",
        help_text=_("The project."),
    )
    update = models.ForeignKey(
        ProgressUpdate,
        verbose_name=_("progress update"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="photos",
        help_text=_("The update it illustrates."),
    )
    comment = models.ForeignKey(
        Comment,
        verbose_name=_("comment"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="works_photos",
        help_text=_("The citizen observation it illustrates (a comment of core's threads)."),
    )
    image = models.ImageField(_("photo"), upload_to=photo_upload_to, help_text=_("Resized JPEG without metadata."))
    caption = models.CharField(_("caption"), max_length=200, blank=True, help_text=_("What the photo shows."))
    latitude = models.FloatField(_("latitude"), null=True, blank=True, help_text=_("Where it was taken, if kept."))
    longitude = models.FloatField(_("longitude"), null=True, blank=True, help_text=_("Where it was taken, if kept."))
    width = models.PositiveIntegerField(_("width"), default=0, help_text=_("Pixels."))
    height = models.PositiveIntegerField(_("height"), default=0, help_text=_("Pixels."))
    created_at = models.DateTimeField(_("uploaded"), help_text=_("When it was uploaded."))

    objects = scoped_manager()

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        constraints = [
            models.CheckConstraint(
                condition=~(Q(update__isnull=False) & Q(comment__isnull=False)), name="works_photo_one_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.caption or str(self.project)
