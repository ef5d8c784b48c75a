"""The article of an act as a comment target of core's threads ("council.article"): an article
or provision of one version of a public act. Citizens comment with a position and may quote a
passage; only the latest version of an act open for comments takes them, from people with the
verification the module's settings ask; the council's editors moderate and answer."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minga.core.registry import CommentTarget
from minga.core.tenancy.paths import government_path
from minga.core.verification import selectors as verification

from ..acts.models import Unit
from ..apps import EDIT
from . import rules, selectors, services
from .forms import QuoteForm
from .models import ArticleComment
from .text import article_ref


def _lookup(government, object_id: int, user):
    return selectors.public_unit(government, object_id)


def _latest_number(unit: Unit) -> int:
    if not hasattr(unit, "_latest_number"):
        latest = selectors.latest_version(unit.version.act)
        unit._latest_number = latest.number if latest is not None else unit.version.number
    return unit._latest_number


def article_path(unit: Unit) -> str:
    act, version = unit.version.act, unit.version
    path = government_path("council:article", slug=act.slug, ref=article_ref(unit))
    return path if version.number == _latest_number(unit) else f"{path}?version={version.number}"


def unit_title(unit: Unit) -> str:
    return f"{unit.version.act.identifier} · {selectors.unit_name(unit)}"


def _describe(government, ids: list[int]) -> dict[int, tuple[str, str]]:
    found = {}
    for unit in Unit.objects.for_government(government).filter(pk__in=ids).select_related("version__act"):
        act = unit.version.act
        path = article_path(unit) if act.is_public else government_path("council:office_act", pk=act.pk)
        found[unit.pk] = (unit_title(unit), path)
    return found


def _closed_reason(unit: Unit, user) -> str:
    act = unit.version.act
    reason = rules.closed_reason(act, timezone.localdate())
    if reason:
        return reason
    if unit.version.number != _latest_number(unit):
        return _("This version of the text no longer takes comments: comment on the latest version.")
    found = verification.check_action(user, act.government, rules.ACTION, level=rules.comment_level(act.government))
    if not found.allowed:
        return " ".join(part for part in (found.message, found.next_step) if part)
    return ""


def _attachments(government, comments) -> dict[int, str]:
    """The passage a comment quotes, under its text."""
    extras = ArticleComment.objects.for_government(government).filter(
        comment_id__in=[c.pk for c in comments if not c.depth]
    )
    return {
        extra.comment_id: render_to_string("council/debate/comment_quote.html", {"extra": extra})
        for extra in extras
        if extra.quote or extra.considered
    }


COMMENT_TARGETS = (
    CommentTarget(
        key=rules.TARGET,
        module="council",
        label=gettext_lazy("Article of a council act"),
        lookup=_lookup,
        url=article_path,
        describe=_describe,
        closed_reason=_closed_reason,
        alignment=True,
        moderate_permission=EDIT,
        extra_form=QuoteForm,
        on_created=services.quote_save,
        attachments=_attachments,
    ),
)
