"""Writes of budgets and projects (officials). Keyword-only, atomic, validated, audited.

The ballot and counting rules of a budget, its amount, and which projects it has with what
cost are voting rules: once voting has opened in the process (``processes.services.
voting_locked``), a change to them is refused with `BudgetRulesLocked`, and the attempt is
recorded in the audit log in its own transaction before the refusal is raised. Titles and
descriptions can still be corrected, and links added."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minga.core.audit import services as audit
from minga.core.crud import changed_fields, snapshot, unique_slug
from minga.core.opendata import tables_changed

from ..features import MODULE
from ..processes import services as process_services
from ..processes.models import Process
from .models import RESERVED_SLUGS, Budget, Project, ProjectLink

BUDGET_FIELDS = (
    "slug",
    "title",
    "description",
    "territory_code",
    "amount",
    "ballot_kind",
    "min_projects",
    "max_projects",
    "total_points",
    "max_points",
    "method",
    "position",
)
# Voting rules of a budget: fixed once voting opens.
BUDGET_RULES = (
    "territory_code",
    "amount",
    "ballot_kind",
    "min_projects",
    "max_projects",
    "total_points",
    "max_points",
    "method",
)
PROJECT_FIELDS = ("slug", "title", "description", "cost", "position", "budget")
PROJECT_RULES = ("cost", "budget")
MAX_LINKS = 20
KEY_PATTERNS = {
    ProjectLink.Kind.PROPOSAL: re.compile(r"^[0-9A-Za-z][0-9A-Za-z._:/-]{0,119}$"),
    ProjectLink.Kind.BUDGET_LINE: re.compile(r"^\d{4}:[0-9A-Za-z.\-]{1,100}$"),
    ProjectLink.Kind.WORK: re.compile(r"^[0-9a-z][0-9a-z-]{0,119}$"),
}


class BudgetRulesLocked(ValidationError):
    """A change to a budget's voting rules after voting opened."""

    def __init__(self, fields: Iterable[str]):
        self.fields = list(fields)
        super().__init__(
            _(
                "Voting has opened in this process, so the ballot, the counting rule, the amount and the projects "
                "with their costs cannot change any more. Nothing was saved and the attempt was recorded. It would "
                "have changed: %(what)s."
            )
            % {"what": ", ".join(self.fields)},
            code="budget_rules_locked",
        )


def _check_fields(fields: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")


def locked(process: Process, now: dt.datetime) -> bool:
    return process_services.voting_locked(process, now=now)


def _refuse(*, actor, government, obj, action: str, changes: dict, now) -> None:
    """Record a refused change in its own transaction (it must survive the caller's rollback),
    then raise."""
    with transaction.atomic():
        audit.record(actor=actor, government=government, action=action, obj=obj, changes=changes, now=now)
    raise BudgetRulesLocked(changes)


def _changed(government) -> None:
    tables_changed(government=government, module=MODULE)


def _reindex(project: Project) -> None:
    """The project's document of the global search."""
    from .. import search

    search.index(search.PROJECT_KIND, project)


def _forget_projects(government, projects: list[Project]) -> None:
    """Before projects are deleted: their comments, follows and search documents go."""
    from minga.core.comments import services as comments
    from minga.core.notifications import services as notifications

    from .. import search
    from .registry import KIND

    for project in projects:
        notifications.forget_target(government=government, target=project)
        comments.comments_delete_for_target(government=government, target_key=KIND, target_id=project.pk)
    search.forget(search.PROJECT_KIND, [project.pk for project in projects], government)


def _territory(government, process: Process, code: str) -> tuple[str, str]:
    """The territory's code and name: one of the process's (or any of the government's when
    the process covers the whole territory); empty: canton-wide."""
    code = (code or "").strip()
    if not code:
        return "", ""
    if process.territories:
        names = {item.get("code"): item.get("name") or item.get("code") for item in process.territories}
        if code not in names:
            raise ValidationError(
                {
                    "territory_code": _("Choose one of the process's territories: %(codes)s.")
                    % {"codes": ", ".join(names)}
                }
            )
        return code, names[code]
    resolved = process_services.resolve_territories(government, [code])
    return code, resolved[0]["name"]


# Budgets ------------------------------------------------------------------------------------


def _validate_budget(budget: Budget) -> None:
    try:
        budget.full_clean(validate_constraints=False)
    except ValidationError as error:
        raise ValidationError(error.message_dict) from error


def budget_create(
    *, actor, government, process: Process, title: str, now: dt.datetime | None = None, **fields
) -> Budget:
    _check_fields(fields, BUDGET_FIELDS)
    now = now or timezone.now()
    if locked(process, now):
        _refuse(
            actor=actor,
            government=government,
            obj=process,
            action="participation.budget.change_refused",
            changes={"budget": [None, title]},
            now=now,
        )
    with transaction.atomic():
        budget = Budget(government=government, process=process, title=" ".join(title.split()), **fields)
        budget.territory_code, budget.territory_name = _territory(government, process, budget.territory_code)
        if not budget.slug:
            budget.slug = unique_slug(
                Budget.objects.for_government(government).filter(process=process),
                budget.title,
                70,
                fallback="presupuesto",
                reserved=RESERVED_SLUGS,
            )
        if Budget.objects.for_government(government).filter(process=process, slug=budget.slug).exists():
            raise ValidationError({"slug": _("Another budget of this process already uses this identifier.")})
        _validate_budget(budget)
        budget.save()
        audit.record(
            actor=actor,
            government=government,
            action="participation.budget.created",
            obj=budget,
            changes=audit.diff_fields({}, snapshot(budget)),
            now=now,
        )
        _changed(government)
        return budget


def budget_update(*, actor, government, budget: Budget, now: dt.datetime | None = None, **fields) -> Budget:
    _check_fields(fields, BUDGET_FIELDS)
    now = now or timezone.now()
    with transaction.atomic():
        budget = (
            Budget.objects.for_government(government).select_related("process").select_for_update().get(pk=budget.pk)
        )
        before = snapshot(budget)
        for name, value in fields.items():
            setattr(budget, name, value)
        if "title" in fields:
            budget.title = " ".join(budget.title.split())
        rules = {
            name: [before.get(name), getattr(budget, name)]
            for name in BUDGET_RULES
            if name in fields and before.get(name) != getattr(budget, name)
        }
        if not rules or not locked(budget.process, now):
            budget.territory_code, budget.territory_name = _territory(government, budget.process, budget.territory_code)
            if not budget.slug:
                budget.slug = unique_slug(
                    Budget.objects.for_government(government).filter(process=budget.process).exclude(pk=budget.pk),
                    budget.title,
                    70,
                    fallback="presupuesto",
                    reserved=RESERVED_SLUGS,
                )
            taken = Budget.objects.for_government(government).filter(process=budget.process, slug=budget.slug)
            if taken.exclude(pk=budget.pk).exists():
                raise ValidationError({"slug": _("Another budget of this process already uses this identifier.")})
            _validate_budget(budget)
            budget.save()
            changes = changed_fields(budget, before)
            if changes:
                audit.record(
                    actor=actor,
                    government=government,
                    action="participation.budget.updated",
                    obj=budget,
                    changes=changes,
                    now=now,
                )
                _changed(government)
            return budget
    _refuse(
        actor=actor,
        government=government,
        obj=budget,
        action="participation.budget.change_refused",
        changes=rules,
        now=now,
    )


def budget_delete(*, actor, government, budget: Budget, now: dt.datetime | None = None) -> None:
    budget = Budget.objects.for_government(government).select_related("process").get(pk=budget.pk)
    _delete_unless_locked(
        actor=actor,
        government=government,
        obj=budget,
        process=budget.process,
        kind="budget",
        before=snapshot(budget),
        now=now or timezone.now(),
    )


# Projects -----------------------------------------------------------------------------------


def parse_keys(text_or_list, kind: str) -> list[str]:
    """Keys of one kind, one per line (or a list); duplicates dropped; a ValidationError names
    the malformed ones."""
    items = text_or_list.splitlines() if isinstance(text_or_list, str) else list(text_or_list or [])
    keys: list[str] = []
    bad: list[str] = []
    for raw in items:
        key = str(raw).strip()
        if not key:
            continue
        if not KEY_PATTERNS[kind].match(key):
            bad.append(key[:60])
        elif key not in keys:
            keys.append(key)
    if bad:
        raise ValidationError(_("These keys are not valid: %(keys)s.") % {"keys": ", ".join(bad)})
    if len(keys) > MAX_LINKS:
        raise ValidationError(_("At most %(max)d links of each kind.") % {"max": MAX_LINKS})
    return keys


def _links_of(project: Project) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for kind, key in project.links.values_list("kind", "key"):
        found.setdefault(kind, []).append(key)
    return found


def _set_links(project: Project, links: Mapping[str, Any]) -> None:
    for kind, keys in links.items():
        wanted = parse_keys(keys, kind)
        project.links.filter(kind=kind).exclude(key__in=wanted).delete()
        existing = set(project.links.filter(kind=kind).values_list("key", flat=True))
        ProjectLink.objects.bulk_create(
            [
                ProjectLink(government=project.government, project=project, kind=kind, key=key)
                for key in wanted
                if key not in existing
            ]
        )


def _project_snapshot(project: Project) -> dict:
    return snapshot(project, extra={"links": _links_of(project)} if project.pk else {})


def _validate_project(project: Project) -> None:
    try:
        project.full_clean(validate_constraints=False)
    except ValidationError as error:
        raise ValidationError(error.message_dict) from error
    if project.budget.government_id != project.government_id:
        raise ValidationError({"budget": _("The budget must belong to the same government.")})
    taken = Project.objects.for_government(project.government_id).filter(slug=project.slug).exclude(pk=project.pk)
    if taken.exists():
        raise ValidationError({"slug": _("Another project already uses this identifier.")})


def project_create(
    *, actor, government, budget: Budget, title: str, links: Mapping[str, Any] | None = None, now=None, **fields
) -> Project:
    _check_fields(fields, PROJECT_FIELDS)
    now = now or timezone.now()
    budget = Budget.objects.for_government(government).select_related("process").get(pk=budget.pk)
    if locked(budget.process, now):
        _refuse(
            actor=actor,
            government=government,
            obj=budget,
            action="participation.project.change_refused",
            changes={"project": [None, title]},
            now=now,
        )
    with transaction.atomic():
        project = Project(government=government, budget=budget, title=" ".join(title.split()), **fields)
        if not project.slug:
            project.slug = unique_slug(
                Project.objects.for_government(government), project.title, 80, fallback="proyecto"
            )
        _validate_project(project)
        project.save()
        _set_links(project, links or {})
        audit.record(
            actor=actor,
            government=government,
            action="participation.project.created",
            obj=project,
            changes=audit.diff_fields({}, _project_snapshot(project)),
            now=now,
        )
        _changed(government)
        _reindex(project)
        return project


def project_update(
    *, actor, government, project: Project, links: Mapping[str, Any] | None = None, now=None, **fields
) -> Project:
    _check_fields(fields, PROJECT_FIELDS)
    now = now or timezone.now()
    with transaction.atomic():
        project = (
            Project.objects.for_government(government)
            .select_related("budget__process")
            .select_for_update(of=("self",))
            .get(pk=project.pk)
        )
        before = _project_snapshot(project)
        process = project.budget.process
        for name, value in fields.items():
            setattr(project, name, value)
        if "title" in fields:
            project.title = " ".join(project.title.split())
        after = snapshot(project)
        rules = {
            name: [str(before.get(name)), str(after.get(name))]
            for name in ("cost", "budget")
            if str(before.get(name)) != str(after.get(name))
        }
        if not rules or not locked(process, now):
            if not project.slug:
                project.slug = unique_slug(
                    Project.objects.for_government(government).exclude(pk=project.pk),
                    project.title,
                    80,
                    fallback="proyecto",
                )
            _validate_project(project)
            project.save()
            if links is not None:
                _set_links(project, links)
            changes = audit.diff_fields(before, _project_snapshot(project))
            if changes:
                audit.record(
                    actor=actor,
                    government=government,
                    action="participation.project.updated",
                    obj=project,
                    changes=changes,
                    now=now,
                )
                _changed(government)
                _reindex(project)
            return project
    _refuse(
        actor=actor,
        government=government,
        obj=project,
        action="participation.project.change_refused",
        changes=rules,
        now=now,
    )


def project_delete(*, actor, government, project: Project, now=None) -> None:
    project = Project.objects.for_government(government).select_related("budget__process").get(pk=project.pk)
    _delete_unless_locked(
        actor=actor,
        government=government,
        obj=project,
        process=project.budget.process,
        kind="project",
        before=_project_snapshot(project),
        now=now or timezone.now(),
    )


def _delete_unless_locked(*, actor, government, obj, process, kind: str, before: dict, now) -> None:
    """Delete a budget or a project, audited; once voting opened, refuse and audit the attempt."""
    if locked(process, now):
        _refuse(
            actor=actor,
            government=government,
            obj=obj,
            action=f"participation.{kind}.delete_refused",
            changes={kind: [obj.title, None]},
            now=now,
        )
    with transaction.atomic():
        audit.record(
            actor=actor,
            government=government,
            action=f"participation.{kind}.deleted",
            obj=obj,
            changes=audit.diff_fields(before, {}),
            now=now,
        )
        projects = [obj] if kind == "project" else list(Project.objects.for_government(government).filter(budget=obj))
        _forget_projects(government, projects)
        obj.delete()
        _changed(government)
