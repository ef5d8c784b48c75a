"""Follows and notices. A person follows a record a module declares followable (its manifest's
``followables``); when the module calls ``services.notify`` about that record, each follower
gets an in-app notice and, as they chose per kind, an e-mail at once, a daily or weekly digest,
or nothing by e-mail. Only the person's id and the target are stored: the e-mail address is
read when a message is sent."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..tenancy.models import GovernmentOwned, scoped_manager


class Delivery(models.TextChoices):
    """How a person wants the notices of one kind."""

    IMMEDIATE = "immediate", _("E-mail at once")
    DAILY = "daily", _("Daily digest by e-mail")
    WEEKLY = "weekly", _("Weekly digest by e-mail")
    IN_APP = "in_app", _("Only in “My notifications”")
    OFF = "off", _("Off")


DEFAULT_DELIVERY = Delivery.IMMEDIATE
DIGESTS = (Delivery.DAILY, Delivery.WEEKLY)


class FollowQuerySet(models.QuerySet):
    def of_target(self, kind: str, object_id: int):
        return self.filter(kind=kind, object_id=object_id)


class Follow(GovernmentOwned):
    """A person follows one record (a followable kind and the record's id), once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Who follows."),
    )
    kind = models.CharField(
        _("kind"), max_length=60, help_text=_("What is followed, as a module declares it, e.g. catalog.dataset.")
    )
    object_id = models.PositiveBigIntegerField(_("object id"), help_text=_("Id of the followed record."))
    created_at = models.DateTimeField(_("created"), help_text=_("When the person started following."))

    objects = scoped_manager(FollowQuerySet)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [models.UniqueConstraint(fields=["user", "kind", "object_id"], name="core_follow_once")]
        indexes = [models.Index(fields=["government", "kind", "object_id"], name="core_follow_target")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def digest_pending(self):
        return self.filter(email__in=DIGESTS, emailed_at__isnull=True)


class Notification(GovernmentOwned):
    """One notice for one person: what happened to something they follow, in their language,
    with the government-relative link to it."""

    class Email(models.TextChoices):
        NONE = "", _("No e-mail")
        IMMEDIATE = Delivery.IMMEDIATE.value, Delivery.IMMEDIATE.label
        DAILY = Delivery.DAILY.value, Delivery.DAILY.label
        WEEKLY = Delivery.WEEKLY.value, Delivery.WEEKLY.label

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Who is told."),
    )
    kind = models.CharField(_("kind"), max_length=60, help_text=_("Kind of the record it is about."))
    object_id = models.PositiveBigIntegerField(_("object id"), help_text=_("Id of the record it is about."))
    event = models.CharField(
        _("event"), max_length=60, help_text=_("What happened, as the module names it, e.g. resource_added.")
    )
    title = models.CharField(_("title"), max_length=300, help_text=_("One line, in the person's language."))
    summary = models.TextField(_("summary"), blank=True, help_text=_("A few lines more, in the person's language."))
    path = models.CharField(
        _("link"), max_length=500, help_text=_("Government-relative address of the record it is about.")
    )
    created_at = models.DateTimeField(_("created"), help_text=_("When it happened."))
    read_at = models.DateTimeField(_("read"), null=True, blank=True, help_text=_("When the person read it."))
    email = models.CharField(
        _("e-mail"),
        max_length=10,
        blank=True,
        choices=Email.choices,
        help_text=_("How it goes by e-mail: at once, in a digest, or not at all."),
    )
    emailed_at = models.DateTimeField(
        _("e-mailed"), null=True, blank=True, help_text=_("When it left by e-mail (alone or in a digest).")
    )

    objects = scoped_manager(NotificationQuerySet)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["government", "user", "read_at"], name="core_notice_inbox"),
            models.Index(
                fields=["government", "email"], condition=Q(emailed_at__isnull=True), name="core_notice_to_email"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(email__in=["", "immediate", "daily", "weekly"]), name="core_notice_email_choice"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """How one person wants the notices of one kind, on every government of the platform (a
    person's own setting, not a government's record: read only through core's services)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        help_text=_("Whose choice."),
    )
    kind = models.CharField(_("kind"), max_length=60, help_text=_("Kind of followed record, e.g. catalog.dataset."))
    delivery = models.CharField(
        _("delivery"), max_length=10, choices=Delivery.choices, help_text=_("How the notices of this kind arrive.")
    )
    updated_at = models.DateTimeField(_("updated"), help_text=_("When it was last chosen."))

    class Meta:
        verbose_name = _("notice preference")
        verbose_name_plural = _("notice preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="core_notice_preference_once"),
            models.CheckConstraint(
                condition=Q(delivery__in=[choice.value for choice in Delivery]), name="core_notice_delivery_choice"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.delivery}"
