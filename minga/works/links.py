"""What the works module lends to other modules through the registry, without importing
them: its projects as linked records ("works.project"), the projects that point to a budget
line or a contracting process (backlinks), and the public projects as a map layer."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from minga.core.registry import LinkedRecord, MapLayer
from minga.core.tenancy.paths import government_path
from minga.core.tenancy.scoping import government_scope

from . import selectors
from .models import Project, Sector, Status

KIND = "works.project"


def _record(project: Project) -> LinkedRecord:
    return LinkedRecord(
        kind=KIND,
        key=project.slug,
        title=project.title,
        url=government_path("works:project_detail", slug=project.slug),
        module="works",
        facts={
            "status": project.get_status_display(),
            "physical_progress": project.physical_progress,
            "financial_progress": project.financial_progress,
            "amount_planned": project.amount_planned,
            "amount_contracted": project.amount_contracted,
            "amount_paid": project.amount_paid,
        },
    )


def resolve_projects(government, keys: list[str]) -> dict[str, LinkedRecord]:
    with government_scope(government):
        found = selectors.public_projects(government).filter(slug__in=keys)
        return {project.slug: _record(project) for project in found}


def search_projects(government, text: str, limit: int) -> list[LinkedRecord]:
    """Published projects whose title or public identifier contains the text, the latest
    changed first (for other modules' link pickers)."""
    with government_scope(government):
        found = selectors.public_projects(government)
        if text:
            found = found.filter(Q(title__icontains=text) | Q(slug__icontains=text))
        return [_record(project) for project in found.order_by("-updated_at", "title")[:limit]]


def _backlinks(kind: str):
    def find(government, key: str) -> list[LinkedRecord]:
        with government_scope(government):
            return [_record(p) for p in selectors.projects_linked_to(government, kind, key).order_by("title")]

    return find


BACKLINKS = {
    "budget.line": _backlinks("budget.line"),
    "procurement.process": _backlinks("procurement.process"),
    "participation.project": _backlinks("participation.project"),
}


def feature(project: Project) -> dict:
    """A GeoJSON Feature of a project (WGS 84), with the figures a pop-up or a GIS shows."""
    status = getattr(project, "status_label", None) or str(Status(project.status).label)
    sector = getattr(project, "sector_label", None) or str(Sector(project.sector).label)
    return {
        "type": "Feature",
        "id": project.slug,
        "geometry": project.geometry,
        "properties": {
            "titulo": project.title,
            "estado": project.status,
            "estado_nombre": status,
            "sector": project.sector,
            "sector_nombre": sector,
            "territorio": project.territory_name,
            "codigo_dpa": project.dpa_code,
            "avance_fisico": float(project.physical_progress),
            "avance_financiero": float(project.financial_progress),
            "monto_planificado": float(project.amount_planned),
            "monto_contratado": float(project.amount_contracted),
            "monto_pagado": float(project.amount_paid),
            "contratista": project.contractor,
            "ultima_actualizacion": project.last_progress_on.isoformat() if project.last_progress_on else None,
            "url": government_path("works:project_detail", slug=project.slug),
        },
    }


def map_layers(government) -> list[MapLayer]:
    def features() -> list[dict]:
        with government_scope(government):
            projects = selectors.public_projects(government).exclude(geometry__isnull=True).order_by("title")
            return [feature(project) for project in projects]

    with government_scope(government):
        located = selectors.public_projects(government).exclude(geometry__isnull=True)
        last = located.order_by("-updated_at").values_list("updated_at", flat=True).first()
    if last is None:
        return []  # nothing to draw: no empty layer on other modules' maps
    return [
        MapLayer(
            key="works.projects",
            module="works",
            title=_("Public works"),
            description=_("Public works and investment projects with their status, progress and amounts."),
            features=features,
            url=government_path("works:project_list"),
            updated_at=last,
            labels={
                "estado_nombre": _("Status"),
                "sector_nombre": _("Sector"),
                "territorio": _("Territory"),
                "avance_fisico": _("Physical progress"),
                "avance_financiero": _("Financial progress"),
                "monto_contratado": _("Contracted amount"),
                "contratista": _("Contractor"),
            },
        )
    ]
