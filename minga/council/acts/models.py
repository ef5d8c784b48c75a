"""Acts of the council (Open Civic Data's *bills*): ordinance projects, resolutions and
agreements, with their sponsors, subjects, versions of the text as ordered structural units
(títulos, capítulos, artículos, disposiciones), attached PDF documents and the dated actions
that make up their procedure. The current stage is kept on the act as a cache of its latest
action, written only by the service that records actions."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from minga.core.tenancy.models import GovernmentOwned, scoped_manager

from ..lifecycle.stages import STAGE_CHOICES
from ..members.models import Committee, Council, Person


class Subject(GovernmentOwned):
    slug = models.SlugField(_("public identifier"), max_length=90, help_text=_("Used in filters."))
    name = models.CharField(_("name"), max_length=120, help_text=_("E.g. Ambiente, Vialidad, Presupuesto."))

    objects = scoped_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")
        constraints = [models.UniqueConstraint(fields=["government", "slug"], name="council_subject_slug_unique")]

    def __str__(self) -> str:
        return self.name


class ActQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_public=True)


class Act(GovernmentOwned):
    class Kind(models.TextChoices):
        ORDINANCE = "ordinance", _("Ordinance project")
        RESOLUTION = "resolution", _("Resolution")
        AGREEMENT = "agreement", _("Agreement")

    uid = models.UUIDField(_("open data identifier"), default=uuid.uuid4, editable=False, unique=True)
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="acts")
    slug = models.SlugField(_("public identifier"), max_length=90, help_text=_("Used in the act's address."))
    identifier = models.CharField(
        _("number"), max_length=60, help_text=_("The secretariat's number, e.g. PO-2026-004.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, help_text=_("Kind of act."))
    title = models.CharField(_("title"), max_length=300, help_text=_("The act's full title."))
    summary = models.TextField(_("summary"), blank=True, help_text=_("What the act does, in plain words."))
    subjects = models.ManyToManyField(Subject, blank=True, related_name="acts", verbose_name=_("subjects"))
    committee = models.ForeignKey(
        Committee,
        verbose_name=_("committee"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="acts",
        help_text=_("The committee the act is assigned to."),
    )
    stage = models.CharField(
        _("stage"), max_length=30, choices=STAGE_CHOICES, blank=True, help_text=_("Stage of the latest action.")
    )
    stage_date = models.DateField(_("stage date"), null=True, blank=True, help_text=_("Date of the latest action."))
    is_public = models.BooleanField(_("public"), default=True, help_text=_("Shown on the public pages."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = scoped_manager(ActQuerySet)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("act")
        verbose_name_plural = _("acts")
        constraints = [
            models.UniqueConstraint(fields=["government", "slug"], name="council_act_slug_unique"),
            models.UniqueConstraint(fields=["government", "identifier"], name="council_act_identifier_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=["ordinance", "resolution", "agreement"]), name="council_act_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["government", "stage"], name="council_act_stage")]

    def __str__(self) -> str:
        return f"{self.identifier} {self.title}"

    @property
    def ocd_id(self) -> str:
        return f"ocd-bill/{self.uid}"


class Sponsorship(GovernmentOwned):
    act = models.ForeignKey(Act, on_delete=models.CASCADE, related_name="sponsorships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="sponsorships")
    primary = models.BooleanField(_("primary sponsor"), default=False, help_text=_("Who presented the act."))

    objects = scoped_manager()

    class Meta:
        ordering = ["-primary", "person__name"]
        verbose_name = _("sponsorship")
        verbose_name_plural = _("sponsorships")
        constraints = [models.UniqueConstraint(fields=["act", "person"], name="council_sponsorship_unique")]


class Version(GovernmentOwned):
    act = models.ForeignKey(Act, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("number"), help_text=_("1 for the text presented, then in order."))
    label = models.CharField(
        _("name"), max_length=150, help_text=_("E.g. Texto presentado, Texto para segundo debate.")
    )
    dated = models.DateField(_("date"), help_text=_("Date of the text."))
    note = models.TextField(_("note"), blank=True, help_text=_("Where the version comes from (debate, report)."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        ordering = ["number"]
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        constraints = [models.UniqueConstraint(fields=["act", "number"], name="council_version_number_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.label}"


class Unit(GovernmentOwned):
    """One structural unit of a version's text, in reading order."""

    class Kind(models.TextChoices):
        PREAMBLE = "preamble", _("Preamble")
        TITLE = "title", _("Title")
        CHAPTER = "chapter", _("Chapter")
        SECTION = "section", _("Section")
        ARTICLE = "article", _("Article")
        GENERAL = "general", _("General provision")
        TRANSITORY = "transitory", _("Transitory provision")
        REFORMATORY = "reformatory", _("Reformatory provision")
        DEROGATORY = "derogatory", _("Derogatory provision")
        FINAL = "final", _("Final provision")

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="units")
    position = models.PositiveIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=30, blank=True, help_text=_("E.g. 12, I, PRIMERA."))
    heading = models.CharField(_("heading"), max_length=300, blank=True)
    body = models.TextField(_("text"), blank=True)

    objects = scoped_manager()

    class Meta:
        ordering = ["position"]
        verbose_name = _("text unit")
        verbose_name_plural = _("text units")
        constraints = [models.UniqueConstraint(fields=["version", "position"], name="council_unit_position_unique")]


class Document(GovernmentOwned):
    class Kind(models.TextChoices):
        COMMITTEE_REPORT = "committee_report", _("Committee report")
        LEGAL_OPINION = "legal_opinion", _("Legal opinion")
        EXPLANATORY = "explanatory", _("Explanatory statement")
        OTHER = "other", _("Other document")

    act = models.ForeignKey(Act, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("title"), max_length=200, help_text=_("What the document is."))
    dated = models.DateField(_("date"), help_text=_("Date of the document."))
    file = models.FileField(_("file (PDF)"), upload_to="council/documents/")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        ordering = ["dated", "pk"]
        verbose_name = _("act document")
        verbose_name_plural = _("act documents")

    def __str__(self) -> str:
        return self.title


class Action(GovernmentOwned):
    """A dated step of the procedure (Open Civic Data's *BillAction*)."""

    act = models.ForeignKey(Act, on_delete=models.CASCADE, related_name="actions")
    stage = models.CharField(_("stage"), max_length=30, choices=STAGE_CHOICES, help_text=_("What happened."))
    date = models.DateField(_("date"), help_text=_("When it happened."))
    description = models.CharField(_("description"), max_length=300, blank=True, help_text=_("Details, if any."))
    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.ForeignKey(
        Version,
        verbose_name=_("resulting version"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        help_text=_("The text this step produced, if any."),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
