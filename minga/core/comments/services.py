"""Writes of comments. Citizens' writes (comment, reply, edit, delete, vote, report) are not
official acts and are not audited: each says itself that public pages changed
(`page_cache.content_changed`). Every moderation is audited: hiding automatically after
reports, hiding with a published reason, showing again, official answers, appeals and their
decisions (`audit.record`, which refreshes the pages too). Rules about who may do what live
here; views check the permission to open a page and rate-limit people."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..audit import services as audit
from ..registry import CommentTarget
from ..ui.page_cache import content_changed
from . import selectors
from .config import comment_settings
from .models import MAX_DEPTH, Alignment, Comment, CommentAppeal, CommentReport, CommentVote
from .text import clean_body

REASON_MAX = 300


def _target(government, key: str) -> CommentTarget:
    found = selectors.target(government, key)
    if found is None:
        raise ValidationError(_("Comments on this page are not available."))
    return found


def _checked_body(government, target: CommentTarget, body: str) -> str:
    body = clean_body(body)
    if not body:
        raise ValidationError({"body": _("Write your comment.")})
    limit = selectors.max_length(government, target)
    if len(body) > limit:
        raise ValidationError(
            {
                "body": _("At most %(limit)d characters (this text has %(length)d).")
                % {"limit": limit, "length": len(body)}
            }
        )
    return body


def _locked(government, comment: Comment) -> Comment:
    return Comment.objects.for_government(government).select_for_update().get(pk=comment.pk)


def _shown_changed(government, comment: Comment, target: CommentTarget | None = None) -> None:
    """Tell the module that the comments the public reads of this object changed."""
    target = target or selectors.target(government, comment.target_key)
    if target is not None and target.on_shown_changed is not None:
        target.on_shown_changed(government, comment.target_id)


def _moderation_state(comment: Comment) -> dict[str, Any]:
    return {"status": comment.status, "hidden_reason": comment.hidden_reason}


@transaction.atomic
def comment_create(
    *,
    actor,
    government,
    target_key: str,
    obj,
    body: str,
    alignment: int = Alignment.NEUTRAL,
    kind: str = "",
    parent: Comment | None = None,
    extra: dict | None = None,
    now=None,
) -> Comment:
    """A comment on `obj` (an object of the target `target_key` the caller looked up for
    this person), or a reply to `parent`. Replies take no position or kind; a comment three
    replies deep takes no replies."""
    if not selectors.can_comment(actor):
        raise ValidationError(_("Confirm your e-mail address before commenting."))
    target = _target(government, target_key)
    reason = selectors.closed_reason(target, obj, actor)
    if reason:
        raise ValidationError(reason)
    now = now or timezone.now()
    body = _checked_body(government, target, body)
    depth = 0
    if parent is not None:
        parent = Comment.objects.for_government(government).filter(pk=parent.pk).first()
        if parent is None or (parent.target_key, parent.target_id) != (target.key, obj.pk):
            raise ValidationError(_("The comment you answer is not in this thread."))
        if parent.depth >= MAX_DEPTH:
            raise ValidationError(_("This conversation is as deep as it can go: answer an earlier comment."))
        if parent.is_hidden or parent.is_deleted:
            raise ValidationError(_("A hidden or deleted comment takes no replies."))
        depth = parent.depth + 1
        alignment, kind = Alignment.NEUTRAL, ""
    else:
        alignment = int(alignment or 0) if target.alignment else Alignment.NEUTRAL
        if alignment not in Alignment.values:
            raise ValidationError({"alignment": _("Choose in favour, neutral or against.")})
        kinds = [value for value, _label in target.kinds]
        if kinds:
            kind = kind or kinds[0]
            if kind not in kinds:
                raise ValidationError({"kind": _("Choose one of the kinds offered.")})
        else:
            kind = ""
    comment = Comment(
        government=government,
        target_key=target.key,
        target_id=obj.pk,
        parent=parent,
        depth=depth,
        author=actor,
        alignment=alignment,
        kind=kind,
        body=body,
        created_at=now,
    )
    comment.full_clean()
    comment.save()
    if parent is None and target.on_created is not None:
        target.on_created(government=government, comment=comment, obj=obj, data=extra or {}, now=now)
    if parent is not None and parent.author_id and parent.author_id != getattr(actor, "pk", None):
        _tell_of_reply(government, obj, parent=parent, reply=comment, actor=actor, now=now)
    _shown_changed(government, comment, target)
    # Citizens' writes are not audited: the service itself says that public pages changed.
    content_changed(government, reason="core.comment.created")
    return comment


def _tell_of_reply(government, obj, *, parent: Comment, reply: Comment, actor, now) -> None:
    """The author of a comment hears of a reply to it (in the portal, and by e-mail as their
    notice preferences say), when what they commented on is something people can follow."""
    from ..notifications import followables
    from ..notifications import services as notifications

    if followables.entry(parent.target_key) is None:
        return
    excerpt = reply.body[:200] + ("…" if len(reply.body) > 200 else "")
    notifications.notify(
        government=government,
        target=obj,
        event="comment_reply",
        title=lambda: _("Someone replied to your comment"),
        summary=excerpt,
        actor=actor,
        now=now,
        recipients=[parent.author_id],
    )


def _editable(comment: Comment, *, actor) -> None:
    if comment.author_id is None or comment.author_id != getattr(actor, "pk", None):
        raise ValidationError(_("Only the author can change this comment."))
    if comment.is_deleted:
        raise ValidationError(_("This comment was deleted."))


@transaction.atomic
def comment_edit(*, actor, government, comment: Comment, body: str, now=None) -> Comment:
    """The author changes the text within the minutes the government allows."""
    now = now or timezone.now()
    comment = _locked(government, comment)
    _editable(comment, actor=actor)
    if comment.is_hidden:
        raise ValidationError(_("A hidden comment cannot be changed."))
    if comment.is_official:
        raise ValidationError(_("An official answer cannot be changed here."))
    minutes = comment_settings(government).edit_minutes
    if (now - comment.created_at).total_seconds() > minutes * 60:
        raise ValidationError(
            _("Comments can be changed for %(minutes)d minutes after publishing; you can still delete it.")
            % {"minutes": minutes}
        )
    comment.body = _checked_body(government, _target(government, comment.target_key), body)
    comment.edited_at = now
    comment.full_clean()
    comment.save(update_fields=["body", "edited_at"])
    content_changed(government, reason="core.comment.edited")
    return comment


@transaction.atomic
def comment_delete(*, actor, government, comment: Comment, now=None) -> Comment:
    """The author deletes a comment: it keeps its place in the thread as "comment deleted"
    (replies stay), and the public never reads its text again."""
    now = now or timezone.now()
    comment = _locked(government, comment)
    _editable(comment, actor=actor)
    comment.deleted_at = now
    comment.save(update_fields=["deleted_at"])
    _shown_changed(government, comment)
    content_changed(government, reason="core.comment.deleted")
    return comment


def _recount_votes(comment: Comment) -> None:
    votes = CommentVote.objects.for_government(comment.government_id).filter(comment=comment)
    counts = votes.aggregate(up=Count("pk", filter=Q(value=1)), down=Count("pk", filter=Q(value=-1)))
    Comment.objects.for_government(comment.government_id).filter(pk=comment.pk).update(
        votes_up=counts["up"], votes_down=counts["down"]
    )
    comment.votes_up, comment.votes_down = counts["up"], counts["down"]


@transaction.atomic
def comment_vote(*, actor, government, comment: Comment, value: int, now=None) -> int:
    """Vote up (1) or down (-1); the same vote again takes it back, the other one replaces
    it. Answers the person's vote now (0: none). One vote per person and comment is a
    database constraint; the counts on the comment follow each change."""
    if not getattr(actor, "is_authenticated", False):
        raise ValidationError(_("Sign in to vote."))
    if value not in (1, -1):
        raise ValidationError(_("A vote is up or down."))
    now = now or timezone.now()
    comment = _locked(government, comment)
    if comment.is_hidden or comment.is_deleted:
        raise ValidationError(_("Hidden or deleted comments take no votes."))
    if comment.author_id == actor.pk:
        raise ValidationError(_("You cannot vote on your own comment."))
    votes = CommentVote.objects.for_government(government)
    existing = votes.filter(comment=comment, user=actor).first()
    if existing is not None and existing.value == value:
        existing.delete()
        result = 0
    elif existing is not None:
        existing.value = value
        existing.created_at = now
        existing.save(update_fields=["value", "created_at"])
        result = value
    else:
        votes.create(government=government, comment=comment, user=actor, value=value, created_at=now)
        result = value
    _recount_votes(comment)
    content_changed(government, reason="core.comment.voted")
    return result


@transaction.atomic
def comment_report(*, actor, government, comment: Comment, reason: str, details: str = "", now=None) -> CommentReport:
    """A person reports a comment, once. When the open reports reach the government's
    threshold the comment is hidden at once, pending review (audited as the system's act)."""
    if not getattr(actor, "is_authenticated", False):
        raise ValidationError(_("Sign in to report a comment."))
    now = now or timezone.now()
    details = clean_body(details)[:1000]
    if reason not in CommentReport.Reason.values:
        raise ValidationError({"reason": _("Choose what is wrong with the comment.")})
    if reason == CommentReport.Reason.OTHER and not details:
        raise ValidationError({"details": _("Say what is wrong with the comment.")})
    comment = _locked(government, comment)
    if comment.author_id == actor.pk:
        raise ValidationError(_("You cannot report your own comment; you can delete it."))
    if comment.is_hidden or comment.is_deleted:
        raise ValidationError(_("This comment is not shown any more."))
    report = CommentReport(
        government=government, comment=comment, reporter=actor, reason=reason, details=details, created_at=now
    )
    report.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as error:
        raise ValidationError(_("You already reported this comment; the moderators will review it.")) from error
    open_reports = _open_reports(comment).count()
    threshold = comment_settings(government).reports_to_hide
    if comment.status == Comment.Status.VISIBLE and open_reports >= threshold:
        before = _moderation_state(comment)
        comment.status = Comment.Status.PENDING
        comment.hidden_at = now
        comment.save(update_fields=["status", "hidden_at"])
        _shown_changed(government, comment)
        audit.record(
            actor=None,
            government=government,
            action="core.comment.auto_hidden",
            obj=comment,
            changes={**audit.diff_fields(before, _moderation_state(comment)), "reports": open_reports},
            now=now,
        )
    return report


def _open_reports(comment: Comment):
    return CommentReport.objects.for_government(comment.government_id).filter(
        comment=comment, state=CommentReport.State.OPEN
    )


def _close_reports(comment: Comment, state: str, now) -> int:
    return _open_reports(comment).update(state=state, resolved_at=now)


@transaction.atomic
def comment_hide(*, actor, government, comment: Comment, reason: str, now=None) -> Comment:
    """A moderator hides a comment; the reason is published in its place. Open reports are
    upheld."""
    reason = " ".join(clean_body(reason).split())
    if not reason:
        raise ValidationError({"reason": _("Say why it is hidden: the reason is shown in its place.")})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("At most %(limit)d characters.") % {"limit": REASON_MAX}})
    now = now or timezone.now()
    comment = _locked(government, comment)
    before = _moderation_state(comment)
    comment.status = Comment.Status.HIDDEN
    comment.hidden_reason = reason
    comment.hidden_at = now
    comment.moderated_by = actor if getattr(actor, "is_authenticated", False) else None
    comment.full_clean()
    comment.save()
    _shown_changed(government, comment)
    upheld = _close_reports(comment, CommentReport.State.UPHELD, now)
    audit.record(
        actor=actor,
        government=government,
        action="core.comment.hidden",
        obj=comment,
        changes={**audit.diff_fields(before, _moderation_state(comment)), "reports_upheld": upheld},
        now=now,
    )
    return comment


@transaction.atomic
def comment_restore(*, actor, government, comment: Comment, now=None, action: str = "core.comment.restored") -> Comment:
    """A moderator shows a hidden comment again (or keeps a reported one): open reports are
    dismissed, and it takes new reports from scratch."""
    now = now or timezone.now()
    comment = _locked(government, comment)
    before = _moderation_state(comment)
    comment.status = Comment.Status.VISIBLE
    comment.hidden_reason = ""
    comment.hidden_at = None
    comment.moderated_by = actor if getattr(actor, "is_authenticated", False) else None
    comment.full_clean()
    comment.save()
    _shown_changed(government, comment)
    dismissed = _close_reports(comment, CommentReport.State.DISMISSED, now)
    audit.record(
        actor=actor,
        government=government,
        action=action,
        obj=comment,
        changes={**audit.diff_fields(before, _moderation_state(comment)), "reports_dismissed": dismissed},
        now=now,
    )
    return comment


@transaction.atomic
def comment_answer(*, actor, government, comment: Comment, body: str, now=None) -> Comment:
    """An official answers in the government's name: a reply marked "official answer". A
    comment too deep for replies gets it under its parent, in the same conversation."""
    now = now or timezone.now()
    comment = Comment.objects.for_government(government).select_related("parent").get(pk=comment.pk)
    target = selectors.target(government, comment.target_key)
    if target is None:
        raise ValidationError(_("Comments on this page are not available."))
    try:
        body = _checked_body(government, target, body)
    except ValidationError as error:
        raise ValidationError({"answer": error.message_dict.get("body", error.messages)}) from error
    parent = comment if comment.accepts_replies else comment.parent
    answer = Comment(
        government=government,
        target_key=comment.target_key,
        target_id=comment.target_id,
        parent=parent,
        depth=parent.depth + 1,
        author=actor if getattr(actor, "is_authenticated", False) else None,
        body=body,
        is_official=True,
        created_at=now,
    )
    answer.full_clean()
    answer.save()
    _shown_changed(government, answer, target)
    audit.record(
        actor=actor,
        government=government,
        action="core.comment.answered",
        obj=answer,
        changes={"answers": comment.pk, "body": [None, body]},
        now=now,
    )
    return answer


@transaction.atomic
def appeal_create(*, actor, government, comment: Comment, text: str, now=None) -> CommentAppeal:
    """The author of a hidden comment asks once for it to be shown again; the appeal waits
    in the moderation queue."""
    now = now or timezone.now()
    comment = _locked(government, comment)
    if comment.author_id is None or comment.author_id != getattr(actor, "pk", None):
        raise ValidationError(_("Only the author can appeal."))
    if not comment.is_hidden or comment.is_deleted:
        raise ValidationError(_("Only a hidden comment can be appealed."))
    text = clean_body(text)
    if not text:
        raise ValidationError({"text": _("Say why your comment should be shown.")})
    if len(text) > 2000:
        raise ValidationError({"text": _("At most %(limit)d characters.") % {"limit": 2000}})
    if CommentAppeal.objects.for_government(government).filter(comment=comment).exists():
        raise ValidationError(_("You already appealed; a comment can be appealed once."))
    appeal = CommentAppeal(government=government, comment=comment, text=text, created_at=now)
    appeal.full_clean(validate_constraints=False, validate_unique=False)
    try:
        with transaction.atomic():
            appeal.save()
    except IntegrityError as error:
        raise ValidationError(_("You already appealed; a comment can be appealed once.")) from error
    audit.record(actor=actor, government=government, action="core.comment.appealed", obj=comment, changes={}, now=now)
    return appeal


@transaction.atomic
def appeal_decide(*, actor, government, appeal: CommentAppeal, uphold: bool, note: str = "", now=None) -> CommentAppeal:
    """A moderator decides an appeal: upheld, the comment is shown again; rejected, it stays
    hidden, and one hidden automatically gets the note as its published reason."""
    now = now or timezone.now()
    appeal = CommentAppeal.objects.for_government(government).select_for_update().get(pk=appeal.pk)
    if appeal.state != CommentAppeal.State.PENDING:
        raise ValidationError(_("This appeal was already decided."))
    note = " ".join(clean_body(note).split())[:REASON_MAX]
    comment = appeal.comment
    if not uphold and not note:
        raise ValidationError({"note": _("Say why the comment stays hidden: the author reads it.")})
    appeal.state = CommentAppeal.State.UPHELD if uphold else CommentAppeal.State.REJECTED
    appeal.decision_note = note
    appeal.decided_at = now
    appeal.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    appeal.full_clean(validate_constraints=False, validate_unique=False)
    appeal.save()
    if uphold:
        comment_restore(
            actor=actor, government=government, comment=comment, now=now, action="core.comment.appeal_upheld"
        )
    else:
        if comment.status == Comment.Status.PENDING:
            comment_hide(actor=actor, government=government, comment=comment, reason=note, now=now)
        audit.record(
            actor=actor,
            government=government,
            action="core.comment.appeal_rejected",
            obj=comment,
            changes={"note": [None, note]},
            now=now,
        )
    return appeal


def comments_delete_for_target(*, government, target_key: str, target_id: int) -> int:
    """Delete every comment of an object the module deletes (its votes, reports and appeals
    go with them). Called inside the module's own transaction."""
    deleted, _by_model = (
        Comment.objects.for_government(government).filter(target_key=target_key, target_id=target_id).delete()
    )
    return deleted
