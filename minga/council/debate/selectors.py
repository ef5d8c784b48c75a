"""Reads of comments on articles: the article of an address, the counts the act's page shows
(one grouped query for every article of the version), the quoted passages of an article, and
the per-article summary for councillors."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from minga.core.comments.models import Alignment, Comment

from ..acts.models import Act, Unit, Version
from .models import ArticleAnswer, ArticleComment
from .rules import COMMENTABLE, TARGET, closed_reason
from .text import article_ref

TOP = 5  # most supported comments per article in the summary


def commentable_units(version: Version):
    return (
        Unit.objects.for_government(version.government_id)
        .filter(version=version, kind__in=COMMENTABLE)
        .order_by("position")
    )


def find_unit(version: Version, ref: str) -> Unit | None:
    return next((unit for unit in commentable_units(version) if article_ref(unit) == ref), None)


def latest_version(act: Act) -> Version | None:
    return Version.objects.for_government(act.government_id).filter(act=act).order_by("-number").first()


def public_unit(government, pk: int) -> Unit | None:
    """An article or provision of a public act of this government."""
    return (
        Unit.objects.for_government(government)
        .filter(pk=pk, kind__in=COMMENTABLE, version__act__is_public=True)
        .select_related("version__act")
        .first()
    )


def _counts(government, unit_ids) -> dict[int, dict[int, int]]:
    """{unit id: {alignment: comments}} of the comments citizens wrote on these articles that
    the public reads (replies and official answers not counted)."""
    rows = (
        Comment.objects.for_government(government)
        .filter(target_key=TARGET, target_id__in=list(unit_ids), depth=0, is_official=False)
        .shown()
        .values("target_id", "alignment")
        .annotate(n=Count("pk"))
        .order_by()
    )
    found: dict[int, dict[int, int]] = {}
    for row in rows:
        found.setdefault(row["target_id"], {})[row["alignment"]] = row["n"]
    return found


@dataclass
class ArticleCounts:
    unit: Unit
    in_favour: int = 0
    neutral: int = 0
    against: int = 0

    @property
    def total(self) -> int:
        return self.in_favour + self.neutral + self.against


def _article_counts(unit: Unit, by_alignment: dict[int, int]) -> ArticleCounts:
    return ArticleCounts(
        unit=unit,
        in_favour=by_alignment.get(Alignment.IN_FAVOUR, 0),
        neutral=by_alignment.get(Alignment.NEUTRAL, 0),
        against=by_alignment.get(Alignment.AGAINST, 0),
    )


@dataclass
class ActComments:
    """What the act's page shows of the comments on the version it shows."""

    open: bool
    reason: str
    latest: bool  # the version shown is the latest (the one that takes comments)
    rows: list[ArticleCounts] = field(default_factory=list)  # articles with comments

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows)


def act_comments(government, act: Act, version: Version | None, units, versions) -> ActComments:
    """Counts for the act's page: gives each article or provision of ``units`` its address
    piece (``article_ref``) and ``comment_count``; one query for the counts."""
    reason = closed_reason(act, timezone.localdate(), government)
    latest = version is not None and bool(versions) and version.pk == versions[-1].pk
    result = ActComments(open=not reason and latest, reason=reason, latest=latest)
    if version is None:
        return result
    commentable = [unit for unit in units if unit.kind in COMMENTABLE]
    counts = _counts(act.government_id, [unit.pk for unit in commentable]) if commentable else {}
    # One reverse() for the page: each article's address is the pattern with its piece.
    pattern = reverse("council:article", kwargs={"slug": act.slug, "ref": "ref"})
    query = "" if latest else f"?version={version.number}"
    for unit in commentable:
        unit.article_ref = article_ref(unit)
        unit.article_url = pattern[: -len("ref/")] + unit.article_ref + "/" + query
        row = _article_counts(unit, counts.get(unit.pk, {}))
        unit.comment_count = row.total
        if row.total or result.open:
            unit.comment_link = _link(unit)
        if row.total:
            result.rows.append(row)
    return result


def unit_name(unit: Unit) -> str:
    if unit.kind == Unit.Kind.ARTICLE:
        return _("Art. %(n)s") % {"n": unit.number or unit.position}
    return f"{unit.get_kind_display()} {(unit.number or '').lower()}".strip()


def _link(unit: Unit) -> str:
    """The link under an article on the act's page: its comments, or to comment on it."""
    if unit.comment_count:
        words = ngettext("See %(n)s comment", "See %(n)s comments", unit.comment_count) % {"n": unit.comment_count}
    else:
        words = _("Comment on this article")
    return format_html(
        '<p class="article-comments"><a href="{}">{}<span class="visually-hidden"> ({})</span></a></p>',
        unit.article_url,
        words,
        unit_name(unit),
    )


def quotes_of(unit: Unit) -> list[ArticleComment]:
    """The passages quoted in comments on the article that the public reads."""
    return list(
        ArticleComment.objects.for_government(unit.government_id)
        .filter(unit=unit, quote_start__isnull=False)
        .filter(comment__status=Comment.Status.VISIBLE, comment__deleted_at__isnull=True)
        .order_by("quote_start", "pk")
    )


def answer_of(unit: Unit) -> ArticleAnswer | None:
    return ArticleAnswer.objects.for_government(unit.government_id).filter(unit=unit).first()


def same_article(act: Act, unit: Unit) -> list[tuple[Version, Unit, int]]:
    """The same article (by its address) in the act's other versions, each with the number of
    comments written on it."""
    ref = article_ref(unit)
    others = [
        other
        for other in Unit.objects.for_government(act.government_id)
        .filter(version__act=act, kind=unit.kind)
        .exclude(pk=unit.pk)
        .select_related("version")
        .order_by("version__number")
        if article_ref(other) == ref
    ]
    counts = _counts(act.government_id, [other.pk for other in others]) if others else {}
    return [(other.version, other, sum(counts.get(other.pk, {}).values())) for other in others]


# Summary for councillors -----------------------------------------------------------------------


@dataclass
class ArticleSummary:
    counts: ArticleCounts
    ref: str
    top: list[Comment] = field(default_factory=list)
    quotes: list[ArticleComment] = field(default_factory=list)
    official_answers: int = 0
    considered: int = 0
    answer: ArticleAnswer | None = None


def summary(version: Version) -> list[ArticleSummary]:
    """Per article of the version: comments by position, the most supported ones (votes up),
    the passages quoted, the official answers and the committee's answer. Five queries."""
    government = version.government_id
    units = list(commentable_units(version))
    ids = [unit.pk for unit in units]
    counts = _counts(government, ids)
    shown = (
        Comment.objects.for_government(government)
        .filter(target_key=TARGET, target_id__in=ids)
        .shown()
        .select_related("author", "council_article")
        .order_by("-votes_up", "votes_down", "created_at", "pk")
    )
    top: dict[int, list[Comment]] = {}
    official: dict[int, int] = {}
    considered: dict[int, int] = {}
    for comment in shown:
        if comment.is_official:
            official[comment.target_id] = official.get(comment.target_id, 0) + 1
            continue
        if comment.depth:
            continue
        extra = getattr(comment, "council_article", None)
        comment.article_quote = extra.quote if extra is not None else ""
        comment.considered = bool(extra is not None and extra.considered)
        if comment.considered:
            considered[comment.target_id] = considered.get(comment.target_id, 0) + 1
        found = top.setdefault(comment.target_id, [])
        if len(found) < TOP:
            found.append(comment)
    quotes: dict[int, list[ArticleComment]] = {}
    for extra in (
        ArticleComment.objects.for_government(government)
        .filter(unit_id__in=ids, quote_start__isnull=False)
        .filter(comment__status=Comment.Status.VISIBLE, comment__deleted_at__isnull=True)
        .order_by("quote_start", "pk")
    ):
        quotes.setdefault(extra.unit_id, []).append(extra)
    answers = {a.unit_id: a for a in ArticleAnswer.objects.for_government(government).filter(unit_id__in=ids)}
    return [
        ArticleSummary(
            counts=_article_counts(unit, counts.get(unit.pk, {})),
            ref=article_ref(unit),
            top=top.get(unit.pk, []),
            quotes=quotes.get(unit.pk, []),
            official_answers=official.get(unit.pk, 0),
            considered=considered.get(unit.pk, 0),
            answer=answers.get(unit.pk),
        )
        for unit in units
    ]
