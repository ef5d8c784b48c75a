"""The tenant: a GAD (Gobierno Autónomo Descentralizado). Every government-owned row points
here, and default managers refuse to query without a government scope (django-scopes)."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from .hosts import MAX_LENGTH as HOST_MAX_LENGTH
from .hosts import validate_host

DPA_LENGTH_BY_LEVEL = {"province": 2, "canton": 4, "parish": 6}
HEX_COLOUR = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a colour in the form #1a2b3c."))


HEX_COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")


def contrast_with_white(hex_colour: str) -> float:
    """WCAG 2.1 contrast ratio between a colour and white."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (luminance + 0.05)


class GovernmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def children_of(self, government):
        return self.active().filter(parent=government)


class Government(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", _("Provincial government (prefecture)")
        CANTON = "canton", _("Municipal government (canton)")
        PARISH = "parish", _("Rural parish government")

    name = models.CharField(
        _("name"), max_length=200, help_text=_("Official name, e.g. Gobierno Provincial de Manabí.")
    )
    short_name = models.CharField(
        _("short name"), max_length=80, help_text=_("Name used in headings and the browser title, e.g. Manabí.")
    )
    slug = models.SlugField(
        _("slug"), max_length=60, unique=True, help_text=_("Stable public identifier used in addresses: /g/<slug>/.")
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, help_text=_("Level of government."))
    dpa_code = models.CharField(
        _("INEC DPA code"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^\d{2}(\d{2}(\d{2})?)?$", _("A DPA code has 2, 4 or 6 digits."))],
        help_text=_("Code of the political-administrative division (INEC): 2 digits province, 4 canton, 6 parish."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent government"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("The government whose territory contains this one (set from the DPA code)."),
    )
    description = models.TextField(_("description"), blank=True, help_text=_("What this government is and does."))
    logo = models.ImageField(_("logo"), upload_to="branding/", blank=True, help_text=_("Logo shown in the header."))
    primary_colour = models.CharField(
        _("primary colour"),
        max_length=7,
        default="#0b5563",
        validators=[HEX_COLOUR],
        help_text=_("Header and link colour. It must keep 4.5:1 contrast with white."),
    )
    accent_colour = models.CharField(
        _("accent colour"),
        max_length=7,
        default="#b4531a",
        validators=[HEX_COLOUR],
        help_text=_("Colour for highlights."),
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True, help_text=_("Public contact address."))
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True, help_text=_("Public phone."))
    address = models.CharField(_("address"), max_length=250, blank=True, help_text=_("Main office address."))
    website = models.URLField(_("website"), blank=True, help_text=_("Institutional website, if any."))
    modules = models.JSONField(
        _("modules"),
        default=dict,
        blank=True,
        help_text=_("Per-module switch and settings: {module: {enabled: bool, settings: {...}}}."),
    )
    is_demo = models.BooleanField(
        _("demonstration data"), default=False, help_text=_("Marks a government filled with generated demo data.")
    )
    is_active = models.BooleanField(_("active"), default=True, help_text=_("Inactive governments are not served."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = GovernmentQuerySet.as_manager()

    class Meta:
        ordering = ["dpa_code"]
        verbose_name = _("government")
        verbose_name_plural = _("governments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__in=["province", "canton", "parish"]), name="government_level_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        expected = DPA_LENGTH_BY_LEVEL.get(self.level)
        if expected and self.dpa_code and len(self.dpa_code) != expected:
            raise ValidationError(
                {
                    "dpa_code": _("A %(level)s has a DPA code of %(n)d digits.")
                    % {"level": self.get_level_display(), "n": expected}
                }
            )
        for field in ("primary_colour",):
            colour = getattr(self, field)
            if HEX_COLOUR_RE.match(colour or "") and contrast_with_white(colour) < 4.5:
                raise ValidationError(
                    {
                        field: _(
                            "White text on this colour is hard to read (contrast %(ratio).1f:1; at least 4.5:1 is needed). Choose a darker colour."
                        )
                        % {"ratio": contrast_with_white(colour)}
                    }
                )

    @property
    def parent_dpa_code(self) -> str:
        return self.dpa_code[:-2] if len(self.dpa_code) > 2 else ""

    def module_enabled(self, key: str) -> bool:
        entry = (self.modules or {}).get(key, {})
        return bool(entry.get("enabled", True))

    def module_settings(self, key: str) -> dict:
        return dict((self.modules or {}).get(key, {}).get("settings", {}))


class GovernmentHost(models.Model):
    """A host name that serves a government's portal directly. A government's administrator
    requests it; it serves the government only once the platform's operator approved it. A
    name belongs to one government at most (a unique index), and never to the platform."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Awaiting approval")
        APPROVED = "approved", _("Approved")

    government = models.ForeignKey(
        Government,
        on_delete=models.CASCADE,
        related_name="host_names",
        verbose_name=_("government"),
        help_text=_("Government this host name serves."),
    )
    host = models.CharField(
        _("host name"),
        max_length=HOST_MAX_LENGTH,
        unique=True,
        validators=[validate_host],
        error_messages={"unique": _("This host name is already claimed by a government.")},
        help_text=_("Lower case, without scheme or port, e.g. transparencia.manabi.gob.ec."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.REQUESTED,
        help_text=_("Only approved host names serve the government."),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
        help_text=_("Administrator of the government who asked for the host name."),
    )
    requested_at = models.DateTimeField(_("requested"), help_text=_("When the host name was requested."))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
        help_text=_("Platform operator who approved the host name."),
    )
    approved_at = models.DateTimeField(
        _("approved"), null=True, blank=True, help_text=_("When the platform's operator approved the host name.")
    )

    class Meta:
        ordering = ["government", "pk"]
        verbose_name = _("government host name")
        verbose_name_plural = _("government host names")
        constraints = [
            models.CheckConstraint(condition=models.Q(host=Lower("host")), name="government_host_lower_case"),
            models.CheckConstraint(
                condition=models.Q(status="requested", approved_at__isnull=True)
                | models.Q(status="approved", approved_at__isnull=False),
                name="government_host_approval_dated",
            ),
        ]

    def __str__(self) -> str:
        return self.host

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


class GovernmentOwned(models.Model):
    """Abstract base of every government-owned row: the FK is denormalised onto each table so
    that scoping costs at most one join."""

    government = models.ForeignKey(
        Government,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("government"),
        help_text=_("Government that owns this record."),
    )

    class Meta:
        abstract = True


def scoped_manager(queryset_class: type[models.QuerySet] = models.QuerySet):
    """Default manager for government-owned models: refuses to run unless a government scope
    is active (request middleware, `government_scope()` in jobs and commands)."""
    base = models.Manager.from_queryset(queryset_class)

    class GovernmentManager(base):
        def for_government(self, government):
            """The rows of one government, whether or not a scope is active: the named way for
            services, jobs and commands to reach another government's rows than the request's
            (or any rows outside a request) without disabling scopes. Takes a government or
            its primary key (a model's clean() has only `government_id` at hand)."""
            if government is None:
                raise ValueError("for_government() needs a government")
            return self.with_scope(government=government).get_queryset()

        def for_governments(self, governments):
            """The rows of several governments (a province's catalog lists its cantons'), whether
            or not a scope is active; no governments, no rows."""
            ids = {getattr(government, "pk", government) for government in governments}
            if None in ids:
                raise ValueError("for_governments() needs governments, not None")
            if not ids:
                return self.none()
            return self.with_scope(government=sorted(ids)).get_queryset()

    return ScopedManager(government="government", _manager_class=GovernmentManager)
