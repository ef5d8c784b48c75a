"""What participatory budgets add to the module's manifest (apps.py merges these): the
binding action of voting, the projects as linked records ("participation.project"), the
backlinks from proposals, budget lines and works to the projects that name them, and the
projects as followable records and comment targets (core's follows and threads)."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from minga.core.registry import CommentTarget, Followable, LinkedRecord, NavEntry, VerificationAction
from minga.core.tenancy.paths import government_path
from minga.core.tenancy.scoping import government_scope
from minga.core.verification.levels import Level

from .models import Project, ProjectLink

KIND = "participation.project"

# A paper ballot is matched with an online vote by the keyed hash of the cédula, so an online
# vote needs at least a registered cédula.
ACTIONS = (
    VerificationAction(
        "participation.budget_vote",
        _("vote in the participatory budget"),
        default_level=Level.CENSUS,
        minimum_level=Level.CEDULA,
    ),
)


NAV = (
    NavEntry(
        _("Participatory budgets"),
        "participation:office_budgets",
        backoffice=True,
        permission="participation.view_backoffice",
    ),
)


def _public(government):
    return Project.objects.for_government(government).filter(budget__process__is_published=True)


def project_path(project: Project) -> str:
    return government_path("participation:budget_project", slug=project.budget.process.slug, project=project.slug)


def record(project: Project, *, result=None) -> LinkedRecord:
    process = project.budget.process
    return LinkedRecord(
        kind=KIND,
        key=project.slug,
        title=project.title,
        url=project_path(project),
        module="participation",
        facts={
            "cost": project.cost,
            "budget": project.budget.title,
            "process": process.title,
            "territory": project.budget.territory_name,
        },
    )


def resolve(government, keys: list[str]) -> dict[str, LinkedRecord]:
    with government_scope(government):
        found = _public(government).filter(slug__in=keys).select_related("budget__process")
        return {p.slug: record(p) for p in found}


def search(government, text: str, limit: int) -> list[LinkedRecord]:
    with government_scope(government):
        found = _public(government).select_related("budget__process")
        if text:
            found = found.filter(title__icontains=text) | found.filter(slug__icontains=text)
        return [record(p) for p in found.order_by("-created_at")[:limit]]


def _backlinks(kind: str):
    def find(government, key: str) -> list[LinkedRecord]:
        with government_scope(government):
            ids = ProjectLink.objects.for_government(government).filter(kind=kind, key=key).values("project_id")
            found = _public(government).filter(pk__in=ids).select_related("budget__process").order_by("title")
            return [record(p) for p in found]

    return find


# Counts whose background job is lost fail with the reason (core/jobs/recovery.py calls it).
RECOVER_JOBS = "minga.participation.budgets.counting.recover"

LINK_RESOLVERS = {KIND: resolve}
LINK_SEARCH = {KIND: search}
BACKLINKS = {kind: _backlinks(kind) for kind in ("participation.proposal", "budget.line", "works.project")}


# Follows and comments ------------------------------------------------------------------------

FOLLOWABLES = (
    Followable(
        kind=KIND,
        model="participation.Project",
        label=_("Participatory-budget projects"),
        description=_(
            "When a project you follow is commented on, and whether it won or lost when the count is published."
        ),
        title=lambda project: project.title,
        path=project_path,
        public=lambda projects: projects.filter(budget__process__is_published=True),
    ),
)


def _lookup(government, object_id: int, user):
    return _public(government).select_related("budget__process").filter(pk=object_id).first()


def _describe(government, ids: list[int]) -> dict[int, tuple[str, str]]:
    found = Project.objects.for_government(government).filter(pk__in=ids).select_related("budget__process")
    return {project.pk: (project.title, project_path(project)) for project in found}


def _closed_reason(project: Project, user) -> str:
    return "" if project.budget.process.is_published else gettext("This project is not public.")


def _on_created(*, government, comment, obj, data, now) -> None:
    """The writer follows the project; its followers hear of the comment."""
    from minga.core.notifications import services as notifications

    notifications.follow(user=comment.author, government=government, target=obj, now=now)
    title = obj.title
    notifications.notify(
        government=government,
        target=obj,
        event="comment",
        title=lambda: gettext("New comment on: %(title)s") % {"title": title},
        summary=comment.body[:300],
        actor=comment.author,
        now=now,
    )


COMMENT_TARGETS = (
    CommentTarget(
        key=KIND,
        module="participation",
        label=_("Participatory-budget project"),
        lookup=_lookup,
        url=project_path,
        describe=_describe,
        closed_reason=_closed_reason,
        on_created=_on_created,
    ),
)
