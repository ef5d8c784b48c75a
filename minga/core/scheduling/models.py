"""When each periodic job of the platform last ran and when it is due again. One row per job
name (from the module manifests); the conditional update in ``services.tick`` makes the row the
lock, so two schedulers running at once enqueue each due job once."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodicRun(models.Model):
    name = models.CharField(
        _("job"), max_length=100, unique=True, help_text=_("Namespaced job name, e.g. catalog.check_links.")
    )
    next_run_at = models.DateTimeField(_("next run"), null=True, blank=True, help_text=_("Due from this moment."))
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True, help_text=_("When it was last enqueued."))
    last_task_id = models.CharField(
        _("last task"), max_length=64, blank=True, help_text=_("Id of the task result of the last run.")
    )
    runs = models.PositiveIntegerField(_("runs"), default=0, help_text=_("How many times it was enqueued."))

    class Meta:
        ordering = ["name"]
        verbose_name = _("periodic job run")
        verbose_name_plural = _("periodic job runs")

    def __str__(self) -> str:
        return self.name
