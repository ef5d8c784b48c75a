"""What citizens follow in results (core/notifications does the rest): a published result of a
published process. Its followers hear of each change of status or progress and of each new
timeline entry, one notice per change; nothing is said about drafts."""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from minga.core.notifications import services as notifications
from minga.core.registry import Followable
from minga.core.tenancy.paths import government_path

from .catalog import KIND


def result_path(result) -> str:
    return government_path("participation:result_detail", slug=result.process.slug, pk=result.pk)


FOLLOWABLES = (
    Followable(
        kind=KIND,
        model="participation.Result",
        label=_("Results of participatory processes"),
        description=_("When a result you follow changes its status or progress, or a step is added to its timeline."),
        title=lambda result: result.title,
        path=result_path,
        public=lambda results: results.public(),
    ),
)


def _is_public(result) -> bool:
    return result.is_published and result.process.is_published


def _percent(value) -> str:
    return formats.number_format(value, 0)


def changed(*, government, result, status: tuple[str, str] | None, progress: tuple | None, actor=None) -> None:
    """One notice for a change of status and/or progress (a single edit is one change)."""
    if not _is_public(result) or (status is None and progress is None):
        return
    title = result.title

    def summary() -> str:
        parts = []
        if status is not None:
            parts.append(gettext("Status: %(before)s → %(after)s.") % {"before": status[0] or "—", "after": status[1]})
        if progress is not None:
            parts.append(
                gettext("Progress: %(before)s %% → %(after)s %%.")
                % {"before": _percent(progress[0]), "after": _percent(progress[1])}
            )
        return " ".join(parts)

    notifications.notify(
        government=government,
        target=result,
        event="status" if status is not None else "progress",
        title=lambda: gettext("Result updated: %(title)s") % {"title": title},
        summary=summary,
        actor=actor,
    )


def timeline_added(*, government, result, entry, actor=None) -> None:
    if not _is_public(result):
        return
    title, text, date, progress = result.title, entry.text, entry.date, entry.progress

    def summary() -> str:
        line = gettext("On %(date)s:") % {"date": formats.date_format(date, "DATE_FORMAT")}
        if progress is not None:
            line += " " + gettext("progress %(value)s %%.") % {"value": _percent(progress)}
        return f"{line}\n\n{text}"

    notifications.notify(
        government=government,
        target=result,
        event="timeline",
        title=lambda: gettext("New step in the timeline: %(title)s") % {"title": title},
        summary=summary,
        actor=actor,
    )
