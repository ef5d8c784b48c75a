"""What citizens follow in the public works (core/notifications does the rest): a published
project. Its followers hear of each progress update."""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from minga.core.notifications import services as notifications
from minga.core.registry import Followable
from minga.core.tenancy.paths import government_path

PROJECT = "works.project"

FOLLOWABLES = (
    Followable(
        kind=PROJECT,
        model="works.Project",
        label=_("Public works"),
        description=_("When a public work you follow reports its progress."),
        title=lambda project: project.title,
        path=lambda project: government_path("works:project_detail", slug=project.slug),
        public=lambda projects: projects.published(),
    ),
)


def progress_posted(*, government, project, update, actor=None) -> None:
    """Tell the project's followers of a progress update, after the commit, each in their
    language."""
    title, note = project.title, update.note
    reported_on, physical, financial = update.reported_on, update.physical_progress, update.financial_progress

    def summary() -> str:
        line = gettext("On %(date)s: physical progress %(physical)s %%, financial progress %(financial)s %%.") % {
            "date": formats.date_format(reported_on, "DATE_FORMAT"),
            "physical": formats.number_format(physical, 0),
            "financial": formats.number_format(financial, 0),
        }
        return f"{line}\n\n{note}" if note else line

    notifications.notify(
        government=government,
        target=project,
        event="progress",
        title=lambda: gettext("Progress update: %(title)s") % {"title": title},
        summary=summary,
        actor=actor,
    )
