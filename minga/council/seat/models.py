"""The silla vacía (empty chair; Const. art. 101, LOPC art. 77, COOTAD art. 311): citizens ask
for the seat on one agenda item, the secretariat accredits or denies them with reasons, and
every request stays in a public registry. When several people are accredited for one item, the
consensus step says who votes; without consensus they speak without a vote.

The designation document (the act of the assembly, cabildo or hearing that chose the person)
may carry signatures and cédula numbers: it is stored outside the public media folders and
served only to the council's officials. The registry says that it was presented, by whom and
when; the requester's e-mail and telephone are never public."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from minga.core.tenancy.models import GovernmentOwned, scoped_manager
from minga.core.verification.levels import Level

from ..sessions.models import AgendaItem

# Outside core/ui/media.py's PUBLIC_PREFIXES: never served as public media.
DOCUMENT_FOLDER = "council-private/seat/"

# Defaults of a council's rules (our reading of LOPC art. 77 and COOTAD art. 311: verify against
# the council's own ordinance on the silla vacía, which sets these figures).
DEFAULT_RULES = {
    "verification_level": Level.CEDULA,
    "deadline_hours": 48,
    "answer_hours": 24,
    "legal_reference": "Constitución art. 101; LOPC art. 77; COOTAD art. 311 (verify)",
}


class SeatRules(GovernmentOwned):
    """A council's settings of the silla vacía (one row per government; without one the
    defaults apply)."""

    verification_level = models.PositiveSmallIntegerField(
        _("verification required"),
        choices=Level.choices,
        default=DEFAULT_RULES["verification_level"],
        help_text=_("How sure the platform must be of the requester's identity."),
    )
    deadline_hours = models.PositiveSmallIntegerField(
        _("requests close (hours before the session)"),
        default=DEFAULT_RULES["deadline_hours"],
        help_text=_("Requests are received until this many hours before the session starts."),
    )
    answer_hours = models.PositiveSmallIntegerField(
        _("time to answer (hours)"),
        default=DEFAULT_RULES["answer_hours"],
        help_text=_("The secretariat accredits or denies within this many hours, and before the session starts."),
    )
    legal_reference = models.CharField(
        _("legal reference"),
        max_length=300,
        default=DEFAULT_RULES["legal_reference"],
        help_text=_("The articles and the council's ordinance that regulate the silla vacía."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = _("silla vacía rules")
        verbose_name_plural = _("silla vacía rules")
        constraints = [models.UniqueConstraint(fields=["government"], name="council_seatrules_one")]


class SeatRequest(GovernmentOwned):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("silla vacía", "Waiting for the secretariat")
        ACCREDITED = "accredited", pgettext_lazy("silla vacía", "Accredited")
        DENIED = "denied", pgettext_lazy("silla vacía", "Denied")
        WITHDRAWN = "withdrawn", pgettext_lazy("silla vacía", "Withdrawn")

    class Position(models.TextChoices):
        FOR = "for", pgettext_lazy("silla vacía", "In favour")
        AGAINST = "against", pgettext_lazy("silla vacía", "Against")
        OTHER = "other", pgettext_lazy("silla vacía", "Other position")

    LIVE = ("submitted", "accredited")

    uid = models.UUIDField(_("open data identifier"), default=uuid.uuid4, editable=False, unique=True)
    item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.PROTECT,  # the registry is kept by law
        related_name="seat_requests",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requester"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The account that asked; empty after the account was deleted."),
    )
    public_name = models.CharField(_("name"), max_length=200, help_text=_("The name published in the registry."))
    organisation = models.CharField(
        _("organisation represented"), max_length=250, help_text=_("The organisation or community represented.")
    )
    position = models.CharField(_("position on the item"), max_length=10, choices=Position.choices)
    position_text = models.TextField(_("position, in words"), max_length=2000)
    designated_by = models.CharField(
        _("chosen by"),
        max_length=250,
        help_text=_("The assembly, cabildo or public hearing that chose the person."),
    )
    designated_on = models.DateField(_("chosen on"), help_text=_("Date of that meeting."))
    document = models.FileField(
        _("designation document (PDF)"),
        upload_to=DOCUMENT_FOLDER,
        help_text=_("The act of the meeting that chose the person; seen only by the council's officials."),
    )
    phone = models.CharField(
        _("telephone"), max_length=40, blank=True, help_text=_("For the secretariat only; never published.")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    reasons = models.TextField(
        _("reasons"), blank=True, max_length=3000, help_text=_("The secretariat's reasons (required to deny).")
    )
    created_at = models.DateTimeField(_("received"))
    answer_due_at = models.DateTimeField(_("answer due"), help_text=_("When the secretariat must have answered."))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    objects = scoped_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("silla vacía request")
        verbose_name_plural = _("silla vacía requests")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "user"],
                condition=Q(status__in=["submitted", "accredited"]),
                name="council_seat_one_live_request",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["submitted", "accredited", "denied", "withdrawn"]),
                name="council_seat_status_valid",
            ),
            models.CheckConstraint(condition=Q(position__in=["for", "against", "other"]), name="council_seat_position"),
            models.CheckConstraint(condition=~Q(status="denied") | ~Q(reasons=""), name="council_seat_denial_reasons"),
        ]
        indexes = [models.Index(fields=["government", "status", "created_at"], name="council_seat_status")]

    def __str__(self) -> str:
        return f"{self.public_name} · {self.item}"


class SeatConsensus(GovernmentOwned):
    """The consensus step of an item with several accredited people: the one who votes, or
    none (no consensus: they all speak without a vote)."""

    item = models.OneToOneField(AgendaItem, on_delete=models.PROTECT, related_name="seat_consensus")
    chosen = models.ForeignKey(
        SeatRequest,
        verbose_name=_("chosen to vote"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: no consensus, the accredited people speak without a vote."),
    )
    note = models.CharField(_("note"), max_length=400, blank=True, help_text=_("How the consensus was reached."))
    recorded_at = models.DateTimeField(_("recorded"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = scoped_manager()

    class Meta:
        verbose_name = _("silla vacía consensus")
        verbose_name_plural = _("silla vacía consensus")
