"""Writes of comments on articles. The comment itself is core's (core.comments.services); the
council's side is written in the comment's transaction by ``quote_save`` (the passage checked
against the article's text: a quote that is not the article's words undoes the comment).
Officials' writes are atomic and audited: whether an act takes comments, the committee's
answer on an article, a comment marked as taken into account."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minga.core.audit.services import diff_fields
from minga.core.comments.models import Comment
from minga.core.comments.text import clean_body

from ..acts.models import Act, Unit
from ..audit import record
from .models import ArticleAnswer, ArticleComment, DebateSetting
from .rules import TARGET
from .text import find_quote


def checked_quote(unit: Unit, quote: str, start, end) -> tuple[str, int | None, int | None]:
    """The passage as stored (its words, first offset, offset after it), or a ValidationError
    on the field "quote": offsets that do not hold these words, words not in the article."""
    # browsers send a text area's line breaks as CR LF
    quote = (quote or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    text = unit.body or ""
    if not quote:
        if start is not None or end is not None:
            raise ValidationError({"quote": _("The quoted passage is empty: select the words of the article again.")})
        return "", None, None
    if start is not None or end is not None:
        if start is None or end is None or not (0 <= start < end <= len(text)) or text[start:end] != quote:
            raise ValidationError(
                {
                    "quote": _(
                        "The quoted passage does not match the text of the article at that place. Select the "
                        "words again, or paste them exactly as written."
                    )
                }
            )
        return quote, start, end
    found = find_quote(text, quote)
    if found is None:
        raise ValidationError(
            {"quote": _("These words are not in the text of the article. Paste them exactly as written.")}
        )
    start, end = found
    return text[start:end], start, end


def quote_save(*, government, comment, obj: Unit, data: dict, now) -> ArticleComment:
    """Called by core in the transaction of a new comment on an article (the target's
    ``on_created``): the council's row beside it, with the quoted passage, if any."""
    quote, start, end = checked_quote(obj, data.get("quote") or "", data.get("quote_start"), data.get("quote_end"))
    extra = ArticleComment(
        government=government, comment=comment, unit=obj, quote=quote, quote_start=start, quote_end=end
    )
    extra.full_clean(exclude=["comment", "unit"], validate_constraints=False)
    extra.save()
    return extra


@transaction.atomic
def setting_save(*, actor, government, act: Act, mode: str, closes_on) -> DebateSetting:
    if mode not in DebateSetting.Mode.values:
        raise ValidationError({"mode": _("Choose whether the act takes comments.")})
    setting = DebateSetting.objects.for_government(government).select_for_update().filter(act=act).first()
    before = {"mode": setting.mode, "closes_on": setting.closes_on} if setting else {}
    if setting is None:
        setting = DebateSetting(government=government, act=act)
    setting.mode, setting.closes_on = mode, closes_on
    setting.full_clean(exclude=["act"], validate_constraints=False)
    setting.save()
    record(
        actor=actor,
        government=government,
        action="debate.configured",
        obj=act,
        changes=diff_fields(before, {"mode": mode, "closes_on": closes_on}),
    )
    return setting


@transaction.atomic
def answer_save(*, actor, government, unit: Unit, body: str, now=None) -> ArticleAnswer | None:
    """The committee's answer on an article: written, changed, or removed when empty."""
    now = now or timezone.now()
    body = clean_body(body or "").strip()
    answer = ArticleAnswer.objects.for_government(government).select_for_update().filter(unit=unit).first()
    before = {"body": answer.body} if answer else {}
    if not body:
        if answer is None:
            raise ValidationError({"body": _("Write the committee's answer.")})
        answer.delete()
        record(
            actor=actor,
            government=government,
            action="article_answer.deleted",
            obj=unit,
            changes=diff_fields(before, {}),
        )
        return None
    if answer is None:
        answer = ArticleAnswer(government=government, unit=unit)
    answer.body, answer.answered_at = body, now
    answer.answered_by = actor if getattr(actor, "is_authenticated", False) else None
    answer.full_clean(exclude=["unit"], validate_constraints=False)
    answer.save()
    record(
        actor=actor,
        government=government,
        action="article_answer.saved",
        obj=unit,
        changes=diff_fields(before, {"body": body}),
    )
    return answer


@transaction.atomic
def considered_set(*, actor, government, extra: ArticleComment, considered: bool, now=None) -> ArticleComment:
    """Mark a comment as taken into account by the committee, or take the mark back."""
    now = now or timezone.now()
    extra = ArticleComment.objects.for_government(government).select_for_update().get(pk=extra.pk)
    before = extra.considered
    extra.considered = considered
    extra.considered_at = now if considered else None
    extra.considered_by = actor if considered and getattr(actor, "is_authenticated", False) else None
    extra.save(update_fields=["considered", "considered_at", "considered_by"])
    record(
        actor=actor,
        government=government,
        action="article_comment.considered" if considered else "article_comment.unconsidered",
        obj=extra.comment,
        changes={"considered": [before, considered]},
    )
    return extra


def comments_delete_for_act(*, government, act: Act) -> int:
    """Delete the comments on the articles of an act being deleted (inside its transaction)."""
    ids = Unit.objects.for_government(government).filter(version__act=act).values("pk")
    deleted, _by_model = (
        Comment.objects.for_government(government).filter(target_key=TARGET, target_id__in=ids).delete()
    )
    return deleted
