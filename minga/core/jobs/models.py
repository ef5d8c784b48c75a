"""Leases of running jobs. A process that runs a job holds a row here and renews it while it
works (the heartbeat); a row whose ``expires_at`` has passed belongs to a process that died,
so the job it ran can be repaired by another (``recovery``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobLease(models.Model):
    name = models.CharField(
        _("job"),
        max_length=120,
        unique=True,
        help_text=_("What is held, namespaced: task:<task id>, catalog.load:<load id>."),
    )
    holder = models.CharField(
        _("holder"), max_length=120, help_text=_("The process holding the lease: host, process id and a random token.")
    )
    acquired_at = models.DateTimeField(_("acquired"), help_text=_("When the job started."))
    heartbeat_at = models.DateTimeField(_("last heartbeat"), help_text=_("When the holder last renewed the lease."))
    expires_at = models.DateTimeField(
        _("expires"), db_index=True, help_text=_("Without a heartbeat before this moment, the job counts as abandoned.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("job lease")
        verbose_name_plural = _("job leases")

    def __str__(self) -> str:
        return self.name
