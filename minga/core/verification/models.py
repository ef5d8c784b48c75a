"""Who a person is, as far as the platform can tell, without ever storing a cédula in clear.

- ``Identity``: one person, known by the keyed hash of their cédula (unique platform-wide),
  linked to at most one account. Votes and supports that must count once per person point
  here, so a person who deletes their account and comes back is still the same person.
- ``Verification``: a stronger level in one government: the census roll (with a code e-mailed
  to the person) or a desk (an official saw the person and the cédula). Revoked, never deleted.
- ``CensusRoll`` / ``CensusEntry``: the roll an official uploaded (electoral or census), one
  version live per government; its entries hold only keyed hashes and a territory code.
- ``CensusCode``: the one-time code of a census verification, hashed, short-lived, with
  limited attempts.

Identities, verifications and codes are platform records that name a government (like
memberships): plain managers, read only through this package's services and selectors, which
always filter by government. Rolls and their entries are the government's content (scoped)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..accounts.models import User
from ..tenancy.models import Government, GovernmentOwned, scoped_manager
from .levels import Level

HASH_LENGTH = 64  # hex of HMAC-SHA256


class Identity(models.Model):
    class Method(models.TextChoices):
        ONLINE = "online", _("Typed by the person")
        DESK = "desk", _("Checked at a desk")

    cedula_hash = models.CharField(
        _("cédula hash"),
        max_length=HASH_LENGTH,
        unique=True,
        help_text=_("Keyed hash (HMAC-SHA256) of the cédula number; the number itself is never stored."),
    )
    user = models.OneToOneField(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="identity",
        verbose_name=_("account"),
        help_text=_("The account this person uses; empty after the account was deleted."),
    )
    method = models.CharField(
        _("how it was registered"),
        max_length=10,
        choices=Method.choices,
        help_text=_("Typed by the person online, or checked by an official at a desk."),
    )
    created_at = models.DateTimeField(_("registered"), help_text=_("When the cédula was first registered."))
    linked_at = models.DateTimeField(
        _("linked"), null=True, blank=True, help_text=_("When the current account was linked to it.")
    )

    class Meta:
        verbose_name = _("identity")
        verbose_name_plural = _("identities")

    def __str__(self) -> str:
        return f"identity {self.pk}"


class VerificationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class Verification(models.Model):
    government = models.ForeignKey(
        Government,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("government"),
        help_text=_("Government where the person is verified."),
    )
    identity = models.ForeignKey(
        Identity,
        on_delete=models.CASCADE,
        related_name="verifications",
        verbose_name=_("identity"),
        help_text=_("The person verified."),
    )
    level = models.PositiveSmallIntegerField(
        _("level"),
        choices=[(Level.CENSUS.value, Level.CENSUS.label), (Level.ASSISTED.value, Level.ASSISTED.label)],
        help_text=_("On the census roll (with a code) or at a desk."),
    )
    territory_code = models.CharField(
        _("territory"),
        max_length=6,
        blank=True,
        help_text=_("DPA code of the territory (canton or parish) the person lives in, when known."),
    )
    roll = models.ForeignKey(
        "core.CensusRoll",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("census roll"),
        help_text=_("The roll the cédula was found on."),
    )
    on_roll = models.BooleanField(
        _("on the roll"), default=False, help_text=_("Whether the cédula was on the live census roll.")
    )
    verified_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
        help_text=_("The official at the desk."),
    )
    place = models.CharField(_("place"), max_length=200, blank=True, help_text=_("The desk where it was done."))
    note = models.TextField(
        _("note"), blank=True, help_text=_("What the official checked, e.g. the document proving residence.")
    )
    created_at = models.DateTimeField(_("verified"), help_text=_("When the verification was made."))
    revoked_at = models.DateTimeField(
        _("revoked"),
        null=True,
        blank=True,
        help_text=_("When it was revoked; revoked verifications count for nothing."),
    )
    revoked_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
        help_text=_("The official who revoked it (empty when the platform did)."),
    )
    revoke_reason = models.CharField(_("why it was revoked"), max_length=500, blank=True, help_text=_("The reason."))

    objects = VerificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("verification")
        verbose_name_plural = _("verifications")
        constraints = [
            models.UniqueConstraint(
                fields=["government", "identity", "level"],
                condition=Q(revoked_at__isnull=True),
                name="core_verification_one_active_per_level",
            ),
            models.CheckConstraint(condition=Q(level__in=[30, 40]), name="core_verification_level"),
        ]
        indexes = [models.Index(fields=["government", "level", "created_at"], name="core_verif_gov_level")]

    def __str__(self) -> str:
        return f"{self.get_level_display()} · {self.government_id}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class CensusRoll(GovernmentOwned):
    class Status(models.TextChoices):
        LOADING = "loading", _("Being loaded")
        READY = "ready", _("Ready to publish")
        FAILED = "failed", _("Failed")
        LIVE = "live", _("Live")
        REPLACED = "replaced", _("Replaced")
        DISCARDED = "discarded", _("Discarded")

    label = models.CharField(
        _("name"), max_length=200, help_text=_("What the roll is, e.g. “Padrón electoral CNE 2025”.")
    )
    filename = models.CharField(_("file name"), max_length=255, blank=True, help_text=_("Name of the uploaded file."))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=Status.choices,
        default=Status.LOADING,
        help_text=_("Where the roll stands."),
    )
    uploaded_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
        help_text=_("The official who uploaded it."),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), help_text=_("When the file was uploaded."))
    rows_read = models.PositiveIntegerField(
        _("rows read"), default=0, help_text=_("Rows of the file, header left out.")
    )
    people = models.PositiveIntegerField(_("people"), default=0, help_text=_("Distinct valid cédulas loaded."))
    rows_bad = models.PositiveIntegerField(
        _("rows left out"), default=0, help_text=_("Rows that are not loaded (invalid, repeated or conflicting).")
    )
    has_territories = models.BooleanField(
        _("with territories"), default=False, help_text=_("Whether the file gives each person's territory code.")
    )
    territory_counts = models.JSONField(
        _("people by territory"), default=dict, blank=True, help_text=_("DPA code → number of people.")
    )
    report = models.JSONField(
        _("report"),
        default=list,
        blank=True,
        help_text=_("The first rows left out: [line, reason code, detail]; never a cédula number."),
    )
    staging_name = models.CharField(
        _("staged file"),
        max_length=255,
        blank=True,
        help_text=_("Stored file of the hashes waiting to be loaded; removed once loaded."),
    )
    loaded_at = models.DateTimeField(_("loaded"), null=True, blank=True, help_text=_("When the load finished."))
    published_at = models.DateTimeField(
        _("published"), null=True, blank=True, help_text=_("When it became the live roll.")
    )
    published_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
        help_text=_("The official who published it."),
    )
    ended_at = models.DateTimeField(
        _("ended"), null=True, blank=True, help_text=_("When it was replaced, discarded or failed.")
    )
    failure = models.TextField(_("why it failed"), blank=True, help_text=_("What went wrong while loading."))

    objects = scoped_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("census roll")
        verbose_name_plural = _("census rolls")
        constraints = [
            models.UniqueConstraint(fields=["government"], condition=Q(status="live"), name="core_census_one_live"),
            models.CheckConstraint(
                condition=Q(status__in=["loading", "ready", "failed", "live", "replaced", "discarded"]),
                name="core_census_status",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class CensusEntry(GovernmentOwned):
    roll = models.ForeignKey(
        CensusRoll,
        on_delete=models.CASCADE,
        related_name="entries",
        db_index=False,  # the unique (roll, hash) index serves lookups by roll
        verbose_name=_("census roll"),
        help_text=_("The roll this person is on."),
    )
    cedula_hash = models.CharField(
        _("cédula hash"), max_length=HASH_LENGTH, help_text=_("Keyed hash of the cédula number.")
    )
    territory_code = models.CharField(
        _("territory"), max_length=6, blank=True, help_text=_("DPA code of the person's canton or parish, if given.")
    )

    objects = scoped_manager()

    class Meta:
        verbose_name = _("census roll entry")
        verbose_name_plural = _("census roll entries")
        constraints = [models.UniqueConstraint(fields=["roll", "cedula_hash"], name="core_census_entry_unique")]

    def __str__(self) -> str:
        return f"entry {self.pk}"


class CensusCode(models.Model):
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="+", verbose_name=_("account"), help_text=_("Who asked.")
    )
    government = models.ForeignKey(
        Government,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("government"),
        help_text=_("Government whose roll the code is for."),
    )
    identity = models.ForeignKey(
        Identity,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("identity"),
        help_text=_("The person whose cédula was found on the roll."),
    )
    roll = models.ForeignKey(
        CensusRoll,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("census roll"),
        help_text=_("The live roll when the code was sent."),
    )
    nonce = models.CharField(_("nonce"), max_length=32, help_text=_("Random value hashed with the code."))
    code_hash = models.CharField(
        _("code hash"), max_length=HASH_LENGTH, help_text=_("Keyed hash of the code; the code itself is not stored.")
    )
    created_at = models.DateTimeField(_("sent"), help_text=_("When the code was sent."))
    expires_at = models.DateTimeField(_("expires"), help_text=_("After this the code is refused."))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0, help_text=_("Codes typed so far."))
    used_at = models.DateTimeField(_("used"), null=True, blank=True, help_text=_("When the right code was typed."))

    class Meta:
        verbose_name = _("census code")
        verbose_name_plural = _("census codes")
        indexes = [models.Index(fields=["user", "government", "created_at"], name="core_census_code_user")]

    def __str__(self) -> str:
        return f"code {self.pk}"
