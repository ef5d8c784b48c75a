"""Participatory events: the calendar of assemblies, public hearings, cabildos, budget meetings,
workshops and planning councils a government convenes (LOPC arts. 56, 73, 74, 76; COOTAD
arts. 303, 304), with registration (capacity and a waiting list), minutes, attendance counts
and the agreements ("acuerdos y compromisos") that come out of them.

Event types are data: every government gets the types of Ecuadorian practice and may rename,
add or retire them. Attendance is kept as aggregate numbers only (total, women, men, other)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from minga.core.tenancy.models import GovernmentOwned, scoped_manager

from ..processes.models import Process

# The types of Ecuadorian practice every government starts with: (key, name, what it is).
DEFAULT_TYPES = (
    ("asamblea-local", "Asamblea local", "Espacio de deliberación de la ciudadanía del territorio (LOPC art. 56)."),
    (
        "cabildo-popular",
        "Cabildo popular",
        "Sesión pública de convocatoria abierta a toda la ciudadanía (LOPC art. 76).",
    ),
    (
        "audiencia-publica",
        "Audiencia pública",
        "Espacio para atender pronunciamientos o peticiones ciudadanas (LOPC art. 73).",
    ),
    (
        "presupuesto-participativo",
        "Reunión de presupuesto participativo",
        "Reunión para priorizar la inversión con la ciudadanía (LOPC arts. 67–71).",
    ),
    ("mesa-de-trabajo", "Mesa de trabajo", "Trabajo temático o territorial con actores sociales."),
    ("taller", "Taller", "Sesión de capacitación o construcción colectiva."),
    (
        "consejo-de-planificacion",
        "Consejo de planificación",
        "Sesión del consejo de planificación local con representación ciudadana (COOTAD art. 300).",
    ),
)

# Accessibility features an event can offer (key, label).
ACCESSIBILITY = (
    ("ramp", _("Step-free access (ramp or lift)")),
    ("sign_language", _("Ecuadorian sign language interpretation")),
    ("captions", _("Live captions")),
    ("kichwa", _("Interpretation into Kichwa")),
    ("childcare", _("Childcare space")),
    ("accessible_toilet", _("Accessible toilet")),
    ("seating", _("Reserved seating")),
)
ACCESSIBILITY_LABELS = dict(ACCESSIBILITY)


class EventType(GovernmentOwned):
    key = models.SlugField(_("key"), max_length=60, help_text=_("Stable identifier, used in the calendar's filter."))
    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("description"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True, help_text=_("Retired types stay on past events."))

    objects = scoped_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("event type")
        verbose_name_plural = _("event types")
        constraints = [models.UniqueConstraint(fields=["government", "key"], name="participation_eventtype_key_unique")]

    def __str__(self) -> str:
        return self.name


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True).filter(Q(process__isnull=True) | Q(process__is_published=True))

    def upcoming(self, now: dt.datetime):
        return self.filter(ends_at__gt=now)

    def past(self, now: dt.datetime):
        return self.filter(ends_at__lte=now)


class Event(GovernmentOwned):
    """The convocation of one event and, once held, its minutes and attendance."""

    uid = models.UUIDField(_("calendar identifier"), default=uuid.uuid4, editable=False, unique=True)
    slug = models.SlugField(_("public identifier"), max_length=90)
    event_type = models.ForeignKey(EventType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="events")
    process = models.ForeignKey(
        Process,
        verbose_name=_("process"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        help_text=_("The participatory process the event is part of, if any."),
    )
    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(_("purpose"), help_text=_("Why the event is convened and what will be decided."))
    agenda = models.JSONField(_("agenda"), default=list, blank=True, help_text=_("The ordered items of the agenda."))
    territory_code = models.CharField(_("territory code"), max_length=30, blank=True)
    territory_name = models.CharField(_("territory"), max_length=120, blank=True)
    address = models.CharField(_("place"), max_length=300, blank=True, help_text=_("Venue and address."))
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    online_url = models.URLField(_("online link"), blank=True, help_text=_("Address of the video call or stream."))
    accessibility = models.JSONField(_("accessibility"), default=list, blank=True)
    accessibility_notes = models.CharField(_("accessibility notes"), max_length=500, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    registration_enabled = models.BooleanField(_("registration"), default=False)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Places for registered people; empty: no limit.")
    )
    is_published = models.BooleanField(_("published"), default=False)
    minutes_text = models.TextField(_("minutes"), blank=True, help_text=_("Markdown."))
    minutes_file = models.FileField(_("minutes (PDF)"), upload_to="participation/events/minutes/", blank=True)
    minutes_published_at = models.DateTimeField(_("minutes published"), null=True, blank=True)
    attendance_total = models.PositiveIntegerField(_("attendance"), null=True, blank=True)
    attendance_women = models.PositiveIntegerField(_("women"), null=True, blank=True)
    attendance_men = models.PositiveIntegerField(_("men"), null=True, blank=True)
    attendance_other = models.PositiveIntegerField(_("other or not stated"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = scoped_manager(EventQuerySet)

    class Meta:
        ordering = ["starts_at", "title"]
        verbose_name = _("participatory event")
        verbose_name_plural = _("participatory events")
        constraints = [
            models.UniqueConstraint(fields=["government", "slug"], name="participation_event_slug_unique"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="participation_event_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["government", "is_published", "starts_at"], name="participation_event_pub_idx")]

    def __str__(self) -> str:
        return self.title

    def is_past(self, now: dt.datetime) -> bool:
        return self.ends_at <= now

    @property
    def has_place(self) -> bool:
        return bool(self.address or self.latitude is not None)

    @property
    def accessibility_labels(self) -> list:
        return [ACCESSIBILITY_LABELS[key] for key in self.accessibility or [] if key in ACCESSIBILITY_LABELS]

    @property
    def has_minutes(self) -> bool:
        return self.minutes_published_at is not None and bool(self.minutes_text or self.minutes_file)


class Registration(GovernmentOwned):
    """One person's place at an event: a signed-in citizen, or a name and an e-mail confirmed by
    a link. Confirmed registrations take the places in order; the rest wait in line."""

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("Waiting for e-mail confirmation")
        CONFIRMED = "confirmed", _("Registered")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        "core.User", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("account")
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    token = models.CharField(max_length=40, unique=True, editable=False)
    queued_at = models.DateTimeField(_("in line since"), help_text=_("Order of the waiting list."))
    promoted_at = models.DateTimeField(_("promoted"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        ordering = ["queued_at", "pk"]
        verbose_name = _("event registration")
        verbose_name_plural = _("event registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(user__isnull=False) & ~Q(status="cancelled"),
                name="participation_registration_user_once",
            ),
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~Q(status="cancelled"),
                name="participation_registration_email_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.event}"


class Agreement(GovernmentOwned):
    """An agreement or commitment of an event ("acuerdos y compromisos"): what, who, by when
    and how it stands. Results link to it by kind "participation.agreement"."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Fulfilled")
        NOT_DONE = "not_done", _("Not fulfilled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agreements")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("agreement"))
    responsible = models.CharField(_("responsible"), max_length=200)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    status_note = models.CharField(_("status note"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = scoped_manager()

    class Meta:
        ordering = ["event", "number"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.UniqueConstraint(fields=["event", "number"], name="participation_agreement_number_unique"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "in_progress", "done", "not_done"]),
                name="participation_agreement_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:80]}"

    @property
    def key(self) -> str:
        """The public key other modules store: "<event slug>/<number>"."""
        return f"{self.event.slug}/{self.number}"

    def is_overdue(self, today: dt.date) -> bool:
        return self.due_on is not None and self.due_on < today and self.status in ("pending", "in_progress")
