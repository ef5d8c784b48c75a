"""What participatory budgets add to the module's manifest (apps.py merges these): the
binding action of voting, the projects as linked records ("participation.project"), and the
backlinks from proposals, budget lines and works to the projects that name them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from minga.core.registry import LinkedRecord, NavEntry, VerificationAction
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


def record(project: Project, *, result=None) -> LinkedRecord:
    process = project.budget.process
    return LinkedRecord(
        kind=KIND,
        key=project.slug,
        title=project.title,
        url=government_path("participation:budget_project", slug=process.slug, project=project.slug),
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


LINK_RESOLVERS = {KIND: resolve}
LINK_SEARCH = {KIND: search}
BACKLINKS = {kind: _backlinks(kind) for kind in ("participation.proposal", "budget.line", "works.project")}
