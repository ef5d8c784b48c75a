"""Append-only, hash-chained log of official actions. Each entry carries the hash of the
previous entry of the same chain (one chain per government plus one for the platform), keyed
with HMAC-SHA256 under the audit key (`keys.py`), so any edit or deletion of a stored row breaks
verification (`minga audit verify`) and nobody without the key can recompute the chain.
Checkpoints record every chain's head, signed with the key, and are published for anyone to
archive."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..tenancy.models import Government


class AuditChain(models.Model):
    """The head of one chain. Writers lock this row so entries are strictly sequential."""

    key = models.CharField(max_length=40, unique=True, help_text=_("'platform' or 'government:<id>'."))
    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="")

    def __str__(self) -> str:
        return f"{self.key} @ {self.last_sequence}"


class AuditEntry(models.Model):
    chain_key = models.CharField(_("chain"), max_length=40, help_text=_("Chain this entry belongs to."))
    sequence = models.PositiveBigIntegerField(_("sequence"), help_text=_("Position in the chain, from 1."))
    government = models.ForeignKey(
        Government,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("government"),
        help_text=_("Government where the action happened; empty for platform actions."),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("actor"),
        help_text=_("Who acted; empty for the system."),
    )
    actor_label = models.CharField(
        _("actor label"), max_length=254, blank=True, help_text=_("Who acted, as recorded at the time.")
    )
    action = models.CharField(
        _("action"),
        max_length=120,
        db_index=True,
        help_text=_("Namespaced action code, e.g. institution.authority.published."),
    )
    object_type = models.CharField(_("object type"), max_length=100, blank=True, help_text=_("app_label.model"))
    object_id = models.CharField(_("object id"), max_length=64, blank=True, help_text=_("Primary key of the object."))
    object_repr = models.CharField(_("object"), max_length=250, blank=True, help_text=_("The object as shown."))
    changes = models.JSONField(
        _("changes"), default=dict, blank=True, help_text=_("Changed fields: {field: [before, after]}.")
    )
    created_at = models.DateTimeField(_("when"), help_text=_("When the action was recorded."))
    previous_hash = models.CharField(max_length=64, blank=True, help_text=_("Hash of the previous entry."))
    entry_hash = models.CharField(
        max_length=64, help_text=_("HMAC-SHA256 of this entry and the previous hash (plain SHA-256 when legacy).")
    )
    key_id = models.CharField(
        _("key id"),
        max_length=16,
        blank=True,
        help_text=_("Id of the audit key the hash was made with; empty for legacy entries hashed with plain SHA-256."),
    )

    class Meta:
        ordering = ["chain_key", "sequence"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        constraints = [models.UniqueConstraint(fields=["chain_key", "sequence"], name="audit_sequence_unique")]
        indexes = [models.Index(fields=["government", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.chain_key}#{self.sequence} {self.action}"


class AuditCheckpoint(models.Model):
    """The set of chains and their heads at one moment, signed with the audit key. Rows are
    numbered without gaps; the public page of chain heads publishes them for archiving."""

    sequence = models.PositiveBigIntegerField(_("number"), unique=True, help_text=_("1, 2, 3… without gaps."))
    created_at = models.DateTimeField(_("when"), help_text=_("When the heads were read."))
    heads = models.JSONField(
        _("heads"), default=list, help_text=_("[[chain, head sequence, head hash], …] sorted by chain.")
    )
    key_id = models.CharField(_("key id"), max_length=16, help_text=_("Id of the audit key that signed it."))
    signature = models.CharField(_("signature"), max_length=64, help_text=_("HMAC-SHA256 of the checkpoint."))

    class Meta:
        ordering = ["-sequence"]
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")

    def __str__(self) -> str:
        return f"checkpoint {self.sequence}"
