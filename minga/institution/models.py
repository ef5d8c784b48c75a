"""Access to the government: the organisational chart (units), the authorities who lead it
and the institutional agenda. Every row belongs to one government and is only reachable inside
that government's scope."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from minga.core.tenancy.models import GovernmentOwned, scoped_manager

# The deepest org chart we accept; also stops a corrupted hierarchy from looping forever.
MAX_DEPTH = 12


class UnitQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)

    def roots(self):
        return self.filter(parent__isnull=True)


class Unit(GovernmentOwned):
    """A node of the organisational chart: a council, a directorate, an office."""

    class Kind(models.TextChoices):
        COUNCIL = "council", _("Legislative body (council)")
        EXECUTIVE = "executive", _("Executive")
        ADVISORY = "advisory", _("Advisory")
        SUPPORT = "support", _("Support")
        OPERATIVE = "operative", _("Operative (adds public value)")
        DECENTRALISED = "decentralised", _("Decentralised or attached entity")

    name = models.CharField(_("name"), max_length=200, help_text=_("Official name, e.g. Dirección de Obras Públicas."))
    acronym = models.CharField(_("acronym"), max_length=20, blank=True, help_text=_("Short form, e.g. DOP."))
    slug = models.SlugField(
        _("public identifier"),
        max_length=80,
        help_text=_("Stable identifier used in the unit's address; unique within the government."),
    )
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=Kind.choices,
        default=Kind.OPERATIVE,
        help_text=_("Level of the unit in the organisational structure."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("reports to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("The unit directly above this one; empty for the top of the chart."),
    )
    head = models.ForeignKey(
        "Authority",
        verbose_name=_("head"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_units",
        help_text=_("The authority currently heading the unit."),
    )
    description = models.TextField(_("description"), blank=True, help_text=_("What the unit does, in plain words."))
    functions = models.TextField(_("functions"), blank=True, help_text=_("Its functions, one per line."))
    email = models.EmailField(_("contact e-mail"), blank=True, help_text=_("Public e-mail of the unit."))
    phone = models.CharField(_("contact phone"), max_length=40, blank=True, help_text=_("Public phone of the unit."))
    address = models.CharField(_("address"), max_length=250, blank=True, help_text=_("Where the unit receives people."))
    order = models.PositiveIntegerField(
        _("display order"), default=0, help_text=_("Units with a lower number are shown first among their siblings.")
    )
    is_public = models.BooleanField(
        _("public"), default=True, help_text=_("Shown in the public organisational chart, search and API.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, help_text=_("Last change."))

    objects = scoped_manager(UnitQuerySet)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(fields=["government", "slug"], name="institution_unit_slug_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=["council", "executive", "advisory", "support", "operative", "decentralised"]),
                name="institution_unit_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list[Unit]:
        """From the direct parent up to the top (stops at MAX_DEPTH)."""
        found, current = [], self.parent
        while current is not None and len(found) < MAX_DEPTH:
            found.append(current)
            current = current.parent
        return found

    def function_list(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.functions.splitlines() if line.strip(" -•\t")]

    def clean(self) -> None:
        errors = {}
        if self.slug and self.government_id:
            taken = Unit.objects.for_government(self.government_id).filter(slug=self.slug).exclude(pk=self.pk)
            if taken.exists():
                errors["slug"] = _("Another unit of this government already uses this identifier.")
        if self.parent_id is not None:
            errors.update(self._parent_errors())
        if self.head_id is not None and self.head.government_id != self.government_id:
            errors["head"] = _("The head must be an authority of the same government.")
        if errors:
            raise ValidationError(errors)

    def _parent_errors(self) -> dict:
        parent = self.parent
        if parent.government_id != self.government_id:
            return {"parent": _("A unit can only report to a unit of the same government.")}
        if self.pk is not None and parent.pk == self.pk:
            return {"parent": _("A unit cannot report to itself.")}
        seen, current, depth = set(), parent, 1
        while current is not None:
            if self.pk is not None and current.pk == self.pk:
                return {"parent": _("This would create a loop: the chosen unit already reports to this one.")}
            if current.pk in seen or depth > MAX_DEPTH:
                return {"parent": _("The organisational chart is too deep or has a loop.")}
            seen.add(current.pk)
            current, depth = current.parent, depth + 1
        return {}


class AuthorityQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def current(self, today: dt.date):
        return self.filter(Q(term_start__lte=today) | Q(term_start__isnull=True)).filter(
            Q(term_end__isnull=True) | Q(term_end__gte=today)
        )

    def past(self, today: dt.date):
        return self.filter(term_end__lt=today)


class Authority(GovernmentOwned):
    """A person who leads the government or one of its units for a term."""

    name = models.CharField(_("full name"), max_length=200, help_text=_("Name as it appears in official documents."))
    slug = models.SlugField(
        _("public identifier"),
        max_length=80,
        help_text=_("Stable identifier used in the authority's address; unique within the government."),
    )
    position = models.CharField(_("position"), max_length=200, help_text=_("E.g. Prefecta, Concejal, Director."))
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="authorities",
        help_text=_("Unit where the authority serves."),
    )
    photo = models.ImageField(
        _("photo"),
        upload_to="institution/authorities/",
        blank=True,
        help_text=_("Portrait; resized to at most 800 pixels and stored without metadata."),
    )
    term_start = models.DateField(_("term start"), null=True, blank=True, help_text=_("First day of the term."))
    term_end = models.DateField(
        _("term end"), null=True, blank=True, help_text=_("Last day of the term; empty while it is open-ended.")
    )
    biography = models.TextField(
        _("biography"), blank=True, help_text=_("Plain text; blank lines separate paragraphs.")
    )
    email = models.EmailField(_("contact e-mail"), blank=True, help_text=_("Public institutional e-mail."))
    phone = models.CharField(_("contact phone"), max_length=40, blank=True, help_text=_("Public institutional phone."))
    order = models.PositiveIntegerField(
        _("display order"), default=0, help_text=_("Authorities with a lower number are shown first.")
    )
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Shown in the public gallery, search, feeds and API.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, help_text=_("Last change."))

    objects = scoped_manager(AuthorityQuerySet)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("authority")
        verbose_name_plural = _("authorities")
        constraints = [
            models.UniqueConstraint(fields=["government", "slug"], name="institution_authority_slug_unique"),
            models.CheckConstraint(
                condition=Q(term_end__isnull=True)
                | Q(term_start__isnull=True)
                | Q(term_end__gte=models.F("term_start")),
                name="institution_authority_term_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_current(self, today: dt.date) -> bool:
        started = self.term_start is None or self.term_start <= today
        return started and (self.term_end is None or self.term_end >= today)

    def clean(self) -> None:
        errors = {}
        if self.slug and self.government_id:
            taken = Authority.objects.for_government(self.government_id).filter(slug=self.slug).exclude(pk=self.pk)
            if taken.exists():
                errors["slug"] = _("Another authority of this government already uses this identifier.")
        if self.term_start and self.term_end and self.term_end < self.term_start:
            errors["term_end"] = _("The term cannot end before it starts.")
        if self.unit_id is not None and self.unit.government_id != self.government_id:
            errors["unit"] = _("The unit must belong to the same government.")
        if errors:
            raise ValidationError(errors)


class DeclarationLinkQuerySet(models.QuerySet):
    pass


class DeclarationLink(GovernmentOwned):
    """A link to a sworn declaration (e.g. the asset declaration published by the Contraloría)."""

    authority = models.ForeignKey(
        Authority,
        verbose_name=_("authority"),
        on_delete=models.CASCADE,
        related_name="declarations",
        help_text=_("Whose declaration this is."),
    )
    title = models.CharField(
        _("title"), max_length=200, help_text=_("E.g. Declaración patrimonial juramentada de inicio de gestión.")
    )
    url = models.URLField(_("address"), max_length=500, help_text=_("Where the declaration is published."))
    year = models.PositiveSmallIntegerField(_("year"), help_text=_("Year of the declaration."))

    objects = scoped_manager(DeclarationLinkQuerySet)

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("declaration link")
        verbose_name_plural = _("declaration links")
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=1990) & Q(year__lte=2200), name="institution_declaration_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"

    def clean(self) -> None:
        if self.authority_id is not None and self.authority.government_id != self.government_id:
            raise ValidationError({"authority": _("The authority must belong to the same government.")})
        if self.year is not None and not 1990 <= self.year <= 2200:
            raise ValidationError({"year": _("Enter a year between 1990 and 2200.")})
        if self.url and not self.url.lower().startswith(("https://", "http://")):
            raise ValidationError({"url": _("Use a web address starting with https://.")})


class AgendaEventQuerySet(models.QuerySet):
    def public(self):
        return self.filter(visibility=AgendaEvent.Visibility.PUBLIC)

    def upcoming(self, now: dt.datetime):
        return self.filter(Q(ends_at__gte=now) | Q(ends_at__isnull=True, starts_at__gte=now)).order_by("starts_at")

    def past(self, now: dt.datetime):
        return self.exclude(Q(ends_at__gte=now) | Q(ends_at__isnull=True, starts_at__gte=now)).order_by("-starts_at")

    def between(self, start: dt.datetime, end: dt.datetime):
        """Events that start before `end` and have not finished before `start`."""
        return self.filter(starts_at__lt=end).filter(
            Q(ends_at__gte=start) | Q(ends_at__isnull=True, starts_at__gte=start)
        )

    def for_authority(self, authority):
        return self.filter(authorities=authority)

    def for_unit(self, unit):
        return self.filter(unit=unit)


class AgendaEvent(GovernmentOwned):
    """One entry of the institutional agenda."""

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        PRIVATE = "private", _("Private (never published)")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    uid = models.UUIDField(
        _("public identifier"),
        default=uuid.uuid4,
        editable=False,
        help_text=_("Stable identifier used in the event's address and as the iCalendar UID."),
    )
    title = models.CharField(
        _("title"), max_length=250, help_text=_("What happens, e.g. Sesión ordinaria del Consejo.")
    )
    starts_at = models.DateTimeField(_("starts"), help_text=_("Date and time it starts (Ecuador time)."))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True, help_text=_("Date and time it ends, if known."))
    all_day = models.BooleanField(_("all day"), default=False, help_text=_("The event lasts the whole day(s)."))
    location = models.CharField(_("location"), max_length=250, blank=True, help_text=_("Where it takes place."))
    participants = models.TextField(_("participants"), blank=True, help_text=_("Who takes part, in plain text."))
    description = models.TextField(
        _("description"), blank=True, help_text=_("Plain text; blank lines separate paragraphs.")
    )
    visibility = models.CharField(
        _("visibility"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
        help_text=_("Private events are only seen in the back office: never in pages, feeds, search or the API."),
    )
    authorities = models.ManyToManyField(
        Authority,
        verbose_name=_("authorities"),
        blank=True,
        related_name="events",
        help_text=_("Authorities who take part."),
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        help_text=_("Unit that organises it, if any."),
    )
    minutes_url = models.URLField(
        _("minutes"),
        max_length=500,
        blank=True,
        help_text=_("Address of the minutes or the recording, once published."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.SCHEDULED,
        help_text=_("Cancelled events stay visible, marked as cancelled."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, help_text=_("Last change."))

    objects = scoped_manager(AgendaEventQuerySet)

    class Meta:
        ordering = ["starts_at", "title"]
        verbose_name = _("agenda event")
        verbose_name_plural = _("agenda events")
        constraints = [
            models.UniqueConstraint(fields=["uid"], name="institution_event_uid_unique"),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                name="institution_event_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=["public", "private"]), name="institution_event_visibility"
            ),
            models.CheckConstraint(condition=Q(status__in=["scheduled", "cancelled"]), name="institution_event_status"),
        ]
        indexes = [models.Index(fields=["government", "starts_at"], name="institution_event_start_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.visibility == self.Visibility.PUBLIC

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    def clean(self) -> None:
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("The event cannot end before it starts.")
        if self.unit_id is not None and self.unit.government_id != self.government_id:
            errors["unit"] = _("The unit must belong to the same government.")
        if self.minutes_url and not self.minutes_url.lower().startswith(("https://", "http://")):
            errors["minutes_url"] = _("Use a web address starting with https://.")
        if errors:
            raise ValidationError(errors)
