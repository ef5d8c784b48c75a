"""Participatory processes and their phases (Decidim's participatory processes and steps).

A process belongs to one government, covers the whole of its territory or some of its parishes
or neighbourhoods, runs between two dates and goes through an ordered list of phases; each
phase switches the features of participation on or off (propose, support, comment, vote, show
results) and holds its own settings. The process holds settings too (thresholds, limits, the
verification each action needs), checked against the schema of `settings.py`."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from minga.core.phases.models import PhaseBase
from minga.core.tenancy.models import GovernmentOwned, scoped_manager

from ..features import MODULE

# Words the module's own addresses use under /participacion/: never a process's slug.
RESERVED_SLUGS = frozenset({"gestion", "procesos", "api", "eventos", "veedurias"})

UPCOMING, ONGOING, FINISHED = "upcoming", "ongoing", "finished"


class ProcessQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def ongoing(self, now: dt.datetime):
        return self.filter(starts_at__lte=now, ends_at__gt=now)

    def upcoming(self, now: dt.datetime):
        return self.filter(starts_at__gt=now)

    def finished(self, now: dt.datetime):
        return self.filter(ends_at__lte=now)


class Process(GovernmentOwned):
    """A participatory process: "Presupuesto participativo 2027", "Consulta sobre movilidad"."""

    class Kind(models.TextChoices):
        GENERAL = "general", _("Participatory process")
        CONSULTATION = "consultation", _("Citizen consultation")
        PARTICIPATORY_BUDGET = "participatory_budget", _("Participatory budget")
        PROPOSALS = "proposals", _("Call for proposals")
        PLANNING = "planning", _("Participatory planning")

    slug = models.SlugField(
        _("public identifier"),
        max_length=80,
        help_text=_("Stable identifier used in the process's address; unique within the government."),
    )
    title = models.CharField(
        _("title"), max_length=200, help_text=_("Name of the process, e.g. Presupuesto participativo 2027.")
    )
    summary = models.CharField(
        _("summary"),
        max_length=300,
        blank=True,
        help_text=_("One or two sentences for lists and cards: what is decided and who can take part."),
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_(
            "The whole explanation. Blank lines separate paragraphs; **bold**, lists with -, links "
            "[text](https://…) and headings with # are kept."
        ),
    )
    kind = models.CharField(
        _("kind"),
        max_length=30,
        choices=Kind.choices,
        default=Kind.GENERAL,
        help_text=_("What sort of process it is; citizens can filter by it."),
    )
    territories = models.JSONField(
        _("territories"),
        default=list,
        blank=True,
        help_text=_(
            "Parishes or neighbourhoods the process covers, as [{code, name}]; empty: the whole territory "
            "of the government."
        ),
    )
    starts_at = models.DateTimeField(_("starts"), help_text=_("When the process opens (Ecuador time)."))
    ends_at = models.DateTimeField(_("ends"), help_text=_("When the process closes (Ecuador time)."))
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Shown on the public pages, search, feeds, open data and API.")
    )
    image = models.ImageField(
        _("image"),
        upload_to="participation/processes/",
        blank=True,
        help_text=_("Optional picture for the process's card and page; stored without metadata."),
    )
    image_alt = models.CharField(
        _("image description"),
        max_length=200,
        blank=True,
        help_text=_("What the picture shows, for people who cannot see it. Leave empty if it is only decoration."),
    )
    settings = models.JSONField(
        _("settings"),
        default=dict,
        blank=True,
        help_text=_("Settings of the process (thresholds, limits, verification per action), checked by its schema."),
    )
    voting_opened_at = models.DateTimeField(
        _("voting opened"),
        null=True,
        blank=True,
        help_text=_(
            "When voting was opened explicitly (for example by the first ballot). From then on, as from the "
            "start of a voting phase, the voting rules cannot change."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, help_text=_("Last change."))

    objects = scoped_manager(ProcessQuerySet)

    class Meta:
        ordering = ["-starts_at", "title"]
        verbose_name = _("participatory process")
        verbose_name_plural = _("participatory processes")
        constraints = [
            models.UniqueConstraint(fields=["government", "slug"], name="participation_process_slug_unique"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="participation_process_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["general", "consultation", "participatory_budget", "proposals", "planning"]),
                name="participation_process_kind_valid",
            ),
        ]
        indexes = [models.Index(fields=["government", "is_published", "starts_at"], name="participation_proc_pub_idx")]

    def __str__(self) -> str:
        return self.title

    def status(self, now: dt.datetime) -> str:
        if now < self.starts_at:
            return UPCOMING
        if now < self.ends_at:
            return ONGOING
        return FINISHED

    @property
    def territory_codes(self) -> list[str]:
        return [item.get("code", "") for item in self.territories or [] if isinstance(item, dict)]

    @property
    def territory_names(self) -> list[str]:
        return [item.get("name") or item.get("code", "") for item in self.territories or [] if isinstance(item, dict)]

    @property
    def covers_whole_territory(self) -> bool:
        return not self.territories

    def clean(self) -> None:
        errors = {}
        if self.slug and self.government_id:
            taken = Process.objects.for_government(self.government_id).filter(slug=self.slug).exclude(pk=self.pk)
            if taken.exists():
                errors["slug"] = _("Another process of this government already uses this identifier.")
        if self.slug in RESERVED_SLUGS:
            errors["slug"] = _("This identifier is reserved for a page of the portal; choose another.")
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The process must end after it starts.")
        if not isinstance(self.territories, list) or not all(
            isinstance(item, dict) and isinstance(item.get("code"), str) and item.get("code")
            for item in self.territories
        ):
            errors["territories"] = _("The territories must be a list of codes with their names.")
        if not isinstance(self.settings, dict):
            errors["settings"] = _("The settings must be a set of named values.")
        if errors:
            raise ValidationError(errors)


class PhaseQuerySet(models.QuerySet):
    pass


class Phase(GovernmentOwned, PhaseBase):
    """One phase of a process: its dates, what citizens can do during it and its settings."""

    PHASE_MODULE = MODULE

    process = models.ForeignKey(
        Process,
        verbose_name=_("process"),
        on_delete=models.CASCADE,
        related_name="phases",
        help_text=_("The process this phase belongs to."),
    )

    objects = scoped_manager(PhaseQuerySet)

    class Meta:
        ordering = ["position", "starts_at"]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        constraints = [
            models.UniqueConstraint(fields=["process", "position"], name="participation_phase_position_unique"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="participation_phase_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(position__gte=1), name="participation_phase_position_from_one"),
        ]

    def clean(self) -> None:
        super().clean()
        if self.process_id is not None and self.process.government_id != self.government_id:
            raise ValidationError({"process": _("The process must belong to the same government.")})
