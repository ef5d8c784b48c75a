"""Reads of comments: the thread of an object as one person sees it (one query for the
comments, one each for that person's votes and reports), a comment reached by its address,
the moderation queue and what a module's back office counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import get_script_prefix

from .. import registry
from .config import comment_settings
from .models import Alignment, Comment, CommentAppeal, CommentReport, CommentVote

# Orders of a thread's comments on the object (replies always read oldest first), and the
# positions a thread can be narrowed to, by the names their addresses use.
SORTS = ("antiguos", "recientes", "valorados")
POSITIONS = {"a-favor": Alignment.IN_FAVOUR, "neutral": Alignment.NEUTRAL, "en-contra": Alignment.AGAINST}
POSITION_NAMES = {value: name for name, value in POSITIONS.items()}


def target(government, key: str) -> registry.CommentTarget | None:
    """The comment target of an enabled module, or None."""
    return registry.comment_targets(government).get(key)


def target_object(government, key: str, object_id: int, user) -> tuple[registry.CommentTarget, Any] | None:
    """The target and the object, when the module is on and this person may see the object."""
    found = target(government, key)
    if found is None:
        return None
    obj = found.lookup(government, int(object_id), user)
    return None if obj is None else (found, obj)


def public_comment(government, pk: int, user) -> tuple[Comment, registry.CommentTarget, Any] | None:
    """A comment by its id, with its target and object, when this person may see the object
    it belongs to (another government's comment, or one of a switched-off module: None)."""
    comment = Comment.objects.for_government(government).select_related("author", "appeal").filter(pk=pk).first()
    if comment is None:
        return None
    found = target_object(government, comment.target_key, comment.target_id, user)
    return None if found is None else (comment, *found)


def can_comment(user) -> bool:
    """Signed in with a confirmed e-mail address: the platform's rule for every comment."""
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "email_verified_at", None))


def closed_reason(target: registry.CommentTarget, obj, user) -> str:
    """Why this person may not comment on the object now, or ""."""
    return target.closed_reason(obj, user) if target.closed_reason is not None else ""


def can_moderate(user, government, target: registry.CommentTarget | None) -> bool:
    if target is None or not getattr(user, "is_authenticated", False):
        return False
    return user.has_perm(target.permission, government)


def moderated_targets(user, government) -> list[registry.CommentTarget]:
    """The comment targets of the government whose comments this person moderates."""
    return [t for t in registry.comment_targets(government).values() if can_moderate(user, government, t)]


def anchor(target: registry.CommentTarget, obj) -> str:
    """The id of a thread on its page (#comentarios-works-project-12)."""
    return f"comentarios-{target.key.replace('.', '-')}-{obj.pk}"


@dataclass
class Thread:
    target: registry.CommentTarget
    obj: Any
    roots: list[Comment]
    count: int  # comments the public reads in full
    counts: dict[str, int]  # comments on the object by position name, for the tabs
    sort: str
    position: str
    user_can_comment: bool = False
    closed: str = ""
    max_length: int = 1000
    extras: dict[int, str] = field(default_factory=dict)

    @property
    def anchor(self) -> str:
        return anchor(self.target, self.obj)


def editable(government, comment: Comment, *, now: dt.datetime) -> bool:
    """Whether its author may still change the text (the service has the last word)."""
    minutes = comment_settings(government).edit_minutes
    shown = not comment.is_hidden and not comment.is_deleted
    return shown and not comment.is_official and now - comment.created_at <= dt.timedelta(minutes=minutes)


def _decorate(comment: Comment, *, user, now: dt.datetime, edit_minutes: int, votes, reports) -> None:
    mine = bool(getattr(user, "is_authenticated", False) and comment.author_id == user.pk)
    comment.is_mine = mine
    comment.my_vote = votes.get(comment.pk, 0)
    comment.reported_by_me = comment.pk in reports
    shown = not comment.is_hidden and not comment.is_deleted
    comment.can_edit = bool(
        mine and shown and not comment.is_official and now - comment.created_at <= dt.timedelta(minutes=edit_minutes)
    )
    comment.can_delete = mine and not comment.is_deleted
    comment.can_vote = shown and not mine and getattr(user, "is_authenticated", False)
    comment.can_report = comment.can_vote and not comment.reported_by_me
    appeal = getattr(comment, "appeal", None) if comment.is_hidden else None
    comment.can_appeal = mine and comment.is_hidden and not comment.is_deleted and appeal is None
    comment.children = []


def thread(government, target: registry.CommentTarget, obj, *, user, now: dt.datetime, sort="", position="") -> Thread:
    """The comments of an object as this person reads them: those on the object in the order
    asked for (oldest first by default; "valorados" by votes for minus against), narrowed to
    a position where the target takes one, each with its replies oldest first."""
    settings = comment_settings(government)
    sort = sort if sort in SORTS else SORTS[0]
    position = position if target.alignment and position in POSITIONS else ""
    comments = list(
        Comment.objects.for_government(government)
        .of_target(target.key, obj.pk)
        .select_related("author", "appeal")
        .order_by("created_at", "pk")
    )
    votes: dict[int, int] = {}
    reports: set[int] = set()
    if getattr(user, "is_authenticated", False) and comments:
        ids = [c.pk for c in comments]
        votes = dict(
            CommentVote.objects.for_government(government)
            .filter(user=user, comment_id__in=ids)
            .values_list("comment_id", "value")
        )
        reports = set(
            CommentReport.objects.for_government(government)
            .filter(reporter=user, comment_id__in=ids)
            .values_list("comment_id", flat=True)
        )
    by_id = {}
    for comment in comments:
        _decorate(comment, user=user, now=now, edit_minutes=settings.edit_minutes, votes=votes, reports=reports)
        by_id[comment.pk] = comment
    roots = []
    for comment in comments:
        parent = by_id.get(comment.parent_id)
        if parent is not None:
            parent.children.append(comment)
        elif comment.parent_id is None:
            roots.append(comment)
    counts = {name: 0 for name in POSITIONS}
    for root in roots:
        if not root.is_hidden and not root.is_deleted:
            counts[POSITION_NAMES[root.alignment]] += 1
    if position:
        roots = [root for root in roots if root.alignment == POSITIONS[position]]
    if sort == "recientes":
        roots.sort(key=lambda c: (c.created_at, c.pk), reverse=True)
    elif sort == "valorados":
        # hidden and deleted comments last; then by votes for minus against, oldest first
        roots.sort(key=lambda c: (c.is_hidden or c.is_deleted, -c.score, c.created_at, c.pk))
    shown = [c for c in comments if not c.is_hidden and not c.is_deleted]
    # "All" counts what the heading counts: every visible comment, replies included (the
    # positions count the comments that open a thread, the only ones that take a position).
    counts[""] = len(shown)
    extras = target.attachments(government, shown) if target.attachments is not None and shown else {}
    reason = closed_reason(target, obj, user)
    return Thread(
        target=target,
        obj=obj,
        roots=roots,
        count=len(shown),
        counts=counts,
        sort=sort,
        position=position,
        user_can_comment=can_comment(user) and not reason,
        closed=reason,
        max_length=target.max_length or settings.max_length,
        extras=extras,
    )


def max_length(government, target: registry.CommentTarget) -> int:
    return target.max_length or comment_settings(government).max_length


# Moderation ---------------------------------------------------------------------------------

QUEUE_STATES = ("revisar", "sin-respuesta", "ocultos", "todos")


def _official_reply():
    return Comment.objects.filter(parent=OuterRef("pk"), is_official=True)


def unanswered_count(target_key: str, outer_ref: str = "pk"):
    """An expression that counts, for each row of a module's queryset, its comments on the
    object that the public reads and that no official answered yet: for the module's back
    office lists ("comments to answer")."""
    comments = (
        Comment.objects.filter(target_key=target_key, target_id=OuterRef(outer_ref), depth=0)
        .shown()
        .exclude(is_official=True)
        .exclude(Exists(Comment.objects.filter(parent=OuterRef("pk"), is_official=True)))
        .order_by()
        .values("target_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(comments, output_field=IntegerField()), 0)


def shown_count(government, target_key: str, target_id: int) -> int:
    """How many comments of the object the public reads, replies and official answers
    included: the count a thread shows (``Thread.count``)."""
    return Comment.objects.for_government(government).of_target(target_key, target_id).shown().count()


def object_comments(government, target_key: str, target_id: int):
    """The comments on one object (not the replies), newest first, each with `answered`:
    whether an official answered it. For the module's back-office page of the object."""
    return (
        Comment.objects.for_government(government)
        .of_target(target_key, target_id)
        .filter(depth=0)
        .annotate(answered=Exists(_official_reply()))
        .select_related("author")
        .order_by("-created_at", "-pk")
    )


def queue(government, user, *, state: str = "", target_key: str = ""):
    """The comments this person moderates, newest first: by default those waiting for review
    (hidden after reports, with open reports, or with an appeal to decide); "sin-respuesta":
    comments on an object that no official answered; "ocultos": hidden; "todos"."""
    keys = [t.key for t in moderated_targets(user, government)]
    if target_key:
        keys = [key for key in keys if key == target_key]
    comments = (
        Comment.objects.for_government(government)
        .filter(target_key__in=keys)
        .select_related("author", "appeal")
        .annotate(open_reports=Count("reports", filter=Q(reports__state=CommentReport.State.OPEN)))
    )
    if state == "sin-respuesta":
        comments = comments.filter(depth=0, is_official=False).shown().exclude(Exists(_official_reply()))
    elif state == "ocultos":
        comments = comments.exclude(status=Comment.Status.VISIBLE)
    elif state != "todos":
        comments = comments.filter(
            Q(status=Comment.Status.PENDING) | Q(open_reports__gt=0) | Q(appeal__state=CommentAppeal.State.PENDING)
        )
    return comments.order_by("-created_at", "-pk")


def describe(government, comments) -> None:
    """Give each comment `target_label`, `target_title` and `target_url` (a link of this
    request) from the module that owns it: one call per kind of object."""
    targets = registry.comment_targets(government)
    wanted: dict[str, set[int]] = {}
    for comment in comments:
        wanted.setdefault(comment.target_key, set()).add(comment.target_id)
    found: dict[str, dict[int, tuple[str, str]]] = {}
    for key, ids in wanted.items():
        target = targets.get(key)
        found[key] = target.describe(government, sorted(ids)) if target is not None else {}
    prefix = get_script_prefix().rstrip("/")
    for comment in comments:
        target = targets.get(comment.target_key)
        title, path = found.get(comment.target_key, {}).get(comment.target_id, ("", ""))
        comment.target_label = target.label if target is not None else comment.target_key
        comment.target_title = title or f"#{comment.target_id}"
        comment.target_url = (prefix + path) if path else ""


def moderation_record(government, pk: int):
    """A comment with its reports and appeal, for its moderation page."""
    return (
        Comment.objects.for_government(government)
        .select_related("author", "appeal", "moderated_by", "parent")
        .prefetch_related(
            Prefetch("reports", queryset=CommentReport.objects.for_government(government).order_by("created_at", "pk"))
        )
        .filter(pk=pk)
        .first()
    )


def official_answers(government, comment: Comment) -> list[Comment]:
    return list(
        Comment.objects.for_government(government)
        .filter(parent=comment, is_official=True)
        .select_related("author")
        .order_by("created_at")
    )


def comments_of_targets(government, prefix: str):
    """The comments shown on the objects of the targets whose key starts with ``prefix`` (e.g.
    "council."), official answers left out, as ``(target_key, target_id, created_at)`` rows, for
    a module's own counts: no author is named."""
    return (
        Comment.objects.for_government(government)
        .shown()
        .filter(target_key__startswith=prefix, is_official=False)
        .order_by("created_at", "pk")
        .values_list("target_key", "target_id", "created_at")
    )
