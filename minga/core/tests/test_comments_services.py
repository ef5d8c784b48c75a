"""Comments (core/comments/) through their services: the depth limit, positions, stored text
(control and invisible characters out, HTML kept as inert text), one vote per person (a
database constraint), reports that hide a comment after the government's threshold,
moderation with a published reason, appeals, official answers, edits and deletions, and the
audit of every moderation."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from minga.core.audit.models import AuditEntry
from minga.core.comments import selectors
from minga.core.comments import services as comments
from minga.core.comments.models import Comment, CommentAppeal, CommentReport, CommentVote
from minga.core.comments.text import clean_body, render_body
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import UserFactory

pytestmark = pytest.mark.django_db

TARGET = "consulta.propuesta"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def scope(government):
    with government_scope(government):
        yield


def write(government, proposal, *, actor=None, body="Me parece bien.", **kwargs):
    return comments.comment_create(
        actor=actor or UserFactory(), government=government, target_key=TARGET, obj=proposal, body=body, **kwargs
    )


def test_replies_go_three_deep_and_no_deeper(government, proposals, scope):
    comment = write(government, proposals["open"])
    for depth in (1, 2, 3):
        comment = write(government, proposals["open"], parent=comment, body=f"Respuesta {depth}")
        assert comment.depth == depth
    with pytest.raises(ValidationError, match="as deep as it can go"):
        write(government, proposals["open"], parent=comment)
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.filter(pk=comment.pk).update(depth=4)


def test_a_reply_stays_in_its_thread_and_hidden_comments_take_none(government, proposals, scope):
    other = Comment.objects.create(
        government=government,
        target_key=TARGET,
        target_id=99,
        author=UserFactory(),
        body="x",
        created_at=timezone.now(),
    )
    with pytest.raises(ValidationError, match="not in this thread"):
        write(government, proposals["open"], parent=other)
    comment = write(government, proposals["open"])
    comments.comment_hide(actor=None, government=government, comment=comment, reason="Insultos")
    with pytest.raises(ValidationError, match="hidden or deleted"):
        write(government, proposals["open"], parent=comment)


def test_positions_on_comments_and_none_on_replies(government, proposals, scope):
    favour = write(government, proposals["open"], alignment=1)
    against = write(government, proposals["open"], alignment=-1)
    reply = write(government, proposals["open"], alignment=-1, parent=favour)
    assert (favour.alignment, against.alignment, reply.alignment) == (1, -1, 0)
    with pytest.raises(ValidationError):
        write(government, proposals["open"], alignment=5)
    thread = selectors.thread(
        government, proposals["target"], proposals["open"], user=None, now=timezone.now(), position="en-contra"
    )
    assert [c.pk for c in thread.roots] == [against.pk]
    # "All" counts the reply too, as the heading does; the positions count the comments that open a thread.
    assert thread.counts == {"": 3, "a-favor": 1, "neutral": 0, "en-contra": 1}
    assert thread.count == 3


def test_closed_objects_and_unconfirmed_addresses_take_no_comments(government, proposals, scope):
    with pytest.raises(ValidationError, match="cerrados"):
        write(government, proposals["closed"])
    with pytest.raises(ValidationError, match="Confirm your e-mail"):
        write(government, proposals["open"], actor=UserFactory(email_verified_at=None))
    with pytest.raises(ValidationError, match="Write your comment"):
        write(government, proposals["open"], body=" \u200b\n\x00 ")


def test_the_text_is_plain_and_html_stays_inert(government, proposals, scope):
    payload = '<script>alert(1)</script><img src=x onerror=alert(2)> "q" \u202egnp.exe\x07'
    comment = write(government, proposals["open"], body=payload + "\r\n\r\n\r\n\r\nfin  ")
    assert comment.body == '<script>alert(1)</script><img src=x onerror=alert(2)> "q" gnp.exe\n\nfin'
    html = str(render_body(comment.body))
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt; &quot;q&quot;" in html
    assert html.endswith("<p>fin</p>")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Ver https://example.org/a?b=1&c=2.",
            '<p>Ver <a href="https://example.org/a?b=1&amp;c=2" rel="nofollow ugc noopener" class="comment-link">'
            "https://example.org/a?b=1&amp;c=2</a>.</p>",
        ),
        (
            "(www.gob.ec)",
            '<p>(<a href="https://www.gob.ec" rel="nofollow ugc noopener" class="comment-link">www.gob.ec</a>)</p>',
        ),
        ("javascript:alert(1) data:text/html,x", "<p>javascript:alert(1) data:text/html,x</p>"),
        (
            'http://x.org/"onmouseover=alert(1)',
            '<p><a href="http://x.org/" rel="nofollow ugc noopener" class="comment-link">http://x.org/</a>&quot;onmouseover=alert(1)</p>',
        ),
        ("uno\ndos", "<p>uno<br>dos</p>"),
    ],
)
def test_addresses_become_links_that_search_engines_do_not_follow(text, expected):
    assert str(render_body(clean_body(text))) == expected


def test_a_comment_is_limited_by_the_governments_setting(government, proposals, scope):
    government.modules = {"comments": {"settings": {"max_length": 10}}}
    with pytest.raises(ValidationError, match="At most 10 characters"):
        write(government, proposals["open"], body="x" * 11)
    assert write(government, proposals["open"], body="x" * 10).body == "x" * 10


def test_one_vote_per_person_toggles_and_counts(government, proposals, scope):
    author, voter, other = UserFactory(), UserFactory(), UserFactory()
    comment = write(government, proposals["open"], actor=author)
    assert comments.comment_vote(actor=voter, government=government, comment=comment, value=1) == 1
    assert comments.comment_vote(actor=other, government=government, comment=comment, value=-1) == -1
    comment.refresh_from_db()
    assert (comment.votes_up, comment.votes_down) == (1, 1)
    assert comments.comment_vote(actor=voter, government=government, comment=comment, value=-1) == -1
    assert comments.comment_vote(actor=other, government=government, comment=comment, value=-1) == 0
    comment.refresh_from_db()
    assert (comment.votes_up, comment.votes_down) == (0, 1)
    assert CommentVote.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        CommentVote.objects.create(
            government=government, comment=comment, user=voter, value=1, created_at=timezone.now()
        )
    with pytest.raises(ValidationError, match="your own comment"):
        comments.comment_vote(actor=author, government=government, comment=comment, value=1)


def test_best_rated_order(government, proposals, scope):
    first, second = write(government, proposals["open"], body="A"), write(government, proposals["open"], body="B")
    comments.comment_vote(actor=UserFactory(), government=government, comment=second, value=1)
    thread = selectors.thread(
        government, proposals["target"], proposals["open"], user=None, now=timezone.now(), sort="valorados"
    )
    assert [c.pk for c in thread.roots] == [second.pk, first.pk]
    thread = selectors.thread(
        government, proposals["target"], proposals["open"], user=None, now=timezone.now(), sort="recientes"
    )
    assert [c.pk for c in thread.roots] == [second.pk, first.pk]


def report(government, comment, reporter=None, reason="offensive", details=""):
    return comments.comment_report(
        actor=reporter or UserFactory(), government=government, comment=comment, reason=reason, details=details
    )


def test_reports_hide_a_comment_at_the_threshold_pending_review(government, proposals, scope):
    comment = write(government, proposals["open"])
    reporter = UserFactory()
    report(government, comment, reporter)
    with pytest.raises(ValidationError, match="already reported"):
        report(government, comment, reporter)
    with pytest.raises(IntegrityError), transaction.atomic():
        CommentReport.objects.create(
            government=government, comment=comment, reporter=reporter, reason="spam", created_at=timezone.now()
        )
    report(government, comment)
    comment.refresh_from_db()
    assert comment.status == "visible"
    report(government, comment, reason="other", details="Publicidad de una empresa")
    comment.refresh_from_db()
    assert comment.status == "pending" and comment.hidden_at is not None
    entry = AuditEntry.objects.get(action="core.comment.auto_hidden")
    assert entry.actor is None and entry.changes["reports"] == 3 and entry.object_id == str(comment.pk)
    with pytest.raises(ValidationError, match="not shown any more"):
        report(government, comment)


def test_the_threshold_is_the_governments_and_other_needs_details(government, proposals, scope):
    government.modules = {"comments": {"settings": {"reports_to_hide": 1}}}
    comment = write(government, proposals["open"])
    with pytest.raises(ValidationError):
        report(government, comment, reason="other")
    with pytest.raises(ValidationError, match="own comment"):
        report(government, comment, comment.author)
    report(government, comment, reason="personal_data")
    comment.refresh_from_db()
    assert comment.status == "pending"


def test_moderators_hide_with_a_reason_and_restore(government, proposals, scope):
    moderator = UserFactory()
    comment = write(government, proposals["open"])
    report(government, comment)
    with pytest.raises(ValidationError, match="Say why"):
        comments.comment_hide(actor=moderator, government=government, comment=comment, reason="   ")
    comments.comment_hide(actor=moderator, government=government, comment=comment, reason="Insulta a una persona")
    comment.refresh_from_db()
    assert comment.status == "hidden" and comment.hidden_reason == "Insulta a una persona"
    assert CommentReport.objects.get().state == "upheld"
    report_after = Comment.objects.get(pk=comment.pk)
    comments.comment_restore(actor=moderator, government=government, comment=report_after)
    comment.refresh_from_db()
    assert comment.status == "visible" and comment.hidden_reason == ""
    actions = list(AuditEntry.objects.filter(action__startswith="core.comment").values_list("action", "actor"))
    assert actions == [("core.comment.hidden", moderator.pk), ("core.comment.restored", moderator.pk)]
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.filter(pk=comment.pk).update(status="hidden", hidden_reason="")


def test_restoring_dismisses_the_open_reports_and_counting_starts_again(government, proposals, scope):
    comment = write(government, proposals["open"])
    for _ in range(3):
        report(government, comment)
    comments.comment_restore(actor=None, government=government, comment=comment)
    assert set(CommentReport.objects.values_list("state", flat=True)) == {"dismissed"}
    report(government, comment)
    comment.refresh_from_db()
    assert comment.status == "visible"


def test_the_author_appeals_once_and_a_moderator_decides(government, proposals, scope):
    author, moderator = UserFactory(), UserFactory()
    comment = write(government, proposals["open"], actor=author)
    with pytest.raises(ValidationError, match="Only a hidden comment"):
        comments.appeal_create(actor=author, government=government, comment=comment, text="¿Por qué?")
    comments.comment_hide(actor=moderator, government=government, comment=comment, reason="Datos personales")
    with pytest.raises(ValidationError, match="Only the author"):
        comments.appeal_create(actor=UserFactory(), government=government, comment=comment, text="¿Por qué?")
    appeal = comments.appeal_create(actor=author, government=government, comment=comment, text="No había datos.")
    with pytest.raises(ValidationError, match="once"):
        comments.appeal_create(actor=author, government=government, comment=comment, text="Otra vez")
    assert [c.pk for c in selectors.queue(government, _Everyone(), state="")] == [comment.pk]
    with pytest.raises(ValidationError):
        comments.appeal_decide(actor=moderator, government=government, appeal=appeal, uphold=False, note="")
    comments.appeal_decide(actor=moderator, government=government, appeal=appeal, uphold=True)
    comment.refresh_from_db()
    appeal.refresh_from_db()
    assert comment.status == "visible" and appeal.state == "upheld" and appeal.decided_by == moderator
    with pytest.raises(ValidationError, match="already decided"):
        comments.appeal_decide(actor=moderator, government=government, appeal=appeal, uphold=True)
    actions = list(AuditEntry.objects.filter(action__startswith="core.comment").values_list("action", flat=True))
    assert actions == ["core.comment.hidden", "core.comment.appealed", "core.comment.appeal_upheld"]


def test_a_rejected_appeal_of_an_automatic_hiding_publishes_the_note(government, proposals, scope):
    government.modules = {"comments": {"settings": {"reports_to_hide": 1}}}
    author = UserFactory()
    comment = write(government, proposals["open"], actor=author)
    report(government, comment)
    appeal = comments.appeal_create(actor=author, government=government, comment=comment, text="Es mi opinión.")
    comments.appeal_decide(actor=None, government=government, appeal=appeal, uphold=False, note="Es publicidad.")
    comment.refresh_from_db()
    assert comment.status == "hidden" and comment.hidden_reason == "Es publicidad."
    assert CommentAppeal.objects.get().state == "rejected"
    assert AuditEntry.objects.filter(action="core.comment.appeal_rejected").exists()


class _Everyone:
    """A moderator of every target (the queue selector asks for the permission)."""

    is_authenticated = True

    def has_perm(self, permission, government):
        return True


def test_official_answers_are_marked_and_go_under_the_deepest_comment_that_takes_replies(government, proposals, scope):
    official = UserFactory()
    comment = write(government, proposals["open"])
    answer = comments.comment_answer(actor=official, government=government, comment=comment, body="Gracias.")
    assert answer.is_official and answer.parent == comment and answer.author == official
    deep = comment
    for _ in range(3):
        deep = write(government, proposals["open"], parent=deep)
    deep_answer = comments.comment_answer(actor=official, government=government, comment=deep, body="Respuesta.")
    assert deep_answer.parent_id == deep.parent_id and deep_answer.depth == 3
    assert AuditEntry.objects.filter(action="core.comment.answered").count() == 2
    waiting = selectors.queue(government, _Everyone(), state="sin-respuesta")
    assert comment not in waiting


def test_edit_within_the_window_and_delete_keeping_the_thread(government, proposals, scope):
    author = UserFactory()
    comment = write(government, proposals["open"], actor=author)
    reply = write(government, proposals["open"], parent=comment)
    with pytest.raises(ValidationError, match="Only the author"):
        comments.comment_edit(actor=UserFactory(), government=government, comment=comment, body="Otro")
    edited = comments.comment_edit(actor=author, government=government, comment=comment, body="Corregido")
    assert edited.body == "Corregido" and edited.edited_at is not None
    later = comment.created_at + dt.timedelta(minutes=16)
    with pytest.raises(ValidationError, match="15 minutes"):
        comments.comment_edit(actor=author, government=government, comment=comment, body="Tarde", now=later)
    comments.comment_delete(actor=author, government=government, comment=comment)
    thread = selectors.thread(government, proposals["target"], proposals["open"], user=author, now=timezone.now())
    assert thread.roots[0].is_deleted and [c.pk for c in thread.roots[0].children] == [reply.pk]
    assert thread.count == 1  # the reply; the deleted comment is not read in full
    with pytest.raises(ValidationError, match="deleted"):
        comments.comment_delete(actor=author, government=government, comment=comment)


def test_the_count_of_unanswered_comments(government, proposals, scope):
    from django.db.models import Value

    first = write(government, proposals["open"])
    write(government, proposals["open"])
    comments.comment_answer(actor=None, government=government, comment=first, body="Respondido.")
    row = (
        Comment.objects.filter(pk=first.pk)
        .annotate(n=selectors.unanswered_count(TARGET, "target_id"), k=Value(1))
        .values_list("n", flat=True)
        .get()
    )
    assert row == 1
