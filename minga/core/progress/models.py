"""One record per piece of long work a module runs for a government."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..tenancy.models import GovernmentOwned, scoped_manager


class ProgressQuerySet(models.QuerySet):
    def running(self):
        return self.filter(state=Progress.State.RUNNING)


class Progress(GovernmentOwned):
    class State(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Finished")
        FAILED = "failed", _("Failed")

    kind = models.CharField(
        _("kind"), max_length=60, help_text=_("Namespaced kind of work, e.g. catalog.load or procurement.import.")
    )
    module = models.CharField(
        _("module"), max_length=40, help_text=_("Key of the module that owns the work; its officials may see it.")
    )
    title = models.CharField(
        _("title"), max_length=255, blank=True, help_text=_("What is worked on, e.g. a file name.")
    )
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("object type"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Type of the record the work belongs to, when there is one."),
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True, help_text=_("Id of that record."))
    key = models.CharField(
        _("key"), max_length=120, blank=True, help_text=_("The caller's key when the work has no record yet.")
    )
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.RUNNING, help_text=_("Where the work stands.")
    )
    phase = models.CharField(_("phase"), max_length=40, blank=True, help_text=_("Code of the current phase."))
    phase_label = models.CharField(
        _("phase label"), max_length=120, blank=True, help_text=_("Name of the current phase (translated on display).")
    )
    unit = models.CharField(
        _("unit"), max_length=40, blank=True, help_text=_("What is counted, e.g. rows (translated on display).")
    )
    done = models.PositiveBigIntegerField(_("done"), default=0, help_text=_("How many are done in this phase."))
    total = models.PositiveBigIntegerField(
        _("total"), null=True, blank=True, help_text=_("How many there are in this phase; empty when not known yet.")
    )
    started_at = models.DateTimeField(_("started at"), help_text=_("When the work started."))
    phase_started_at = models.DateTimeField(_("phase started at"), help_text=_("When the current phase started."))
    updated_at = models.DateTimeField(_("updated at"), help_text=_("When the record was last written."))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True, help_text=_("When the work ended."))
    failure_reason = models.TextField(_("why it failed"), blank=True, help_text=_("What went wrong, for officials."))
    kept_live = models.TextField(
        _("what stayed live"), blank=True, help_text=_("What the public still sees after a failure.")
    )

    objects = scoped_manager(ProgressQuerySet)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("progress of long work")
        verbose_name_plural = _("progress of long work")
        indexes = [
            models.Index(fields=["government", "content_type", "object_id"], name="core_progress_object"),
            models.Index(fields=["government", "kind", "key"], name="core_progress_key"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["running", "succeeded", "failed"]), name="core_progress_state"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.title}"

    @property
    def is_running(self) -> bool:
        return self.state == self.State.RUNNING

    @property
    def phase_display(self) -> str:
        """The phase's name in the reader's language (jobs store the English source text)."""
        return gettext(self.phase_label) if self.phase_label else ""

    @property
    def unit_display(self) -> str:
        return gettext(self.unit) if self.unit else ""

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, int(self.done * 100 / self.total))
