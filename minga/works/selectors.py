"""Reads of the works module, always scoped to the government. Public readers only ever get
published projects; the filters come from an allowlist of query parameters."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db.models import Count, Prefetch, Q, Sum
from django.urls import reverse

from minga.core.comments import selectors as comment_selectors

from . import indicators
from .models import Photo, ProgressUpdate, Project, ProjectLink, Sector, Status

FLAG_CHOICES = tuple(indicators.FLAG_LABELS.items())


def _decimal(value) -> Decimal | None:
    text = str(value or "").strip().replace(" ", "")
    if not text:
        return None
    # 1.234,56 (Ecuadorian) and 1234.56 both read as numbers.
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", text):  # 1.000.000: dots group thousands
        text = text.replace(".", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() and number >= 0 else None


@dataclass
class ProjectFilters:
    """The filters of the map and list pages and of the API, read from query parameters."""

    q: str = ""
    sector: str = ""
    status: str = ""
    territory: str = ""
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None
    flags: list[str] = field(default_factory=list)
    objective: str = ""

    @classmethod
    def from_params(cls, params) -> ProjectFilters:
        territory = str(params.get("territorio", "")).strip()[:6]
        flags = params.getlist("alerta") if hasattr(params, "getlist") else params.get("alerta", [])
        return cls(
            q=" ".join(str(params.get("q", "")).split())[:100],
            sector=params.get("sector", "") if params.get("sector", "") in Sector.values else "",
            status=params.get("estado", "") if params.get("estado", "") in Status.values else "",
            territory=territory if territory.isdigit() and len(territory) in (2, 4, 6) else "",
            min_amount=_decimal(params.get("monto_min")),
            max_amount=_decimal(params.get("monto_max")),
            flags=[flag for flag in dict.fromkeys(flags) if flag in indicators.FLAG_LABELS],
            objective=str(params.get("objetivo", "")).strip()[:200],
        )

    def as_query(self) -> list[tuple[str, str]]:
        pairs = [
            ("q", self.q),
            ("sector", self.sector),
            ("estado", self.status),
            ("territorio", self.territory),
            ("monto_min", "" if self.min_amount is None else str(self.min_amount)),
            ("monto_max", "" if self.max_amount is None else str(self.max_amount)),
            ("objetivo", self.objective),
        ]
        pairs += [("alerta", flag) for flag in self.flags]
        return [(key, value) for key, value in pairs if value]

    @property
    def active(self) -> bool:
        return bool(self.as_query())


def public_projects(government):
    return Project.objects.filter(government=government).published()


def filtered_projects(government, filters: ProjectFilters, *, today: dt.date, queryset=None) -> list[Project]:
    """Published projects matching the filters, with their indicators attached. The flags
    depend on today's date and the government's thresholds, so they are applied after the
    database filters (a government has hundreds of works, not millions)."""
    projects = public_projects(government) if queryset is None else queryset
    if filters.q:
        for word in filters.q.split()[:8]:
            projects = projects.filter(
                Q(title__icontains=word)
                | Q(description__icontains=word)
                | Q(contractor__icontains=word)
                | Q(code__icontains=word)
                | Q(territory_name__icontains=word)
            )
    if filters.sector:
        projects = projects.filter(sector=filters.sector)
    if filters.status:
        projects = projects.filter(status=filters.status)
    if filters.territory:
        projects = projects.filter(dpa_code__startswith=filters.territory)
    if filters.min_amount is not None:
        projects = projects.filter(amount_planned__gte=filters.min_amount)
    if filters.max_amount is not None:
        projects = projects.filter(amount_planned__lte=filters.max_amount)
    found = with_urls(indicators.attach(projects.order_by("title"), government=government, today=today))
    if filters.objective:
        found = [p for p in found if filters.objective in p.pdot_objectives]
    for flag in filters.flags:
        found = [p for p in found if flag in p.indicators.flags]
    return found


def with_urls(projects: list[Project]) -> list[Project]:
    """Each project's page address as `.url`: one reverse() for the lot instead of one or two
    per row and map shape (a noticeable part of rendering a map page of a hundred works)."""
    base = reverse("works:project_list")
    for project in projects:
        project.url = f"{base}{project.slug}/"
    return projects


def territories(government) -> list[tuple[str, str]]:
    """(DPA code, name) of the places that have published projects, for the filter."""
    rows = (
        public_projects(government)
        .exclude(dpa_code="")
        .values_list("dpa_code", "territory_name")
        .distinct()
        .order_by("territory_name", "dpa_code")
    )
    seen: dict[str, str] = {}
    for code, name in rows:
        seen.setdefault(code, name or code)
    return sorted(seen.items(), key=lambda item: (item[1].lower(), item[0]))


def objectives(government) -> list[str]:
    found: list[str] = []
    for values in public_projects(government).values_list("pdot_objectives", flat=True):
        for value in values or []:
            if value not in found:
                found.append(value)
    return sorted(found, key=str.lower)


def totals(projects: list[Project]) -> dict:
    return {
        "count": len(projects),
        "planned": sum((p.amount_planned for p in projects), Decimal("0")),
        "contracted": sum((p.amount_contracted for p in projects), Decimal("0")),
        "paid": sum((p.amount_paid for p in projects), Decimal("0")),
    }


def project_timeline(project: Project):
    return project.updates.order_by("-reported_on", "-created_at").prefetch_related(
        Prefetch("photos", queryset=Photo.objects.filter(project=project).order_by("pk")), "documents"
    )


def located_photos(project: Project):
    """Officials' photos of the project whose camera position was kept (never citizens')."""
    return project.photos.filter(update__isnull=False, latitude__isnull=False, longitude__isnull=False).order_by("pk")


def project_links(project: Project, kind: str) -> list[str]:
    return [link.key for link in project.links.all() if link.kind == kind]


def projects_linked_to(government, kind: str, key: str):
    return public_projects(government).filter(links__kind=kind, links__key=key).distinct()


def planning_groups(projects: list[Project]) -> list[dict]:
    """Projects grouped by PDOT objective, each group split by area of interest; a project
    serving two objectives appears in both."""
    groups: dict[str, dict[str, list[Project]]] = {}
    for project in projects:
        for objective in project.pdot_objectives or [""]:
            groups.setdefault(objective, {}).setdefault(project.area_of_interest, []).append(project)
    result = []
    for objective in sorted(groups, key=lambda o: (o == "", o.lower())):
        areas = groups[objective]
        members = [p for area in areas.values() for p in area]
        result.append(
            {
                "objective": objective,
                "areas": [
                    {"name": name, "projects": areas[name]} for name in sorted(areas, key=lambda a: (a == "", a))
                ],
                "count": len(members),
                "planned": sum((p.amount_planned for p in members), Decimal("0")),
            }
        )
    return result


# Back office ----------------------------------------------------------------------------


def office_projects(government, *, query: str = "", status: str = ""):
    projects = Project.objects.filter(government=government).annotate(
        pending_comments=comment_selectors.unanswered_count("works.project")
    )
    if query:
        projects = projects.filter(Q(title__icontains=query) | Q(code__icontains=query) | Q(slug__icontains=query))
    if status in Status.values:
        projects = projects.filter(status=status)
    return projects.order_by("title")


def public_summary(government) -> dict:
    figures = public_projects(government).aggregate(
        count=Count("pk"), planned=Sum("amount_planned"), paid=Sum("amount_paid")
    )
    return figures


def recent_updates(government, limit: int):
    return (
        ProgressUpdate.objects.filter(government=government, project__is_published=True)
        .select_related("project")
        .order_by("-created_at")[:limit]
    )


def updates_by_project(government, project_ids) -> dict[int, list[ProgressUpdate]]:
    """Progress updates of these projects, oldest first, with their documents."""
    found: dict[int, list[ProgressUpdate]] = {}
    updates = (
        ProgressUpdate.objects.filter(government=government, project_id__in=list(project_ids))
        .prefetch_related("documents")
        .order_by("reported_on", "created_at")
    )
    for update in updates:
        found.setdefault(update.project_id, []).append(update)
    return found


def links_of(government, project_ids) -> dict[int, list[ProjectLink]]:
    found: dict[int, list[ProjectLink]] = {}
    for link in ProjectLink.objects.filter(government=government, project_id__in=list(project_ids)):
        found.setdefault(link.project_id, []).append(link)
    return found
