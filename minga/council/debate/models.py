"""Citizens' comments on the articles of an act, kept in core's comment threads (target
"council.article": one thread per article of one version). The council keeps beside them only
what is its own: whether an act takes comments (an editor's switch and closing date over the
procedure rules), the passage of the article a comment quotes, whether the committee took a
comment into account, and the committee's answer on each article."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from minga.core.tenancy.models import GovernmentOwned, scoped_manager

from ..acts.models import Act, Unit


class DebateSetting(GovernmentOwned):
    """An editor's word on whether an act takes comments, over the default rule (the act's kind
    and stage, from the module's settings). Without a row the default rule applies."""

    class Mode(models.TextChoices):
        AUTO = "auto", _("Follow the procedure (open in the stages the settings name)")
        OPEN = "open", _("Open for comments")
        CLOSED = "closed", _("Closed for comments")

    act = models.OneToOneField(Act, on_delete=models.CASCADE, related_name="debate_setting")
    mode = models.CharField(
        _("comments on articles"),
        max_length=10,
        choices=Mode.choices,
        default=Mode.AUTO,
        help_text=_("Whether citizens may comment on the articles of the latest version."),
    )
    closes_on = models.DateField(
        _("comments close on"),
        null=True,
        blank=True,
        help_text=_("Last day citizens may comment; empty: no closing date."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = _("comment setting of an act")
        verbose_name_plural = _("comment settings of acts")
        constraints = [
            models.CheckConstraint(condition=Q(mode__in=["auto", "open", "closed"]), name="council_debate_mode_valid")
        ]


class ArticleComment(GovernmentOwned):
    """The council's side of a comment on an article: the article (of the version it was
    written on), the passage it quotes, if any, and whether the committee took it into
    account."""

    comment = models.OneToOneField(
        "core.Comment", on_delete=models.CASCADE, related_name="council_article", verbose_name=_("comment")
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="article_comments", verbose_name=_("article"))
    quote = models.TextField(_("quoted passage"), blank=True, help_text=_("The words of the article quoted."))
    quote_start = models.PositiveIntegerField(
        _("quote start"), null=True, blank=True, help_text=_("Offset of the first quoted character in the text.")
    )
    quote_end = models.PositiveIntegerField(
        _("quote end"), null=True, blank=True, help_text=_("Offset after the last quoted character.")
    )
    considered = models.BooleanField(
        _("taken into account"), default=False, help_text=_("The committee took it into account in its report.")
    )
    considered_at = models.DateTimeField(_("marked"), null=True, blank=True)
    considered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = scoped_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("comment on an article")
        verbose_name_plural = _("comments on articles")
        constraints = [
            models.CheckConstraint(
                condition=(Q(quote="", quote_start__isnull=True, quote_end__isnull=True))
                | (~Q(quote="") & Q(quote_start__isnull=False, quote_end__gt=models.F("quote_start"))),
                name="council_article_comment_quote",
            )
        ]


class ArticleAnswer(GovernmentOwned):
    """The committee's answer to the comments on one article of a version, published on the
    article's page and in the summary."""

    unit = models.OneToOneField(
        Unit, on_delete=models.CASCADE, related_name="committee_answer", verbose_name=_("article")
    )
    body = models.TextField(_("committee's answer"), help_text=_("What the committee did with the comments."))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"))

    objects = scoped_manager()

    class Meta:
        verbose_name = _("committee answer on an article")
        verbose_name_plural = _("committee answers on articles")
