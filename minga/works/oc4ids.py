"""The public works as OC4IDS (Open Contracting for Infrastructure Data Standard, 0.9) project
packages: one project per published work, with its period, sector, PDOT purpose, location
(GeoJSON geometry and the INEC DPA code as gazetteer), budget with the linked partidas as
budget breakdown, parties, progress reports as documents and metrics, the linked OCIDs as
contracting processes, and completion once the work was received."""

from __future__ import annotations

import datetime as dt

from django.utils.text import slugify

from .models import ProjectLink, Sector, Status

VERSION = "0.9"
# Our sectors on the OC4IDS projectSector codelist (open: unknown local sectors are left out).
SECTORS = {
    Sector.ROADS: ["transport", "transport.road"],
    Sector.WATER: ["waterAndWaste"],
    Sector.IRRIGATION: ["economy", "naturalResources"],
    Sector.EDUCATION: ["education"],
    Sector.HEALTH: ["health"],
    Sector.PUBLIC_SPACE: ["cultureSportsAndRecreation"],
    Sector.ENVIRONMENT: ["naturalResources", "naturalResources.floodProtection"],
    Sector.PRODUCTION: ["economy"],
    Sector.SOCIAL: ["cultureSportsAndRecreation"],
    Sector.OTHER: [],
}
# OC4IDS projectStatus has no "suspended": a suspended work is still in implementation.
STATUSES = {Status.SUSPENDED: "implementation"}


def _date(value: dt.date | None) -> str | None:
    return f"{value.isoformat()}T00:00:00Z" if value else None


def _value(amount) -> dict:
    return {"amount": float(amount), "currency": "USD"}


def _clean(data):
    """Drop empty members: OC4IDS prefers absent fields to nulls and empty lists."""
    if isinstance(data, dict):
        cleaned = {k: _clean(v) for k, v in data.items()}
        return {k: v for k, v in cleaned.items() if v not in (None, "", [], {})}
    if isinstance(data, list):
        return [item for item in (_clean(i) for i in data) if item not in (None, "", [], {})]
    return data


def project(project, *, government, updates, url: str, absolute=lambda path: path) -> dict:
    links = list(project.links.all())
    authority = {
        "id": government.slug,
        "name": government.name,
        "roles": ["publicAuthority", "buyer", "procuringEntity"],
    }
    parties = [authority]
    if project.contractor:
        parties.append(
            {"id": slugify(project.contractor)[:80] or "contratista", "name": project.contractor, "roles": ["supplier"]}
        )
    documents, physical, financial = [], [], []
    for update in updates:
        period = {"endDate": _date(update.reported_on)}
        physical.append(
            {
                "id": f"{update.pk}",
                "measure": float(update.physical_progress),
                "unit": {"name": "percent"},
                "period": period,
            }
        )
        financial.append(
            {
                "id": f"{update.pk}",
                "measure": float(update.financial_progress),
                "unit": {"name": "percent"},
                "period": period,
            }
        )
        for document in update.documents.all():
            documents.append(
                {
                    "id": f"{update.pk}-{document.pk}",
                    "documentType": "physicalProgressReport",
                    "title": document.title,
                    "url": absolute(document.href) if document.file else document.url,
                    "datePublished": update.created_at.isoformat(),
                }
            )
    data = {
        "id": f"{government.slug}-{project.slug}",
        "updated": project.updated_at.isoformat(),
        "title": project.title,
        "description": project.description,
        "status": STATUSES.get(project.status, project.status),
        "period": {"startDate": _date(project.planned_start), "endDate": _date(project.planned_end)},
        "sector": SECTORS.get(project.sector, []),
        "purpose": "; ".join(project.pdot_objectives),
        "additionalClassifications": [{"scheme": "SDG", "id": target} for target in project.sdg_targets],
        "locations": [
            {
                "id": "1",
                "description": project.territory_name,
                "geometry": project.geometry,
                "gazetteer": {"scheme": "INEC-DPA", "identifiers": [project.dpa_code]} if project.dpa_code else None,
            }
        ]
        if project.geometry or project.dpa_code
        else [],
        "budget": {
            "amount": _value(project.amount_planned),
            "budgetBreakdown": [
                {
                    "id": link.key,
                    "description": f"Partida {link.key.split(':', 1)[1]}",
                    "period": {
                        "startDate": f"{link.key[:4]}-01-01T00:00:00Z",
                        "endDate": f"{link.key[:4]}-12-31T23:59:59Z",
                    },
                }
                for link in links
                if link.kind == ProjectLink.Kind.BUDGET_LINE
            ],
        },
        "parties": parties,
        "publicAuthority": {"id": authority["id"], "name": authority["name"]},
        "documents": documents + [{"id": "pagina", "documentType": "projectScope", "title": project.title, "url": url}],
        "contractingProcesses": [
            {"id": link.key, "summary": {"ocid": link.key}} for link in links if link.kind == ProjectLink.Kind.PROCESS
        ],
        "metrics": [
            {"id": "physicalProgress", "title": "Avance físico", "observations": physical},
            {"id": "financialProgress", "title": "Avance financiero", "observations": financial},
        ]
        if updates
        else [],
        "completion": {
            "endDate": _date(project.actual_end),
            "finalValue": _value(max(project.amount_paid, project.amount_contracted)),
        }
        if project.actual_end
        else None,
    }
    return _clean(data)


def package(projects, *, government, uri: str, published: dt.datetime, absolute=lambda path: path) -> dict:
    """projects: (project, updates, url) triples."""
    return {
        "uri": uri,
        "version": VERSION,
        "publishedDate": published.isoformat(),
        "publisher": {"name": government.name},
        "projects": [
            project(p, government=government, updates=updates, url=url, absolute=absolute)
            for p, updates, url in projects
        ],
    }
