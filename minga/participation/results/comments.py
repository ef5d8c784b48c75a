"""Citizens' comments on a result (core's threads, "participation.result"): on a published
result of a published process; writing one makes the writer follow the result. Participation's
moderators moderate them."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minga.core.notifications import services as notifications
from minga.core.registry import CommentTarget
from minga.core.tenancy.paths import government_path

from .catalog import KIND
from .follows import result_path
from .models import Result


def _lookup(government, object_id: int, user):
    return Result.objects.for_government(government).public().select_related("process").filter(pk=object_id).first()


def _describe(government, ids: list[int]) -> dict[int, tuple[str, str]]:
    found = {}
    for result in Result.objects.for_government(government).filter(pk__in=ids).select_related("process"):
        if result.is_published and result.process.is_published:
            found[result.pk] = (result.title, result_path(result))
        else:
            found[result.pk] = (result.title, government_path("participation:office_result_edit", pk=result.pk))
    return found


def _closed_reason(result: Result, user) -> str:
    return "" if result.is_published and result.process.is_published else _("This result is not public.")


def _on_created(*, government, comment, obj, data, now) -> None:
    notifications.follow(user=comment.author, government=government, target=obj, now=now)


COMMENT_TARGETS = (
    CommentTarget(
        key=KIND,
        module="participation",
        label=gettext_lazy("Result of a participatory process"),
        lookup=_lookup,
        url=result_path,
        describe=_describe,
        closed_reason=_closed_reason,
        on_created=_on_created,
    ),
)
