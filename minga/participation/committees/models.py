"""Citizen oversight committees (veedurías ciudadanas, LOPC arts. 78–84): the public registry
of a government's committees, what each oversees (a public work, a process, a participatory
budget project, a contracting process: a record of any module, linked by kind through core's
registry), its members as they choose to be listed, its dates and its reports.

No contact data of members is kept: a name, a role in the committee and, if they wish, an
organisation."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from minga.core.tenancy.models import GovernmentOwned, scoped_manager

# What a committee may oversee: a link kind of core's registry and how it is named.
OBJECT_KINDS = (
    ("works.project", _("Public work")),
    ("participation.process", _("Participatory process")),
    ("participation.project", _("Participatory budget project")),
    ("procurement.process", _("Contracting process")),
)
OBJECT_KIND_LABELS = dict(OBJECT_KINDS)


class CommitteeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Committee(GovernmentOwned):
    class Status(models.TextChoices):
        FORMING = "forming", _("Being formed")
        ACTIVE = "active", _("Active")
        FINISHED = "finished", _("Finished")
        DISSOLVED = "dissolved", _("Dissolved")

    slug = models.SlugField(_("public identifier"), max_length=90)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("what it oversees and why"), blank=True)
    object_kind = models.CharField(_("kind of object overseen"), max_length=40, choices=OBJECT_KINDS)
    object_key = models.CharField(_("object overseen"), max_length=200)
    object_title = models.CharField(
        _("name of the object overseen"),
        max_length=300,
        help_text=_("Kept with the link, so the registry still reads well if the object is gone."),
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    is_published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = scoped_manager(CommitteeQuerySet)

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("oversight committee")
        verbose_name_plural = _("oversight committees")
        constraints = [
            models.UniqueConstraint(fields=["government", "slug"], name="participation_committee_slug_unique"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="participation_committee_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["forming", "active", "finished", "dissolved"]),
                name="participation_committee_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["government", "object_kind", "object_key"], name="participation_committee_obj")]

    def __str__(self) -> str:
        return self.name

    @property
    def object_kind_label(self):
        return OBJECT_KIND_LABELS.get(self.object_kind, self.object_kind)


class Member(GovernmentOwned):
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("name as listed"), max_length=150)
    role = models.CharField(_("role in the committee"), max_length=100)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = scoped_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")

    def __str__(self) -> str:
        return self.name


class Report(GovernmentOwned):
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="reports")
    title = models.CharField(_("title"), max_length=200)
    presented_on = models.DateField(_("date"))
    file = models.FileField(_("file (PDF)"), upload_to="participation/committees/reports/")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        ordering = ["-presented_on", "-pk"]
        verbose_name = _("committee report")
        verbose_name_plural = _("committee reports")

    def __str__(self) -> str:
        return self.title
