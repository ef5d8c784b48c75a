"""The council of a government and who sits in it, in the Popolo vocabulary: the council is an
*organization*, its members are *persons* with dated *memberships* (a role: the executive who
presides, the vice-president, a councillor, an alternate), and its standing or occasional
committees (comisiones) are organizations too, with dated memberships and a chair. Nothing is
deleted when a term ends: a membership gets its end date, so past compositions stay readable.

Every public record has a stable identifier: a slug in the addresses and an Open Civic Data
style id (``ocd-person/<uuid>``, ``ocd-organization/<uuid>``) for open data."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from minga.core.tenancy.models import GovernmentOwned, scoped_manager


class ActiveQuerySet(models.QuerySet):
    def current(self, on):
        """Memberships running on the date `on` (started, not ended)."""
        return self.filter(Q(starts_on__lte=on), Q(ends_on__isnull=True) | Q(ends_on__gte=on))


class Council(GovernmentOwned):
    """The legislative body of a government: consejo provincial, concejo municipal or junta
    parroquial rural. One per government."""

    class Kind(models.TextChoices):
        PROVINCIAL = "provincial", _("Provincial council")
        MUNICIPAL = "municipal", _("Municipal council")
        PARISH = "parish", _("Parish board")

    uid = models.UUIDField(_("open data identifier"), default=uuid.uuid4, editable=False, unique=True)
    name = models.CharField(_("name"), max_length=200, help_text=_("E.g. Consejo Provincial de Manabí."))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, help_text=_("Kind of legislative body."))
    description = models.TextField(
        _("description"), blank=True, help_text=_("What the council does, shown on its page.")
    )
    seat = models.CharField(_("seat"), max_length=250, blank=True, help_text=_("Where it meets."))
    contact_email = models.EmailField(
        _("secretariat e-mail"), blank=True, help_text=_("Public e-mail of the secretariat.")
    )
    launched_on = models.DateField(
        _("portal launch date"),
        null=True,
        blank=True,
        help_text=_(
            "When the Open Council portal was opened to the public; the effectiveness review compares the months "
            "before and after it. Empty: the day the first act was registered."
        ),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        constraints = [models.UniqueConstraint(fields=["government"], name="council_one_per_government")]

    def __str__(self) -> str:
        return self.name

    @property
    def ocd_id(self) -> str:
        return f"ocd-organization/{self.uid}"


class Person(GovernmentOwned):
    """Someone who sits or sat in the council (a principal member or an alternate)."""

    uid = models.UUIDField(_("open data identifier"), default=uuid.uuid4, editable=False, unique=True)
    slug = models.SlugField(_("public identifier"), max_length=90, help_text=_("Used in the member's address."))
    name = models.CharField(_("name"), max_length=150, help_text=_("Full name as published."))
    party = models.CharField(
        _("party or movement"), max_length=150, blank=True, help_text=_("Political organisation that nominated them.")
    )
    photo = models.ImageField(
        _("photo"), upload_to="council/people/", blank=True, help_text=_("Optional official portrait.")
    )
    email = models.EmailField(_("public e-mail"), blank=True, help_text=_("Institutional contact address."))
    phone = models.CharField(_("public phone"), max_length=40, blank=True, help_text=_("Institutional phone."))
    biography = models.TextField(_("biography"), blank=True, help_text=_("A short public biography."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("council member")
        verbose_name_plural = _("council members")
        constraints = [models.UniqueConstraint(fields=["government", "slug"], name="council_person_slug_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def ocd_id(self) -> str:
        return f"ocd-person/{self.uid}"


class Membership(GovernmentOwned):
    """A seat in the council for a term: who, in what role, from when to when."""

    class Role(models.TextChoices):
        PRESIDENT = "president", _("Presides (prefect, mayor or board president)")
        VICE = "vice", _("Vice-president")
        MEMBER = "member", _("Councillor")
        ALTERNATE = "alternate", _("Alternate")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, help_text=_("Role in the council."))
    label = models.CharField(
        _("title"),
        max_length=120,
        blank=True,
        help_text=_("How the seat is called, e.g. Prefecto, Alcaldesa, Concejal rural, Consejero por Portoviejo."),
    )
    alternate_of = models.ForeignKey(
        Person,
        verbose_name=_("alternate of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="alternates",
        help_text=_("For an alternate: the principal member they stand in for."),
    )
    starts_on = models.DateField(_("term starts"), help_text=_("First day of the term."))
    ends_on = models.DateField(_("term ends"), null=True, blank=True, help_text=_("Last day; empty while running."))

    objects = scoped_manager(ActiveQuerySet)

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("council membership")
        verbose_name_plural = _("council memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="council_membership_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(role__in=["president", "vice", "member", "alternate"]), name="council_membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class Committee(GovernmentOwned):
    """A committee (comisión) of the council: permanent, special or occasional."""

    class Kind(models.TextChoices):
        STANDING = "standing", _("Standing committee")
        SPECIAL = "special", _("Special committee")
        OCCASIONAL = "occasional", _("Occasional committee")

    uid = models.UUIDField(_("open data identifier"), default=uuid.uuid4, editable=False, unique=True)
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="committees")
    slug = models.SlugField(_("public identifier"), max_length=90, help_text=_("Used in the committee's address."))
    name = models.CharField(_("name"), max_length=200, help_text=_("E.g. Comisión de Planificación y Presupuesto."))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.STANDING)
    description = models.TextField(_("remit"), blank=True, help_text=_("What the committee deals with."))
    is_active = models.BooleanField(_("active"), default=True, help_text=_("Dissolved committees stay listed apart."))

    objects = scoped_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("council committee")
        verbose_name_plural = _("council committees")
        constraints = [models.UniqueConstraint(fields=["government", "slug"], name="council_committee_slug_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def ocd_id(self) -> str:
        return f"ocd-organization/{self.uid}"


class CommitteeMembership(GovernmentOwned):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        VICE = "vice", _("Vice-chair")
        MEMBER = "member", _("Member")

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="committee_memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    starts_on = models.DateField(_("starts"), help_text=_("First day in the committee."))
    ends_on = models.DateField(_("ends"), null=True, blank=True, help_text=_("Last day; empty while running."))

    objects = scoped_manager(ActiveQuerySet)

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("committee membership")
        verbose_name_plural = _("committee memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="council_cmembership_ends_after_start",
            ),
            models.CheckConstraint(condition=Q(role__in=["chair", "vice", "member"]), name="council_cmembership_role"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"
