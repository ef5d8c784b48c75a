"""The geovisor's layers. A layer holds its metadata and its features; each feature keeps its
geometry as GeoJSON in WGS 84 (lon/lat) plus four bbox columns, so bbox filters run in SQL on
SQLite and PostgreSQL alike and exact geometry work happens in shapely. A choropleth colours the
areas of a layer by figures joined on a DPA code."""

from __future__ import annotations

import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from minga.core.tenancy.models import GovernmentOwned, scoped_manager


class LayerQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True, feature_count__gt=0)


class Layer(GovernmentOwned):
    class GeometryKind(models.TextChoices):
        POINT = "point", _("Points")
        LINE = "line", _("Lines")
        AREA = "area", _("Areas")
        MIXED = "mixed", _("Mixed")
        NONE = "", _("No features yet")

    class StyleKind(models.TextChoices):
        SINGLE = "single", _("One colour")
        CATEGORIES = "categories", _("Categories (one colour per value)")
        CLASSES = "classes", _("Classes of a number (light to dark)")

    title = models.CharField(_("title"), max_length=200, help_text=_("Name of the layer as the public sees it."))
    slug = models.SlugField(
        _("public identifier"),
        max_length=80,
        help_text=_("Stable identifier in the layer's address and in OGC API – Features; unique in the government."),
    )
    description = models.TextField(_("description"), blank=True, help_text=_("What the layer shows, in plain words."))
    source = models.CharField(
        _("source"), max_length=250, blank=True, help_text=_("Who produced the data, e.g. Dirección de Planificación.")
    )
    source_date = models.DateField(
        _("date of the data"), null=True, blank=True, help_text=_("When the data was produced or last surveyed.")
    )
    licence = models.CharField(
        _("licence"), max_length=120, default="CC-BY-4.0", help_text=_("Licence of the data, e.g. CC-BY-4.0.")
    )
    attribution = models.CharField(
        _("attribution"), max_length=250, blank=True, help_text=_("Credit line shown with the map.")
    )
    original_crs = models.CharField(
        _("original coordinate system"),
        max_length=40,
        blank=True,
        help_text=_("The coordinate reference system of the last uploaded file, e.g. EPSG:32717."),
    )
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Shown on the public map, downloads, the API and OGC API – Features.")
    )
    style_kind = models.CharField(
        _("style"),
        max_length=12,
        choices=StyleKind.choices,
        default=StyleKind.SINGLE,
        help_text=_("How features are coloured."),
    )
    style_property = models.CharField(
        _("attribute for the style"),
        max_length=80,
        blank=True,
        help_text=_("The feature attribute that chooses the colour (for categories or classes)."),
    )
    colour = models.CharField(
        _("colour"),
        max_length=7,
        default="#0072b2",
        help_text=_("Colour of every feature with the single-colour style (hex, e.g. #0072b2)."),
    )
    labels = models.JSONField(
        _("labels of the attributes"),
        default=dict,
        blank=True,
        help_text=_(
            "The layer's data dictionary: the name the public reads for each attribute (dpa_parroquia: Parish code)."
            " Attributes without a label are shown with a readable form of their name."
        ),
    )
    geometry_kind = models.CharField(
        _("geometry"), max_length=8, choices=GeometryKind.choices, blank=True, default="", editable=False
    )
    feature_count = models.PositiveIntegerField(_("features"), default=0, editable=False)
    properties = models.JSONField(_("attributes"), default=list, blank=True, editable=False)
    min_x = models.FloatField(null=True, blank=True, editable=False)
    min_y = models.FloatField(null=True, blank=True, editable=False)
    max_x = models.FloatField(null=True, blank=True, editable=False)
    max_y = models.FloatField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(
        _("version"), default=0, editable=False, help_text=_("Number of successful uploads of features.")
    )
    imported_at = models.DateTimeField(_("features updated"), null=True, blank=True, editable=False)
    imported_file = models.CharField(_("file"), max_length=250, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = scoped_manager(LayerQuerySet)

    class Meta:
        ordering = ["title"]
        verbose_name = _("layer")
        verbose_name_plural = _("layers")
        constraints = [
            models.UniqueConstraint(fields=["government", "slug"], name="geo_layer_slug_unique"),
            models.CheckConstraint(
                condition=Q(style_kind__in=["single", "categories", "classes"]), name="geo_layer_style_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def bbox(self) -> tuple[float, float, float, float] | None:
        if self.min_x is None:
            return None
        return (self.min_x, self.min_y, self.max_x, self.max_y)

    def label_of(self, name: str) -> str:
        """The public name of one attribute, from the layer's data dictionary."""
        return attribute_label(name, self.labels)

    def clean(self) -> None:
        errors = {}
        if self.slug and self.government_id:
            taken = Layer.objects.for_government(self.government_id).filter(slug=self.slug).exclude(pk=self.pk)
            if taken.exists():
                errors["slug"] = _("Another layer of this government already uses this identifier.")
        if self.colour and not _is_hex_colour(self.colour):
            errors["colour"] = _("Write the colour as # and six hexadecimal digits, e.g. #0072b2.")
        if self.style_kind != self.StyleKind.SINGLE and not self.style_property:
            errors["style_property"] = _("Choose the attribute that gives each feature its colour.")
        if self.style_property and self.feature_count and self.style_property not in (self.properties or []):
            errors["style_property"] = _("The layer's features have no attribute “%(name)s”.") % {
                "name": self.style_property
            }
        if errors:
            raise ValidationError(errors)


def import_upload_to(instance, filename: str) -> str:
    """A random name under the module's private prefix: the uploader's name never reaches the storage."""
    extension = os.path.splitext(filename)[1].lower()[:10]
    if not extension[1:].isalnum():
        extension = ""
    return f"geo/imports/{uuid.uuid4().hex}{extension}"


class LayerImport(GovernmentOwned):
    """A file uploaded for a layer (its first features, or a new version) and what became of
    it. A background job reads, checks and stores it; the layer's features are swapped in one
    transaction, so a refused or failed file leaves the version before live."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be imported")
        RUNNING = "running", _("Importing")
        SUCCEEDED = "succeeded", _("Imported")
        FAILED = "failed", _("Not imported")

    layer = models.ForeignKey(
        Layer, verbose_name=_("layer"), on_delete=models.CASCADE, related_name="imports", help_text=_("The layer.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, help_text=_("Where it stands.")
    )
    file_name = models.CharField(_("file name"), max_length=250, help_text=_("Name of the uploaded file."))
    file = models.FileField(
        _("uploaded file"),
        upload_to=import_upload_to,
        blank=True,
        max_length=200,
        help_text=_("The file as uploaded, kept privately until its import ends."),
    )
    declared_crs = models.CharField(
        _("coordinate reference system"),
        max_length=40,
        blank=True,
        help_text=_("The system the official named for the file; empty to use the one the file states."),
    )
    report = models.JSONField(
        _("report"),
        default=dict,
        blank=True,
        help_text=_("What the import found: problems, repaired geometries, notes, coordinate system, features."),
    )
    version = models.PositiveIntegerField(
        _("version"), null=True, blank=True, help_text=_("The layer's version this file became, when it was imported.")
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
    created_at = models.DateTimeField(_("uploaded"), help_text=_("When the file was uploaded."))
    started_at = models.DateTimeField(_("started"), null=True, blank=True, help_text=_("When the job started."))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True, help_text=_("When the import ended."))
    task_id = models.CharField(
        _("job"), max_length=64, blank=True, help_text=_("Id of the queued job that imports the file.")
    )

    objects = scoped_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("layer import")
        verbose_name_plural = _("layer imports")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "succeeded", "failed"]), name="geo_import_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.file_name

    @property
    def is_waiting(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


KNOWN_ATTRIBUTES = {
    "nombre": _("Name"),
    "name": _("Name"),
    "dpa": _("DPA code"),
    "dpa_provincia": _("Province code (DPA)"),
    "dpa_canton": _("Canton code (DPA)"),
    "dpa_parroquia": _("Parish code (DPA)"),
    "codigo_dpa": _("DPA code"),
    "poblacion": _("Population"),
    "tipo": _("Type"),
    "superficie": _("Surface"),
    "longitud_km": _("Length (km)"),
    "estado": _("Status"),
}


def attribute_label(name: str, labels: dict | None = None) -> str:
    """An attribute's label: the data dictionary's, a known one, or its name made readable
    (cod_via -> "Cod via")."""
    given = (labels or {}).get(name)
    if isinstance(given, str) and given.strip():
        return given.strip()
    known = KNOWN_ATTRIBUTES.get(str(name).lower())
    if known is not None:
        return str(known)
    readable = str(name).replace("_", " ").strip()
    return readable[:1].upper() + readable[1:]


def _is_hex_colour(value: str) -> bool:
    return len(value) == 7 and value[0] == "#" and all(c in "0123456789abcdefABCDEF" for c in value[1:])


class FeatureQuerySet(models.QuerySet):
    def in_bbox(self, west: float, south: float, east: float, north: float):
        """Features whose extent meets the box (the OGC API – Features bbox rule)."""
        return self.filter(max_x__gte=west, min_x__lte=east, max_y__gte=south, min_y__lte=north)


class Feature(GovernmentOwned):
    layer = models.ForeignKey(Layer, on_delete=models.CASCADE, related_name="features", verbose_name=_("layer"))
    number = models.PositiveIntegerField(
        _("feature number"), help_text=_("Stable identifier of the feature within its layer (1, 2, 3…).")
    )
    properties = models.JSONField(_("attributes"), default=dict, blank=True)
    geometry = models.JSONField(_("geometry"), help_text=_("GeoJSON geometry in WGS 84 longitude/latitude."))
    min_x = models.FloatField()
    min_y = models.FloatField()
    max_x = models.FloatField()
    max_y = models.FloatField()

    objects = scoped_manager(FeatureQuerySet)

    class Meta:
        ordering = ["layer", "number"]
        verbose_name = _("feature")
        verbose_name_plural = _("features")
        constraints = [models.UniqueConstraint(fields=["layer", "number"], name="geo_feature_number_unique")]
        indexes = [models.Index(fields=["layer", "min_x", "max_x"], name="geo_feature_bbox_x")]

    def __str__(self) -> str:
        return f"{self.layer_id}:{self.number}"


class Choropleth(GovernmentOwned):
    """Figures by DPA code (from an uploaded table) drawn on the areas of a layer whose
    features carry the same code in ``join_property``."""

    layer = models.ForeignKey(Layer, on_delete=models.CASCADE, related_name="choropleths", verbose_name=_("layer"))
    title = models.CharField(_("title"), max_length=200, help_text=_("What the figures are, e.g. Population 2022."))
    slug = models.SlugField(_("public identifier"), max_length=80, help_text=_("Unique in the government."))
    join_property = models.CharField(
        _("attribute with the DPA code"),
        max_length=80,
        help_text=_("The layer attribute holding each area's DPA code (e.g. dpa_parroquia)."),
    )
    value_label = models.CharField(_("name of the figure"), max_length=120, help_text=_("e.g. inhabitants."))
    values = models.JSONField(_("figures"), default=dict, editable=False, help_text=_("DPA code → figure."))
    source_file = models.CharField(_("file"), max_length=250, blank=True, editable=False)
    is_public = models.BooleanField(_("public"), default=True, help_text=_("Shown on the public map."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = scoped_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("choropleth")
        verbose_name_plural = _("choropleths")
        constraints = [models.UniqueConstraint(fields=["government", "slug"], name="geo_choropleth_slug_unique")]

    def __str__(self) -> str:
        return self.title
