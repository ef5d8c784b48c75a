"""Sessions of the council and of its committees (Open Civic Data's *events*): the
convocation with its agenda, the documents, attendance, the outcome of each agenda item and
the vote events with one vote per member (OCD's *vote events*, *votes* and *counts*)."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from minga.core.tenancy.models import GovernmentOwned, scoped_manager

from ..acts.models import Act
from ..members.models import Committee, Council, Person


class SessionQuerySet(models.QuerySet):
    def published(self):
        """Sessions the public sees: convened (their convocation is published) or later."""
        return self.exclude(status=Session.Status.DRAFT)


class Session(GovernmentOwned):
    class Kind(models.TextChoices):
        ORDINARY = "ordinary", pgettext_lazy("council session", "Ordinary session")
        EXTRAORDINARY = "extraordinary", pgettext_lazy("council session", "Extraordinary session")
        COMMITTEE = "committee", pgettext_lazy("council session", "Committee session")

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("council session", "Draft (not convened)")
        CONVENED = "convened", pgettext_lazy("council session", "Convened")
        HELD = "held", pgettext_lazy("council session", "Held")
        CLOSED = "closed", pgettext_lazy("council session", "Closed (minutes approved)")
        CANCELLED = "cancelled", pgettext_lazy("council session", "Cancelled")

    uid = models.UUIDField(_("open data identifier"), default=uuid.uuid4, editable=False, unique=True)
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="sessions")
    committee = models.ForeignKey(
        Committee,
        verbose_name=pgettext_lazy("council committee", "committee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        help_text=_("For a committee session: the committee that meets."),
    )
    slug = models.SlugField(_("public identifier"), max_length=90, help_text=_("Used in the session's address."))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, help_text=_("Kind of session."))
    number = models.CharField(
        _("number"), max_length=60, blank=True, help_text=_("The secretariat's number, e.g. 012-2026.")
    )
    title = models.CharField(_("title"), max_length=250, help_text=_("E.g. Sesión ordinaria n.º 12."))
    starts_at = models.DateTimeField(_("starts"), help_text=_("Date and time the session is convened for."))
    place = models.CharField(_("place"), max_length=250, blank=True, help_text=_("Where it meets."))
    stream_url = models.URLField(
        _("stream link"), blank=True, help_text=_("Public address of the live or recorded stream.")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, help_text=_("Where the session is.")
    )
    convened_at = models.DateTimeField(
        _("convened"), null=True, blank=True, help_text=_("When the convocation was published.")
    )
    notes = models.TextField(_("notes"), blank=True, help_text=_("Public notes on the session."))
    minutes = models.FileField(
        _("minutes (PDF)"), upload_to="council/minutes/", blank=True, help_text=_("The minutes as a PDF.")
    )
    minutes_summary = models.TextField(
        _("summary of the minutes"), blank=True, help_text=_("What was resolved, in plain words.")
    )
    public_attendance = models.PositiveIntegerField(
        _("citizens attending"),
        null=True,
        blank=True,
        help_text=_("How many members of the public attended in the room, as the secretariat counted them."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = scoped_manager(SessionQuerySet)

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.UniqueConstraint(fields=["government", "slug"], name="council_session_slug_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=["ordinary", "extraordinary", "committee"]), name="council_session_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "convened", "held", "closed", "cancelled"]),
                name="council_session_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind="committee", committee__isnull=False)
                | (~Q(kind="committee") & Q(committee__isnull=True)),
                name="council_session_committee_kind",
            ),
        ]
        indexes = [models.Index(fields=["government", "status", "starts_at"], name="council_session_when")]

    def __str__(self) -> str:
        return self.title

    @property
    def ocd_id(self) -> str:
        return f"ocd-event/{self.uid}"


class AgendaItem(GovernmentOwned):
    class Outcome(models.TextChoices):
        PENDING = "pending", pgettext_lazy("agenda item", "Pending")
        APPROVED = "approved", pgettext_lazy("agenda item", "Approved")
        REJECTED = "rejected", pgettext_lazy("agenda item", "Rejected")
        DEFERRED = "deferred", pgettext_lazy("agenda item", "Deferred")
        WITHDRAWN = "withdrawn", pgettext_lazy("agenda item", "Withdrawn")
        NOTED = "noted", pgettext_lazy("agenda item", "Taken note of")

    uid = models.UUIDField(_("open data identifier"), default=uuid.uuid4, editable=False, unique=True)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("order"), help_text=_("1, 2, … in the order of the day."))
    title = models.CharField(_("title"), max_length=400, help_text=_("The item as the convocation reads it."))
    description = models.TextField(_("description"), blank=True, help_text=_("Details of the item."))
    act = models.ForeignKey(
        Act,
        verbose_name=_("act"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
        help_text=_("The act the item deals with, if any."),
    )
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.PENDING, help_text=_("What was decided.")
    )
    outcome_note = models.CharField(
        _("outcome note"), max_length=400, blank=True, help_text=_("The decision in a sentence.")
    )

    objects = scoped_manager()

    class Meta:
        ordering = ["session", "position"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(fields=["session", "position"], name="council_agenda_position_unique"),
            models.CheckConstraint(
                condition=Q(outcome__in=["pending", "approved", "rejected", "deferred", "withdrawn", "noted"]),
                name="council_agenda_outcome_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class SessionDocument(GovernmentOwned):
    class Kind(models.TextChoices):
        CONVOCATION = "convocation", _("Convocation")
        SUPPORT = "support", _("Supporting document")
        MINUTES = "minutes", _("Minutes")
        OTHER = "other", _("Other document")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="documents")
    item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
        help_text=_("The item the document belongs to, if any."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SUPPORT)
    title = models.CharField(_("title"), max_length=200, help_text=_("What the document is."))
    file = models.FileField(_("file (PDF)"), upload_to="council/sessions/")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        ordering = ["item__position", "pk"]
        verbose_name = _("session document")
        verbose_name_plural = _("session documents")

    def __str__(self) -> str:
        return self.title


class Attendance(GovernmentOwned):
    class Status(models.TextChoices):
        PRESENT = "present", pgettext_lazy("attendance", "Present")
        ABSENT = "absent", pgettext_lazy("attendance", "Absent")
        EXCUSED = "excused", pgettext_lazy("attendance", "Excused")
        REPLACED = "replaced", pgettext_lazy("attendance", "Replaced by the alternate")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendance")
    status = models.CharField(_("attendance"), max_length=10, choices=Status.choices)
    note = models.CharField(_("note"), max_length=200, blank=True, help_text=_("E.g. arrived at item 3."))

    objects = scoped_manager()

    class Meta:
        ordering = ["session", "person__name"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="council_attendance_unique"),
            models.CheckConstraint(
                condition=Q(status__in=["present", "absent", "excused", "replaced"]),
                name="council_attendance_status_valid",
            ),
        ]


class VoteOption(models.TextChoices):
    YES = "yes", pgettext_lazy("vote", "Yes")
    NO = "no", pgettext_lazy("vote", "No")
    ABSTAIN = "abstain", pgettext_lazy("vote", "Abstain")
    BLANK = "blank", pgettext_lazy("vote", "Blank")
    ABSENT = "absent", pgettext_lazy("vote", "Absent")


VOTE_OPTIONS = ["yes", "no", "abstain", "blank", "absent"]


class VoteEvent(GovernmentOwned):
    """A vote on a motion of an agenda item (OCD's *VoteEvent*)."""

    class Result(models.TextChoices):
        PASSED = "passed", pgettext_lazy("vote result", "Passed")
        FAILED = "failed", pgettext_lazy("vote result", "Failed")

    uid = models.UUIDField(_("open data identifier"), default=uuid.uuid4, editable=False, unique=True)
    item = models.ForeignKey(AgendaItem, verbose_name=_("agenda item"), on_delete=models.CASCADE, related_name="votes")
    position = models.PositiveSmallIntegerField(
        _("order"), default=1, help_text=_("1 for the item's first vote, then in order.")
    )
    motion = models.CharField(
        _("motion"), max_length=400, help_text=_("What was put to the vote, e.g. Aprobar en segundo debate.")
    )
    result = models.CharField(_("result"), max_length=10, choices=Result.choices)
    act = models.ForeignKey(
        Act,
        verbose_name=_("act"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="vote_events",
        help_text=_("The act voted on (copied from the agenda item)."),
    )
    # The silla vacía: the accredited citizen's vote, with their name as published.
    empty_chair_option = models.CharField(
        _("vote of the empty chair"),
        max_length=10,
        choices=VoteOption.choices,
        blank=True,
        help_text=_("The citizen who occupied the silla vacía voted so; empty when nobody did."),
    )
    empty_chair_name = models.CharField(
        _("occupant of the empty chair"), max_length=200, blank=True, help_text=_("Name as published.")
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        ordering = ["item__session__starts_at", "item__position", "position"]
        verbose_name = _("vote event")
        verbose_name_plural = _("vote events")
        constraints = [
            models.UniqueConstraint(fields=["item", "position"], name="council_voteevent_position_unique"),
            models.CheckConstraint(condition=Q(result__in=["passed", "failed"]), name="council_voteevent_result_valid"),
            models.CheckConstraint(
                condition=Q(empty_chair_option="") | Q(empty_chair_option__in=VOTE_OPTIONS),
                name="council_voteevent_empty_chair_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.motion

    @property
    def ocd_id(self) -> str:
        return f"ocd-vote/{self.uid}"


class Vote(GovernmentOwned):
    """One member's vote in a vote event (OCD's *PersonVote*); one per member and event."""

    event = models.ForeignKey(VoteEvent, on_delete=models.CASCADE, related_name="votes")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="votes")
    option = models.CharField(_("vote"), max_length=10, choices=VoteOption.choices)

    objects = scoped_manager()

    class Meta:
        ordering = ["event", "person__name"]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="council_vote_once"),
            models.CheckConstraint(condition=Q(option__in=VOTE_OPTIONS), name="council_vote_option_valid"),
        ]
        indexes = [models.Index(fields=["government", "person", "event"], name="council_vote_person")]
