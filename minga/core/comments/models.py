"""Comments of citizens on what the modules let them comment on (a public work, a proposal, a
result), threaded to a depth of three, with a position, votes, reports, moderation and
appeals. A comment names its object by the module's comment-target key and the object's id
(`registry.CommentTarget`), never by a foreign key: core imports no domain app."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..tenancy.models import GovernmentOwned, scoped_manager

# A top-level comment has depth 0; its replies 1, theirs 2, theirs 3, which take no replies.
MAX_DEPTH = 3


class Alignment(models.IntegerChoices):
    IN_FAVOUR = 1, pgettext_lazy("position of a comment", "In favour")
    NEUTRAL = 0, pgettext_lazy("position of a comment", "Neutral")
    AGAINST = -1, pgettext_lazy("position of a comment", "Against")


class CommentQuerySet(models.QuerySet):
    def of_target(self, target_key: str, target_id: int):
        return self.filter(target_key=target_key, target_id=target_id)

    def shown(self):
        """Comments the public reads in full: not hidden and not deleted."""
        return self.filter(status=Comment.Status.VISIBLE, deleted_at__isnull=True)


class Comment(GovernmentOwned):
    class Status(models.TextChoices):
        VISIBLE = "visible", _("Visible")
        PENDING = "pending", _("Hidden pending review")
        HIDDEN = "hidden", _("Hidden by the moderators")

    target_key = models.CharField(
        _("commented kind"), max_length=60, help_text=_("Key of the comment target of a module, e.g. works.project.")
    )
    target_id = models.PositiveBigIntegerField(_("commented object"), help_text=_("Id of the commented object."))
    parent = models.ForeignKey(
        "self",
        verbose_name=_("reply to"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
        help_text=_("The comment this one answers; empty for a comment on the object itself."),
    )
    depth = models.PositiveSmallIntegerField(
        _("depth"), default=0, help_text=_("0 for a comment on the object, 1 for a reply, up to 3.")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who wrote it; empty only for an official answer whose author is not known."),
    )
    alignment = models.SmallIntegerField(
        pgettext_lazy("of a comment", "position"),
        choices=Alignment.choices,
        default=Alignment.NEUTRAL,
        help_text=_("In favour, neutral or against, where the commented object asks for a position."),
    )
    kind = models.CharField(
        _("kind"),
        max_length=30,
        blank=True,
        help_text=_("A kind the commented object offers, e.g. observation for a field observation of a work."),
    )
    body = models.TextField(_("text"), help_text=_("Plain text as written, without control characters."))
    is_official = models.BooleanField(
        _("official answer"), default=False, help_text=_("Written by an official as the government's answer.")
    )
    created_at = models.DateTimeField(_("written"), help_text=_("When it was written."))
    edited_at = models.DateTimeField(
        _("edited"), null=True, blank=True, help_text=_("When the author last changed the text.")
    )
    deleted_at = models.DateTimeField(
        _("deleted"),
        null=True,
        blank=True,
        help_text=_("When the author deleted it; the thread keeps its place as “comment deleted”."),
    )
    status = models.CharField(
        _("moderation"),
        max_length=10,
        choices=Status.choices,
        default=Status.VISIBLE,
        help_text=_("Visible, hidden automatically after reports while it waits for review, or hidden by a moderator."),
    )
    hidden_reason = models.CharField(
        _("reason for hiding"),
        max_length=300,
        blank=True,
        help_text=_("Published in place of the text when a moderator hides it."),
    )
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True, help_text=_("When it was hidden."))
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The moderator who last hid or restored it."),
    )
    votes_up = models.PositiveIntegerField(_("votes for"), default=0, help_text=_("Up votes (kept by the votes)."))
    votes_down = models.PositiveIntegerField(
        _("votes against"), default=0, help_text=_("Down votes (kept by the votes).")
    )

    objects = scoped_manager(CommentQuerySet)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            models.Index(fields=["government", "target_key", "target_id", "created_at"], name="core_comment_target"),
            models.Index(fields=["government", "status", "created_at"], name="core_comment_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(depth__lte=MAX_DEPTH), name="core_comment_depth"),
            models.CheckConstraint(
                condition=Q(parent__isnull=True, depth=0) | Q(parent__isnull=False, depth__gt=0),
                name="core_comment_depth_parent",
            ),
            models.CheckConstraint(condition=Q(alignment__in=[-1, 0, 1]), name="core_comment_alignment"),
            models.CheckConstraint(
                condition=Q(status__in=["visible", "pending", "hidden"]), name="core_comment_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="hidden") | ~Q(hidden_reason=""), name="core_comment_hidden_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(author__isnull=False) | Q(is_official=True), name="core_comment_has_author"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target_key} {self.target_id} · {self.pk}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_hidden(self) -> bool:
        return self.status != self.Status.VISIBLE

    @property
    def score(self) -> int:
        return self.votes_up - self.votes_down

    @property
    def accepts_replies(self) -> bool:
        return self.depth < MAX_DEPTH


class CommentVote(GovernmentOwned):
    """One person's vote on a comment: up or down, once (a database constraint)."""

    class Value(models.IntegerChoices):
        UP = 1, _("Up")
        DOWN = -1, _("Down")

    comment = models.ForeignKey(
        Comment, verbose_name=_("comment"), on_delete=models.CASCADE, related_name="votes", help_text=_("The comment.")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Who voted."),
    )
    value = models.SmallIntegerField(_("vote"), choices=Value.choices, help_text=_("1 up, -1 down."))
    created_at = models.DateTimeField(_("voted"), help_text=_("When."))

    objects = scoped_manager()

    class Meta:
        verbose_name = _("vote on a comment")
        verbose_name_plural = _("votes on comments")
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="core_comment_vote_once"),
            models.CheckConstraint(condition=Q(value__in=[-1, 1]), name="core_comment_vote_value"),
        ]


class CommentReport(GovernmentOwned):
    """A person tells the moderators that a comment breaks the rules: once per comment."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        OFFENSIVE = "offensive", _("Offensive, insulting or hateful")
        PERSONAL_DATA = "personal_data", _("Personal data of someone")
        OTHER = "other", pgettext_lazy("reason of a report", "Other")

    class State(models.TextChoices):
        OPEN = "open", _("Waiting for review")
        UPHELD = "upheld", _("Upheld: the comment was hidden")
        DISMISSED = "dismissed", _("Dismissed: the comment stays")

    comment = models.ForeignKey(
        Comment,
        verbose_name=_("comment"),
        on_delete=models.CASCADE,
        related_name="reports",
        help_text=_("The reported comment."),
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Who reported it (never shown in public)."),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices, help_text=_("What is wrong."))
    details = models.TextField(
        _("details"), max_length=1000, blank=True, help_text=_("What the person adds; required for “other”.")
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.OPEN, help_text=_("Reviewed or not.")
    )
    created_at = models.DateTimeField(_("reported"), help_text=_("When."))
    resolved_at = models.DateTimeField(_("reviewed"), null=True, blank=True, help_text=_("When it was reviewed."))

    objects = scoped_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("report of a comment")
        verbose_name_plural = _("reports of comments")
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="core_comment_report_once"),
            models.CheckConstraint(
                condition=Q(reason__in=["spam", "offensive", "personal_data", "other"]),
                name="core_comment_report_reason",
            ),
            models.CheckConstraint(condition=~Q(reason="other") | ~Q(details=""), name="core_comment_report_other"),
        ]


class CommentAppeal(GovernmentOwned):
    """The author of a hidden comment asks, once, for it to be shown again."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        UPHELD = "upheld", _("Upheld: the comment is shown again")
        REJECTED = "rejected", _("Rejected: the comment stays hidden")

    comment = models.OneToOneField(
        Comment,
        verbose_name=_("comment"),
        on_delete=models.CASCADE,
        related_name="appeal",
        help_text=_("The hidden comment (one appeal per comment)."),
    )
    text = models.TextField(_("appeal"), max_length=2000, help_text=_("Why the author asks for it to be shown."))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING, help_text=_("Decided or not.")
    )
    decision_note = models.CharField(
        _("answer to the author"), max_length=300, blank=True, help_text=_("Why the appeal was decided so.")
    )
    created_at = models.DateTimeField(_("appealed"), help_text=_("When."))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True, help_text=_("When it was decided."))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The moderator who decided."),
    )

    objects = scoped_manager()

    class Meta:
        verbose_name = _("appeal of a hidden comment")
        verbose_name_plural = _("appeals of hidden comments")
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["pending", "upheld", "rejected"]), name="core_comment_appeal_state"
            ),
        ]
