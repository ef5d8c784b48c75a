"""The catalog's descriptions: datasets with DCAT-style metadata, their resources (files,
links or queries), the managed vocabulary of themes, the licences a government offers, tags,
the history of each dataset's metadata and the data dictionary of loaded columns."""

from __future__ import annotations

import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from minga.core.tenancy.models import GovernmentOwned, scoped_manager

DPA_CODE_LENGTHS = (2, 4, 6)


class DcatTheme(models.TextChoices):
    """The EU data theme vocabulary used by DCAT-AP (publications.europa.eu data-theme)."""

    AGRI = "AGRI", _("Agriculture, fisheries, forestry and food")
    ECON = "ECON", _("Economy and finance")
    EDUC = "EDUC", _("Education, culture and sport")
    ENER = "ENER", _("Energy")
    ENVI = "ENVI", _("Environment")
    GOVE = "GOVE", _("Government and public sector")
    HEAL = "HEAL", _("Health")
    INTR = "INTR", _("International issues")
    JUST = "JUST", _("Justice, legal system and public safety")
    REGI = "REGI", _("Regions and cities")
    SOCI = "SOCI", _("Population and society")
    TECH = "TECH", _("Science and technology")
    TRAN = "TRAN", _("Transport")


DCAT_THEME_URI = "http://publications.europa.eu/resource/authority/data-theme/"


class Frequency(models.TextChoices):
    """The EU frequency vocabulary (publications.europa.eu authority table "frequency"),
    stored as its code."""

    CONTINUOUS = "CONT", _("Continuously updated")
    DAILY = "DAILY", _("Daily")
    WEEKLY = "WEEKLY", _("Weekly")
    MONTHLY = "MONTHLY", _("Monthly")
    QUARTERLY = "QUARTERLY", _("Quarterly")
    BIANNUAL = "ANNUAL_2", _("Twice a year")
    ANNUAL = "ANNUAL", _("Annual")
    IRREGULAR = "IRREG", _("Irregular")
    NEVER = "NEVER", _("Never (historical data)")
    UNKNOWN = "UNKNOWN", _("Unknown")


FREQUENCY_URI = "http://publications.europa.eu/resource/authority/frequency/"


class ThemeQuerySet(models.QuerySet):
    pass


class Theme(GovernmentOwned):
    """A theme of the government's managed vocabulary, mapped to a DCAT-AP data theme."""

    name = models.CharField(_("name"), max_length=100, help_text=_("Name shown to citizens, e.g. Movilidad."))
    slug = models.SlugField(
        _("public identifier"),
        max_length=80,
        help_text=_("Used in addresses and filters; unique within the government."),
    )
    dcat_theme = models.CharField(
        _("DCAT-AP data theme"),
        max_length=4,
        choices=DcatTheme.choices,
        help_text=_("The European data theme this theme corresponds to, for harvesters."),
    )
    description = models.TextField(_("description"), blank=True, help_text=_("What belongs in this theme."))
    order = models.PositiveIntegerField(_("display order"), default=0, help_text=_("Lower numbers are shown first."))

    objects = scoped_manager(ThemeQuerySet)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        constraints = [
            models.UniqueConstraint(fields=["government", "slug"], name="catalog_theme_slug_unique"),
            models.CheckConstraint(condition=Q(dcat_theme__in=DcatTheme.values), name="catalog_theme_dcat_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def dcat_uri(self) -> str:
        return DCAT_THEME_URI + self.dcat_theme


class LicenceQuerySet(models.QuerySet):
    pass


class Licence(GovernmentOwned):
    """A licence the government offers for its datasets."""

    code = models.CharField(
        _("identifier"), max_length=40, help_text=_("SPDX identifier where one exists, e.g. CC-BY-4.0.")
    )
    name = models.CharField(_("name"), max_length=150, help_text=_("E.g. Creative Commons Atribución 4.0."))
    url = models.URLField(_("address"), max_length=300, blank=True, help_text=_("Where the licence text is published."))
    is_open = models.BooleanField(
        _("open licence"), default=True, help_text=_("Conforms to the Open Definition (anyone may reuse the data).")
    )
    is_default = models.BooleanField(
        _("default"), default=False, help_text=_("Proposed for new datasets. Only one licence can be the default.")
    )

    objects = scoped_manager(LicenceQuerySet)

    class Meta:
        ordering = ["name"]
        verbose_name = _("licence")
        verbose_name_plural = _("licences")
        constraints = [
            models.UniqueConstraint(fields=["government", "code"], name="catalog_licence_code_unique"),
            models.UniqueConstraint(
                fields=["government"], condition=Q(is_default=True), name="catalog_licence_one_default"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.url and not self.url.lower().startswith(("https://", "http://")):
            raise ValidationError({"url": _("Use a web address starting with https://.")})


class TagQuerySet(models.QuerySet):
    pass


class Tag(GovernmentOwned):
    """A free keyword. Tags are created on the fly from the keywords officials type."""

    name = models.CharField(_("name"), max_length=60, help_text=_("The keyword as shown, e.g. presupuesto."))
    slug = models.SlugField(_("public identifier"), max_length=70, help_text=_("Used in filters."))

    objects = scoped_manager(TagQuerySet)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        constraints = [models.UniqueConstraint(fields=["government", "slug"], name="catalog_tag_slug_unique")]

    def __str__(self) -> str:
        return self.name


class DatasetQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


def _validate_dpa_codes(value) -> None:
    if not isinstance(value, list) or any(
        not isinstance(code, str) or not code.isdigit() or len(code) not in DPA_CODE_LENGTHS for code in value
    ):
        raise ValidationError(_("Enter DPA codes of 2, 4 or 6 digits, e.g. 13 or 1301."))


class Dataset(GovernmentOwned):
    """A dataset: what the data is about, who publishes it, how often it changes and under
    which licence; the data itself is in its resources.

    The publisher is a unit of the government's organisation when one is picked
    (`publisher_unit`: its key in core's unit directory, which the institution module fills;
    not a foreign key, since domain modules are independent of each other) and always a name
    as text (`publisher`): the label when the unit is gone, or the only value for a unit the
    chart does not list."""

    slug = models.SlugField(
        _("public identifier"),
        max_length=100,
        help_text=_("Stable identifier used in the dataset's address; unique within the government."),
    )
    title = models.CharField(_("title"), max_length=250, help_text=_("E.g. Ejecución presupuestaria 2025."))
    summary = models.CharField(
        _("summary"),
        max_length=400,
        help_text=_("One or two sentences in plain language: what a person can learn from this data."),
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("Methodology, sources, caveats. Plain text; blank lines separate paragraphs."),
    )
    publisher = models.CharField(
        _("publisher"), max_length=200, help_text=_("Unit that publishes the data, e.g. Dirección Financiera.")
    )
    publisher_email = models.EmailField(
        _("publisher e-mail"), blank=True, help_text=_("Institutional e-mail of the publishing unit.")
    )
    publisher_unit = models.CharField(
        _("publishing unit"),
        max_length=40,
        blank=True,
        default="",
        help_text=_("The unit of the organisation chart that publishes the data; empty for another unit."),
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="datasets", help_text=_("Themes it belongs to.")
    )
    tags = models.ManyToManyField(
        Tag, verbose_name=_("tags"), blank=True, related_name="datasets", help_text=_("Free keywords.")
    )
    licence = models.ForeignKey(
        Licence,
        verbose_name=_("licence"),
        on_delete=models.PROTECT,
        related_name="datasets",
        help_text=_("Under which terms the data may be reused."),
    )
    temporal_start = models.DateField(
        _("covers from"), null=True, blank=True, help_text=_("First day the data covers.")
    )
    temporal_end = models.DateField(_("covers until"), null=True, blank=True, help_text=_("Last day the data covers."))
    spatial_coverage = models.JSONField(
        _("spatial coverage"),
        default=list,
        blank=True,
        validators=[_validate_dpa_codes],
        help_text=_("INEC DPA codes of the territories the data covers (province, canton or parish)."),
    )
    frequency = models.CharField(
        _("update frequency"),
        max_length=12,
        choices=Frequency.choices,
        default=Frequency.ANNUAL,
        help_text=_("How often the data is updated (EU frequency vocabulary)."),
    )
    contact_name = models.CharField(
        _("contact name"), max_length=200, blank=True, help_text=_("Person or office that answers questions.")
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True, help_text=_("Where questions go."))
    lotaip_obligation = models.CharField(
        _("LOTAIP obligation"),
        max_length=250,
        blank=True,
        help_text=_("The transparency obligation this dataset fulfils, e.g. Art. 19 numeral 6 (presupuesto)."),
    )
    source_module = models.CharField(
        _("kept by module"),
        max_length=40,
        blank=True,
        editable=False,
        help_text=_("Key of the module that publishes this dataset from its own data (blank when officials keep it)."),
    )
    source_key = models.CharField(
        _("source table"),
        max_length=120,
        blank=True,
        editable=False,
        help_text=_("The module's identifier of the table behind this dataset, e.g. budget.execution.2025."),
    )
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Shown in public pages, search, feeds and the API.")
    )
    next_update_due = models.DateField(
        _("next update due"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Computed from the frequency and the last update; empty when no update is expected."),
    )
    version = models.PositiveIntegerField(_("version"), default=0, editable=False, help_text=_("Number of changes."))
    data_updated_at = models.DateTimeField(
        _("data last updated"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the data itself last changed (a new file or a refresh that found changes)."),
    )
    overdue_notified_at = models.DateTimeField(
        _("late notice sent"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the publishing unit was last told that this dataset is late."),
    )
    quality_score = models.PositiveSmallIntegerField(
        _("quality score"), null=True, blank=True, editable=False, help_text=_("0 to 100, with its reasons.")
    )
    quality_checks = models.JSONField(
        _("quality checks"), default=list, blank=True, editable=False, help_text=_("Each check, its result and why.")
    )
    quality_checked_at = models.DateTimeField(
        _("quality checked"), null=True, blank=True, editable=False, help_text=_("When the score was computed.")
    )
    usage_total = models.PositiveIntegerField(
        _("uses"), default=0, editable=False, help_text=_("Views, downloads and API calls counted so far.")
    )
    usage_recent = models.PositiveIntegerField(
        _("uses in the last 30 days"), default=0, editable=False, help_text=_("Used to sort by most used.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, help_text=_("Last change."))

    objects = scoped_manager(DatasetQuerySet)

    class Meta:
        ordering = ["title"]
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")
        constraints = [
            models.UniqueConstraint(fields=["government", "slug"], name="catalog_dataset_slug_unique"),
            models.UniqueConstraint(
                fields=["government", "source_key"],
                condition=~Q(source_key=""),
                name="catalog_dataset_source_key_unique",
            ),
            models.CheckConstraint(condition=Q(frequency__in=Frequency.values), name="catalog_dataset_frequency"),
            models.CheckConstraint(
                condition=Q(temporal_end__isnull=True)
                | Q(temporal_start__isnull=True)
                | Q(temporal_end__gte=models.F("temporal_start")),
                name="catalog_dataset_temporal_order",
            ),
        ]
        indexes = [
            # Partial indexes over the published datasets, one per catalog sort: SQLite reads a
            # bare boolean condition as no equality, so (government, is_published, …) would only
            # narrow by government and then sort every dataset for each page.
            models.Index(
                fields=["government", "-updated_at"], condition=Q(is_published=True), name="catalog_ds_pub_recent_idx"
            ),
            models.Index(
                fields=["government", "-usage_recent", "-usage_total"],
                condition=Q(is_published=True),
                name="catalog_ds_pub_used_idx",
            ),
            models.Index(
                fields=["government", "title"], condition=Q(is_published=True), name="catalog_ds_pub_title_idx"
            ),
            models.Index(fields=["next_update_due"], name="catalog_ds_due_idx"),
            models.Index(fields=["government", "publisher_unit"], name="catalog_ds_unit_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def frequency_uri(self) -> str:
        return FREQUENCY_URI + self.frequency

    def clean(self) -> None:
        errors = {}
        if self.slug and self.government_id:
            taken = Dataset.objects.for_government(self.government_id).filter(slug=self.slug).exclude(pk=self.pk)
            if taken.exists():
                errors["slug"] = _("Another dataset of this government already uses this identifier.")
        if self.temporal_start and self.temporal_end and self.temporal_end < self.temporal_start:
            errors["temporal_end"] = _("The coverage cannot end before it starts.")
        if self.licence_id is not None and self.licence.government_id != self.government_id:
            errors["licence"] = _("Choose a licence of this government.")
        if errors:
            raise ValidationError(errors)


class DatasetVersionQuerySet(models.QuerySet):
    pass


class DatasetVersion(GovernmentOwned):
    """One entry of a dataset's public history: what changed and when."""

    dataset = models.ForeignKey(
        Dataset, verbose_name=_("dataset"), on_delete=models.CASCADE, related_name="versions", help_text=_("Dataset.")
    )

    class Change(models.TextChoices):
        CREATED = "created", _("Dataset created")
        UPDATED = "updated", _("Description updated")
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Withdrawn from publication")
        RESOURCE_ADDED = "resource_added", _("Data added")
        RESOURCE_REPLACED = "resource_replaced", _("Data replaced")
        RESOURCE_UPDATED = "resource_updated", _("File or link described anew")
        RESOURCE_REMOVED = "resource_removed", _("Data removed")
        DATA_REFRESHED = "data_refreshed", _("New data from its source")

    number = models.PositiveIntegerField(_("number"), help_text=_("1 for the first version, then 2, 3…"))
    change = models.CharField(
        _("change"), max_length=20, choices=Change.choices, help_text=_("What kind of change this was.")
    )
    subject = models.CharField(
        _("subject"), max_length=250, blank=True, help_text=_("The file or link concerned, if any (its title).")
    )
    changed_fields = models.JSONField(_("changed fields"), default=list, blank=True, help_text=_("Names of fields."))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Official who made the change (not shown publicly)."),
    )
    created_at = models.DateTimeField(_("date"), help_text=_("When the change was made."))

    objects = scoped_manager(DatasetVersionQuerySet)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("dataset version")
        verbose_name_plural = _("dataset versions")
        constraints = [
            models.UniqueConstraint(fields=["dataset", "number"], name="catalog_version_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.dataset_id} v{self.number}"


class ResourceFormat(models.TextChoices):
    CSV = "CSV", "CSV"
    XLSX = "XLSX", "XLSX"
    JSON = "JSON", "JSON"
    GEOJSON = "GeoJSON", "GeoJSON"
    PDF = "PDF", "PDF"
    ZIP = "ZIP", "ZIP"
    OTHER = "OTHER", _("Other")


OPEN_FORMATS = {"CSV", "JSON", "GeoJSON", "XLSX"}


def resource_upload_to(instance, filename: str) -> str:
    """A random name: the uploader's file name never reaches the storage."""
    extension = os.path.splitext(filename)[1].lower()[:10]
    if not extension[1:].isalnum():
        extension = ""
    return f"catalog/resources/{uuid.uuid4().hex}{extension}"


class ResourceQuerySet(models.QuerySet):
    pass


class Resource(GovernmentOwned):
    """A distribution of a dataset: an uploaded file or a link to where the data lives."""

    class Kind(models.TextChoices):
        UPLOAD = "upload", _("Uploaded file")
        URL = "url", _("Link to a web address")
        SQL = "sql", _("Query on a source database")

    dataset = models.ForeignKey(
        Dataset, verbose_name=_("dataset"), on_delete=models.CASCADE, related_name="resources", help_text=_("Dataset.")
    )
    title = models.CharField(_("title"), max_length=250, help_text=_("E.g. Ejecución por partida, enero–junio."))
    description = models.TextField(_("description"), blank=True, help_text=_("What this file contains."))
    kind = models.CharField(
        _("kind"), max_length=10, choices=Kind.choices, default=Kind.UPLOAD, help_text=_("File or link.")
    )
    file = models.FileField(
        _("file"),
        upload_to=resource_upload_to,
        blank=True,
        max_length=200,
        help_text=_("The data file; stored under a random name."),
    )
    original_name = models.CharField(
        _("original file name"), max_length=200, blank=True, help_text=_("Name offered when downloading.")
    )
    source_key = models.CharField(
        _("source file"),
        max_length=120,
        blank=True,
        editable=False,
        help_text=_("For datasets kept by a module: which of its files this is (the table, or a companion file)."),
    )
    url = models.URLField(_("address"), max_length=500, blank=True, help_text=_("Where the data is published."))
    format = models.CharField(
        _("format"),
        max_length=10,
        choices=ResourceFormat.choices,
        default=ResourceFormat.OTHER,
        help_text=_("Detected from the file's content and name."),
    )
    size = models.PositiveBigIntegerField(_("size"), null=True, blank=True, help_text=_("Size in bytes."))
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64, blank=True, help_text=_("Of the uploaded file."))
    order = models.PositiveIntegerField(_("display order"), default=0, help_text=_("Lower numbers are shown first."))
    # Remote sources that Minga fetches and keeps current (a URL or a SQL query)
    auto_refresh = models.BooleanField(
        _("keep current automatically"),
        default=False,
        help_text=_("Fetch the data from its source on a schedule and publish a new version when it changes."),
    )
    refresh_cron = models.CharField(
        _("refresh schedule"),
        max_length=100,
        blank=True,
        help_text=_("A cron expression such as “0 6 * * 1”; empty to follow the dataset's update frequency."),
    )
    sql_source = models.CharField(
        _("source database"),
        max_length=60,
        blank=True,
        help_text=_("Name of a source database set up by the operator."),
    )
    sql_query = models.TextField(
        _("query"), blank=True, help_text=_("A read-only SELECT whose result is published as the table.")
    )
    source_etag = models.CharField(_("source ETag"), max_length=200, blank=True, editable=False)
    source_last_modified = models.CharField(_("source Last-Modified"), max_length=100, blank=True, editable=False)
    last_checked_at = models.DateTimeField(
        _("last checked"), null=True, blank=True, editable=False, help_text=_("When the source was last fetched.")
    )
    next_check_at = models.DateTimeField(
        _("next check"), null=True, blank=True, editable=False, help_text=_("When the source will be fetched again.")
    )
    check_error = models.TextField(
        _("last check problem"), blank=True, editable=False, help_text=_("Why the last fetch failed, if it did.")
    )
    check_failures = models.PositiveIntegerField(
        _("failed checks in a row"), default=0, editable=False, help_text=_("Reset by a successful fetch.")
    )
    data_updated_at = models.DateTimeField(
        _("data last updated"), null=True, blank=True, editable=False, help_text=_("When the data last changed.")
    )
    reachable = models.BooleanField(
        _("reachable"), null=True, blank=True, editable=False, help_text=_("Result of the last link check.")
    )
    reachability_checked_at = models.DateTimeField(
        _("link checked"), null=True, blank=True, editable=False, help_text=_("When the link was last checked.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, help_text=_("Last change."))

    objects = scoped_manager(ResourceQuerySet)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["upload", "url", "sql"]), name="catalog_resource_kind"),
            models.CheckConstraint(condition=Q(format__in=ResourceFormat.values), name="catalog_resource_format"),
        ]
        indexes = [
            models.Index(fields=["auto_refresh", "next_check_at"], name="catalog_res_refresh_idx"),
            # Scoped reads always name the government: with the dataset in the same index the
            # planner stops walking all of a government's resources for one dataset's.
            models.Index(fields=["government", "dataset"], name="catalog_res_dataset_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_upload(self) -> bool:
        return self.kind == self.Kind.UPLOAD

    @property
    def is_open_format(self) -> bool:
        return self.format in OPEN_FORMATS

    @property
    def is_tabular(self) -> bool:
        """An uploaded CSV or XLSX, or a remote source (web address or SQL query) that has been
        loaded: in the datastore, with a public table and an API."""
        if self.kind == self.Kind.UPLOAD:
            return self.format in ("CSV", "XLSX")
        return self.data_updated_at is not None

    @property
    def datastore_table_id(self) -> str:
        """Name of this resource's table in the datastore (minga.datastore); primary
        keys are unique across governments, so the name is too."""
        return f"r{self.pk}"

    def clean(self) -> None:
        errors = {}
        if self.dataset_id is not None and self.dataset.government_id != self.government_id:
            errors["dataset"] = _("The dataset must belong to the same government.")
        if self.kind == self.Kind.URL:
            if not self.url:
                errors["url"] = _("Enter the web address of the data.")
            elif not self.url.lower().startswith(("https://", "http://")):
                errors["url"] = _("Use a web address starting with https://.")
        if errors:
            raise ValidationError(errors)




class ColumnTypeChoice(models.TextChoices):
    """The datastore's column types (minga.datastore.inference.ColumnType)."""

    TEXT = "text", _("text")
    INTEGER = "integer", _("whole number")
    DECIMAL = "decimal", _("number")
    DATE = "date", _("date")
    DATETIME = "datetime", _("date and time")
    BOOLEAN = "boolean", _("yes/no")


class ColumnDictionaryQuerySet(models.QuerySet):
    pass


class ColumnDictionary(GovernmentOwned):
    """What an official says about one column of a loaded table: a label, a description, a unit
    and, optionally, the type the loader must enforce. Statistics come from the datastore."""

    resource = models.ForeignKey(
        Resource,
        verbose_name=_("resource"),
        on_delete=models.CASCADE,
        related_name="dictionary",
        help_text=_("Resource."),
    )
    column = models.CharField(_("column"), max_length=100, help_text=_("Column name in the API."))
    label = models.CharField(_("label"), max_length=150, blank=True, help_text=_("Name shown in tables and downloads."))
    description = models.TextField(_("description"), blank=True, help_text=_("What the column holds, in plain words."))
    unit = models.CharField(_("unit"), max_length=60, blank=True, help_text=_("E.g. USD, km, people."))
    column_type = models.CharField(
        _("type"),
        max_length=10,
        blank=True,
        choices=ColumnTypeChoice.choices,
        help_text=_(
            "Leave empty to let the loader detect it. A chosen type is enforced on the next load: values that do not"
            " match are reported."
        ),
    )

    objects = scoped_manager(ColumnDictionaryQuerySet)

    class Meta:
        ordering = ["resource", "pk"]
        verbose_name = _("column description")
        verbose_name_plural = _("column descriptions")
        constraints = [
            models.UniqueConstraint(fields=["resource", "column"], name="catalog_dictionary_column_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.resource_id}.{self.column}"


